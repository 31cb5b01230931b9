// A mock OpenID-style provider for the server-completed flow tests, on the "provider" origin:
// - GET /oauth/authorize: remembers the code's challenge and redirect URI, then (after ?delay ms,
//   from a page served with Cross-Origin-Opener-Policy when ?coop=1) sends the user back with
//   `code` and `state`; ?deny=1 sends `error=access_denied`.
// - POST /oauth/token: checks what a real one would (known, unused, unexpired code; the same
//   redirect URI; the PKCE verifier against the challenge; client id and secret) and answers a JWT
//   with a CompanyId claim.
// - GET /oauth/log: the token requests it saw, each with the ?tag of the authorize request.
// - GET /oauth/issued: the codes it gave out, each with the ?tag of its authorize request.
// - GET <path>/connect/authorize: an IdentityServer-style authorize endpoint (HCSS: the issuer is
//   the URL minus /connect/authorize) for the browser tests' provider page: /authorize.html with
//   the same query (see test/fixtures/provider/provider.js).
import { createHash, randomBytes } from 'node:crypto';

const codes = new Map();
const log = [];
const issued = [];

const b64url = (buf) => Buffer.from(buf).toString('base64url');

export function mockOAuth(req, res, pathname, searchParams) {
  if (pathname.endsWith('/connect/authorize')) {
    res.writeHead(302, {
      location: `/authorize.html?${searchParams}`,
      'cache-control': 'no-store',
    });
    res.end();
    return true;
  }
  if (pathname === '/oauth/authorize') {
    const redirect = new URL(searchParams.get('redirect_uri'));
    const state = searchParams.get('state');
    if (searchParams.get('deny')) {
      redirect.searchParams.set('error', 'access_denied');
    } else {
      const code = b64url(randomBytes(16));
      codes.set(code, {
        challenge: searchParams.get('code_challenge'),
        redirectUri: searchParams.get('redirect_uri'),
        clientId: searchParams.get('client_id'),
        tag: searchParams.get('tag'),
        at: Date.now(),
      });
      issued.push({ code, tag: searchParams.get('tag') });
      redirect.searchParams.set('code', code);
    }
    if (state) redirect.searchParams.set('state', state);
    const delay = Number(searchParams.get('delay') || 50);
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (searchParams.get('coop')) headers['cross-origin-opener-policy'] = 'same-origin';
    res
      .writeHead(200, headers)
      .end(
        `<!doctype html><title>Mock sign-in</title><p>Signing in…</p><script>setTimeout(() => location.replace(${JSON.stringify(redirect.toString())}), ${delay});</script>`,
      );
    return true;
  }
  if (pathname === '/oauth/token' && req.method === 'POST') {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const form = new URLSearchParams(raw);
      const grant = codes.get(form.get('code'));
      log.push({
        form: Object.fromEntries(form),
        contentType: req.headers['content-type'],
        tag: grant?.tag,
      });
      codes.delete(form.get('code'));
      const refuse = (description) =>
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_grant', error_description: description }));
      if (!grant) return refuse('Unknown or used code');
      if (Date.now() - grant.at > 60_000) return refuse('Expired code');
      if (form.get('redirect_uri') !== grant.redirectUri) return refuse('redirect_uri mismatch');
      if (
        form.get('client_id') !== grant.clientId ||
        form.get('client_secret') !== 'server-secret'
      ) {
        return refuse('Bad client');
      }
      const verifier = form.get('code_verifier') ?? '';
      if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) {
        return refuse('PKCE verification failed');
      }
      const jwt = `e30.${b64url(JSON.stringify({ sub: 'user-1', CompanyId: 'company-99' }))}.sig`;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: jwt, token_type: 'Bearer', expires_in: 3600 }));
    });
    return true;
  }
  if (pathname === '/oauth/issued') {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(issued));
    return true;
  }
  if (pathname === '/oauth/log') {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(log));
    return true;
  }
  return false;
}
