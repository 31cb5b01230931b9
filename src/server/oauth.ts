/**
 * The standard providers (`generic`, and HCSS: an IdentityServer) through **oauth4webapi**, an
 * OpenID-certified relying-party library: discovery (RFC 8414 / OpenID Connect Discovery), the
 * authorization response's `iss` (RFC 9207), the code grant with PKCE (RFC 6749 §4.1.3, RFC 7636),
 * the `id_token` claims (OpenID Connect Core §3.1.3.7), refresh (RFC 6749 §6) and revocation
 * (RFC 7009). What is ours: which endpoints and client authentication a preset uses, the timeout on
 * every call, and how a failure becomes an answer (400 / 502 / 504, outbound.ts).
 */
import * as oauth from 'oauth4webapi';
import { callSignal } from './deadline.js';
import { HttpError } from './errors.js';
import { isSecureUrl } from './options.js';
import type { Outbound } from './outbound.js';
import { jwtClaims, tokenResponseSchema, type TokenResponse } from './tokens.js';

/** A standard provider, as oauth.ts needs it (providers.ts makes it from a preset's options). */
export interface StandardConfig {
  /** For messages: "HCSS", "The provider". */
  readonly label: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** The issuer identifier, when known (given, or derived from HCSS's authorize URL). */
  readonly issuer?: string | undefined;
  /** Endpoints given in the options; without `tokenUrl`, they come from `issuer`'s discovery. */
  readonly tokenUrl?: string | undefined;
  readonly authorizeUrl?: string | undefined;
  readonly revocationUrl?: string | undefined;
  /** `requireIss` as given; with discovery, the metadata's own flag counts too. */
  readonly requireIss?: boolean | undefined;
}

/** Why a provider call failed, for the token client's typed results. */
export type FailureReason =
  /** The provider refused the request: its `error` (e.g. `invalid_grant`) is kept. */
  | 'refused'
  /** The provider refused this server's client credentials: the configuration is wrong. */
  | 'invalid_client'
  /** Down, unreachable, or its discovery document could not be had. */
  | 'unreachable'
  /** No answer within the timeout. */
  | 'timeout'
  /** An answer that is not a valid one (not JSON, no `access_token`, an `id_token` that fails). */
  | 'invalid_response';

/** An {@link HttpError} that also says why, in the token client's words. */
export class ProviderError extends HttpError {
  constructor(
    status: number,
    error: string,
    description: string,
    readonly reason: FailureReason,
  ) {
    super(status, error, description);
  }
}

/** How long discovered metadata is kept before it is fetched again. */
const METADATA_TTL_MS = 60 * 60 * 1000;

/**
 * Discovered metadata, per issuer: fetched once (concurrent callers share the request), kept for
 * an hour; a failure is not kept, so a provider that was down is asked again next time.
 */
export class MetadataCache {
  readonly #entries = new Map<string, { at: number; value: Promise<oauth.AuthorizationServer> }>();

  get(issuer: string, out: Outbound, label: string): Promise<oauth.AuthorizationServer> {
    const kept = this.#entries.get(issuer);
    if (kept && Date.now() - kept.at < METADATA_TTL_MS) return kept.value;
    const value = discover(issuer, out, label);
    const entry = { at: Date.now(), value };
    this.#entries.set(issuer, entry);
    value.catch(() => {
      if (this.#entries.get(issuer) === entry) this.#entries.delete(issuer);
    });
    return value;
  }
}

async function discover(
  issuer: string,
  out: Outbound,
  label: string,
): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  const response = await send(out, label, (options) =>
    oauth.discoveryRequest(url, { ...options, ...insecure(issuer) }),
  );
  let as: oauth.AuthorizationServer;
  try {
    as = await oauth.processDiscoveryResponse(url, response);
  } catch (cause) {
    throw failure(label, cause, `${label}'s discovery document`);
  }
  // downloaded, not given: its endpoints get the rule of the options (https, http only on
  // loopback) before the code, the verifier or a client secret is sent to one of them
  for (const key of DISCOVERED_ENDPOINTS) {
    const endpoint = as[key];
    if (endpoint !== undefined && !isSecureUrl(endpoint)) {
      throw new ProviderError(
        502,
        'server_error',
        `${label}'s discovery document names a ${key} that is not https (http only on ` +
          'localhost, 127.0.0.1 or [::1]): nothing was sent to it.',
        'invalid_response',
      );
    }
  }
  return as;
}

/** The discovered endpoints this server sends to, or sends users to. */
const DISCOVERED_ENDPOINTS = [
  'token_endpoint',
  'revocation_endpoint',
  'authorization_endpoint',
] as const;

/** The authorization server, as oauth4webapi needs it: discovered, or made of the options. */
export async function authorizationServer(
  config: StandardConfig,
  out: Outbound,
): Promise<oauth.AuthorizationServer> {
  if (!config.tokenUrl && config.issuer) {
    return out.metadata.get(config.issuer, out, config.label);
  }
  return {
    // never compared without a known issuer: `iss` and `id_token` checks need one (see redeem)
    issuer: config.issuer ?? config.tokenUrl ?? '',
    ...(config.tokenUrl ? { token_endpoint: config.tokenUrl } : {}),
    ...(config.authorizeUrl ? { authorization_endpoint: config.authorizeUrl } : {}),
    ...(config.revocationUrl ? { revocation_endpoint: config.revocationUrl } : {}),
    authorization_response_iss_parameter_supported: config.requireIss === true,
    // the id_token comes from the token endpoint over TLS (OpenID Connect Core §3.1.3.7): its
    // signature is not what vouches for it, so any signing algorithm but `none` is accepted
    id_token_signing_alg_values_supported: SIGNING_ALGS,
  };
}

const SIGNING_ALGS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/**
 * oauth4webapi refuses http URLs unless told: told only for an http URL on a loopback host (the
 * options allow no other, and a discovered endpoint is held to the same rule, discover()).
 */
function insecure(url: string | undefined): { [oauth.allowInsecureRequests]?: true } {
  return url?.startsWith('http:') && isSecureUrl(url)
    ? { [oauth.allowInsecureRequests]: true }
    : {};
}

function client(config: StandardConfig): [oauth.Client, oauth.ClientAuth] {
  const auth =
    config.clientAuth === 'client_secret_basic'
      ? oauth.ClientSecretBasic(config.clientSecret ?? '')
      : config.clientAuth === 'client_secret_post'
        ? oauth.ClientSecretPost(config.clientSecret ?? '')
        : oauth.None();
  return [{ client_id: config.clientId }, auth];
}

/** What every request gets: the timeout's signal, and the injected `fetch`. */
interface RequestOptions {
  readonly signal: AbortSignal;
  readonly [oauth.customFetch]: (
    url: string,
    options: oauth.CustomFetchOptions<string, unknown>,
  ) => Promise<Response>;
}

/**
 * One call to the provider with the timeout, its answer read whole (the timeout covers the body
 * too) and handed back as a fresh Response; a network failure is 502, a timeout 504.
 */
async function send(
  out: Outbound,
  label: string,
  request: (options: RequestOptions) => Promise<Response>,
): Promise<Response> {
  const signal = callSignal(out);
  try {
    const response = await request({
      signal,
      [oauth.customFetch]: (url, init) => out.fetch(url, { ...(init as RequestInit), signal }),
    });
    return rebuilt(response, await response.text());
  } catch (cause) {
    if (cause instanceof ProviderError) throw cause;
    const timedOut =
      signal.aborted || (cause instanceof DOMException && cause.name === 'TimeoutError');
    throw timedOut
      ? new ProviderError(
          504,
          'temporarily_unavailable',
          `${label} did not answer in time.`,
          'timeout',
        )
      : new ProviderError(
          502,
          'temporarily_unavailable',
          `${label} could not be reached.`,
          'unreachable',
        );
  }
}

/** A response with this body (none for the statuses that have none). */
function rebuilt(response: Response, text: string): Response {
  const empty = [101, 204, 205, 304].includes(response.status);
  return new Response(empty ? null : text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** An oauth4webapi failure as an answer: a refusal 400 with its words, the rest 502. */
function failure(label: string, cause: unknown, what = label): ProviderError {
  if (cause instanceof ProviderError) return cause;
  if (
    cause instanceof oauth.ResponseBodyError ||
    cause instanceof oauth.WWWAuthenticateChallengeError
  ) {
    const error = cause instanceof oauth.ResponseBodyError ? cause.error : undefined;
    const description =
      cause instanceof oauth.ResponseBodyError ? cause.error_description : undefined;
    // the provider refused this server's own client credentials: the partner's configuration is
    // wrong, not the user's doing; the details are for the server's logs, not the page
    if (cause.status === 401 || error === 'invalid_client' || error === 'unauthorized_client') {
      return new ProviderError(
        502,
        'server_error',
        `${label} refused this server's client credentials.`,
        'invalid_client',
      );
    }
    if (cause.status >= 400 && cause.status < 500 && error && error.length <= 200) {
      return new ProviderError(
        400,
        error,
        typeof description === 'string' && description.length <= 1000
          ? description
          : `${label} refused the request.`,
        'refused',
      );
    }
    return new ProviderError(
      502,
      'server_error',
      `${label} answered ${cause.status}.`,
      'unreachable',
    );
  }
  if (cause instanceof oauth.OperationProcessingError) {
    if (cause.code === oauth.RESPONSE_IS_NOT_CONFORM) {
      const status = cause.cause instanceof Response ? cause.cause.status : undefined;
      return new ProviderError(
        502,
        'server_error',
        `${what} answered ${status ?? 'something unexpected'}.`,
        'unreachable',
      );
    }
    if (
      cause.code === oauth.JWT_CLAIM_COMPARISON ||
      cause.code === oauth.JWT_TIMESTAMP_CHECK ||
      /ID Token|JWT/.test(cause.message)
    ) {
      return new ProviderError(
        502,
        'invalid_id_token',
        `${label}'s id_token did not pass its checks (${cause.message}).`,
        'invalid_response',
      );
    }
  }
  if (
    cause instanceof oauth.OperationProcessingError ||
    cause instanceof oauth.UnsupportedOperationError ||
    cause instanceof TypeError
  ) {
    return new ProviderError(
      502,
      'server_error',
      `${what} answered something unexpected.`,
      'invalid_response',
    );
  }
  throw cause;
}

/**
 * The token endpoint's JSON for oauth4webapi: a `null` where RFC 6749 §5.1 says to leave a member
 * out (Hint, and others, send `refresh_token: null`) counts as absent; without a known issuer the
 * `id_token` cannot be checked and stays out of the check (it reaches `storeCredentials` as sent).
 */
function forChecks(response: Response, text: string, checkIdToken: boolean): Response {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return rebuilt(response, text);
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const key of ['refresh_token', 'expires_in', 'scope', 'id_token']) {
      if (copy[key] === null) delete copy[key];
    }
    if (!checkIdToken) delete copy['id_token'];
    return rebuilt(response, JSON.stringify(copy));
  }
  return rebuilt(response, text);
}

/** The provider's token response, as it sent it (kept for `storeCredentials`), and its claims. */
export interface Granted {
  readonly tokens: TokenResponse;
  /** The `id_token`'s claims, validated (iss, aud, exp, iat, nonce where one was sent). */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
}

/** What comes back from the authorization server with the code. */
export interface AuthorizationAnswer {
  readonly code: string;
  /**
   * The whole redirect query (server flow): its `iss` is checked (RFC 9207). Without it (the
   * element's exchange, where the browser checked `state` and `iss`), only the code is known.
   */
  readonly query?: URLSearchParams | undefined;
  readonly redirectUri: string;
  readonly codeVerifier?: string | undefined;
  /** The `nonce` this server sent (server flow with `openid`); checked against the id_token. */
  readonly nonce?: string | undefined;
}

/**
 * The redirect's `iss` against the provider's issuer (RFC 9207), by oauth4webapi: a given `iss`
 * must be the issuer; a missing one fails where the provider says it always sends one
 * (`requireIss`, or its metadata's `authorization_response_iss_parameter_supported`). Undefined
 * when acceptable, else why not.
 */
export async function issuerRefusalOf(
  config: StandardConfig,
  expected: { readonly issuer: string; readonly required: boolean },
  out: Outbound,
  query: URLSearchParams,
): Promise<string | undefined> {
  const as = await authorizationServer(config, out);
  const checked: oauth.AuthorizationServer = {
    ...as,
    issuer: expected.issuer,
    authorization_response_iss_parameter_supported:
      expected.required || as.authorization_response_iss_parameter_supported === true,
  };
  try {
    oauth.validateAuthResponse(checked, client(config)[0], onlyIss(query), oauth.skipStateCheck);
    return undefined;
  } catch {
    return query.getAll('iss').length === 0
      ? 'The sign-in answer did not say which server sent it.'
      : 'The sign-in answer came from another server than this provider.';
  }
}

/** The redirect's `iss` values alone (its `error`, `state` are the server flow's to read). */
function onlyIss(query: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const iss of query.getAll('iss')) params.append('iss', iss);
  return params;
}

/** Redeems a code (RFC 6749 §4.1.3) with the PKCE verifier, and checks what comes back. */
export async function redeemCode(
  config: StandardConfig,
  answer: AuthorizationAnswer,
  out: Outbound,
): Promise<Granted> {
  const as = await authorizationServer(config, out);
  const [c, auth] = client(config);
  let params: URLSearchParams;
  try {
    // the server flow checked the redirect's `iss` already (issuerRefusalOf); here the answer is
    // made oauth4webapi's own (it takes only a validated one), state being the caller's to check
    params = oauth.validateAuthResponse(
      { ...as, authorization_response_iss_parameter_supported: false },
      c,
      new URLSearchParams({ code: answer.code }),
      oauth.skipStateCheck,
    );
  } catch (cause) {
    throw failure(config.label, cause);
  }
  const response = await send(out, config.label, (options) =>
    oauth.authorizationCodeGrantRequest(
      as,
      c,
      auth,
      params,
      answer.redirectUri,
      answer.codeVerifier ?? oauth.nopkce,
      { ...options, ...insecure(as.token_endpoint) },
    ),
  );
  return processTokens(config, response, (checked, idToken) =>
    oauth.processAuthorizationCodeResponse(as, c, checked, {
      // the nonce this server sent (the server flow, with `openid`), checked when an id_token
      // comes back. The element's own flow sends none from here: a nonce the partner put in its
      // authorize URL (`url-endpoint`) is the partner's to check, so the id_token's is taken
      ...(!idToken
        ? {}
        : answer.nonce !== undefined
          ? { expectedNonce: answer.nonce }
          : idToken.nonce !== undefined
            ? { expectedNonce: idToken.nonce }
            : {}),
    }),
  );
}

/** RFC 6749 §6: a new access token (and, where the provider rotates them, refresh token). */
export async function refreshGrant(
  config: StandardConfig,
  refreshToken: string,
  out: Outbound,
): Promise<Granted> {
  const as = await authorizationServer(config, out);
  const [c, auth] = client(config);
  const response = await send(out, config.label, (options) =>
    oauth.refreshTokenGrantRequest(as, c, auth, refreshToken, {
      ...options,
      ...insecure(as.token_endpoint),
    }),
  );
  return processTokens(config, response, (checked) =>
    oauth.processRefreshTokenResponse(as, c, checked),
  );
}

/** RFC 7009: revokes a token at the provider's revocation endpoint. */
export async function revokeToken(
  config: StandardConfig,
  token: string,
  hint: 'access_token' | 'refresh_token' | undefined,
  out: Outbound,
): Promise<void> {
  const as = await authorizationServer(config, out);
  if (!as.revocation_endpoint) {
    throw new ProviderError(
      400,
      'unsupported_token_type',
      `${config.label} has no revocation endpoint configured or discovered.`,
      'refused',
    );
  }
  const [c, auth] = client(config);
  const response = await send(out, config.label, (options) =>
    oauth.revocationRequest(as, c, auth, token, {
      ...options,
      ...insecure(as.revocation_endpoint),
      ...(hint ? { additionalParameters: { token_type_hint: hint } } : {}),
    }),
  );
  try {
    await oauth.processRevocationResponse(response);
  } catch (cause) {
    throw failure(config.label, cause);
  }
}

/** Whether the provider has a revocation endpoint (given, or in its discovered metadata). */
export async function canRevoke(config: StandardConfig, out: Outbound): Promise<boolean> {
  return Boolean((await authorizationServer(config, out)).revocation_endpoint);
}

/**
 * The token endpoint's answer checked by oauth4webapi (`process`); handed back as the provider
 * sent it, with the id_token's validated claims.
 */
async function processTokens(
  config: StandardConfig,
  response: Response,
  process: (
    checked: Response,
    /** An id_token to check came back (with, unverified yet, the nonce it claims). */
    idToken: { readonly nonce: string | undefined } | undefined,
  ) => Promise<oauth.TokenEndpointResponse>,
): Promise<Granted> {
  const text = await response.text();
  // without a known issuer an id_token cannot be checked: it stays out of the checks
  const checkIdToken = config.issuer !== undefined;
  const idToken = safeJson(text)?.['id_token'];
  const nonce = jwtClaims(typeof idToken === 'string' ? idToken : undefined)?.['nonce'];
  let result: oauth.TokenEndpointResponse;
  try {
    result = await process(
      forChecks(response, text, checkIdToken),
      checkIdToken && typeof idToken === 'string'
        ? { nonce: typeof nonce === 'string' ? nonce : undefined }
        : undefined,
    );
  } catch (cause) {
    throw failure(config.label, cause);
  }
  const sent = tokenResponseSchema.safeParse(safeJson(text));
  if (!sent.success) {
    throw new ProviderError(
      502,
      'server_error',
      `${config.label} answered something unexpected.`,
      'invalid_response',
    );
  }
  const claims = oauth.getValidatedIdTokenClaims(result);
  return { tokens: sent.data, claims: claims ? { ...claims } : undefined };
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The authorize endpoint: given, or discovered. */
export async function authorizeEndpoint(
  config: StandardConfig,
  out: Outbound,
): Promise<string | undefined> {
  return (await authorizationServer(config, out)).authorization_endpoint;
}

/** A nonce for an OpenID Connect request (oauth4webapi's generator). */
export function newNonce(): string {
  return oauth.generateRandomNonce();
}
