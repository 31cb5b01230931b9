import { ConnectError, type FailureStatus } from './errors.js';
import type { FetchLike } from './exchange.js';
import { MODES, PROVIDER_IDS, presetOf, type Mode, type ProviderId } from './providers/types.js';
import { providers } from './providers/index.js';
import type { ProviderPreset } from './providers/types.js';
import { parseSafeUrl } from './url-safety.js';

/** Returns the URL to open, made per flow (e.g. by b.well's `getOauthUrl`). */
export type ResolveUrl = (context: { readonly signal: AbortSignal }) => Promise<string> | string;

/**
 * Options of `connect()` / `startFlow()`; the element's attributes map onto them one to one
 * (`client-id` → `clientId`). Each option is documented here, once: the element's manifest
 * (custom-elements.json), its editor data and the README's attribute table are made from it.
 */
export interface ConnectOptions {
  /**
   * `bwell`, `hcss`, `healthtap`, `hint` or `generic`.
   * @default 'generic'
   */
  provider?: ProviderId | undefined;
  /**
   * The provider's authorize endpoint (presets supply the documented one); without `client-id`,
   * the full URL to open — its `state` (and PKCE challenge) are replaced by fresh ones for every
   * flow.
   * @default the preset's
   */
  authorizeUrl?: string | undefined;
  /** The OAuth client id. */
  clientId?: string | undefined;
  /** Space-separated scopes. */
  scope?: string | undefined;
  /**
   * Where the provider sends the answer: `https:` (loopback `http:` excepted, RFC 6749 §3.1.2.1).
   * Its origin is the default of `allowed-origins`.
   */
  redirectUri?: string | undefined;
  /**
   * Your backend endpoint that receives the result — `POST { provider, code, state,
   * codeVerifier?, redirectUri, iss? }` (or b.well's status) — and answers JSON (README: Exchange).
   * @default none: `connected` carries the raw result
   */
  exchangeUrl?: string | undefined;
  /**
   * `same-origin`, `include` or `omit`: the credentials of the exchange (and status) requests.
   * @default 'same-origin'
   */
  exchangeCredentials?: RequestCredentials | undefined;
  /** Extra headers for the exchange request (e.g. your own CSRF header). */
  exchangeHeaders?: Readonly<Record<string, string>> | undefined;
  /**
   * Your backend endpoint, called `POST { provider, connectionId? }`, answering `{ "url": "…" }`
   * to open (b.well's `getOauthUrl` server side, or a backend that owns `state` and PKCE: a `state`
   * in that URL is the one expected back, and must be fresh for every flow). In `server` mode, the
   * `createServerFlow` route.
   */
  urlEndpoint?: string | undefined;
  /**
   * Replaces `url-endpoint`: returns the URL to open (e.g. b.well's `getOauthUrl`
   * from the client). It gets the flow's `signal`, aborted at the flow's deadline or on cancel
   * (pass it to your `fetch`).
   */
  resolveUrl?: ResolveUrl | undefined;
  /** The b.well connection id. */
  connectionId?: string | undefined;
  /**
   * `popup`, `polling` (webviews), `redirect`, `landing` (Hint InstantOn) or `server` (the server
   * half completes the flow) — README: Modes.
   * @default 'popup' ('landing' for hint)
   */
  mode?: Mode | undefined;
  /**
   * Space-separated origins whose messages count. Every message is also checked for its window
   * (`event.source`) and its `state` or per-flow key (RFC 6749 §10.12).
   * @default the origin of `redirect-uri`
   */
  allowedOrigins?: readonly string[] | string | undefined;
  /**
   * ms before the flow fails with `timeout` and its popup is closed. It covers everything the flow
   * waits for: the `url-endpoint` request, the user, and the exchange. Clamped to 2^31−1 ms
   * (~24.8 days, the longest a browser timer can wait).
   * @default 300000
   */
  timeout?: number | undefined;
  /**
   * ms between reads of the popup's URL: at least 10, at most the timeout.
   * @default 500
   */
  pollInterval?: number | undefined;
  /**
   * Popup width (at least 100), centred on the opener, never wider than the screen.
   * @default 500
   */
  popupWidth?: number | undefined;
  /**
   * Popup height (at least 100), never taller than the screen.
   * @default 600
   */
  popupHeight?: number | undefined;
  /**
   * `s256` or `off` (RFC 7636).
   * @default the preset's: 's256' for hcss and generic, 'off' for healthtap
   */
  pkce?: 's256' | 'off' | undefined;
  /**
   * When the popup is blocked: `redirect` continues as a full-page redirect, `none` fails with
   * `blocked`, `auto` redirects only inside an in-app browser or webview.
   * @default 'auto'
   */
  fallback?: 'redirect' | 'none' | 'auto' | undefined;
  /**
   * The issuer the provider names in `iss` (an `https:` URL, `http:` on loopback; compared
   * exactly): an answer naming another fails `unauthorized` and nothing is sent — the mix-up
   * defence of [RFC 9207](https://www.rfc-editor.org/rfc/rfc9207) (RFC 9700 §4.4).
   * @default the preset's (hcss: `authorize-url` minus `/connect/authorize`)
   */
  issuer?: string | undefined;
  /**
   * The provider always sends `iss` (its metadata's `authorization_response_iss_parameter_supported`):
   * an answer without one fails `unauthorized` too, or an attacker's provider could simply leave it
   * out ([RFC 9207 §2.4](https://www.rfc-editor.org/rfc/rfc9207#section-2.4)). Needs an issuer to
   * expect: `issuer`, or the preset's.
   * @default false
   */
  requireIss?: boolean | undefined;
  /** Extra authorization request parameters (never overriding the protocol's). */
  extraParams?: Readonly<Record<string, string>> | undefined;
  /**
   * Landing mode: the path the code must arrive on (e.g. `/signup`).
   * @default any
   */
  landingPath?: string | undefined;
  /** `connect()` only: an injected `fetch` (tests, or an instrumented client). */
  fetch?: FetchLike | undefined;
  /**
   * `connect()` only: each step of the flow, for your analytics — the element fires
   * `connect-progress` instead (README: Progress). Never a code, `state` or token.
   */
  onProgress?: ((progress: ConnectProgress) => void) | undefined;
}

/** A step of a flow (flow/types.ts has the list). */
export interface ConnectProgress {
  readonly phase:
    | 'opened'
    | 'blocked'
    | 'navigated'
    | 'severed'
    | 'offer-shown'
    | 'reopened'
    | 'answered'
    | 'exchanging'
    | 'connected'
    | 'failed';
  readonly flowId: string;
  readonly provider: ProviderId;
  readonly mode: Mode;
  readonly at: number;
  readonly status?: FailureStatus;
}

/** Every option an element property carries (all but `fetch` and `onProgress`). */
export const OPTION_KEYS = [
  'provider',
  'authorizeUrl',
  'clientId',
  'scope',
  'redirectUri',
  'exchangeUrl',
  'exchangeCredentials',
  'exchangeHeaders',
  'urlEndpoint',
  'resolveUrl',
  'connectionId',
  'mode',
  'allowedOrigins',
  'timeout',
  'pollInterval',
  'popupWidth',
  'popupHeight',
  'pkce',
  'fallback',
  'issuer',
  'requireIss',
  'extraParams',
  'landingPath',
] as const satisfies readonly Exclude<keyof ConnectOptions, 'fetch' | 'onProgress'>[];

/** Compile-time check: an option added to ConnectOptions must be added to OPTION_KEYS too. */
export type MissingOptionKeys = Exclude<
  keyof ConnectOptions,
  (typeof OPTION_KEYS)[number] | 'fetch' | 'onProgress'
>;
true satisfies [MissingOptionKeys] extends [never] ? true : never;

export interface ResolvedConfig {
  readonly preset: ProviderPreset;
  readonly provider: ProviderId;
  readonly mode: Mode;
  readonly authorizeUrl: string | undefined;
  /** True when the URL must be built from `authorizeUrl` + client id. */
  readonly buildUrl: boolean;
  readonly clientId: string | undefined;
  readonly scope: string | undefined;
  readonly redirectUri: string | undefined;
  readonly exchangeUrl: string | undefined;
  readonly exchangeCredentials: RequestCredentials;
  readonly exchangeHeaders: Readonly<Record<string, string>>;
  readonly urlEndpoint: string | undefined;
  readonly resolveUrl: ResolveUrl | undefined;
  readonly connectionId: string | undefined;
  readonly allowedOrigins: readonly string[];
  readonly timeout: number;
  readonly pollInterval: number;
  readonly popupWidth: number;
  readonly popupHeight: number;
  readonly pkce: boolean;
  readonly fallback: 'redirect' | 'none' | 'auto';
  /** The `issuer` option (else the preset's issuer applies: core/issuer). */
  readonly issuer: string | undefined;
  readonly requireIss: boolean;
  readonly extraParams: Readonly<Record<string, string>>;
  readonly landingPath: string | undefined;
}

/** The mode a flow runs in: the option, else the provider preset's (`landing` for Hint). */
export function modeOf(options: Pick<ConnectOptions, 'mode' | 'provider'>): Mode | undefined {
  const preset = presetOf(options.provider ?? 'generic');
  return options.mode ?? (preset && providers[preset].defaultMode);
}

/** The longest delay a browser timer honours (a longer one fires at once). */
export const MAX_DELAY_MS = 2 ** 31 - 1;

export const DEFAULTS = {
  timeout: 300_000,
  pollInterval: 500,
  popupWidth: 500,
  popupHeight: 600,
} as const;

function invalid(message: string): never {
  throw new ConnectError('invalid_config', message);
}

/** `value` if it is one of `allowed`, else `invalid_config` naming the option and its choices. */
function oneOf<T extends string>(name: string, value: T, allowed: readonly string[]): T {
  if (!allowed.includes(value)) invalid(`${name} must be one of: ${allowed.join(', ')}.`);
  return value;
}

/** A number option: below `min`, not a number or NaN is `invalid_config`; above `max` is clamped. */
function number(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    invalid(`${name} must be a number ≥ ${min}.`);
  }
  return Math.min(value, max);
}

function safeUrl(name: string, value: string | undefined, base: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const url = parseSafeUrl(value, base);
  if (!url) invalid(`${name} must be https: (http: on localhost): "${value}".`);
  return url.toString();
}

/**
 * An issuer identifier (RFC 8414 §2): an absolute `https:` URL (`http:` on loopback) with no query
 * or fragment, kept as written — it is compared exactly, and `new URL()` would add a `/`.
 */
function issuerOption(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const issuer = typeof value === 'string' ? value.trim() : '';
  if (!parseSafeUrl(issuer) || /[?#]/.test(issuer)) {
    invalid(`issuer must be an https: URL (http: on localhost), no query: "${String(value)}".`);
  }
  return issuer;
}

/** Normalises an origin list; each must be a bare https (or loopback http) origin. */
export function parseOrigins(value: readonly string[] | string | undefined): string[] {
  const list = typeof value === 'string' ? value.split(/[\s,]+/) : [...(value ?? [])];
  const origins: string[] = [];
  for (const raw of list.map((s) => s.trim()).filter(Boolean)) {
    const url = parseSafeUrl(raw);
    if (!url || url.origin === 'null' || url.origin !== raw.replace(/\/$/, '')) {
      invalid(`allowed-origins: "${raw}" is not an origin like https://example.com.`);
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return origins;
}

/**
 * Validates options before anything opens, fails closed with `invalid_config`, and fills in the
 * preset's defaults. `pageUrl` resolves relative endpoints. With `resume`, only what finishing a
 * returned flow needs is required (not something to open).
 */
export function resolveConfig(
  options: ConnectOptions,
  pageUrl: string,
  { resume = false }: { resume?: boolean } = {},
): ResolvedConfig {
  const provider = options.provider ?? 'generic';
  const presetId = presetOf(provider);
  if (!presetId) {
    invalid(
      `provider must be one of: ${PROVIDER_IDS.join(', ')}, or generic:<name> (a-z, 0-9, -, _).`,
    );
  }
  const preset = providers[presetId];
  const mode = oneOf('mode', modeOf(options) ?? preset.defaultMode, MODES);
  const pkceOption = oneOf('pkce', options.pkce ?? preset.pkce, ['s256', 'off']);
  const credentials = oneOf('exchange-credentials', options.exchangeCredentials ?? 'same-origin', [
    'same-origin',
    'include',
    'omit',
  ]);
  const fallback = oneOf('fallback', options.fallback || 'auto', ['redirect', 'none', 'auto']);

  const redirectUri = safeUrl('redirect-uri', options.redirectUri, pageUrl);
  const exchangeUrl = safeUrl('exchange-url', options.exchangeUrl, pageUrl);
  const urlEndpoint = safeUrl('url-endpoint', options.urlEndpoint, pageUrl);
  const explicitAuthorize = options.authorizeUrl ? options.authorizeUrl : undefined;
  const authorizeUrl = safeUrl('authorize-url', explicitAuthorize ?? preset.authorizeUrl, pageUrl);
  const clientId = options.clientId?.trim() || undefined;
  const resolveUrl = options.resolveUrl;
  if (resolveUrl !== undefined && typeof resolveUrl !== 'function') {
    invalid('resolveUrl must be a function.');
  }

  const explicitOrigins = parseOrigins(options.allowedOrigins);
  const allowedOrigins = explicitOrigins.length
    ? explicitOrigins
    : redirectUri
      ? [new URL(redirectUri).origin]
      : [];

  const timeout = number('timeout', options.timeout, DEFAULTS.timeout, 1, MAX_DELAY_MS);
  const pollInterval = number(
    'poll-interval',
    options.pollInterval,
    DEFAULTS.pollInterval,
    10,
    Math.max(10, timeout),
  );
  // The popup is clamped to the screen when it opens (the flow layer knows the screen).
  const popupWidth = number('popup-width', options.popupWidth, DEFAULTS.popupWidth, 100, 1e5);
  const popupHeight = number('popup-height', options.popupHeight, DEFAULTS.popupHeight, 100, 1e5);

  let buildUrl = false;
  if (!resume && mode !== 'landing' && !resolveUrl && !urlEndpoint) {
    if (!authorizeUrl) {
      invalid(`${preset.label} needs authorize-url, url-endpoint or resolveUrl: nothing to open.`);
    }
    if (preset.completion === 'code') {
      buildUrl = clientId !== undefined;
      // no client id anywhere: the provider would show an error page, and the flow wait for nothing
      if (!buildUrl && !new URL(authorizeUrl).searchParams.get('client_id')) {
        invalid(
          explicitAuthorize
            ? 'client-id is required: authorize-url carries no client_id either.'
            : 'client-id is required.',
        );
      }
      if (buildUrl && !redirectUri) invalid('redirect-uri is required with client-id.');
    }
  }
  if (!resume && mode === 'popup' && preset.completionOnProviderOrigin && !explicitOrigins.length) {
    invalid(
      `${preset.label} completes on its own origin (it differs by environment): set ` +
        'allowed-origins, or use mode="polling" with a custom redirect URL.',
    );
  }
  if (
    mode === 'server' &&
    (!urlEndpoint || resolveUrl || preset.completion !== 'code' || preset.defaultMode === 'landing')
  ) {
    invalid(
      'mode="server" needs url-endpoint (your createServerFlow route) and a code provider: generic, hcss or healthtap.',
    );
  }
  const issuer = issuerOption(options.issuer);
  const requireIss = options.requireIss ?? preset.requireIss;
  if (typeof requireIss !== 'boolean') invalid('require-iss must be true or false.');
  if (requireIss && !issuer && preset.issuer === undefined) {
    invalid('require-iss needs issuer: the issuer every answer must name.');
  }
  if (options.landingPath !== undefined && !options.landingPath.startsWith('/')) {
    invalid('landing-path must start with /.');
  }

  return {
    preset,
    provider,
    mode,
    authorizeUrl,
    buildUrl,
    clientId,
    scope: options.scope?.trim() || undefined,
    redirectUri,
    exchangeUrl,
    exchangeCredentials: credentials,
    exchangeHeaders: { ...options.exchangeHeaders },
    urlEndpoint,
    resolveUrl,
    connectionId: options.connectionId?.trim() || undefined,
    allowedOrigins,
    timeout,
    pollInterval,
    popupWidth,
    popupHeight,
    pkce: pkceOption === 's256' && preset.completion === 'code',
    // a server-completed flow ends at the server's route: it cannot continue as a redirect
    fallback: mode === 'server' ? 'none' : fallback,
    issuer,
    requireIss,
    extraParams: { ...options.extraParams },
    landingPath: options.landingPath,
  };
}
