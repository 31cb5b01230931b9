// The demo partner's backend: the project's own `oauth-connect/server`, configured for the
// providers exactly as a partner would (../README.md, "The server half"), behind a session check.
//
//   POST /api/oauth          createExchangeHandler: the element's exchange-url (a code, a b.well
//                            status) and b.well's url-endpoint (getOauthUrl)
//   GET|POST /api/oauth/server  createServerFlow: mode="server" (start, the provider's redirect,
//                            the element's long-poll)
//   GET  /api/integrations/status?provider=…   the elements' status-url: { connected, name?,
//                            error?, updatedAt? } of this user's connection
//   POST /api/integrations/disconnect   the elements' disconnect-url: { provider } → forgotten
//   GET  /api/demo/state     this session's connections and "what your backend received"
//   POST /api/demo/reset     forgets them (connections and record alike)
//   POST /api/demo/clear     forgets the record only ("what your backend received"): the page's
//                            Clear; the connections stay
//   POST /api/demo/signin    { email, password }: the partner app's own sign-in (demo account)
//   POST /api/demo/signout   signs this session out: every other /api/ route answers 401 until
//                            the next sign-in (what a landing code meets before the sign-in)
//   POST /api/demo/break     { provider }: the connection reports an error, as an integration
//                            record would (Hint's integration_error_message)
//
// The server module is passed in (`server`): the demo loads ../src/server/index.ts through Vite,
// the tests load the built dist/server.js. What the backend receives and sends is kept per session,
// sanitized (no code, token or secret in full), for the page's panel.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { CALLBACK_PATH, KESTREL_USER, ROUTES } from './settings.mjs';

const SESSION_COOKIE = 'kestrel_session';
const DEMO_USER = KESTREL_USER.name;
/** What a broken connection reports (demo: POST /api/demo/break). */
const BROKEN = {
  hint: "Hint: the practice's integration was disabled by an admin (integration_error_message).",
  hcss: 'HCSS: the company removed Kestrel in the HCSS Marketplace.',
  healthtap: 'HealthTap: the member revoked access.',
  bwell: 'b.well: the connection needs the member to sign in again.',
};
const MAX_TRACES = 30;

/**
 * Makes the backend. `server`: the oauth-connect/server module; `settings`: demoSettings();
 * `origin`: the page's origin (its redirect URIs live there). Returns a Connect / node:http
 * middleware `(req, res, next)` that answers /api/* and gives page loads a session cookie.
 */
export function createDemoBackend({ server, settings, origin, fetch = globalThis.fetch }) {
  const { createExchangeHandler, createServerFlow, memoryStore, toNodeListener } = server;
  const users = new Map(); // session id → { connections, vault, received }
  const context = new AsyncLocalStorage();

  const sessionOf = (headers) => {
    const sid = /(?:^|;\s*)kestrel_session=([A-Za-z0-9_-]+)/.exec(
      headers.get?.('cookie') ?? headers.cookie ?? '',
    )?.[1];
    return sid && users.has(sid) ? sid : undefined;
  };
  const userOf = (request) => users.get(sessionOf(request.headers));

  /** Adds a line to the trace of the request being handled (see traced()). */
  const note = (kind, label, data) =>
    context.getStore()?.lines.push({ kind, label, ...(data === undefined ? {} : { data }) });

  /** The outbound fetch the server half uses for every provider call: recorded, sanitized. */
  const tracedFetch = async (url, init = {}) => {
    const headers = Object.fromEntries(new Headers(init.headers));
    note('out', `${init.method ?? 'GET'} ${url}`, {
      headers: sanitize(headers),
      body: sanitize(readOutbound(init.body, headers['content-type'])),
    });
    const response = await fetch(url, init);
    const text = await response.clone().text();
    note(
      'back',
      `${response.status} from ${providerName(url, settings)}`,
      sanitize(parseJson(text) ?? text.slice(0, 200)),
    );
    return response;
  };

  /** Keeps the tokens with the signed-in user; answers the page only what it needs. */
  const storeCredentials = ({ provider, tokens, details, body, request }) => {
    const user = userOf(request);
    if (!user) throw new Error('no session');
    const account = accountOf(provider, tokens, details, settings, body);
    user.vault[provider] = tokens; // server side only: never in an answer
    user.connections[provider] = { account, at: Date.now(), ...publicDetails(details) };
    note('store', `storeCredentials: kept the ${provider} connection with ${DEMO_USER}`, {
      tokens: tokens
        ? summarizeTokens(tokens)
        : '(b.well has no tokens: the status comes from the browser)',
      details: sanitize(details),
    });
    return { connected: true, account, ...publicDetails(details) };
  };

  const onError = (error) => {
    console.error('[demo backend]', error);
    note('error', 'onError', String(error?.message ?? error));
  };
  const callback = `${origin}${CALLBACK_PATH}`;
  const { hcss, healthtap, bwell, hint } = settings;

  const exchange = createExchangeHandler({
    providers: {
      hcss: {
        clientId: hcss.clientId,
        clientSecret: hcss.clientSecret,
        tokenUrl: hcss.tokenUrl,
        redirectUris: [callback],
      },
      healthtap: {
        clientId: healthtap.clientId,
        clientSecret: healthtap.clientSecret,
        tokenUrl: healthtap.tokenUrl,
        redirectUris: [callback],
      },
      hint: { apiKey: hint.apiKey, baseUrl: hint.baseUrl },
      bwell: {
        graphqlUrl: bwell.graphqlUrl,
        // the user's b.well token (from the session, never from the browser): the demo user has
        // one per b.well app registration — the hosted completion page (popup mode), or a custom
        // redirect URL (polling and redirect modes, `?completion=redirect`)
        userToken: (request) =>
          new URL(request.url).searchParams.get('completion') === 'redirect'
            ? bwell.redirectUserToken
            : bwell.userToken,
      },
    },
    storeCredentials,
    fetch: tracedFetch,
    onError,
  });

  const flow = createServerFlow({
    providers: {
      hcss: {
        clientId: hcss.clientId,
        clientSecret: hcss.clientSecret,
        tokenUrl: hcss.tokenUrl,
        authorizeUrl: hcss.authorizeUrl,
        scope: hcss.scope,
        redirectUris: [],
      },
      healthtap: {
        clientId: healthtap.clientId,
        clientSecret: healthtap.clientSecret,
        tokenUrl: healthtap.tokenUrl,
        authorizeUrl: healthtap.authorizeUrl,
        scope: healthtap.scope,
        redirectUris: [],
      },
    },
    redirectUri: `${origin}${ROUTES.server}`,
    store: memoryStore(),
    session: (request) => sessionOf(request.headers),
    storeCredentials,
    fetch: tracedFetch,
    onError,
  });

  /** Runs a fetch-style handler with its own trace: what came in, went out, came back, answered. */
  const traced = (handler) => async (request) => {
    const user = userOf(request);
    const url = new URL(request.url);
    const trace = { id: randomBytes(6).toString('hex'), at: Date.now(), lines: [] };
    const incoming = request.method === 'GET' ? undefined : parseJson(await request.clone().text());
    trace.title = titleOf(request.method, url, incoming);
    trace.lines.push({
      kind: 'in',
      label: `${request.method} ${sanitizeUrl(url.pathname + url.search)}`,
      ...(incoming === undefined ? {} : { data: sanitize(incoming) }),
    });
    const response = await context.run(trace, () => handler(request));
    const type = response.headers.get('content-type') ?? '';
    const text = await response.clone().text();
    const answer = type.includes('json') ? parseJson(text) : undefined;
    if (answer?.status === 'pending') return response; // a long-poll that timed out: nothing to see
    trace.lines.push({
      kind: 'answer',
      label: `answered ${response.status}${type.includes('html') ? ' (a page that closes the popup)' : ''}`,
      ...(answer === undefined ? {} : { data: sanitize(answer) }),
    });
    trace.status = response.status;
    if (user) {
      user.received.unshift(trace);
      user.received.length = Math.min(user.received.length, MAX_TRACES);
    }
    return response;
  };

  const exchangeListener = toNodeListener(traced(exchange));
  const flowListener = toNodeListener(traced(flow));

  const sendJson = (res, status, body, headers = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(JSON.stringify(body));
  };

  const newSession = (res) => {
    const sid = randomBytes(18).toString('base64url');
    users.set(sid, { signedIn: true, connections: {}, vault: {}, received: [] });
    res.setHeader('set-cookie', `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`);
    return sid;
  };
  const isJson = (req) => /json/.test(req.headers['content-type'] ?? '');
  const readJson = async (req) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return parseJson(text) ?? {};
  };

  return async function demoBackend(req, res, next) {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    let sid = sessionOf(req.headers);
    if (!path.startsWith('/api/')) {
      // "signed in": a first page load without a session gets one (a signed-in demo user)
      if (!sid && req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) {
        newSession(res);
      }
      return next?.();
    }
    // the partner app's own sign-in and sign-out (a JSON POST: no cross-site form can send it)
    if (path === ROUTES.signin && req.method === 'POST' && isJson(req)) {
      const { email, password } = await readJson(req);
      if (
        String(email ?? '').toLowerCase() !== KESTREL_USER.email ||
        password !== KESTREL_USER.password
      ) {
        return sendJson(res, 401, {
          error: 'invalid_credentials',
          error_description: 'Wrong email or password.',
        });
      }
      sid ??= newSession(res);
      users.get(sid).signedIn = true;
      return sendJson(res, 200, { user: DEMO_USER });
    }
    if (path === ROUTES.signout && req.method === 'POST' && isJson(req)) {
      if (sid) users.get(sid).signedIn = false;
      return sendJson(res, 200, { signedIn: false });
    }
    const user = sid ? users.get(sid) : undefined;
    if (path === ROUTES.state && req.method === 'GET' && user && !user.signedIn) {
      return sendJson(res, 200, { signedIn: false, user: null, connections: {}, received: [] });
    }
    if (!user?.signedIn) {
      return sendJson(res, 401, {
        error: 'unauthorized',
        error_description: 'Sign in to Kestrel first.',
      });
    }
    if (path === ROUTES.oauth) return exchangeListener(req, res);
    if (path === ROUTES.server) return flowListener(req, res);
    if (path === ROUTES.state && req.method === 'GET') {
      return sendJson(res, 200, {
        signedIn: true,
        user: DEMO_USER,
        connections: user.connections,
        received: user.received,
      });
    }
    if (path === ROUTES.status && req.method === 'GET') {
      // the element's status-url: what this user's connection looks like now
      const connection = user.connections[url.searchParams.get('provider') ?? ''];
      return sendJson(
        res,
        200,
        connection
          ? {
              connected: true,
              name: connection.account,
              updatedAt: new Date(connection.at).toISOString(),
              ...(connection.error ? { error: connection.error } : {}),
            }
          : { connected: false },
      );
    }
    if (path === ROUTES.disconnect && req.method === 'POST' && isJson(req)) {
      const { provider } = await readJson(req);
      const known = Object.hasOwn(user.connections, provider ?? '');
      delete user.connections[provider];
      delete user.vault[provider]; // a real backend would also revoke the tokens at the provider
      user.received.unshift({
        id: randomBytes(6).toString('hex'),
        at: Date.now(),
        title: `${NAMES[provider] ?? provider}: disconnect`,
        status: 200,
        lines: [
          { kind: 'in', label: `POST ${ROUTES.disconnect}`, data: { provider } },
          {
            kind: 'store',
            label: known ? `forgot the ${provider} connection and its tokens` : 'nothing to forget',
          },
          { kind: 'answer', label: 'answered 200', data: { disconnected: true } },
        ],
      });
      return sendJson(res, 200, { disconnected: true });
    }
    if (path === ROUTES.break && req.method === 'POST' && isJson(req)) {
      const { provider } = await readJson(req);
      const connection = user.connections[provider ?? ''];
      if (connection) connection.error = BROKEN[provider] ?? 'The connection reports an error.';
      return sendJson(res, connection ? 200 : 404, { broken: Boolean(connection) });
    }
    if (path === ROUTES.clear && req.method === 'POST' && isJson(req)) {
      user.received = [];
      return sendJson(res, 200, { cleared: true });
    }
    if (path === ROUTES.reset && req.method === 'POST' && isJson(req)) {
      user.connections = {};
      user.vault = {};
      user.received = [];
      return sendJson(res, 200, { reset: true });
    }
    return sendJson(res, 404, { error: 'not_found' });
  };
}

// ——— what a partner would show of a connection ———

const NAMES = { hcss: 'HCSS', healthtap: 'HealthTap', bwell: 'b.well', hint: 'Hint' };

/** A trace's title: who, and what the request was for. */
function titleOf(method, url, body) {
  if (url.pathname === ROUTES.server) {
    if (method === 'GET') {
      const what = url.searchParams.has('code') ? 'with a code' : 'with an error';
      return `server flow: the provider sent the user back, ${what}`;
    }
    if (body?.flow)
      return body.abandon
        ? 'server flow: the element gave up (Cancel)'
        : "server flow: the element's long-poll";
    return `server flow: ${NAMES[body?.provider] ?? body?.provider} start`;
  }
  const name = NAMES[body?.provider] ?? String(body?.provider ?? 'unknown');
  if (body?.code) return `${name}: the code, to redeem`;
  if (body?.status) return `${name}: the status, "${body.status}"`;
  if (body?.connectionId) return `${name}: url-endpoint (getOauthUrl)`;
  return `${name}: ${method} ${url.pathname}`;
}

function accountOf(provider, tokens, details, settings, body) {
  switch (provider) {
    case 'hcss': {
      const claims = jwtClaims(tokens?.id_token) ?? {};
      return typeof claims.name === 'string'
        ? claims.name
        : `HCSS company ${details.companyId ?? ''}`.trim();
    }
    case 'healthtap':
      return typeof tokens?.guid === 'string'
        ? `HealthTap member ${tokens.guid.slice(0, 8)}`
        : 'HealthTap member';
    case 'hint':
      return details.practice?.name ?? 'Hint practice';
    case 'bwell':
      return body.connectionId === settings.bwell.connectionId
        ? settings.bwell.connectionName
        : `b.well connection ${body.connectionId ?? ''}`.trim();
    default:
      return provider;
  }
}

/** What the page may see of a connection's details: ids and names, no token. */
function publicDetails(details) {
  const out = {};
  if (details.companyId) out.companyId = details.companyId;
  if (details.integrationId) out.integrationId = details.integrationId;
  if (details.connectionId) out.connectionId = details.connectionId;
  return out;
}

// ——— sanitizing: never a code, token or secret in full ———

const SECRET_KEYS = new Set([
  'code',
  'code_verifier',
  'codeverifier',
  'client_secret',
  'clientsecret',
  'access_token',
  'refresh_token',
  'id_token',
  'apikey',
  'authorization',
  'password',
  'usertoken',
]);
/** Secrets of this server's own: not even their first characters are shown. */
const OPAQUE_KEYS = new Set([
  'client_secret',
  'clientsecret',
  'code_verifier',
  'codeverifier',
  'apikey',
  'authorization',
  'password',
  'usertoken',
]);
const SHORTENED_KEYS = new Set(['state', 'flow', 'code_challenge', 'session']);
/** Claims too dull to show. */
const QUIET_CLAIMS = new Set(['iat', 'nbf', 'auth_time', 'idp', 'jti']);

/**
 * A code or token: `abcd…(redacted)`, enough to tell two apart, not enough to use; a secret:
 * `(redacted)`; an Authorization header: its scheme only.
 */
export function redact(value, key = '') {
  const text = String(value);
  if (/^(Basic|Bearer)\s/i.test(text)) return `${text.split(/\s/)[0]} (redacted)`;
  if (OPAQUE_KEYS.has(key.toLowerCase())) return '(redacted)';
  return text.length > 12 ? `${text.slice(0, 4)}…(redacted)` : '(redacted)';
}

/** A JWT's claims, the dull ones left out. */
function shownClaims(token) {
  const claims = jwtClaims(token);
  if (!claims) return undefined;
  return Object.fromEntries(Object.entries(claims).filter(([k]) => !QUIET_CLAIMS.has(k)));
}

/** A copy of `value` with every secret redacted; JWTs show their (non-secret) claims. */
export function sanitize(value, key = '') {
  if (Array.isArray(value)) return value.map((v) => sanitize(v));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = sanitize(v, k);
      const claims =
        SECRET_KEYS.has(k.toLowerCase()) && typeof v === 'string' ? shownClaims(v) : undefined;
      if (claims) out[`${k} (JWT claims)`] = claims;
    }
    return out;
  }
  if (typeof value !== 'string') return value;
  const lower = key.toLowerCase();
  if (SECRET_KEYS.has(lower)) return redact(value, lower);
  if (SHORTENED_KEYS.has(lower)) return value.length > 10 ? `${value.slice(0, 6)}…` : value;
  if (lower === 'query') return value.replace(/\s+/g, ' ').trim();
  if (/^https?:\/\//.test(value) || value.startsWith('/')) return sanitizeUrl(value);
  return value;
}

/** A URL with the secrets in its query redacted (a code in a redirect, a state shortened). */
export function sanitizeUrl(url) {
  const [base, query] = url.split('?');
  if (!query) return url;
  const params = new URLSearchParams(query);
  const shown = [...params].map(([k, v]) => `${k}=${sanitize(v, k)}`).join('&');
  return `${base}?${shown}`;
}

/** What storeCredentials kept: which tokens (not what they are), and their lifetimes. */
function summarizeTokens(tokens) {
  const kept = Object.keys(tokens).filter((k) => SECRET_KEYS.has(k.toLowerCase()) && tokens[k]);
  const out = { 'kept server side': kept };
  for (const key of ['token_type', 'expires_in', 'refresh_token_expires_in', 'scope', 'status']) {
    if (tokens[key] !== undefined) out[key] = tokens[key];
  }
  return out;
}

function jwtClaims(token) {
  const part = typeof token === 'string' ? token.split('.') : [];
  if (part.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readOutbound(body, type = '') {
  if (body instanceof URLSearchParams) return Object.fromEntries(body);
  if (typeof body !== 'string') return body === undefined ? undefined : '(binary)';
  if (/urlencoded/.test(type)) return Object.fromEntries(new URLSearchParams(body));
  return parseJson(body) ?? body;
}

function providerName(url, settings) {
  const origin = new URL(url).origin;
  if (settings.hcss.tokenUrl.startsWith(origin)) return 'HCSS';
  if (settings.healthtap.tokenUrl.startsWith(origin)) return 'HealthTap';
  if (settings.bwell.graphqlUrl.startsWith(origin)) return 'b.well';
  if (settings.hint.baseUrl.startsWith(origin)) return 'Hint';
  return origin;
}
