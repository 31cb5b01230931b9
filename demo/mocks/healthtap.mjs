// A mock of HealthTap's "Tap-in" OAuth, as ../../../shared/providers/healthtap-tap-in.txt shows it:
// - GET  /oauth/authorize?client_id=APP_ID&response_type=code&redirect_uri&scope: the member sees
//   Allow / Deny → redirect_uri?code=AUTH_CODE (and the state, when one was sent), or
//   ?error=access_denied;
// - POST /oauth/token with basic auth (APP_ID:APP_SECRET) and the JSON body
//   { grant_type, code, client_id, redirect_uri } → access and refresh tokens with their lifetimes.
import { randomBytes } from 'node:crypto';
import {
  basicCredentials,
  cookie,
  cookies,
  errorPage,
  esc,
  html,
  json,
  listen,
  page,
  randomToken,
  readBody,
  readForm,
  redirect,
  router,
  same,
  withQuery,
} from './http.mjs';

const brand = { name: 'HealthTap', mark: 'HT' };
const theme = {
  brand: '#ffffff',
  'brand-ink': '#0b4f6c',
  accent: '#15a9c4',
  'mark-ink': '#fff',
  button: '#0b7fa0',
  page: '#eef7fa',
};
const SCOPES = {
  profile_read: ['Read your health profile', 'Conditions, medications, allergies'],
  profile_write: ['Update your health profile', 'Add what you track in this app'],
  pay: ['Payments', 'Charge your HealthTap account'],
  send_communications: ['Messages', 'Send you messages through HealthTap'],
  create_content: ['Content', 'Publish content on your behalf'],
};

/** The signed-in demo member. */
export const HEALTHTAP_MEMBER = { guid: 'f01bdaf185154a4fa694f90a334104b8', name: 'Jordan Lee' };

const hex = (bytes) => randomBytes(bytes).toString('hex');

/**
 * Starts the mock. `register({ clientId, clientSecret, name, redirectUris, scopes })` registers an
 * app (APP_ID, APP_SECRET, its redirect URIs: "multiple redirect_uris are acceptable").
 */
export async function startHealthtap({
  host,
  port = 0,
  now = Date.now,
  codeLifetimeMs = 600_000,
} = {}) {
  const clients = new Map();
  const requests = new Map();
  const codes = new Map();
  const spent = new Set();
  const issued = { codes: new Set(), tokens: new Set() };

  const show = (res, status, title, body, headers) =>
    html(res, status, page({ title, brand, theme, body }), headers);
  const fail = (res, status, heading, text) =>
    errorPage(res, status, { title: heading, brand, theme }, heading, text);

  function authorize(req, res, url) {
    const q = url.searchParams;
    const client = clients.get(q.get('client_id') ?? '');
    if (!client) {
      return fail(
        res,
        401,
        'An error has occurred',
        'Client authentication failed due to unknown client.',
      );
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      return fail(res, 400, 'An error has occurred', 'The redirect uri included is not valid.');
    }
    const state = q.get('state') ?? undefined;
    const back = (params) => redirect(res, withQuery(redirectUri, { ...params, state }));
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.some((s) => !client.scopes.includes(s))) {
      return back({ error: 'invalid_scope', error_description: 'The requested scope is invalid.' });
    }
    const rid = randomToken(18);
    const xsrf = randomToken(16);
    requests.set(rid, { client, redirectUri, scopes, state, xsrf, at: now() });
    const items = (scopes.length ? scopes : ['profile_read'])
      .map(
        (s) =>
          `<li><b>${esc(SCOPES[s]?.[0] ?? s)}</b><span>${esc(SCOPES[s]?.[1] ?? '')}</span></li>`,
      )
      .join('');
    return show(
      res,
      200,
      'Authorize · HealthTap',
      `<div class="card">
  <div class="app"><span class="logo">${esc(client.name.slice(0, 1))}</span>
    <div><h1>Tap in to ${esc(client.name)}</h1><div class="sub" style="margin:0">with your HealthTap account</div></div></div>
  <p><b>${esc(client.name)}</b> would like to create and co-manage your health record on HealthTap:</p>
  <ul class="scopes">${items}</ul>
  <form method="post" action="/oauth/authorize">
    <input type="hidden" name="rid" value="${esc(rid)}">
    <input type="hidden" name="authenticity_token" value="${esc(xsrf)}">
    <div class="actions">
      <button class="primary grow" type="submit" name="decision" value="allow">Allow</button>
      <button class="secondary grow" type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
  <p class="note">Signed in as ${esc(HEALTHTAP_MEMBER.name)} (member). Your data is shared in accordance with HealthTap's Terms.</p>
</div>`,
      { 'set-cookie': cookie('_healthtap_xsrf', xsrf, 1800) },
    );
  }

  async function decide(req, res) {
    const form = await readForm(req);
    const rid = form.get('rid') ?? '';
    const request = requests.get(rid);
    requests.delete(rid);
    if (!request || now() - request.at > 30 * 60_000) {
      return fail(res, 400, 'This request has expired', 'Go back to the app and tap in again.');
    }
    const token = form.get('authenticity_token') ?? '';
    if (!same(token, request.xsrf) || !same(token, cookies(req)['_healthtap_xsrf'] ?? '')) {
      return fail(res, 422, 'An error has occurred', 'Invalid authenticity token.');
    }
    const back = (params) =>
      redirect(res, withQuery(request.redirectUri, { ...params, state: request.state }));
    if (form.get('decision') !== 'allow') return back({ error: 'access_denied' });
    const code = hex(32);
    codes.set(code, { ...request, at: now() });
    issued.codes.add(code);
    return back({ code });
  }

  async function token(req, res) {
    const refuse = (status, error, description) =>
      json(
        res,
        status,
        { error, error_description: description },
        status === 401 ? { 'www-authenticate': 'Basic realm="HealthTap"' } : {},
      );
    const credentials = basicCredentials(req);
    if (!credentials) {
      return refuse(
        401,
        'invalid_client',
        'Client authentication failed: use basic auth with APP_ID and APP_SECRET.',
      );
    }
    const client = clients.get(credentials.id);
    if (!client || !same(credentials.secret, client.clientSecret)) {
      return refuse(
        401,
        'invalid_client',
        'Client authentication failed due to unknown client or wrong secret.',
      );
    }
    const raw = await readBody(req);
    let body;
    try {
      body = /^application\/json\b/i.test(req.headers['content-type'] ?? '')
        ? JSON.parse(raw)
        : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return refuse(400, 'invalid_request', 'The body is not JSON.');
    }
    if (body?.grant_type !== 'authorization_code')
      return refuse(400, 'unsupported_grant_type', 'Use authorization_code.');
    if (body.client_id !== undefined && body.client_id !== client.clientId) {
      return refuse(401, 'invalid_client', 'client_id does not match the basic auth user.');
    }
    const code = typeof body.code === 'string' ? body.code : '';
    const grant = codes.get(code);
    codes.delete(code);
    if (!grant) {
      return refuse(
        400,
        'invalid_grant',
        spent.has(code)
          ? 'The authorization code has already been used.'
          : 'The authorization code is invalid.',
      );
    }
    spent.add(code);
    if (grant.client !== client)
      return refuse(400, 'invalid_grant', 'The authorization code was issued to another client.');
    if (now() - grant.at > codeLifetimeMs)
      return refuse(400, 'invalid_grant', 'The authorization code has expired.');
    if (body.redirect_uri !== grant.redirectUri) {
      return refuse(
        400,
        'invalid_grant',
        'The redirect uri does not match the one of the authorization request.',
      );
    }
    const access = hex(32);
    const refresh = hex(32);
    issued.tokens.add(access);
    issued.tokens.add(refresh);
    return json(res, 200, {
      access_token: access,
      token_type: 'bearer',
      expires_in: 7199,
      refresh_token: refresh,
      refresh_token_expires_in: 2592000,
      scope: grant.scopes.join(' ') || 'profile_read',
      created_at: Math.floor(now() / 1000),
      guid: HEALTHTAP_MEMBER.guid,
    });
  }

  const server = await listen(
    router([
      ['GET', '/oauth/authorize', authorize],
      ['POST', '/oauth/authorize', decide],
      ['POST', '/oauth/token', token],
    ]),
    { host, port },
  );
  return {
    name: 'healthtap',
    origin: server.origin,
    authorizeUrl: `${server.origin}/oauth/authorize`,
    tokenUrl: `${server.origin}/oauth/token`,
    issued,
    register(client) {
      clients.set(client.clientId, {
        name: 'Partner app',
        scopes: ['profile_read', 'profile_write'],
        ...client,
        redirectUris: [...client.redirectUris],
      });
    },
    close: server.close,
  };
}
