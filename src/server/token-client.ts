/**
 * `createTokenClient({ providers })`: the token lifecycle after the connection — refresh
 * ([RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6)) and revocation
 * ([RFC 7009](https://www.rfc-editor.org/rfc/rfc7009)) — for the presets whose providers have
 * them, through oauth4webapi (oauth.ts). Takes the same `providers` object as
 * `createExchangeHandler`. Every call has a timeout; a failure is a typed value, never a throw.
 *
 * | preset | refresh | revoke |
 * |---|---|---|
 * | generic | yes | with `revocationUrl`, or discovered from `issuer` |
 * | hcss | yes (when HCSS issued a refresh token) | with `revocationUrl` (HCSS documents none) |
 * | healthtap, hint, bwell | no (`unsupported`) | no (`unsupported`) |
 */
import { HttpError } from './errors.js';
import {
  canRevoke,
  ProviderError,
  refreshGrant,
  revokeToken,
  type FailureReason,
} from './oauth.js';
import { configError, delayOption, functionOption } from './options.js';
import { outbound, type Fetch, type Outbound } from './outbound.js';
import {
  checkProviders,
  kindOf,
  standardConfig,
  type GenericName,
  type ProviderName,
  type ServerProviders,
} from './providers.js';
import type { TokenResponse } from './tokens.js';

export interface TokenClientOptions {
  /** The same object as `createExchangeHandler`'s `providers`. */
  readonly providers: ServerProviders;
  /** ms before a call to a provider is abandoned (`timeout`); default 10000. */
  readonly timeout?: number;
  /** Injected `fetch` for the provider calls (tests, proxies). */
  readonly fetch?: Fetch;
}

/** Why a token call did not succeed. */
export type TokenFailureReason =
  | FailureReason
  /** The provider (per its documentation) has no such operation; nothing was sent. */
  | 'unsupported'
  /** That provider is not in `providers`; nothing was sent. */
  | 'not_configured'
  /** The token given is empty or not a string; nothing was sent. */
  | 'invalid_request';

/** A token call that did not succeed: why, the OAuth `error` (the provider's own when it refused). */
export interface TokenFailure {
  readonly ok: false;
  readonly reason: TokenFailureReason;
  /** The provider's `error` when it refused (e.g. `invalid_grant`), else ours. */
  readonly error: string;
  readonly description: string;
}

export type RefreshResult =
  | {
      readonly ok: true;
      /**
       * The provider's token response, validated (a string `access_token`, a `token_type`): with
       * the new `refresh_token` where the provider rotates them — store it, the old one is spent.
       */
      readonly tokens: TokenResponse;
      /** A new id_token's claims, validated, when one came back. */
      readonly claims?: Readonly<Record<string, unknown>> | undefined;
    }
  | TokenFailure;

export type RevokeResult = { readonly ok: true } | TokenFailure;

export interface TokenClient {
  /** A new access token for a refresh token (RFC 6749 §6). */
  refresh(provider: ProviderName, refreshToken: string): Promise<RefreshResult>;
  /** Revokes an access or refresh token at the provider (RFC 7009). */
  revoke(
    provider: ProviderName,
    token: string,
    hint?: 'access_token' | 'refresh_token',
  ): Promise<RevokeResult>;
  /**
   * What the provider offers: refresh, and revoke. A discovered provider is asked (its metadata,
   * kept an hour); one that cannot be asked now (down, slow, another issuer) is `revoke:
   * 'unknown'`, never `false` — a caller that skipped revoking on `false` would leave a live token.
   */
  supports(provider: ProviderName): Promise<{ refresh: boolean; revoke: boolean | 'unknown' }>;
}

export function createTokenClient(options: TokenClientOptions): TokenClient {
  if (typeof options !== 'object' || options === null) {
    throw configError('createTokenClient needs { providers: { … } }.');
  }
  checkProviders(options.providers, 'tokens', 'createTokenClient');
  functionOption('fetch', options.fetch);
  const out = outbound(options.fetch, delayOption('timeout', options.timeout, 10_000));
  return tokenOperations(options.providers, out);
}

/** The token client on an outbound side of its own (the Disconnect handler shares it). */
export function tokenOperations(providers: ServerProviders, out: Outbound): TokenClient {
  const standard = (provider: ProviderName) => {
    const kind = kindOf(provider);
    if (kind !== 'generic' && kind !== 'hcss') return undefined;
    const name = provider as GenericName | 'hcss';
    const config = providers[name];
    return config && standardConfig(name, config);
  };
  const refused = (provider: ProviderName, what: string): TokenFailure | undefined => {
    if (!providers[provider]) {
      return fail('not_configured', 'invalid_request', `${provider} is not configured here.`);
    }
    if (!standard(provider)) {
      return fail('unsupported', 'unsupported_grant_type', `${provider} offers no ${what}.`);
    }
    return undefined;
  };
  return {
    async refresh(provider, refreshToken) {
      const no = refused(provider, 'refresh');
      if (no) return no;
      if (typeof refreshToken !== 'string' || !refreshToken) {
        return fail('invalid_request', 'invalid_request', 'A refresh token is required.');
      }
      try {
        const { tokens, claims } = await refreshGrant(standard(provider)!, refreshToken, out);
        return { ok: true, tokens, ...(claims ? { claims } : {}) };
      } catch (error) {
        return failure(error);
      }
    },
    async revoke(provider, token, hint) {
      const no = refused(provider, 'revocation');
      if (no) return no;
      if (typeof token !== 'string' || !token) {
        return fail('invalid_request', 'invalid_request', 'A token is required.');
      }
      const config = standard(provider)!;
      try {
        if (!(await canRevoke(config, out))) {
          return fail(
            'unsupported',
            'unsupported_token_type',
            `${config.label} has no revocation endpoint (give ${provider}.revocationUrl).`,
          );
        }
        await revokeToken(config, token, hint, out);
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },
    async supports(provider) {
      const config = standard(provider);
      if (!config) return { refresh: false, revoke: false };
      try {
        return { refresh: true, revoke: await canRevoke(config, out) };
      } catch {
        return { refresh: true, revoke: 'unknown' }; // (discovery failed: not kept, asked again)
      }
    },
  };
}

function fail(reason: TokenFailureReason, error: string, description: string): TokenFailure {
  return { ok: false, reason, error, description };
}

/** A provider failure as a typed value; anything else (a bug) is rethrown. */
function failure(error: unknown): TokenFailure {
  if (error instanceof ProviderError) return fail(error.reason, error.error, error.description);
  if (error instanceof HttpError) {
    return fail(error.status === 400 ? 'refused' : 'unreachable', error.error, error.description);
  }
  throw error;
}
