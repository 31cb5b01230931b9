// What the mock providers share: plain node:http plumbing (listen with a port fallback, bodies,
// cookies, answers), HTML escaping and the page shell each provider brands with its own colours.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

/** A random URL-safe token (`bytes` of entropy). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const b64url = (value) => Buffer.from(value).toString('base64url');

/** S256(verifier), as RFC 7636 §4.2 computes the challenge. */
export const s256 = (verifier) => createHash('sha256').update(verifier).digest('base64url');

/** Constant-time string comparison (secrets, CSRF tokens). */
export function same(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Escapes text for HTML (element content and quoted attribute values). */
export function esc(value) {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

/** JSON for an inline <script>: nothing in it can close the script element. */
export const scriptJson = (value) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, '');

/**
 * Starts `handler` on `host:port`; a taken port falls back to a free one (port 0 picks one at
 * once). Resolves with the server and its origin.
 */
export async function listen(handler, { host = '127.0.0.1', port = 0 } = {}) {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error) => {
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
      else res.end();
      console.error('[mock]', error);
    });
  });
  const bind = (p) =>
    new Promise((resolve, reject) => {
      const fail = (error) => reject(error);
      server.once('error', fail);
      server.listen(p, host, () => {
        server.off('error', fail);
        resolve();
      });
    });
  try {
    await bind(port);
  } catch (error) {
    if (error.code !== 'EADDRINUSE' || port === 0) throw error;
    await bind(0);
  }
  const origin = `http://${host}:${server.address().port}`;
  return {
    server,
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The request body as text; refused beyond `limit` bytes. */
export function readBody(req, limit = 64 * 1024) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A form-encoded body (what an HTML form posts). */
export async function readForm(req) {
  return new URLSearchParams(await readBody(req));
}

export function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim());
  }
  return out;
}

/** A session cookie: HttpOnly, SameSite=Lax, for this provider's origin only. */
export const cookie = (name, value, maxAge = 3600) =>
  `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;

export function json(res, status, body, headers = {}) {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

export function redirect(res, location, headers = {}) {
  res.writeHead(302, { location: String(location), 'cache-control': 'no-store', ...headers });
  res.end();
}

export function html(res, status, body, headers = {}) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(body);
}

/** `Authorization: Basic` credentials (RFC 6749 §2.3.1: each part form-encoded), or undefined. */
export function basicCredentials(req) {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) return undefined;
  const dec = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: dec(decoded.slice(0, at)), secret: dec(decoded.slice(at + 1)) };
  } catch {
    return undefined;
  }
}

/** `Authorization: Bearer` token, or undefined. */
export function bearer(req) {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** A URL with `params` added to its query (the way providers send users back). */
export function withQuery(url, params) {
  const out = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) out.searchParams.set(key, value);
  }
  return out.toString();
}

/**
 * A provider page: its branded header, a main column, and CSS shared by every mock (forms,
 * buttons, cards) coloured by `theme` (`--brand`, `--brand-ink`, `--accent`, `--page`).
 */
export function page({ title, brand, theme, body, css = '', wide = false }) {
  const vars = Object.entries(theme)
    .map(([k, v]) => `--${k}:${v}`)
    .join(';');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>
:root{${vars};color-scheme:light}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1e293b;background:var(--page)}
.bar{display:flex;align-items:center;gap:.75rem;padding:.7rem 1.25rem;background:var(--brand);color:var(--brand-ink)}
.bar .mark{display:inline-grid;place-items:center;min-width:2rem;height:2rem;padding:0 .4rem;border-radius:.4rem;background:var(--accent);color:var(--mark-ink,#111);font-weight:800;letter-spacing:.02em}
.bar .name{font-weight:650;font-size:1.05rem}
.bar .env{margin-left:auto;font-size:.72rem;padding:.1rem .5rem;border:1px solid currentColor;border-radius:999px;opacity:.75}
main{max-width:${wide ? '64rem' : '27rem'};margin:2.5rem auto;padding:0 1rem}
.card{background:#fff;border-radius:.75rem;box-shadow:0 1px 2px rgb(15 23 42/.06),0 8px 24px rgb(15 23 42/.08);padding:1.75rem}
h1{font-size:1.3rem;margin:0 0 .4rem}
.sub{color:#64748b;margin:0 0 1.25rem}
label{display:block;font-weight:600;font-size:.85rem;margin:.9rem 0 .3rem}
input[type=email],input[type=password],input[type=text]{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #cbd5e1;border-radius:.45rem}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.actions{display:flex;gap:.6rem;margin-top:1.4rem}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border-radius:.45rem;border:1px solid transparent;cursor:pointer}
button.primary{background:var(--button,var(--brand));color:var(--button-ink,#fff)}
button.secondary{background:#fff;border-color:#cbd5e1;color:#334155}
button.link{background:none;border:0;padding:0;color:#64748b;text-decoration:underline;font-weight:400;font-size:.85rem}
.grow{flex:1}
.scopes{list-style:none;padding:0;margin:1rem 0;border:1px solid #e2e8f0;border-radius:.5rem}
.scopes li{padding:.6rem .8rem;border-top:1px solid #e2e8f0}
.scopes li:first-child{border-top:0}
.scopes b{display:block;font-size:.9rem}
.scopes span{color:#64748b;font-size:.85rem}
.note{font-size:.82rem;color:#64748b;margin-top:1.1rem}
.error{background:#fef2f2;border:1px solid #fecaca;color:#991b1b;border-radius:.5rem;padding:.7rem .9rem;margin:0 0 1rem}
.app{display:flex;align-items:center;gap:.75rem;margin-bottom:1rem}
.app .logo{width:2.6rem;height:2.6rem;border-radius:.6rem;background:#0f172a;color:#fff;display:grid;place-items:center;font-weight:700}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85em;background:#f1f5f9;padding:.05rem .3rem;border-radius:.25rem}
${css}
</style>
</head>
<body>
<header class="bar"><span class="mark">${esc(brand.mark)}</span><span class="name">${esc(brand.name)}</span><span class="env" title="A local mock served by npm start, not the real service">local mock</span></header>
<main>${body}</main>
</body>
</html>`;
}

/** An error page shown to the user (never a redirect: RFC 6749 §4.1.2.1 for a bad client or URI). */
export function errorPage(res, status, { title, brand, theme }, heading, text, headers) {
  html(
    res,
    status,
    page({
      title,
      brand,
      theme,
      body: `<div class="card"><h1>${esc(heading)}</h1><p class="error" role="alert">${esc(text)}</p><p class="note">The application that sent you here is misconfigured. You can close this window.</p></div>`,
    }),
    headers,
  );
}

/** A small request router: `[method, path, handler]` rows, 404 otherwise. */
export function router(routes) {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    for (const [method, path, handle] of routes) {
      if (
        path === url.pathname &&
        (method === req.method || (method === 'GET' && req.method === 'HEAD'))
      ) {
        return handle(req, res, url);
      }
    }
    const known = routes.some(([, path]) => path === url.pathname);
    json(res, known ? 405 : 404, { error: known ? 'method_not_allowed' : 'not_found' });
  };
}

/** A signed JWT (HS256) as an identity server issues it; claims are readable by anyone. */
export function signJwt(claims, key, kid = 'mock-1') {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}
