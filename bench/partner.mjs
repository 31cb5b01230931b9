// What a browser really fetches from a partner page. The page is built as a partner's bundler ships
// it: an entry doing `import 'oauth-connect'` (resolved to the built package, dist/, through its
// package.json "exports", as size.mjs does) bundled by esbuild (ESM, minified, code splitting),
// its chunks written to a temp dir and served by a local server (127.0.0.1 only) that gzips each
// JS file (-9) and records what it sent. Headless Chromium loads the page, then runs one HCSS
// popup flow (mock provider on another loopback origin, the package's `oauth-connect/callback` as
// the callback page, a mock exchange answering 200), and we count the JS files the opener fetched
// (each once).
//
// Which source modules a fetched chunk holds: dist/ is Vite's build, one file per entry plus
// shared chunks whose names say little (dist/connect-*.js holds start-flow, url-answer,
// held-code, storage, ...), so the partner's metafile alone only names dist files. Vite writes
// source maps beside them, and esbuild follows those when it writes its own. So the partner build
// writes external maps (the served bytes are the same: no sourceMappingURL comment, nothing more
// is fetched), and a chunk's share per src/ module is read from them: what the partner actually
// ships, attributed to the modules it came from. (A build of src/ with esbuild, as
// attribution.mjs does, would measure another bundle than the one partners get.)
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/**
 * Source modules a popup flow must not fetch, by what they belong to (paths from the package root).
 * Only modules that belong to one of these alone: a module shared with the popup flow (ownership,
 * the schemas) cannot be judged per module. A listed module that no longer exists is reported.
 */
export const NOT_IN_A_POPUP_FLOW = {
  'redirect mode': ['src/flow/modes/redirect.ts'],
  // an answer in the page's own URL: a redirect return or a landing code
  'redirect / landing return': ['src/flow/url-answer.ts'],
  'landing mode': ['src/flow/modes/landing.ts'],
  // the spend-once items of a tab: the held landing code and the pending redirect flow
  'redirect / landing storage': ['src/flow/storage.ts'],
  'server mode': ['src/flow/modes/server.ts', 'src/core/server-result.ts'],
  'connection health': ['src/health-view.ts', 'src/flow/health.ts', 'src/core/health.ts'],
};

/** The partner's build: `entries` (name → source) bundled into `outdir`, with external maps. */
async function partnerBuild(app, entries, outdir) {
  const points = [];
  for (const [name, contents] of Object.entries(entries)) {
    writeFileSync(path.join(app, `${name}.js`), contents);
    points.push(path.join(app, `${name}.js`));
  }
  const result = await build({
    entryPoints: points,
    bundle: true,
    splitting: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outdir,
    absWorkingDir: app,
    write: true,
    metafile: true,
    sourcemap: 'external',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return result.metafile;
}

const BASE64 = Object.fromEntries(
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]),
);

/** A source map's `mappings`: per generated line, its segments' [column, source index or -1]. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = BASE64[c];
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
          continue;
        }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([column, fields.length > 1 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/** A module's name as printed: `src/...` for the package's own, the package name for a dependency. */
function moduleName(file, root) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('../')) return path.basename(file); // the partner's own entry
  const nm = rel.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = rel.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return rel;
}

/** Characters of a chunk's minified code per module, from the chunk's (chained) source map. */
function modulesOf(jsFile, root) {
  const code = readFileSync(jsFile, 'utf8');
  const map = JSON.parse(readFileSync(`${jsFile}.map`, 'utf8'));
  const dir = path.dirname(jsFile);
  const names = map.sources.map((s) =>
    moduleName(path.resolve(dir, map.sourceRoot ?? '', s), root),
  );
  const lineLengths = code.split('\n').map((l) => l.length);
  const bytes = new Map();
  const lines = decodeMappings(map.mappings);
  lineLengths.forEach((length, line) => {
    // what no segment maps (esbuild's own glue) counts as esbuild's
    const segments = lines[line] ?? [];
    const start = segments.length ? segments[0][0] : length;
    if (start > 0) bytes.set('(esbuild)', (bytes.get('(esbuild)') ?? 0) + start);
    segments.forEach(([column, source], i) => {
      const end = i + 1 < segments.length ? segments[i + 1][0] : (lineLengths[line] ?? column);
      const name = source >= 0 ? names[source] : '(esbuild)';
      bytes.set(name, (bytes.get(name) ?? 0) + end - column);
    });
  });
  return new Map([...bytes].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]));
}

function listen(handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const closeServer = (server) =>
  new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });

/** Listens for the element's outcome from the very start (a landing page finishes on its own). */
const OUTCOME = `window.__benchOutcome = new Promise((resolve) => {
  for (const type of ['connected', 'failed', 'signin-required'])
    document.addEventListener(type, (e) => {
      const error = e.detail && e.detail.error;
      resolve({ type, why: error ? error.status + ': ' + error.message : '' });
    }, true);
});`;

/** Rejects after `ms` unless `promise` settles first (the timer is always cleared). */
async function within(ms, what, promise) {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`bench: ${what}: no answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Builds the partner pages, serves them and measures, in headless Chromium: the popup page's load
 * and load + one HCSS popup flow, a redirect-mode page's load, a landing page's load (its code
 * exchanged), and the callback page the popup loads.
 */
export async function measurePartner(root, { timeout = 30_000 } = {}) {
  const app = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-partner-'));
  const servers = [];
  let browser;
  try {
    mkdirSync(path.join(app, 'node_modules'));
    symlinkSync(root, path.join(app, 'node_modules', 'oauth-connect'), 'dir');
    const out = path.join(app, 'out');
    // the partner's app, and its callback page's script: two builds, as the callback page is a
    // page of its own (sharing chunks with the app would move bytes between the two)
    const metafile = {
      ...(await partnerBuild(app, { entry: "import 'oauth-connect';" }, path.join(out, 'app')))
        .outputs,
      ...(
        await partnerBuild(
          app,
          {
            callback:
              "import { completeCallback } from 'oauth-connect/callback'; completeCallback();",
          },
          path.join(out, 'cb'),
        )
      ).outputs,
    };

    // every JS file served: its minified bytes, gzip -9 bytes, dist inputs and source modules
    const files = new Map();
    for (const dir of ['app', 'cb']) {
      for (const name of readdirSync(path.join(out, dir))) {
        if (!name.endsWith('.js')) continue;
        const file = path.join(out, dir, name);
        const code = readFileSync(file);
        const meta = metafile[path.relative(app, file).split(path.sep).join('/')];
        files.set(`/${dir}/${name}`, {
          code,
          gzip: gzipSync(code, { level: 9 }),
          dist: [
            ...new Set(
              Object.keys(meta?.inputs ?? {}).map((i) => moduleName(path.resolve(app, i), root)),
            ),
          ],
          modules: modulesOf(file, root),
        });
      }
    }

    let providerOrigin = '';
    const log = [];
    const appServer = await listen((req, res) => {
      const { pathname } = new URL(req.url, 'http://x');
      const send = (type, body, headers = {}) =>
        res
          .writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers })
          .end(body);
      const served = files.get(pathname);
      if (served) {
        const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
        const body = gzip ? served.gzip : served.code;
        log.push({ path: pathname, bytes: body.length, gzip });
        send('text/javascript', body, gzip ? { 'content-encoding': 'gzip' } : {});
      } else if (pathname === '/exchange' && req.method === 'POST') {
        req.resume().on('end', () => send('application/json', '{"connected":true}'));
      } else if (PAGES[pathname]) {
        send('text/html', page(PAGES[pathname](origin, providerOrigin)));
      } else {
        res.writeHead(404, { 'cache-control': 'no-store' }).end();
      }
    });
    servers.push(appServer);
    const origin = `http://127.0.0.1:${appServer.address().port}`;
    const provider = await listen((req, res) => {
      // the provider's authorize endpoint: approves at once, back to the app's own callback page
      const q = new URL(req.url, 'http://x').searchParams;
      let back;
      try {
        back = new URL(q.get('redirect_uri'));
      } catch {
        back = undefined;
      }
      if (!back || back.origin !== origin) return res.writeHead(400).end();
      back.searchParams.set('code', `code-${Math.random().toString(36).slice(2)}`);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' }).end();
    });
    servers.push(provider);
    providerOrigin = `http://127.0.0.1:${provider.address().port}`;

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout,
      protocolTimeout: timeout * 2,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });

    /** The JS files fetched since log entry `from`, under `prefix`, each once. */
    const fetched = (from, prefix) => {
      const seen = new Map();
      for (const entry of log.slice(from)) {
        if (entry.path.startsWith(prefix) && !seen.has(entry.path)) seen.set(entry.path, entry);
      }
      const list = [...seen.keys()].map((p) => ({ path: p, ...files.get(p) }));
      return {
        files: list,
        minified: list.reduce((n, f) => n + f.code.length, 0),
        gzip: list.reduce((n, f) => n + f.gzip.length, 0),
        // what went over the wire (gzip -9 when the browser accepts gzip, as Chromium does)
        served: [...seen.values()].reduce((n, e) => n + e.bytes, 0),
      };
    };

    /** Loads `url` in a fresh profile; `then(page)` acts once it has loaded. */
    const visit = async (url, then) => {
      const context = await browser.createBrowserContext();
      try {
        const tab = await context.newPage();
        tab.setDefaultTimeout(timeout);
        tab.setDefaultNavigationTimeout(timeout);
        await tab.evaluateOnNewDocument(OUTCOME);
        const from = log.length;
        await tab.goto(url, { waitUntil: 'networkidle0' });
        await tab.waitForFunction(() => customElements.get('oauth-connect') !== undefined);
        await tab.evaluate(() => document.querySelector('oauth-connect').updateComplete);
        await tab.waitForNetworkIdle({ idleTime: 250 });
        const load = fetched(from, '/app/');
        return { load, ...(then ? await then(tab, from) : {}) };
      } finally {
        await context.close();
      }
    };
    const outcome = async (tab, what) => {
      const result = await within(
        timeout,
        what,
        tab.evaluate(() => window.__benchOutcome),
      );
      if (result.type !== 'connected') {
        throw new Error(`bench: ${what} ended ${result.type} ${result.why}`);
      }
      await tab.waitForNetworkIdle({ idleTime: 250 });
    };

    const popup = await visit(`${origin}/popup.html`, async (tab, from) => {
      await tab.click('oauth-connect >>> [part="button"]');
      await outcome(tab, 'the HCSS popup flow');
      return { flow: fetched(from, '/app/'), callback: fetched(from, '/cb/') };
    });
    const redirect = await visit(`${origin}/redirect.html`);
    const landing = await visit(`${origin}/landing.html?code=abc`, async (tab, from) => {
      await outcome(tab, 'the landing page');
      return { flow: fetched(from, '/app/') };
    });

    // the check: no fetched chunk of the popup flow holds a module of another mode, or of health
    const offending = [];
    const missing = [];
    for (const [what, modules] of Object.entries(NOT_IN_A_POPUP_FLOW)) {
      for (const m of modules) {
        if (!existsSync(path.join(root, m))) missing.push(m);
        for (const f of popup.flow.files) {
          const bytes = f.modules.get(m);
          if (bytes) offending.push({ module: m, what, file: f.path, bytes });
        }
      }
    }
    // without source maps in dist (a changed Vite config) nothing could be attributed: say so
    const unattributed = popup.flow.files
      .filter((f) => f.dist.some((d) => d.startsWith('dist/')))
      .filter((f) => ![...f.modules.keys()].some((m) => m.startsWith('src/')))
      .map((f) => f.path);

    return {
      popup: { load: popup.load, flow: popup.flow },
      callback: popup.callback,
      redirect: redirect.load,
      landing: landing.flow,
      check: { offending, missing, unattributed },
    };
  } finally {
    try {
      await browser?.close();
    } finally {
      await Promise.all(servers.map(closeServer));
      rmSync(app, { recursive: true, force: true });
    }
  }
}

/** The partner's pages: one element each, the app's bundle; the callback page loads the helper. */
const PAGES = {
  '/popup.html': (origin, provider) =>
    `<oauth-connect provider="hcss" client-id="c" redirect-uri="${origin}/callback.html"
      authorize-url="${provider}/identity/connect/authorize" exchange-url="/exchange"></oauth-connect>
    <script type="module" src="/app/entry.js"></script>`,
  '/redirect.html': (origin, provider) =>
    `<oauth-connect provider="hcss" mode="redirect" client-id="c" redirect-uri="${origin}/redirect.html"
      authorize-url="${provider}/identity/connect/authorize" exchange-url="/exchange"></oauth-connect>
    <script type="module" src="/app/entry.js"></script>`,
  '/landing.html': () =>
    `<oauth-connect provider="hint" mode="landing" exchange-url="/exchange"></oauth-connect>
    <script type="module" src="/app/entry.js"></script>`,
  '/callback.html': () => `<script type="module" src="/cb/callback.js"></script>`,
};
const page = (body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>partner page</title></head><body>${body}</body></html>`;
