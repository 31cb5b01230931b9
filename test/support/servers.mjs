// Test servers for web-test-runner:
// - two extra static origins (127.0.0.1:<port>): "provider" (mock OAuth providers, b.well pages,
//   a COOP route) and "stranger" (an origin no test ever allows);
// - a Koa middleware on the test page's own origin: the partner backend mock (/api/*).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { mockOAuth } from './mock-oauth.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript' };

function staticServer(rootDir) {
  const server = http.createServer(async (req, res) => {
    const { pathname, searchParams } = new URL(req.url, 'http://x');
    if (mockOAuth(req, res, pathname, searchParams)) return;
    // ?slow=<ms>: a provider page that is slow to answer (COOP then arrives late).
    const slow = Number(searchParams.get('slow') || 0);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Math.min(slow, 30000)));
    const file = path.join(rootDir, path.normalize(decodeURIComponent(pathname)));
    if (!file.startsWith(rootDir + path.sep)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      const headers = {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      };
      // A provider that isolates its consent page: the opener's handle reads `closed`.
      if (pathname.startsWith('/coop/')) headers['cross-origin-opener-policy'] = 'same-origin';
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return server;
}

/** The extra origins, once the plugin has started them (the server-flow middleware needs them). */
const origins = {};

export function originsPlugin({ root = 'test/fixtures/provider' } = {}) {
  const servers = [];
  return {
    name: 'oauth-connect-origins',
    async serverStart() {
      for (const name of ['provider', 'stranger']) {
        const server = staticServer(path.resolve(root));
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        origins[name] = `http://127.0.0.1:${server.address().port}`;
        servers.push(server);
      }
    },
    async serverStop() {
      for (const server of servers) {
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(() => resolve()));
      }
    },
    serve(context) {
      if (context.path === '/__origins') return { body: JSON.stringify(origins), type: 'json' };
    },
  };
}

/**
 * Pages of the test page's own origin served with `Cross-Origin-Opener-Policy: same-origin` when
 * asked (`?coop=1`): a partner callback page that severs its opener.
 */
export function coopMiddleware() {
  return async (ctx, next) => {
    await next();
    if (ctx.query.coop === '1') ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  };
}

/**
 * The partner backend mock: records every request per test id `t`, answers as told.
 *
 *   /api/exchange?respond=ok|500|400|once|text|array|401-until-signed-in
 *     401-until-signed-in: 401 (the user is not signed in to the partner app) until /api/signin
 *     was called with the same `t`
 *   /api/signin            signs test `t`'s user in
 *   /api/status?respond=connected|error|disconnected|bad-json|wrong-shape|500|live
 *     live: connected after an exchange of `t` answered ok, until a /api/disconnect
 *   /api/disconnect?respond=ok|500|empty
 *   ?delay=<ms> on any of them answers late (a hanging endpoint)
 */
export function backendMiddleware() {
  const log = new Map();
  const seenCodes = new Set();
  const signedIn = new Set();
  const linked = new Set(); // `t`s connected (live status)
  const readBody = (req) =>
    new Promise((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    const t = ctx.query.t ?? 'default';
    if (ctx.path === '/api/log') {
      ctx.type = 'json';
      ctx.body = JSON.stringify(log.get(t) ?? []);
      return;
    }
    const raw = await readBody(ctx.req);
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    const entries = log.get(t) ?? [];
    entries.push({
      path: ctx.path,
      method: ctx.method,
      body,
      contentType: ctx.get('content-type'),
      cookie: ctx.get('cookie'),
      csrf: ctx.get('x-csrf'),
    });
    log.set(t, entries);
    const respond = ctx.query.respond ?? 'ok';
    if (ctx.query.delay) await new Promise((r) => setTimeout(r, Number(ctx.query.delay)));
    if (ctx.path === '/api/url') {
      ctx.type = 'json';
      ctx.body = JSON.stringify(respond === 'bad' ? { nope: 1 } : { url: ctx.query.to });
      return;
    }
    const send = (status, value) => {
      ctx.status = status;
      ctx.type = 'json';
      ctx.body = JSON.stringify(value);
    };
    if (ctx.path === '/api/signin') return send(200, { signedIn: signedIn.add(t).has(t) });
    if (ctx.path === '/api/status') {
      const at = '2026-11-23T10:00:00Z';
      const statuses = {
        connected: { connected: true, name: "Joe's Practice", updatedAt: at },
        error: {
          connected: true,
          name: "Joe's Practice",
          error: 'Hint: the practice revoked access.',
        },
        disconnected: { connected: false },
        'wrong-shape': { connected: 'yes', name: "Joe's Practice" },
        live: linked.has(t) ? { connected: true, name: 'Acme Paving' } : { connected: false },
      };
      if (respond === '500') return send(500, { error: 'server_error' });
      if (respond === 'bad-json') {
        ctx.type = 'json';
        ctx.body = '{"connected": true, "name": "Joe';
        return;
      }
      return send(200, statuses[respond] ?? statuses.connected);
    }
    if (ctx.path === '/api/disconnect') {
      if (respond === '500') return send(500, { error_description: 'The provider is down.' });
      linked.delete(t);
      if (respond === 'empty') {
        ctx.status = 204;
        return;
      }
      return send(200, { disconnected: true });
    }
    if (respond === '401-until-signed-in' && !signedIn.has(t)) {
      return send(401, { error: 'unauthorized', error_description: 'Sign in first.' });
    }
    if (respond === '500') {
      ctx.status = 500;
      ctx.type = 'json';
      ctx.body = JSON.stringify({ error: 'server_error', message: 'Token endpoint unavailable' });
    } else if (respond === '400') {
      ctx.status = 400;
      ctx.type = 'json';
      ctx.body = JSON.stringify({ error: 'invalid_grant', error_description: 'Code already used' });
    } else if (respond === 'once' && seenCodes.has(body?.code)) {
      ctx.status = 400;
      ctx.type = 'json';
      ctx.body = JSON.stringify({ error: 'invalid_grant', error_description: 'Code already used' });
    } else if (respond === 'text') {
      ctx.type = 'text/html';
      ctx.body = '<html>oops</html>';
    } else if (respond === 'array') {
      ctx.type = 'json';
      ctx.body = '[1,2]';
    } else {
      if (typeof body?.code === 'string') seenCodes.add(body.code);
      linked.add(t);
      ctx.type = 'json';
      ctx.body = JSON.stringify({
        connected: true,
        provider: body?.provider,
        companyId: 'company-42',
        echo: body,
      });
    }
  };
}

/**
 * The server half's server-completed flow (`createServerFlow`, from the published build: `npm run
 * build` first), mounted at /api/server-flow on the test page's origin, against the mock provider
 * (test/support/mock-oauth.mjs). `?coop=1&delay=<ms>` in a test's authorize URL are passed on.
 */
export function serverFlowMiddleware() {
  let listener;
  /** What the server-flow route answered to each request carrying a code (GET /api/server-flow-log). */
  const answered = [];
  return async (ctx, next) => {
    if (ctx.path === '/api/server-flow-log') {
      ctx.type = 'json';
      ctx.body = JSON.stringify(answered);
      return;
    }
    if (!ctx.path.startsWith('/api/server-flow') && !ctx.path.startsWith('/api/exchange-handler')) {
      return next();
    }
    if (!listener) {
      const { createExchangeHandler, createServerFlow, memoryStore } =
        await import('../../dist/server.js');
      // the exchange handler, as a partner configures it, behind the element's exchange-url
      const exchange = createExchangeHandler({
        providers: {
          generic: {
            tokenUrl: `${origins.provider}/oauth/token`,
            clientId: 'server-client',
            clientSecret: 'server-secret',
            clientAuth: 'client_secret_post',
            redirectUris: [`${ctx.origin}/test/fixtures/callback.html`],
          },
        },
        storeCredentials: ({ tokens }) => ({
          connected: true,
          stored: Boolean(tokens?.access_token),
        }),
      });
      const store = memoryStore(); // shared, as instances behind a load balancer share Redis
      const redirectUri = `${ctx.origin}/api/server-flow`;
      const hcss = (query) => ({
        clientId: 'server-client',
        clientSecret: 'server-secret',
        scope: 'openid timecards:read',
        redirectUris: [redirectUri],
        authorizeUrl: `${origins.provider}/oauth/authorize${query}`,
        // (not an IdentityServer path: its issuer is given, as a partner with such a URL must)
        issuer: origins.provider,
        tokenUrl: `${origins.provider}/oauth/token`,
      });
      const variants = {
        plain: '?',
        coop: '?coop=1&delay=1500&',
        slow: '?coop=1&delay=3000&',
        deny: '?deny=1&',
      };
      const flows = new Map();
      const flowFor = (variant, tag) => {
        const key = `${variant}:${tag}`;
        if (!flows.has(key)) {
          flows.set(
            key,
            createServerFlow({
              providers: { hcss: hcss(`${variants[variant] ?? '?'}tag=${tag}`) },
              redirectUri,
              store,
              pollWindow: 2000,
              // the signed-in user: a first-party cookie, or (a cross-site iframe, where cookies
              // are partitioned) a header the element sends with exchangeHeaders
              session: (request) =>
                request.headers.get('x-test-user') ??
                /(?:^|; )test-user=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1],
              // the flow cookie a start in that iframe sets is third-party, and the browser
              // refuses it: the provider's redirect of such a flow is told by the session cookie
              redirectBySession: (request) => request.headers.has('x-test-user'),
              storeCredentials: ({ details }) => ({
                connected: true,
                companyId: details.companyId,
              }),
            }),
          );
        }
        return flows.get(key);
      };
      // one route; the element's url-endpoint query (?v=coop&tag=t1) picks the provider page it
      // starts with (and tags its codes in the provider's log); the provider's redirect (no query
      // of ours) is finished by any handler: they share the store
      listener = (request) => {
        const url = new URL(request.url);
        if (url.pathname.startsWith('/api/exchange-handler')) return exchange(request);
        const q = url.searchParams;
        return flowFor(q.get('v') ?? 'plain', q.get('tag') ?? 'none')(request);
      };
    }
    // Koa → fetch-style Request → Response → Koa
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const response = await listener(
      new Request(ctx.href, {
        method: ctx.method,
        headers: Object.entries(ctx.headers).flatMap(([k, v]) =>
          (Array.isArray(v) ? v : [v]).map((x) => [k, String(x)]),
        ),
        ...(ctx.method === 'GET' || ctx.method === 'HEAD' ? {} : { body }),
      }),
    );
    if (ctx.path === '/api/server-flow' && ctx.query.code) {
      answered.push({ code: ctx.query.code, status: response.status });
    }
    ctx.status = response.status;
    for (const [k, v] of response.headers) ctx.set(k, v);
    ctx.body = Buffer.from(await response.arrayBuffer());
  };
}

/**
 * `/__callback.js`: src/callback.ts bundled from source into one classic script (an IIFE defining
 * `OAuthConnectCallback`, as dist/callback.inline.js does), for the callback pages the tests open
 * in popups. A popup must not be loading a module graph when it is closed: WebKitGTK then can spin
 * the opener's web process for good (reproduced with a popup importing a one-line module, none of
 * this library's code), and the browser suite hangs. The module entries keep their own tests
 * (`?entry=dist`).
 */
export function callbackBundlePlugin() {
  return {
    name: 'oauth-connect-callback-bundle',
    async serve(context) {
      if (context.path !== '/__callback.js') return undefined;
      const result = await build({
        entryPoints: ['src/callback.ts'],
        bundle: true,
        format: 'iife',
        globalName: 'OAuthConnectCallback',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
      });
      return {
        body: result.outputFiles[0].text,
        type: 'js',
        headers: { 'cache-control': 'no-store' },
      };
    },
  };
}

/**
 * A code-split partner bundle whose runner chunk is still loading: a request with `?hold=<id>` is
 * answered only once `/__release?hold=<id>` was called (test/fixtures/split-app.html maps the
 * runner chunk to such a URL). Deterministic: no delay to guess under load.
 */
export function holdMiddleware() {
  const gates = new Map();
  const gate = (id) => {
    let entry = gates.get(id);
    if (!entry) {
      let open = () => undefined;
      const opened = new Promise((resolve) => (open = resolve));
      entry = { opened, open, asked: 0 };
      gates.set(id, entry);
    }
    return entry;
  };
  return async (ctx, next) => {
    if (ctx.path === '/__release' && ctx.query.hold) {
      gate(ctx.query.hold).open();
      ctx.body = 'released';
      return;
    }
    if (ctx.path === '/__held' && ctx.query.hold) {
      ctx.type = 'json';
      ctx.body = JSON.stringify({ asked: gate(ctx.query.hold).asked });
      return;
    }
    if (ctx.query.hold) {
      const entry = gate(ctx.query.hold);
      entry.asked += 1;
      await entry.opened;
    }
    return next();
  };
}
