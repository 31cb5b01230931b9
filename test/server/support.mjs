// Shared by the server tests: mock provider endpoints and a partner backend on node:http, a real
// redis-server, and a browser's cookie jar.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';

export async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

/** A mock token endpoint: records requests, answers `reply(entry)` → [status, body] (0: hang). */
export async function mockProvider(reply) {
  const seen = [];
  const server = await listen((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, raw };
      seen.push(entry);
      const [status, body] = await reply(entry);
      if (status === 0) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  return { ...server, seen };
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** A real redis-server (Debian's), on a free loopback port, and a node-redis client of it. */
export async function startRedis() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-redis-'));
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    client,
    port,
    async close() {
      await client.quit().catch(() => undefined);
      redis.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A browser's cookie jar for one site, as far as these tests need one (RFC 6265bis): `Path`,
 * `Max-Age`, `SameSite`. `site: 'same'` is a request of the app's own page (its fetches): every
 * cookie goes. `site: 'cross'` is a navigation from another site, such as the provider's redirect
 * back: `Lax` and `None` cookies go on a top-level GET, `Strict` ones never.
 */
export function browser() {
  const jar = new Map(); // name → { value, path, sameSite }
  const keep = (line) => {
    const [pair, ...attributes] = line.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const name = pair.slice(0, at);
    const cookie = { value: pair.slice(at + 1), path: '/', sameSite: 'lax' };
    let maxAge;
    for (const attribute of attributes) {
      const [key, value = ''] = attribute.split('=');
      if (/^path$/i.test(key)) cookie.path = value;
      if (/^samesite$/i.test(key)) cookie.sameSite = value.toLowerCase();
      if (/^max-age$/i.test(key)) maxAge = Number(value);
    }
    if (maxAge !== undefined && maxAge <= 0) jar.delete(name);
    else jar.set(name, cookie);
  };
  const pathMatch = (path, cookiePath) =>
    path === cookiePath ||
    (path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/'));
  const cookieHeader = (url, site, method) =>
    [...jar]
      .filter(([, c]) => pathMatch(url.pathname, c.path))
      .filter(
        ([, c]) =>
          site === 'same' || c.sameSite === 'none' || (c.sameSite === 'lax' && method === 'GET'),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  async function request(url, { method = 'GET', json, site = 'same' } = {}) {
    const sent = cookieHeader(new URL(url), site, method);
    const headers = {};
    if (sent) headers.cookie = sent;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) keep(line);
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, sent };
  }
  return {
    jar,
    /** A cookie the site set earlier (the partner's session cookie, at sign-in). */
    setCookie: keep,
    /** A fetch of the app's page (same-site), with a JSON body; answers the parsed JSON. */
    post: async (url, json) => {
      const r = await request(url, { method: 'POST', json });
      return { ...r, body: JSON.parse(r.text) };
    },
    /** A top-level navigation: from another site (the provider's redirect), unless `site`. */
    navigate: (url, site = 'cross') => request(url, { site }),
  };
}

/**
 * The `generic` provider the server-flow tests use: its token endpoint at `provider` (a
 * mockProvider), an authorize URL that is never fetched, and `extra` options on top.
 */
export const genericAt = (provider, extra = {}) => ({
  authorizeUrl: 'https://id.example/authorize',
  tokenUrl: `${provider.url}/token`,
  clientId: 'c',
  redirectUris: [],
  ...extra,
});
