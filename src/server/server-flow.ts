/**
 * `createServerFlow`: the server-completed flow (the element's `mode="server"`), a completion that
 * needs no browser channel at all. The provider redirects to a route of this handler, not to a
 * page of the app: the server checks `state`, redeems the code at once (the code never reaches page
 * script), keeps the sanitized result for the flow, and serves a page that closes itself. The
 * element learns the outcome by long-polling this handler with its flow id — so Cross-Origin-
 * Opener-Policy, storage partitioning (an element in a cross-site iframe) and webviews that open
 * tabs cannot lose it.
 *
 * One handler, mounted at one path (your `url-endpoint`, and your registered `redirect_uri`):
 * - `POST { provider }` → `{ url, flow }`: a fresh `state` and PKCE pair, kept in the store and
 *   counted against the user (the user's oldest flow gives way past `maxPendingPerUser`; a full
 *   store is 503 with `Retry-After`), and the flow cookie (flow-cookie.ts) for this browser;
 * - `GET ?code&state` (or `?error&state`): the provider's redirect — taken once, in the browser
 *   that holds the flow's cookie, with the provider's `iss` if it sends one; refused otherwise;
 * - `POST { flow }` → the outcome, held up to `pollWindow` ms: `{ status: 'connected', result }`,
 *   `{ status: 'failed', failure, message, … }`, or `{ status: 'pending' }` (ask again);
 * - `POST { flow, abandon: true }`: the element gave up (Cancel): a later redirect is refused.
 *
 * The user is checked on the element's own requests (start, poll, abandon): a flow is read only by
 * the user who started it. The provider's redirect is bound to the browser instead, by the flow
 * cookie: it works whatever `SameSite` the partner's session cookie has.
 */
import { z } from 'zod';
import { buildAuthorizeUrl } from '../core/authorize-url.js';
import { createPkcePair } from '../core/pkce.js';
import { randomToken } from '../core/random.js';
import { createState, sameState } from '../core/state.js';
import { errorResponse, HttpError, json, readJsonPost } from './errors.js';
import {
  carriedCookieNames,
  carriesFlowCookie,
  clearFlowCookie,
  COOKIE_NAME,
  cookieSettings,
  mintFlowCookie,
  setFlowCookie,
} from './flow-cookie.js';
import { stored, type ExchangeHandlerOptions } from './handler.js';
import { expectedIssuer, issuerRefusal, type IssuerCheck } from './issuer.js';
import { authorizeEndpoint, issuerRefusalOf, newNonce } from './oauth.js';
import {
  configError,
  countOption,
  delayOption,
  functionOption,
  urlOption,
  userId,
} from './options.js';
import { outbound } from './outbound.js';
import {
  AUTHORIZE,
  checkProviders,
  codeProviders,
  kindOf,
  notConfigured,
  redeemFor,
  standardConfig,
  type CodeProviderName,
  type GenericName,
  type GenericProvider,
  type HcssProvider,
  type HealthtapProvider,
  type ServerProviders,
} from './providers.js';
import { memoryStore, StoreFullError, type FlowStore } from './store.js';

/** What `session(request)` answers: the signed-in user's stable id, or nothing. */
export type SessionUser = string | number | null | undefined;

/** A provider's options for the server flow: `redirectUris` is not needed (see `redirectUri`). */
export type ServerFlowProvider<T> = Omit<T, 'redirectUris'> & {
  /** Not read here: this handler's own `redirectUri` is the one redirect URI. */
  readonly redirectUris?: readonly string[] | undefined;
};

/**
 * The providers with a code to redeem, as `createServerFlow` takes them: the same options as
 * `createExchangeHandler`'s (the same object will do: hint and bwell are not used here), without
 * `redirectUris`.
 */
export interface ServerFlowProviders {
  readonly generic?: ServerFlowProvider<GenericProvider>;
  readonly hcss?: ServerFlowProvider<HcssProvider>;
  readonly healthtap?: ServerFlowProvider<HealthtapProvider>;
  /** Several generic providers: `'generic:acme': { authorizeUrl, tokenUrl, clientId, … }`. */
  readonly [named: `generic:${string}`]: ServerFlowProvider<GenericProvider> | undefined;
}

export interface ServerFlowOptions extends Pick<ExchangeHandlerOptions, 'storeCredentials'> {
  /**
   * generic and generic:<name> (each with `authorizeUrl`, or an `issuer` to discover it), hcss,
   * healthtap: the providers with a code to redeem. No `redirectUris`: `redirectUri` is the one.
   */
  readonly providers: ServerFlowProviders;
  /**
   * This handler's own URL, registered at each provider as the redirect URI (the providers'
   * `redirectUris` are not needed here). An absolute https URL (http only on localhost,
   * 127.0.0.1 or [::1]), without fragment.
   */
  readonly redirectUri: string;
  /** Where flows wait: `memoryStore()` (default, one process) or `redisStore(…)` (several). */
  readonly store?: FlowStore;
  /**
   * Who the signed-in user is, as a stable id — from whatever the element sends on its own
   * requests (start, result poll, abandon): your session cookie, whatever its `SameSite`, or an
   * `exchangeHeaders` header where cookies are partitioned (a cross-site iframe). Required: a flow
   * is started and read only by one user. A request without a user (undefined, null, an empty
   * string, anything but a string or a number) is refused (401); a numeric id counts as its
   * decimal text. The provider's redirect is not asked: the flow cookie binds it to the browser
   * that started the flow (see `redirectBySession` for the exception).
   */
  readonly session: (request: Request) => SessionUser | Promise<SessionUser>;
  /**
   * Also accept a provider's redirect that lacks the flow's cookie when `session(request)` there
   * names the user who started the flow; default false. For an element in a cross-site iframe:
   * the flow cookie is third-party there (the browser refuses or partitions it), so its redirect
   * can only be told by your session cookie — which must then not be `SameSite=Strict`. A function
   * decides per flow, from the start request (e.g. true when your iframe's header names the user).
   * Weaker than the cookie: a browser someone planted their own session in (a login CSRF at your
   * sign-in) could then finish their flow with the victim's account at the provider.
   */
  readonly redirectBySession?: boolean | ((request: Request) => boolean | Promise<boolean>);
  /**
   * Flows one user holds at most (pending, or finished until they expire); default 5, an integer
   * ≥ 1. One more, and the user's oldest flow gives way: its redirect is then refused and its
   * element told `expired`. A user who starts flows and finishes none replaces only their own, so
   * cannot fill the store that everyone shares (OWASP API4:2023); the store's own cap
   * (`memoryStore({ maxFlows })`: 10000 flows, about 20 MB, by default) bounds all users together.
   */
  readonly maxPendingPerUser?: number;
  /** Sees what went wrong inside (a `storeCredentials` that threw, a store that failed). */
  readonly onError?: ((error: unknown, request: Request) => void) | undefined;
  /**
   * ms a flow may take, from start to its result being read; default 300000. Like `pollWindow`
   * and `providerTimeout`: a number ≥ 1 (anything else throws when the handler is made), clamped
   * to 2^31−1.
   */
  readonly timeout?: number;
  /** ms a result poll is held open before answering `pending`; default 20000. */
  readonly pollWindow?: number;
  /** ms before a call to a provider is abandoned; default 10000. */
  readonly providerTimeout?: number;
  readonly fetch?: ExchangeHandlerOptions['fetch'];
}

/** generic, generic:<name>, hcss, healthtap. */
const codeProviderName = z
  .string()
  .max(80)
  .refine((name) => {
    const kind = kindOf(name);
    return kind === 'generic' || kind === 'hcss' || kind === 'healthtap';
  }) as unknown as z.ZodType<CodeProviderName>;

/** A started flow, under its `state` until the provider's redirect takes it. */
const pendingSchema = z.object({
  flow: z.string(),
  provider: codeProviderName,
  verifier: z.string().optional(),
  /** The OpenID Connect nonce sent (a standard provider with a known issuer, scope `openid`). */
  nonce: z.string().optional(),
  session: z.string(),
  /** The flow cookie's name, and the SHA-256 of its value. */
  cookie: z.string().regex(COOKIE_NAME),
  binding: z.string(),
  /** Epoch ms the flow expires at: its result is kept until then. */
  deadline: z.number(),
  /** `redirectBySession` for this flow. */
  bySession: z.boolean(),
});
type Pending = z.infer<typeof pendingSchema>;

/** A started flow, under its id: whose it is, and how to end it. */
const ownerSchema = z.object({
  state: z.string(),
  session: z.string(),
  cookie: z.string().regex(COOKIE_NAME),
});
type Owner = z.infer<typeof ownerSchema>;

/** Parses an entry read back from the store (another instance may have written it). */
function entry<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A flow's outcome, kept for its owner until the flow expires (a dropped poll can ask again). */
const outcomeSchema = z.object({ session: z.string(), outcome: z.record(z.string(), z.unknown()) });
type Outcome = z.infer<typeof outcomeSchema>;

const NO_ISSUER: IssuerCheck = { issuer: undefined, required: false };

/** The likely cause when the flow's own user comes back without its cookie, and the fix. */
const NO_COOKIE =
  'This sign-in came back without the cookie its start set: is the element in a cross-site ' +
  'iframe, where the browser keeps that cookie apart? Then see redirectBySession on the server.';

const start = z.object({ provider: codeProviderName }).passthrough();
const poll = z
  .object({ flow: z.string().min(20).max(100), abandon: z.literal(true).optional() })
  .strict();

/** The page the provider redirects to: tells the user, and closes the window. */
const CLOSE_SCRIPT = 'window.close()';
const CLOSE_SCRIPT_HASH = 'sha256-jqxtvDkBbRAl9Hpqv68WdNOieepg8tJSYu1xIy7zT34=';

export function createServerFlow(
  options: ServerFlowOptions,
): (request: Request) => Promise<Response> {
  if (typeof options !== 'object' || options === null) {
    throw configError('createServerFlow needs { providers, redirectUri, session }.');
  }
  if (typeof options.session !== 'function') {
    throw configError('createServerFlow needs session(request).');
  }
  // the providers' redirectUris are not read: this route is the redirect URI
  checkProviders(options.providers as ServerProviders, 'flow', 'createServerFlow');
  const configured = codeProviders(options.providers as ServerProviders);
  if (configured.length === 0) {
    throw configError(
      'createServerFlow needs a provider with a code: generic, generic:<name>, hcss or healthtap.',
    );
  }
  // the provider returns the user there: without it, every flow would fail after the sign-in
  urlOption('redirectUri', options.redirectUri);
  if (options.redirectUri.includes('#')) {
    throw configError('redirectUri must not have a fragment (RFC 6749 §3.1.2).');
  }
  for (const { name, kind, config } of configured) {
    if (kind === 'generic' && !config.authorizeUrl && (config.tokenUrl || !config.issuer)) {
      throw configError(
        `${name}.authorizeUrl (or ${name}.issuer alone, to discover it) is required for createServerFlow.`,
      );
    }
  }
  functionOption('storeCredentials', options.storeCredentials);
  functionOption('onError', options.onError);
  functionOption('fetch', options.fetch);
  if (options.store !== undefined) {
    const methods = ['start', 'put', 'get', 'take', 'delete'] as const;
    if (methods.some((m) => typeof (options.store as Partial<FlowStore>)?.[m] !== 'function')) {
      throw configError('store must be a FlowStore: memoryStore(…) or redisStore(…).');
    }
  }
  const store = options.store ?? memoryStore();
  const maxPerUser = countOption('maxPendingPerUser', options.maxPendingPerUser, 5);
  const issuers = new Map<CodeProviderName, IssuerCheck>();
  for (const { name, kind, config } of configured) {
    issuers.set(name, expectedIssuer(kind, config, name));
  }
  const bySession = options.redirectBySession ?? false;
  if (typeof bySession !== 'boolean' && typeof bySession !== 'function') {
    throw configError('redirectBySession must be true, false or a function of the request.');
  }
  const timeout = delayOption('timeout', options.timeout, 300_000);
  const cookies = cookieSettings(options.redirectUri, timeout);
  const pollWindow = delayOption('pollWindow', options.pollWindow, 20_000);
  const out = outbound(
    options.fetch,
    delayOption('providerTimeout', options.providerTimeout, 10_000),
  );
  /** generic and hcss go through oauth4webapi (oauth.ts); healthtap is HealthTap's own. */
  const standard = (provider: Pending['provider']) => {
    if (provider === 'healthtap') return undefined;
    const config = options.providers[provider as GenericName | 'hcss'];
    return config && standardConfig(provider, { ...config, redirectUris: [options.redirectUri] });
  };
  /** Who is signed in (options.ts userId): undefined for nobody. */
  const userOf = async (request: Request) => userId(await options.session(request));
  const sessionOf = async (request: Request): Promise<string> => {
    const user = await userOf(request);
    if (!user) throw new HttpError(401, 'unauthorized', 'Sign in first.');
    return user;
  };

  async function begin(request: Request, provider: Pending['provider']): Promise<Response> {
    const config = options.providers[provider];
    if (!config) throw notConfigured(provider);
    const preset = AUTHORIZE[kindOf(provider) as 'generic' | 'hcss' | 'healthtap'];
    const std = standard(provider);
    // a generic provider given by its issuer alone: the authorize endpoint is discovered
    const authorizeUrl =
      config.authorizeUrl ?? preset.url ?? (std ? await authorizeEndpoint(std, out) : undefined);
    if (!authorizeUrl) {
      throw new HttpError(500, 'server_error', `${provider} needs an authorizeUrl here.`);
    }
    const session = await sessionOf(request);
    const state = createState();
    const flow = randomToken(32);
    const pkce = preset.pkce ? await createPkcePair() : undefined;
    // OpenID Connect: a nonce binds the id_token to this flow, where it can be checked (an issuer)
    const openid = config.scope?.split(/\s+/).includes('openid') === true;
    const nonce = std?.issuer !== undefined && openid ? newNonce() : undefined;
    const cookie = await mintFlowCookie(cookies);
    const pending: Pending = {
      flow,
      provider,
      verifier: pkce?.codeVerifier,
      ...(nonce ? { nonce } : {}),
      session,
      cookie: cookie.name,
      binding: cookie.hash,
      deadline: Date.now() + timeout,
      bySession: typeof bySession === 'function' ? (await bySession(request)) === true : bySession,
    };
    const owner: Owner = { state, session, cookie: cookie.name };
    const gone = await store.start({
      user: session,
      entries: {
        [`pending:${state}`]: JSON.stringify(pending),
        [`owner:${flow}`]: JSON.stringify(owner),
      },
      // `cookie:<name>` is never written: it names the flow's cookie when the flow gives way
      keys: [`pending:${state}`, `owner:${flow}`, `result:${flow}`, `cookie:${cookie.name}`],
      ttlMs: timeout,
      maxPerUser,
    });
    const url = buildAuthorizeUrl({
      authorizeUrl,
      clientId: config.clientId,
      redirectUri: options.redirectUri,
      scope: config.scope,
      state,
      codeChallenge: pkce?.codeChallenge,
      extraParams: nonce ? { nonce } : undefined,
    });
    const response = json(200, { url, flow });
    response.headers.append('set-cookie', setFlowCookie(cookies, cookie));
    // the flows of this browser that gave way to this one: their cookies go too (a user pressing
    // Connect again and again would otherwise pile them up until requests are too large)
    const carried = carriedCookieNames(request);
    for (const key of gone ?? []) {
      const name = key.startsWith('cookie:') ? key.slice('cookie:'.length) : '';
      if (COOKIE_NAME.test(name) && carried.has(name)) {
        response.headers.append('set-cookie', clearFlowCookie(cookies, name));
      }
    }
    return response;
  }

  /**
   * The provider's redirect: the pending flow of this `state` is taken once, in the browser that
   * holds its cookie (or, where the flow allows it, `redirectBySession`, with its user's session),
   * or refused. Its cookie is cleared either way.
   */
  async function callback(request: Request, query: URLSearchParams): Promise<Response> {
    const state = query.get('state');
    const pending = entry(pendingSchema, state ? await store.take(`pending:${state}`) : undefined);
    if (!pending) return page(400, 'This sign-in link is no longer valid.');
    const clear = clearFlowCookie(cookies, pending.cookie);
    /**
     * Keeps the outcome for the flow's element — only while the flow still counts (its owner
     * entry lives): a flow that gave way or was abandoned meanwhile gets none (its element is
     * told `expired`), so no result outlives its flow's count. A store that cannot keep it
     * (full) ends the flow instead: its owner entry goes, and its element is told.
     */
    const keep = async (outcome: Record<string, unknown>) => {
      try {
        await store.put(
          `result:${pending.flow}`,
          JSON.stringify({ session: pending.session, outcome } satisfies Outcome),
          // kept until the flow expires (a second more, for clocks that differ between instances)
          Math.max(1000, pending.deadline - Date.now()),
          `owner:${pending.flow}`,
        );
      } catch (error) {
        await store.delete(`owner:${pending.flow}`).catch(() => undefined);
        if (error instanceof StoreFullError) throw new UnkeptError(error, clear);
        throw error;
      }
    };
    if (!(await carriesFlowCookie(request, pending.cookie, pending.binding))) {
      const user = await userOf(request);
      const sameUser = user !== undefined && sameState(pending.session, user);
      if (!(pending.bySession && sameUser)) {
        // another browser: a sign-in link someone made another person open (login CSRF),
        // refused; the flow's own element is told, so it does not wait out its timeout
        await keep(
          failed(
            'unauthorized',
            sameUser ? NO_COOKIE : 'This sign-in was finished in another browser.',
          ),
        );
        if (sameUser) options.onError?.(new Error(`oauth-connect/server: ${NO_COOKIE}`), request);
        return page(403, 'This sign-in belongs to another browser.', clear);
      }
    }
    const check = issuers.get(pending.provider) ?? NO_ISSUER;
    const std = standard(pending.provider);
    let refusal: string | undefined;
    try {
      // generic and hcss: by oauth4webapi (with a discovered provider's own metadata flag)
      refusal =
        std && check.issuer !== undefined
          ? await issuerRefusalOf(
              std,
              { issuer: check.issuer, required: check.required },
              out,
              query,
            )
          : issuerRefusal(check, query);
    } catch (cause) {
      const e = cause instanceof HttpError ? cause : undefined;
      if (!e) options.onError?.(cause, request);
      await keep(
        failed(
          'exchange_failed',
          e?.description ?? 'The connection could not be completed.',
          e?.error ?? 'server_error',
        ),
      );
      return page(502, 'The connection did not complete. You can close this window.', clear);
    }
    if (refusal) {
      // a mix-up (RFC 9207): the code is not sent anywhere
      await keep(failed('unauthorized', refusal));
      return page(400, 'The connection did not complete. You can close this window.', clear);
    }
    const error = query.get('error');
    const code = query.get('code');
    let outcome: Record<string, unknown>;
    if (error || !code) {
      outcome = failed(
        error === 'access_denied' ? 'cancelled' : 'error',
        query.get('error_description')?.slice(0, 500) ||
          (error === 'access_denied' ? 'Access was denied.' : 'The provider reported an error.'),
        errorCode(error),
      );
    } else {
      try {
        const body = {
          provider: pending.provider,
          code,
          codeVerifier: pending.verifier,
          redirectUri: options.redirectUri,
          nonce: pending.nonce,
          // checked above; passed on, as the element does, for redeemFor's own check
          ...(query.has('iss') ? { iss: query.get('iss') ?? undefined } : {}),
        };
        const redeemed = await redeemFor(
          { [pending.provider]: registered(options, pending.provider) } as ServerProviders,
          body,
          out,
        );
        const result = await stored(
          options,
          pending.provider,
          redeemed,
          { provider: pending.provider },
          request,
        );
        outcome = { status: 'connected', result };
      } catch (cause) {
        if (!(cause instanceof HttpError)) options.onError?.(cause, request);
        const e = cause instanceof HttpError ? cause : undefined;
        outcome = failed(
          'exchange_failed',
          e?.description ?? 'The connection could not be stored.',
          e?.error ?? 'server_error',
        );
      }
    }
    await keep(outcome);
    return page(
      200,
      outcome['status'] === 'connected'
        ? 'Connected. You can close this window.'
        : 'The connection did not complete. You can close this window.',
      clear,
    );
  }

  /**
   * The element asks for its flow's outcome (held up to `pollWindow`), or gives it up. The outcome
   * stays readable by its owner until the flow expires: a poll that was cut off can ask again.
   */
  async function outcome(request: Request, flow: string, abandon: boolean): Promise<Response> {
    const user = await sessionOf(request);
    const mine = <T extends { session: string }>(kept: T | undefined) => {
      if (kept && !sameState(kept.session, user)) {
        throw new HttpError(403, 'access_denied', 'This flow belongs to another session.');
      }
      return kept;
    };
    const owner = mine(entry(ownerSchema, await store.get(`owner:${flow}`)));
    if (abandon) {
      if (owner) await store.delete(`pending:${owner.state}`);
      await store.delete(`owner:${flow}`);
      await store.delete(`result:${flow}`);
      const response = json(200, { status: 'abandoned' });
      if (owner) response.headers.append('set-cookie', clearFlowCookie(cookies, owner.cookie));
      return response;
    }
    const until = Date.now() + pollWindow;
    for (;;) {
      const kept = mine(entry(outcomeSchema, await store.get(`result:${flow}`)));
      if (kept) return json(200, kept.outcome);
      if (!owner) {
        return json(
          200,
          failed(
            'expired',
            'This connection is no longer in progress (it took too long, a newer one replaced ' +
              'it, or its result could not be kept); please start again.',
          ),
        );
      }
      if (Date.now() >= until || request.signal.aborted) return json(200, { status: 'pending' });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  return async (request) => {
    try {
      const url = new URL(request.url);
      if (request.method === 'GET') {
        return await callback(request, url.searchParams).catch((error: unknown) => {
          options.onError?.(error, request);
          const full = error instanceof UnkeptError ? error.cause : error;
          if (full instanceof StoreFullError) {
            // the store holds its cap: a busy page (503, Retry-After), not a server error
            const seconds = retryAfter(full, timeout);
            const busyPage = page(
              503,
              `Too many connections are in progress; please try again in ${seconds} s.`,
              error instanceof UnkeptError ? error.clear : undefined,
            );
            busyPage.headers.set('retry-after', String(seconds));
            return busyPage;
          }
          return page(500, 'The connection could not be completed. Please try again.');
        });
      }
      const data = await readJsonPost(request, 4096);
      const asPoll = poll.safeParse(data);
      if (asPoll.success)
        return await outcome(request, asPoll.data.flow, asPoll.data.abandon === true);
      const asStart = start.safeParse(data);
      if (asStart.success) return await begin(request, asStart.data.provider);
      throw new HttpError(400, 'invalid_request', 'Send { provider } or { flow }.');
    } catch (error) {
      if (error instanceof StoreFullError) return busy(error, timeout);
      if (!(error instanceof HttpError)) options.onError?.(error, request);
      return errorResponse(
        error instanceof HttpError
          ? error
          : new HttpError(500, 'server_error', 'Unexpected error.'),
      );
    }
  };
}

/**
 * The store holds its cap: 503, and `Retry-After` (seconds, RFC 9110 §10.2.3) until its oldest
 * flow expires — at least 1, at most the flow timeout.
 */
function busy(error: StoreFullError, timeout: number): Response {
  const seconds = retryAfter(error, timeout);
  const response = errorResponse(
    new HttpError(
      503,
      'temporarily_unavailable',
      `Too many connections are in progress; please try again in ${seconds} s.`,
    ),
  );
  response.headers.set('retry-after', String(seconds));
  return response;
}

function retryAfter(error: StoreFullError, timeout: number): number {
  const ms = Number.isFinite(error.retryAfterMs) ? error.retryAfterMs : timeout;
  return Math.min(Math.ceil(timeout / 1000), Math.max(1, Math.ceil(ms / 1000)));
}

/** The store could not keep a redirect's outcome (full): the flow was ended, its cookie goes. */
class UnkeptError extends Error {
  constructor(
    override readonly cause: StoreFullError,
    readonly clear: string,
  ) {
    super('oauth-connect/server: the flow store is full; the outcome could not be kept');
  }
}

/**
 * The redirect's `error`, as kept: an RFC 6749 §4.1.2.1 error code is short printable ASCII
 * without `"` or `\`; anything else (or longer than 64) is kept as `invalid_request`.
 */
function errorCode(error: string | null): string {
  return error && /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(error) ? error : 'invalid_request';
}

/** The provider config with the redirect URI this handler registered (its own URL). */
function registered(options: ServerFlowOptions, provider: CodeProviderName) {
  const config = options.providers[provider];
  return config && { ...config, redirectUris: [options.redirectUri] };
}

function failed(failure: string, message: string, error = failure): Record<string, unknown> {
  return { status: 'failed', failure, message, error };
}

/** A tiny page: the outcome in words, and a script (allowed by its hash alone) that closes it. */
function page(status: number, text: string, cookie?: string): Response {
  const html = `<!doctype html><meta charset="utf-8"><title>${text}</title><p>${text}</p><script>${CLOSE_SCRIPT}</script>`;
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; script-src '${CLOSE_SCRIPT_HASH}'`,
  });
  if (cookie) headers.append('set-cookie', cookie);
  return new Response(html, { status, headers });
}
