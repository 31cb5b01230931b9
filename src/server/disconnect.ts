/**
 * `createDisconnectHandler`: the endpoint the element's `disconnect-url` points at. The element
 * POSTs JSON `{ provider }` (with its credentials and `exchangeHeaders`); any 2xx fires its
 * `disconnected` event with the JSON answer as `result`, anything else shows "Could not
 * disconnect: <error_description>".
 *
 * It loads the signed-in user's tokens (`loadCredentials`), revokes them at the provider where
 * the provider has revocation ([RFC 7009](https://www.rfc-editor.org/rfc/rfc7009): the refresh
 * token and the access token, at once), then deletes the partner's copy (`deleteCredentials`) —
 * also when the provider is down, refused, or has no revocation — and says which it was:
 *
 * `{ "disconnected": true, "revoked": true, "revocation": "revoked" }`, or `"revoked": false` with
 * `"revocation"` one of `unsupported` (the provider has none), `nothing_stored` (no tokens were
 * kept), `failed` (the provider did not revoke: `message` says why; the grant may still be live
 * there, the user can end it at the provider).
 */
import { z } from 'zod';
import { errorResponse, HttpError, json, readJsonPost } from './errors.js';
import { configError, delayOption, functionOption, userId } from './options.js';
import { outbound, withDeadline, type Fetch } from './outbound.js';
import {
  checkProviders,
  providerNameSchema,
  type ProviderName,
  type ServerProviders,
} from './providers.js';
import type { SessionUser } from './server-flow.js';
import { tokenOperations, type TokenFailure } from './token-client.js';

/** The tokens kept for a connection: the token response `storeCredentials` was given will do. */
export interface StoredCredentials {
  readonly access_token?: string | null | undefined;
  readonly refresh_token?: string | null | undefined;
}

/** Whose connection, with which provider. */
export interface CredentialsArgs {
  readonly provider: ProviderName;
  /** `session(request)`'s user id, as text. */
  readonly user: string;
  readonly request: Request;
}

export interface DisconnectHandlerOptions {
  /** The same object as `createExchangeHandler`'s `providers`. */
  readonly providers: ServerProviders;
  /** Who is signed in (as for `createServerFlow`): a request without a user is refused (401). */
  readonly session: (request: Request) => SessionUser | Promise<SessionUser>;
  /** The user's kept tokens for that provider, or nothing. */
  readonly loadCredentials: (
    args: CredentialsArgs,
  ) => Promise<StoredCredentials | null | undefined> | StoredCredentials | null | undefined;
  /** Forgets them. Called whatever the provider answered. */
  readonly deleteCredentials: (args: CredentialsArgs) => Promise<void> | void;
  /**
   * ms within which the provider's side is done: one deadline for all of a disconnect's calls
   * (discovery, then both revocations), counted from the request's arrival; default 4000: below
   * the element's own `status-timeout` (5000), so the element hears the answer. A number ≥ 1.
   */
  readonly timeout?: number;
  readonly fetch?: Fetch;
  /** Sees what went wrong inside (a `loadCredentials` / `deleteCredentials` that threw). */
  readonly onError?: ((error: unknown, request: Request) => void) | undefined;
}

/** What the answer says about the provider's side. */
export type Revocation = 'revoked' | 'unsupported' | 'nothing_stored' | 'failed';

const body = z.object({ provider: providerNameSchema }).strict();

export function createDisconnectHandler(
  options: DisconnectHandlerOptions,
): (request: Request) => Promise<Response> {
  if (typeof options !== 'object' || options === null) {
    throw configError(
      'createDisconnectHandler needs { providers, session, loadCredentials, deleteCredentials }.',
    );
  }
  for (const name of ['session', 'loadCredentials', 'deleteCredentials'] as const) {
    if (typeof options[name] !== 'function') {
      throw configError(`createDisconnectHandler needs ${name}(…).`);
    }
  }
  checkProviders(options.providers, 'tokens', 'createDisconnectHandler');
  functionOption('fetch', options.fetch);
  functionOption('onError', options.onError);
  const out = outbound(options.fetch, delayOption('timeout', options.timeout, 4000));

  return async (request) => {
    // one deadline for the whole disconnect, not a timeout per call: discovery and revocation
    // each taking most of it would answer after the element stopped listening
    const tokens = tokenOperations(options.providers, withDeadline(out));
    try {
      const parsed = body.safeParse(await readJsonPost(request, 4096));
      if (!parsed.success) throw new HttpError(400, 'invalid_request', 'Send { provider }.');
      const { provider } = parsed.data;
      if (!options.providers[provider]) {
        throw new HttpError(400, 'invalid_request', `${provider} is not configured here.`);
      }
      const user = userId(await options.session(request));
      if (!user) throw new HttpError(401, 'unauthorized', 'Sign in first.');
      const args: CredentialsArgs = { provider, user, request };

      let revocation: Revocation = 'nothing_stored';
      let message: string | undefined;
      let kept: StoredCredentials | null | undefined;
      try {
        kept = await options.loadCredentials(args);
      } catch (error) {
        options.onError?.(error, request);
        kept = undefined;
        revocation = 'failed';
        message = 'The stored tokens could not be read, so nothing was revoked at the provider.';
      }
      const held = [
        [kept?.refresh_token, 'refresh_token'],
        [kept?.access_token, 'access_token'],
      ].filter((pair): pair is [string, 'refresh_token' | 'access_token'] => !!pair[0]);
      if (held.length && message === undefined) {
        // straight to revoke (one round trip, not supports() first): `unsupported` is the token
        // client's own finding that the provider has none, and a discovery that failed is a
        // failure, with its cause
        const results = await Promise.all(
          held.map(([token, hint]) => tokens.revoke(provider, token, hint)),
        );
        const failures = results.filter((r): r is TokenFailure => !r.ok);
        // RFC 7009 §2.2.1: a server may revoke only refresh tokens; the grant ends with it
        const onlyUnsupported =
          failures.length < results.length &&
          failures.every((f) => f.error === 'unsupported_token_type');
        if (
          failures.length === results.length &&
          failures.every((f) => f.reason === 'unsupported')
        ) {
          revocation = 'unsupported';
        } else if (failures.length === 0 || onlyUnsupported) {
          revocation = 'revoked';
        } else {
          revocation = 'failed';
          message = failures.find((f) => f.reason !== 'unsupported')?.description;
        }
      }

      try {
        await options.deleteCredentials(args);
      } catch (error) {
        options.onError?.(error, request);
        throw new HttpError(
          500,
          'server_error',
          revocation === 'revoked'
            ? 'The tokens were revoked at the provider, but this connection could not be removed here.'
            : 'This connection could not be removed.',
        );
      }
      return json(200, {
        disconnected: true,
        revoked: revocation === 'revoked',
        revocation,
        ...(revocation === 'failed'
          ? {
              message: `Removed here, but not revoked at the provider: ${message ?? 'it did not answer.'}`,
            }
          : {}),
      });
    } catch (error) {
      if (!(error instanceof HttpError)) options.onError?.(error, request);
      return errorResponse(
        error instanceof HttpError
          ? error
          : new HttpError(500, 'server_error', 'This connection could not be removed.'),
      );
    }
  };
}
