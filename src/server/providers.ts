/**
 * Each provider's token exchange, as its documentation shows it (`../shared/providers/`), as data
 * plus one function: what to send where, how the client authenticates, what comes back.
 */
import { NAMED_GENERIC, presetOf } from '../core/providers/types.js';
import { z } from 'zod';
import { HttpError } from './errors.js';
import { issuerRefusalOf, redeemCode, type StandardConfig } from './oauth.js';
import { configError, credentialOption, issuerOption, urlOption } from './options.js';
import { basicAuth, callProvider, type Outbound } from './outbound.js';
import { jwtClaims, tokenResponseSchema, type TokenResponse } from './tokens.js';

/** What the element sent to its `exchange-url` with a code (the browser checked `state`). */
export interface CodeBody {
  readonly provider: string;
  readonly code: string;
  readonly state?: string | undefined;
  readonly codeVerifier?: string | undefined;
  readonly redirectUri?: string | undefined;
  /** The nonce the server flow sent (OpenID Connect), checked against the id_token. */
  readonly nonce?: string | undefined;
  /**
   * The element's flow: the issuer the provider's answer named (RFC 9207 `iss`), as the element
   * read it. Checked against the provider's issuer where one is known (given, derived or
   * discovered) before the code is redeemed: the element may not know the issuer (a `generic`
   * provider configured by `issuer` alone here).
   */
  readonly iss?: string | undefined;
}

/** What a redemption hands to `storeCredentials`. */
export interface Redeemed {
  /** The provider's token response, validated (never sent to the browser by this handler). */
  readonly tokens?: TokenResponse | undefined;
  /**
   * What the provider's docs say to keep: HCSS `companyId`, Hint `integrationId` / `practice` …;
   * `claims`: the id_token's claims, validated (iss, aud, exp, iat, nonce where one was sent).
   */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * Any OAuth 2.0 / OpenID Connect provider with the authorization code grant (RFC 6749 §4.1.3,
 * RFC 7636 §4.5): its endpoints given (`tokenUrl`, …), or found from its `issuer` alone
 * (OpenID Connect Discovery, cached for an hour, each fetch with the handler's timeout).
 */
export interface GenericProvider {
  /** The token endpoint; without it, `issuer` is required and the endpoints are discovered. */
  readonly tokenUrl?: string | undefined;
  /** The revocation endpoint (RFC 7009), for `revoke` and Disconnect; discovered with `issuer`. */
  readonly revocationUrl?: string | undefined;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  /**
   * How the client authenticates at the token endpoint (RFC 6749 §2.3.1): default
   * `client_secret_basic` with a secret (OpenID Connect's default), `none` without one.
   */
  readonly clientAuth?: 'client_secret_post' | 'client_secret_basic' | 'none' | undefined;
  /** The only redirect URIs the browser may claim (each exactly as registered at the provider). */
  readonly redirectUris: readonly string[];
  /** The authorize endpoint, for the server-completed flow (`createServerFlow`). */
  readonly authorizeUrl?: string | undefined;
  /** Space-separated scopes, for the server-completed flow. */
  readonly scope?: string | undefined;
  /**
   * The authorization server's issuer identifier (RFC 8414 `issuer`). Alone (no `tokenUrl`), the
   * provider's endpoints are discovered from it (`<issuer>/.well-known/openid-configuration`, whose
   * `issuer` must be this one exactly). With it, an `id_token` that comes back is validated
   * (`iss`, `aud`, `exp`, `iat`, `nonce`) and its claims reach `storeCredentials` as
   * `details.claims`; without one, an id_token is passed on unverified. And the mix-up defence of
   * the server-completed flow ([RFC 9207](https://www.rfc-editor.org/rfc/rfc9207),
   * [RFC 9700 §4.4](https://www.rfc-editor.org/rfc/rfc9700#section-4.4)): an authorization
   * response that carries `iss` must carry this one, or the flow fails `unauthorized` and the code
   * is not redeemed. An absolute https URL (http only on localhost, 127.0.0.1 or [::1]), without
   * query or fragment; checked when the handler is made. HCSS derives it from `authorizeUrl`
   * (IdentityServer: the URL minus `/connect/authorize`, `https://api.hcssapps.com/identity` by
   * default); set it where yours is elsewhere.
   */
  readonly issuer?: string | undefined;
  /**
   * The provider always sends `iss` (its metadata says
   * `authorization_response_iss_parameter_supported`): an answer without one then fails
   * `unauthorized` too. Needs an issuer (`issuer`, or HCSS's derived one). Default false: a
   * missing `iss` is accepted — unless discovered metadata says the provider sends it.
   */
  readonly requireIss?: boolean | undefined;
}

/**
 * HCSS identity (an IdentityServer): the documented token URL, form-encoded, PKCE; keeps the
 * `CompanyId` claim. Its issuer follows from `authorizeUrl` (else `tokenUrl`, else HCSS's own).
 */
export type HcssProvider = GenericProvider;

/** HealthTap: basic auth with APP_ID:APP_SECRET and the JSON body its docs show. */
export interface HealthtapProvider {
  /** APP_ID */
  readonly clientId: string;
  /** APP_SECRET */
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly tokenUrl?: string | undefined;
  readonly authorizeUrl?: string | undefined;
  readonly scope?: string | undefined;
  /** As on {@link GenericProvider.issuer}: none is known for HealthTap. */
  readonly issuer?: string | undefined;
  /** As on {@link GenericProvider.requireIss}. */
  readonly requireIss?: boolean | undefined;
}

/** Hint InstantOn: `POST /api/oauth/tokens` with the partner's API key. */
export interface HintProvider {
  readonly apiKey: string;
  /** Default `https://api.hint.com`. */
  readonly baseUrl?: string | undefined;
}

const DEFAULT_URLS = {
  hcss: 'https://api.hcssapps.com/identity/connect/token',
  healthtap: 'https://api.healthtap.com/oauth/token',
  hint: 'https://api.hint.com',
} as const;

/**
 * The authorize endpoints the server-completed flow sends users to, whether PKCE is used, and
 * how the issuer follows from the authorize URL (IdentityServer: its URL minus this suffix).
 */
export const AUTHORIZE = {
  hcss: {
    url: 'https://api.hcssapps.com/identity/connect/authorize',
    pkce: true,
    issuerSuffix: '/connect/authorize',
  },
  healthtap: {
    url: 'https://developers.healthtap.com/oauth/authorize',
    pkce: false,
    issuerSuffix: undefined,
  },
  generic: { url: undefined, pkce: true, issuerSuffix: undefined },
} as const;

/**
 * The browser's `redirectUri` must be one the partner registered: a code is bound to the
 * redirect URI it was issued for (RFC 6749 §4.1.3), and an attacker must not choose where this
 * server says it was sent. Checked before any call to the provider.
 */
export function registeredRedirect(body: CodeBody, allowed: readonly string[]): string {
  const uri = body.redirectUri;
  if (!uri || !allowed.includes(uri)) {
    throw new HttpError(400, 'invalid_request', 'redirectUri is not one of the registered ones.');
  }
  return uri;
}

/**
 * A further `generic` provider, by name: `generic:` and 1 to 64 of lowercase letters, digits,
 * `-` and `_`, starting with a letter or digit (`generic:acme`, `generic:epic-sandbox`). Each has
 * its own {@link GenericProvider} configuration; the browser names it in the `provider` field of
 * its requests (the element's `provider="generic:acme"`).
 */
export { NAMED_GENERIC }; // (one rule, the browser's too: core/providers/types.ts)

/** `generic`, or a named one ({@link NAMED_GENERIC}). */
export type GenericName = 'generic' | `generic:${string}`;

/** The providers a partner configured; see each type. */
export interface ServerProviders {
  readonly generic?: GenericProvider;
  readonly hcss?: HcssProvider;
  readonly healthtap?: HealthtapProvider;
  readonly hint?: HintProvider;
  readonly bwell?: import('./bwell.js').BwellProvider;
  /** Several generic providers in one handler: `'generic:acme': { tokenUrl, clientId, … }`. */
  readonly [named: `generic:${string}`]: GenericProvider | undefined;
}

export type ProviderName = keyof ServerProviders;

/** Which preset a configured name follows: a named generic is a `generic`. */
export type ProviderKind = 'generic' | 'hcss' | 'healthtap' | 'hint' | 'bwell';

/** The preset of a provider name, or undefined for a name that is none. */
export function kindOf(name: string): ProviderKind | undefined {
  return presetOf(name);
}

/** A provider name as the browser may send it (`generic:acme` included), for the body schemas. */
export const providerNameSchema = z
  .string()
  .max(80)
  .refine((name) => kindOf(name) !== undefined) as unknown as z.ZodType<ProviderName>;

/** The providers with a code to redeem: every generic (named or not), hcss, healthtap. */
export type CodeProviderName = GenericName | 'hcss' | 'healthtap';

/** The code providers configured, in order, with the preset each follows. */
export function codeProviders(providers: ServerProviders): {
  readonly name: CodeProviderName;
  readonly kind: 'generic' | 'hcss' | 'healthtap';
  readonly config: GenericProvider | HealthtapProvider;
}[] {
  const found = [];
  for (const [name, config] of Object.entries(providers)) {
    const kind = kindOf(name);
    if (!config || (kind !== 'generic' && kind !== 'hcss' && kind !== 'healthtap')) continue;
    found.push({ name: name as CodeProviderName, kind, config: config as GenericProvider });
  }
  return found;
}

/**
 * What the options are for: `exchange` (createExchangeHandler: each code provider's `redirectUris`
 * lists where the browser's codes may have been sent), `flow` (createServerFlow: its own route is
 * the redirect URI, `redirectUris` is not needed and not read), `tokens` (createTokenClient,
 * createDisconnectHandler: no code is redeemed, `redirectUris` is not read).
 */
export type ProvidersUse = 'exchange' | 'flow' | 'tokens';

/**
 * Checks a partner's configuration once, when the handler is made, so a mistake fails at start-up
 * with a clear message naming the option instead of at a user's first connection: an unknown
 * provider name; a missing, mistyped or placeholder credential (options.ts `isPlaceholder`); an
 * endpoint that is not an absolute https URL (http only on loopback); an unknown `clientAuth`; a
 * missing `tokenUrl` (or `issuer`); for the exchange handler, an empty `redirectUris`.
 */
export function checkProviders(
  providers: ServerProviders,
  use: ProvidersUse,
  who = 'createExchangeHandler',
): void {
  const fail = (message: string): never => {
    throw configError(message);
  };
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
    fail(`${who} needs providers: { hcss: { … }, … } (got ${JSON.stringify(providers)}).`);
  }
  const names = Object.keys(providers);
  for (const name of names) {
    if (kindOf(name) === undefined) {
      fail(
        `providers.${name} is not a provider: use generic, generic:<name> (lowercase letters, ` +
          'digits, - and _), hcss, healthtap, hint or bwell.',
      );
    }
  }
  if (use !== 'flow' && !names.some((name) => providers[name as ProviderName])) {
    fail(`${who} needs at least one provider in providers.`);
  }
  for (const { name, config } of codeProviders(providers)) {
    if (typeof config !== 'object') fail(`providers.${name} must be an object.`);
    credentialOption(`${name}.clientId`, config.clientId);
    const auth = 'clientAuth' in config ? config.clientAuth : undefined;
    if (auth !== undefined && !CLIENT_AUTH.includes(auth)) {
      // a misspelt method would send the token request without the client's authentication
      fail(`${name}.clientAuth must be one of: ${CLIENT_AUTH.join(', ')}.`);
    }
    if ((auth === 'client_secret_basic' || auth === 'client_secret_post') && !config.clientSecret) {
      fail(`${name}.clientAuth ${auth} needs a clientSecret.`);
    }
    if (name === 'healthtap' && !config.clientSecret) {
      fail('healthtap.clientSecret (APP_SECRET) is required.');
    }
    if (config.clientSecret !== undefined) {
      credentialOption(`${name}.clientSecret`, config.clientSecret, true);
    }
    if (config.tokenUrl !== undefined) urlOption(`${name}.tokenUrl`, config.tokenUrl);
    if ('revocationUrl' in config && config.revocationUrl !== undefined) {
      urlOption(`${name}.revocationUrl`, config.revocationUrl);
    }
    if (config.authorizeUrl !== undefined) urlOption(`${name}.authorizeUrl`, config.authorizeUrl);
    if (config.scope !== undefined && typeof config.scope !== 'string') {
      fail(`${name}.scope must be a space-separated string.`);
    }
    if (config.issuer !== undefined) issuerOption(`${name}.issuer`, config.issuer);
    if (config.requireIss !== undefined && typeof config.requireIss !== 'boolean') {
      fail(`${name}.requireIss must be true or false.`);
    }
    if (kindOf(name) === 'generic' && !config.tokenUrl && !config.issuer) {
      fail(`${name}.tokenUrl (or ${name}.issuer, to discover it) is required.`);
    }
  }
  if (providers.hint) {
    credentialOption('hint.apiKey', providers.hint.apiKey, true);
    if (providers.hint.baseUrl !== undefined) urlOption('hint.baseUrl', providers.hint.baseUrl);
  }
  if (
    providers.bwell &&
    (!providers.bwell.graphqlUrl || typeof providers.bwell.userToken !== 'function')
  ) {
    fail('bwell needs graphqlUrl and userToken(request).');
  }
  if (providers.bwell) urlOption('bwell.graphqlUrl', providers.bwell.graphqlUrl);
  // last: a list that is wrong matters only once the rest is right
  for (const { name, config } of codeProviders(providers)) {
    const uris: unknown = config.redirectUris;
    if (use === 'flow' || (use === 'tokens' && uris === undefined)) continue;
    if (!Array.isArray(uris)) fail(`${name}.redirectUris must be a list of URLs.`);
    const list = uris as unknown[];
    if (use === 'exchange' && list.length === 0) {
      fail(
        `${name}.redirectUris is empty, so every exchange would be refused: list your ` +
          "callback page's URL, exactly as registered at the provider (createServerFlow needs none).",
      );
    }
    list.forEach((uri, i) => {
      urlOption(`${name}.redirectUris[${i}]`, uri);
      if ((uri as string).includes('#')) {
        fail(`${name}.redirectUris[${i}] must not have a fragment (RFC 6749 §3.1.2).`);
      }
    });
  }
}

const CLIENT_AUTH: readonly string[] = ['client_secret_basic', 'client_secret_post', 'none'];

export function notConfigured(provider: string): HttpError {
  return new HttpError(400, 'invalid_request', `${provider} is not configured here.`);
}

/** Redeems a code at the provider it came from, as that provider documents. */
export function redeemFor(
  providers: ServerProviders,
  body: CodeBody,
  out: Outbound,
): Promise<Redeemed> {
  const name = body.provider as ProviderName;
  switch (kindOf(name)) {
    case 'generic': {
      const config = providers[name as GenericName] as GenericProvider | undefined;
      if (!config) throw notConfigured(name);
      return redeemGeneric(config, body, out, name as GenericName);
    }
    case 'hcss':
      if (!providers.hcss) throw notConfigured('hcss');
      return redeemHcss(providers.hcss, body, out);
    case 'healthtap':
      if (!providers.healthtap) throw notConfigured('healthtap');
      return redeemHealthtap(providers.healthtap, body, out);
    case 'hint':
      if (!providers.hint) throw notConfigured('hint');
      return redeemHint(providers.hint, body, out);
    default:
      throw new HttpError(400, 'invalid_request', `${body.provider} has no code to redeem.`);
  }
}

/**
 * A standard provider as oauth.ts takes it: `generic` as given; HCSS with its documented token URL,
 * `client_secret_post` (IdentityServer: HCSS documents client_id in the form) and its issuer.
 */
export function standardConfig(
  name: GenericName | 'hcss',
  config: GenericProvider | HcssProvider,
): StandardConfig {
  if (name !== 'hcss') {
    return {
      label: name === 'generic' ? 'The provider' : `The provider ${name.slice('generic:'.length)}`,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      clientAuth: config.clientAuth ?? (config.clientSecret ? 'client_secret_basic' : 'none'),
      issuer: config.issuer,
      tokenUrl: config.tokenUrl,
      authorizeUrl: config.authorizeUrl,
      revocationUrl: config.revocationUrl,
      requireIss: config.requireIss,
    };
  }
  const tokenUrl = config.tokenUrl ?? DEFAULT_URLS.hcss;
  return {
    label: 'HCSS',
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    clientAuth: config.clientAuth ?? (config.clientSecret ? 'client_secret_post' : 'none'),
    issuer: config.issuer ?? hcssIssuer(config),
    tokenUrl,
    authorizeUrl: config.authorizeUrl ?? AUTHORIZE.hcss.url,
    revocationUrl: config.revocationUrl,
    requireIss: config.requireIss,
  };
}

/**
 * HCSS's issuer (IdentityServer: its base URL): from the authorize URL when given, else from the
 * token URL (`…/connect/token`), else HCSS's own. The token's `iss` is compared with it.
 */
function hcssIssuer(config: HcssProvider): string | undefined {
  const base = (url: string, suffix: string) => {
    const { origin, pathname } = new URL(url);
    return pathname.endsWith(suffix) ? origin + pathname.slice(0, -suffix.length) : undefined;
  };
  if (config.authorizeUrl) return base(config.authorizeUrl, AUTHORIZE.hcss.issuerSuffix);
  if (config.tokenUrl) return base(config.tokenUrl, '/connect/token');
  return base(AUTHORIZE.hcss.url, AUTHORIZE.hcss.issuerSuffix);
}

/**
 * RFC 6749 §4.1.3 through oauth4webapi, with the client's chosen authentication and the PKCE
 * verifier passed on; the id_token, when one comes back and the issuer is known, validated.
 */
export async function redeemGeneric(
  config: GenericProvider,
  body: CodeBody,
  out: Outbound,
  name: GenericName = 'generic',
): Promise<Redeemed> {
  return redeemStandard(standardConfig(name, config), body, config.redirectUris, out);
}

async function redeemStandard(
  config: StandardConfig,
  body: CodeBody,
  redirectUris: readonly string[],
  out: Outbound,
): Promise<Redeemed> {
  const redirectUri = registeredRedirect(body, redirectUris);
  // the mix-up defence (RFC 9207, RFC 9700 §4.4) before anything is sent: where this side knows
  // the issuer, a given iss must be it, and a missing one is refused where the provider is known
  // to send it (`requireIss`, or its discovered metadata's
  // `authorization_response_iss_parameter_supported`: issuerRefusalOf ORs the two). Else a code
  // of one provider, posted without iss under another's name, would go to that other's token
  // endpoint with its client authentication.
  const iss = new URLSearchParams(body.iss === undefined ? {} : { iss: body.iss });
  const refusal =
    config.issuer !== undefined
      ? await issuerRefusalOf(
          config,
          { issuer: config.issuer, required: config.requireIss === true },
          out,
          iss,
        )
      : config.requireIss === true && body.iss === undefined
        ? // no issuer to compare with, but told one is always sent: fail closed
          'The sign-in answer did not say which server sent it.'
        : undefined;
  if (refusal) {
    throw new HttpError(
      400,
      'invalid_request',
      `${refusal} (possible mix-up attack): nothing was redeemed.`,
    );
  }
  const { tokens, claims } = await redeemCode(
    config,
    { code: body.code, redirectUri, codeVerifier: body.codeVerifier, nonce: body.nonce },
    out,
  );
  return { tokens, details: claims ? { claims } : {} };
}

export async function redeemHcss(
  config: HcssProvider,
  body: CodeBody,
  out: Outbound,
): Promise<Redeemed> {
  const { tokens, details } = await redeemStandard(
    standardConfig('hcss', config),
    body,
    config.redirectUris,
    out,
  );
  // "This token will contain a CompanyId claim … store it and associate it with your user."
  const claims =
    jwtClaims(tokens?.access_token) ??
    (details['claims'] as Record<string, unknown> | undefined) ??
    jwtClaims(tokens?.id_token);
  const companyId = claims?.['CompanyId'] ?? claims?.['companyId'];
  const known = typeof companyId === 'string' || typeof companyId === 'number';
  return { tokens, details: { ...details, ...(known ? { companyId: String(companyId) } : {}) } };
}

export async function redeemHealthtap(
  config: HealthtapProvider,
  body: CodeBody,
  out: Outbound,
): Promise<Redeemed> {
  const redirectUri = registeredRedirect(body, config.redirectUris);
  const tokens = await callProvider(
    out,
    'HealthTap',
    config.tokenUrl ?? DEFAULT_URLS.healthtap,
    {
      headers: {
        authorization: basicAuth(config.clientId, config.clientSecret),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: body.code,
        client_id: config.clientId,
        redirect_uri: redirectUri,
      }),
    },
    tokenResponseSchema,
  );
  return { tokens, details: {} };
}

const hintAnswer = tokenResponseSchema.and(
  z.object({
    id: z.string().min(1),
    status: z.string(),
    practice: z.object({ id: z.string(), name: z.string().optional() }).passthrough(),
  }),
);

/** Hint InstantOn: the answer names the integration, its status and the practice. */
export async function redeemHint(
  config: HintProvider,
  body: CodeBody,
  out: Outbound,
): Promise<Redeemed> {
  const base = (config.baseUrl ?? DEFAULT_URLS.hint).replace(/\/+$/, '');
  const answer = await callProvider(
    out,
    'Hint',
    `${base}/api/oauth/tokens`,
    {
      headers: {
        authorization: `Bearer ${config.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ code: body.code }),
    },
    hintAnswer,
  );
  return {
    tokens: answer,
    details: { integrationId: answer.id, status: answer.status, practice: answer.practice },
  };
}
