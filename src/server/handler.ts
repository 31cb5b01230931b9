/**
 * `createExchangeHandler`: the partner backend the element talks to, as one fetch-style handler
 * (`(request: Request) => Promise<Response>`). It answers
 * - the element's `exchange-url` POST: redeems the code at the provider (or takes b.well's status),
 *   hands the tokens to `storeCredentials`, and answers what that returns — `{ "connected": true }`
 *   without it. Tokens never reach the browser unless `storeCredentials` puts them in its answer.
 * - the element's `url-endpoint` POST for b.well: the URL from `getOauthUrl(connectionId)`.
 */
import { z } from 'zod';
import { bwellOauthUrl } from './bwell.js';
import { errorResponse, HttpError, json, readJsonPost } from './errors.js';
import { configError, delayOption, functionOption } from './options.js';
import { outbound, type Fetch } from './outbound.js';
import {
  checkProviders,
  notConfigured,
  providerNameSchema,
  redeemFor,
  type ProviderName,
  type Redeemed,
  type ServerProviders,
} from './providers.js';
import type { TokenResponse } from './tokens.js';

/** What `storeCredentials` gets for one connection. */
export interface StoreCredentialsArgs {
  readonly provider: ProviderName;
  /** The provider's token response, validated; undefined for b.well (it has none). */
  readonly tokens: TokenResponse | undefined;
  /**
   * HCSS `companyId`; Hint `integrationId`, `status`, `practice`; b.well `status`, `connectionId`;
   * generic and HCSS `claims`: the id_token's claims, validated by oauth4webapi (`iss`, `aud`,
   * `exp`, `iat`, and `nonce` where one was sent), when one came back and the issuer is known.
   */
  readonly details: Readonly<Record<string, unknown>>;
  /** The element's request body (no secret in it: the code is spent by now). */
  readonly body: Readonly<Record<string, unknown>>;
  /** The browser's request: your session cookie tells whose connection this is. */
  readonly request: Request;
}

export interface ExchangeHandlerOptions {
  readonly providers: ServerProviders;
  /**
   * Keeps the tokens with the signed-in user; its return value is the JSON the browser receives.
   * Return only what the page needs (never an access or refresh token: a page's script, its
   * extensions and its XSS would have them).
   */
  readonly storeCredentials?: (
    args: StoreCredentialsArgs,
  ) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  /**
   * ms before a call to a provider is abandoned (504); default 10000. A number ≥ 1 (anything else
   * throws when the handler is made), clamped to 2^31−1.
   */
  readonly timeout?: number;
  /** Injected `fetch` for the provider calls (tests, proxies). */
  readonly fetch?: Fetch;
  /** Sees what went wrong inside (a `storeCredentials` that threw): the browser gets a 500. */
  readonly onError?: ((error: unknown, request: Request) => void) | undefined;
}

const MAX_BODY = 16 * 1024;
/** generic, generic:<name>, hcss, healthtap, hint, bwell (the element's `provider`). */
const name = providerNameSchema;
const text = (max: number) => z.string().min(1).max(max);
const codeBody = z
  .object({
    provider: name,
    code: text(4096),
    state: text(4096).optional(),
    codeVerifier: z
      .string()
      .regex(/^[A-Za-z0-9\-._~]{43,128}$/)
      .optional(),
    redirectUri: text(2048).optional(),
    /** The issuer the provider's answer named (RFC 9207): checked before anything is redeemed. */
    iss: text(2048).optional(),
  })
  .strict();
const statusBody = z
  .object({
    provider: z.literal('bwell'),
    status: z.literal('success'),
    connectionId: text(200).optional(),
  })
  .strict();
const urlBody = z.object({ provider: name, connectionId: text(200).optional() }).strict();
const body = z.union([codeBody, statusBody, urlBody]);

export function createExchangeHandler(
  options: ExchangeHandlerOptions,
): (request: Request) => Promise<Response> {
  if (typeof options !== 'object' || options === null) {
    throw configError('createExchangeHandler needs { providers: { … } }.');
  }
  checkProviders(options.providers, 'exchange');
  functionOption('storeCredentials', options.storeCredentials);
  functionOption('fetch', options.fetch);
  functionOption('onError', options.onError);
  const out = outbound(options.fetch, delayOption('timeout', options.timeout, 10_000));
  return async (request) => {
    try {
      const parsed = await readBody(request);
      const { providers } = options;
      if ('code' in parsed) {
        const redeemed = await redeemFor(providers, parsed, out);
        return await answer(options, parsed.provider, redeemed, parsed, request);
      }
      if ('status' in parsed) {
        if (!providers.bwell) throw notConfigured('bwell');
        const details = { status: parsed.status, connectionId: parsed.connectionId };
        return await answer(options, 'bwell', { details }, parsed, request);
      }
      if (parsed.provider !== 'bwell') {
        throw new HttpError(400, 'invalid_request', 'A code (or a b.well status) is required.');
      }
      if (!providers.bwell) throw notConfigured('bwell');
      return json(200, await bwellOauthUrl(providers.bwell, parsed.connectionId, request, out));
    } catch (error) {
      if (!(error instanceof HttpError)) options.onError?.(error, request);
      return errorResponse(
        error instanceof HttpError
          ? error
          : new HttpError(500, 'server_error', 'The connection could not be stored.'),
      );
    }
  };
}

/** A JSON POST of at most 16 KB (a JSON content type also keeps cross-site forms out). */
async function readBody(request: Request): Promise<z.infer<typeof body>> {
  const parsed = body.safeParse(await readJsonPost(request, MAX_BODY));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', 'The body is not a connection.');
  return parsed.data;
}

/** What the browser receives: `storeCredentials`' answer, or `{ "connected": true }`. */
async function answer(
  options: ExchangeHandlerOptions,
  provider: ProviderName,
  redeemed: Redeemed,
  parsed: Readonly<Record<string, unknown>>,
  request: Request,
): Promise<Response> {
  return json(200, await stored(options, provider, redeemed, parsed, request));
}

/**
 * Hands a redemption to `storeCredentials` and returns what the browser may see: its answer, or
 * `{ "connected": true }`. The code and verifier go no further: they are spent.
 */
export async function stored(
  options: Pick<ExchangeHandlerOptions, 'storeCredentials'>,
  provider: ProviderName,
  redeemed: Redeemed,
  parsed: Readonly<Record<string, unknown>>,
  request: Request,
): Promise<Record<string, unknown>> {
  const body = { ...parsed };
  delete body['code'];
  delete body['codeVerifier'];
  const kept = await options.storeCredentials?.({
    provider,
    tokens: redeemed.tokens,
    details: redeemed.details,
    body,
    request,
  });
  return kept ?? { connected: true };
}
