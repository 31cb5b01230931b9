// Completion latency in Chromium, oauth-connect beside a bare hand-written opener/callback pair
// making the same hops (cross-origin authorize redirect, callback page, postMessage or URL polling,
// exchange fetch), interleaved in one run; and what 1,000 flows leave behind.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const here = path.dirname(new URL(import.meta.url).pathname);
const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';

/** The partner's bundle of oauth-connect (esbuild, code splitting), served from memory. */
export async function partnerBundle(root) {
  const app = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-latency-'));
  try {
    mkdirSync(path.join(app, 'node_modules'));
    symlinkSync(root, path.join(app, 'node_modules', 'oauth-connect'), 'dir');
    writeFileSync(
      path.join(app, 'entry.js'),
      `import 'oauth-connect';
       for (const el of document.querySelectorAll('oauth-connect')) {
         Object.assign(el, {
           provider: 'generic',
           clientId: 'bench',
           authorizeUrl: window.PROVIDER + '/authorize',
           redirectUri: location.origin + (el.id === 'polling' ? '/plain-callback.html' : '/ours-callback.html'),
           exchangeUrl: '/exchange',
         });
       }`,
    );
    writeFileSync(
      path.join(app, 'callback.js'),
      "import { completeCallback } from 'oauth-connect/callback'; completeCallback();",
    );
    const result = await build({
      entryPoints: [path.join(app, 'entry.js'), path.join(app, 'callback.js')],
      absWorkingDir: app,
      bundle: true,
      splitting: true,
      minify: true,
      format: 'esm',
      target: 'es2022',
      outdir: path.join(app, 'out'),
      write: false,
      logLevel: 'silent',
    });
    return new Map(
      result.outputFiles.map((f) => [
        `/ours/${path.relative(path.join(app, 'out'), f.path)}`,
        f.text,
      ]),
    );
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function servers(bundle, root) {
  const inline = readFileSync(path.join(root, 'dist', 'callback.inline.js'), 'utf8');
  let providerOrigin = '';
  const app = await listen((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    const send = (type, body) =>
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    if (pathname === '/exchange') {
      req.resume().on('end', () => send('application/json', '{"connected":true}'));
    } else if (pathname === '/config.js') {
      send('text/javascript', `window.PROVIDER = ${JSON.stringify(providerOrigin)};`);
    } else if (bundle.has(pathname)) {
      send('text/javascript', bundle.get(pathname));
    } else {
      try {
        let file = readFileSync(path.join(here, 'pages', path.basename(pathname)), 'utf8');
        file = file.replace('/*inline-callback*/', inline);
        send(pathname.endsWith('.js') ? 'text/javascript' : 'text/html', file);
      } catch {
        res.writeHead(404).end();
      }
    }
  });
  const provider = await listen((req, res) => {
    // the provider's authorize endpoint: approves at once and redirects back with a code
    const q = new URL(req.url, 'http://x').searchParams;
    const back = new URL(q.get('redirect_uri'));
    back.searchParams.set('code', `code-${Math.random().toString(36).slice(2)}`);
    back.searchParams.set('state', q.get('state'));
    res.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' }).end();
  });
  providerOrigin = `http://127.0.0.1:${provider.address().port}`;
  return {
    app: `http://localhost:${app.address().port}`,
    close: () => Promise.all([app, provider].map((s) => new Promise((r) => s.close(r)))),
  };
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

export async function measureLatency(root, { runs = 100, warmup = 5, flows = 1000 } = {}) {
  const bundle = await partnerBundle(root);
  const { app, close } = await servers(bundle, root);
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    await page.goto(`${app}/app.html`);
    await page.waitForFunction(() => customElements.get('oauth-connect'));
    const time = (kind) =>
      page.evaluate(async (k) => {
        const t0 = performance.now();
        if (k === 'ours:message') await document.getElementById('message').connect();
        else if (k === 'ours:polling') await document.getElementById('polling').connect();
        else await window.bare(k === 'bare:polling');
        return performance.now() - t0;
      }, kind);
    const kinds = ['ours:message', 'bare:message', 'ours:polling', 'bare:polling'];
    const samples = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let i = 0; i < warmup + runs; i++) {
      for (const kind of i % 2 ? kinds : [...kinds].reverse()) {
        const ms = await time(kind);
        if (i >= warmup) samples[kind].push(ms);
      }
    }
    const stats = Object.fromEntries(
      kinds.map((k) => [k, { p50: percentile(samples[k], 50), p95: percentile(samples[k], 95) }]),
    );

    // What 1,000 flows leave behind (the tracker is installed before anything else runs).
    const leaks = await browser.newPage();
    await leaks.evaluateOnNewDocument(readFileSync(path.join(here, 'pages', 'leaks.js'), 'utf8'));
    await leaks.goto(`${app}/app.html`);
    await leaks.waitForFunction(() => customElements.get('oauth-connect'));
    await leaks.evaluate(async () => {
      await document.getElementById('message').connect(); // the engine loaded: flows count from here
      await new Promise((r) => setTimeout(r, 50));
      window.leaks.reset();
    });
    for (let done = 0; done < flows; done += 50) {
      await leaks.evaluate(
        async (n) => {
          for (let i = 0; i < n; i++) await document.getElementById('message').connect();
        },
        Math.min(50, flows - done),
      );
    }
    const left = await leaks.evaluate(async () => {
      await new Promise((r) => setTimeout(r, 500));
      return window.leaks();
    });
    return { stats, runs, leaks: left, flows };
  } finally {
    try {
      await browser?.close();
    } finally {
      await close();
    }
  }
}
