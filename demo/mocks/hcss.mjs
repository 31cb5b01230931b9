// A mock of HCSS Identity (an IdentityServer), as ../../../shared/providers/hcss-*.txt describe it:
// - GET  /identity/connect/authorize: client, redirect_uri and PKCE checked; sign in, then consent
//   (Allow / Deny) → redirect_uri?code&state, or ?error=access_denied&state;
// - POST /identity/connect/token: form-encoded authorization_code grant, client authenticated
//   (client_secret_post or basic), code single-use and short-lived, same redirect_uri, PKCE S256
//   verifier required → a JWT access token carrying the CompanyId claim.
// - GET  /marketplace: the HCSS Marketplace page of the partner apps; Connect → a consent screen
//   → the partner's registered redirect URL (hcss-partner-consent.txt, step 1), where the partner
//   makes sure the customer is signed in and runs the PKCE flow (step 2).
// Its sign-in and consent pages are sent with Cross-Origin-Opener-Policy: same-origin (`coop`), as
// identity servers often are: the opener's popup handle then reads closed (the severed path).
import {
  errorPage,
  cookie,
  cookies,
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
  s256,
  same,
  signJwt,
  withQuery,
} from './http.mjs';

const brand = { name: 'HCSS Identity', mark: 'HCSS' };
const marketplaceBrand = { name: 'HCSS Marketplace', mark: 'HCSS' };
const theme = {
  brand: '#101820',
  'brand-ink': '#f8fafc',
  accent: '#ffc72c',
  button: '#101820',
  page: '#f3f4f1',
};
const SCOPES = {
  openid: ['Your identity', 'Sign you in with your HCSS account'],
  profile: ['Your profile', 'Your name'],
  email: ['Your email address', ''],
  offline_access: ['Offline access', 'Keep access while you are away'],
  'timecards:read': ['Timecards', "Read your company's HeavyJob timecards"],
  'equipment:read': ['Equipment', "Read your company's equipment list"],
};

/** The one demo account. */
export const HCSS_USER = {
  sub: 'b7e4c1d2-5f3a-4e8b-9c6d-1a2b3c4d5e6f',
  email: 'alex@acmepaving.example',
  password: 'demo',
  name: 'Alex Rivera',
  companyId: '3f0c1e2a-8b7d-4c6e-9a51-2d7f4b8e6c10',
  companyName: 'Acme Paving Co.',
};

const REQUEST_LIFETIME = 10 * 60_000;

/**
 * Starts the mock. `register({ clientId, clientSecret, name, redirectUris, scopes })` registers a
 * partner application (what HCSS does when you apply). `now()` is the clock (tests move it).
 */
export async function startHcss({
  host,
  port = 0,
  now = Date.now,
  coop = true,
  codeLifetimeMs = 300_000,
} = {}) {
  const clients = new Map();
  const requests = new Map(); // rid → a validated authorization request
  const sessions = new Map(); // sid → { user, xsrf }
  const codes = new Map(); // code → what it was issued for
  const spent = new Set();
  const issued = { codes: new Set(), tokens: new Set() };
  const key = randomToken(32);
  let origin = '';

  const pageHeaders = coop ? { 'cross-origin-opener-policy': 'same-origin' } : {};
  const show = (res, status, title, body, shown = brand) =>
    html(res, status, page({ title, brand: shown, theme, body }), pageHeaders);
  const fail = (res, status, heading, text) =>
    errorPage(res, status, { title: heading, brand, theme }, heading, text, pageHeaders);
  const sessionOf = (req) => sessions.get(cookies(req)['hcss.idsrv']);

  function authorize(req, res, url) {
    const q = url.searchParams;
    const client = clients.get(q.get('client_id') ?? '');
    if (!client) {
      return fail(
        res,
        400,
        'Unknown client',
        `No application is registered as “${q.get('client_id') ?? ''}”.`,
      );
    }
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      return fail(
        res,
        400,
        'Invalid redirect_uri',
        'This redirect_uri is not registered for the application.',
      );
    }
    const state = q.get('state') ?? undefined;
    const back = (params) => redirect(res, withQuery(redirectUri, { ...params, state }));
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (!scopes.length || unknown.length) {
      return back({
        error: 'invalid_scope',
        error_description: `Invalid scope: ${unknown.join(' ') || '(none)'}`,
      });
    }
    const challenge = q.get('code_challenge');
    if (!challenge)
      return back({ error: 'invalid_request', error_description: 'code challenge required' });
    if (q.get('code_challenge_method') !== 'S256') {
      return back({
        error: 'invalid_request',
        error_description: 'transform algorithm not supported',
      });
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'invalid code_challenge' });
    }
    const rid = randomToken(18);
    requests.set(rid, {
      client,
      redirectUri,
      scopes,
      state,
      challenge,
      nonce: q.get('nonce') ?? undefined,
      at: now(),
    });
    return redirect(
      res,
      `/identity/${sessionOf(req) ? 'connect/consent' : 'account/login'}?rid=${rid}`,
    );
  }

  const pending = (rid) => {
    const request = requests.get(rid ?? '');
    if (request && now() - request.at > REQUEST_LIFETIME) requests.delete(rid);
    return requests.get(rid ?? '');
  };
  const gone = (res) =>
    fail(res, 400, 'This sign-in has expired', 'Go back to the application and connect again.');

  function loginPage(res, rid, { email = '', error = '' } = {}) {
    const request = pending(rid);
    if (!request) return gone(res);
    const af = randomToken(16);
    res.setHeader('set-cookie', cookie('hcss.af', af, 1800));
    return show(
      res,
      error ? 401 : 200,
      'Sign in · HCSS',
      `<div class="card">
  <h1>Sign in</h1>
  <p class="sub">to continue to <b>${esc(request.client.name)}</b></p>
  ${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
  <form method="post" action="/identity/account/login">
    <input type="hidden" name="rid" value="${esc(rid)}">
    <input type="hidden" name="af" value="${esc(af)}">
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}" autofocus>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <div class="actions"><button class="primary grow" type="submit">Sign in</button></div>
  </form>
  <p class="note">Demo account: <code>${esc(HCSS_USER.email)}</code> / <code>${esc(HCSS_USER.password)}</code></p>
</div>`,
    );
  }

  async function login(req, res) {
    const form = await readForm(req);
    const rid = form.get('rid');
    if (!same(form.get('af') ?? '', cookies(req)['hcss.af'] ?? '')) {
      return fail(res, 400, 'Bad request', 'The sign-in form was not sent from this page.');
    }
    const email = form.get('email') ?? '';
    if (
      email.toLowerCase() !== HCSS_USER.email ||
      !same(form.get('password') ?? '', HCSS_USER.password)
    ) {
      return loginPage(res, rid, { email, error: 'Wrong email or password.' });
    }
    if (!pending(rid)) return gone(res);
    const sid = randomToken(24);
    sessions.set(sid, { user: HCSS_USER, xsrf: randomToken(16) });
    res.setHeader('set-cookie', cookie('hcss.idsrv', sid, 8 * 3600));
    return redirect(res, `/identity/connect/consent?rid=${encodeURIComponent(rid)}`);
  }

  function consentPage(req, res, url) {
    const rid = url.searchParams.get('rid');
    const session = sessionOf(req);
    if (!session)
      return redirect(res, `/identity/account/login?rid=${encodeURIComponent(rid ?? '')}`);
    const request = pending(rid);
    if (!request) return gone(res);
    const items = request.scopes
      .map(
        (s) =>
          `<li><b>${esc(SCOPES[s]?.[0] ?? s)}</b>${SCOPES[s]?.[1] ? `<span>${esc(SCOPES[s][1])}</span>` : ''}</li>`,
      )
      .join('');
    return show(
      res,
      200,
      'Consent · HCSS',
      `<div class="card">
  <div class="app"><span class="logo">${esc(request.client.name.slice(0, 1))}</span>
    <div><h1>${esc(request.client.name)}</h1><div class="sub" style="margin:0">wants to connect to <b>${esc(session.user.companyName)}</b></div></div></div>
  <p>Allow this application to:</p>
  <ul class="scopes">${items}</ul>
  <form method="post" action="/identity/connect/consent">
    <input type="hidden" name="rid" value="${esc(rid)}">
    <input type="hidden" name="xsrf" value="${esc(session.xsrf)}">
    <div class="actions">
      <button class="primary grow" type="submit" name="decision" value="allow">Allow</button>
      <button class="secondary" type="submit" name="decision" value="deny">Deny</button>
    </div>
  </form>
  <p class="note">Signed in as ${esc(session.user.name)} (${esc(session.user.email)}). You can remove this connection in the HCSS Marketplace at any time.</p>
</div>`,
    );
  }

  async function consent(req, res) {
    const form = await readForm(req);
    const session = sessionOf(req);
    if (!session || !same(form.get('xsrf') ?? '', session.xsrf)) {
      return fail(res, 400, 'Bad request', 'The consent form was not sent from this page.');
    }
    const rid = form.get('rid') ?? '';
    const request = pending(rid);
    requests.delete(rid);
    if (!request) return gone(res);
    const back = (params) =>
      redirect(res, withQuery(request.redirectUri, { ...params, state: request.state }));
    if (form.get('decision') !== 'allow') {
      return back({ error: 'access_denied', error_description: 'The user denied the request.' });
    }
    const code = randomToken(32);
    codes.set(code, { ...request, user: session.user, at: now() });
    issued.codes.add(code);
    return back({ code });
  }

  async function token(req, res) {
    const refuse = (status, error, description) =>
      json(res, status, { error, ...(description ? { error_description: description } : {}) });
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return refuse(400, 'invalid_request', 'Send application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(await readBody(req));
    // client authentication: client_secret_post (the form) or client_secret_basic
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    if (basic) {
      const [user, pass = ''] = Buffer.from(basic[1], 'base64').toString().split(':');
      id = decodeURIComponent(user.replace(/\+/g, ' '));
      secret = decodeURIComponent(pass.replace(/\+/g, ' '));
    }
    const client = clients.get(id ?? '');
    if (!client || !same(secret ?? '', client.clientSecret)) return refuse(401, 'invalid_client');
    if (form.get('grant_type') !== 'authorization_code')
      return refuse(400, 'unsupported_grant_type');
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (!grant) {
      return refuse(
        400,
        'invalid_grant',
        spent.has(code) ? 'authorization code already used' : 'invalid authorization code',
      );
    }
    spent.add(code);
    if (grant.client !== client)
      return refuse(400, 'invalid_grant', 'code was issued to another client');
    if (now() - grant.at > codeLifetimeMs)
      return refuse(400, 'invalid_grant', 'authorization code expired');
    if (form.get('redirect_uri') !== grant.redirectUri)
      return refuse(400, 'invalid_grant', 'redirect_uri mismatch');
    const verifier = form.get('code_verifier');
    if (!verifier) return refuse(400, 'invalid_grant', 'code_verifier is missing');
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || !same(s256(verifier), grant.challenge)) {
      return refuse(
        400,
        'invalid_grant',
        'transformed code verifier does not match code challenge',
      );
    }
    const iat = Math.floor(now() / 1000);
    const iss = `${origin}/identity`;
    const { user } = grant;
    const access = signJwt(
      {
        iss,
        aud: 'hcss.api',
        client_id: client.clientId,
        sub: user.sub,
        CompanyId: user.companyId,
        scope: grant.scopes,
        auth_time: iat,
        idp: 'local',
        jti: randomToken(12),
        iat,
        nbf: iat,
        exp: iat + 3600,
      },
      key,
    );
    issued.tokens.add(access);
    const answer = {
      access_token: access,
      expires_in: 3600,
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
    };
    if (grant.scopes.includes('openid')) {
      answer.id_token = signJwt(
        {
          iss,
          aud: client.clientId,
          sub: user.sub,
          ...(grant.scopes.includes('profile') ? { name: user.name } : {}),
          ...(grant.scopes.includes('email') ? { email: user.email } : {}),
          ...(grant.nonce ? { nonce: grant.nonce } : {}),
          iat,
          exp: iat + 300,
        },
        key,
      );
      issued.tokens.add(answer.id_token);
    }
    if (grant.scopes.includes('offline_access')) {
      answer.refresh_token = randomToken(32);
      issued.tokens.add(answer.refresh_token);
    }
    return json(res, 200, answer);
  }

  /**
   * The HCSS Marketplace, as a company admin sees it (already signed in to HCSS there): the partner
   * apps, each with Connect; `?app=` shows one app's consent screen.
   */
  function marketplace(req, res, url) {
    const xsrf = cookies(req)['hcss.mp'] || randomToken(16);
    res.setHeader('set-cookie', cookie('hcss.mp', xsrf, 3600));
    const apps = [...clients.values()].filter((c) => c.marketplaceRedirectUrl);
    const app = clients.get(url.searchParams.get('app') ?? '');
    const who = `<p class="note">Signed in as ${esc(HCSS_USER.name)} · ${esc(HCSS_USER.companyName)} (company admin)</p>`;
    if (app?.marketplaceRedirectUrl) {
      return show(
        res,
        200,
        `Connect ${app.name} · HCSS Marketplace`,
        `<div class="card">
  <div class="app"><span class="logo">${esc(app.name.slice(0, 1))}</span>
    <div><h1>Connect ${esc(app.name)}</h1><div class="sub" style="margin:0">to <b>${esc(HCSS_USER.companyName)}</b></div></div></div>
  <p>${esc(app.name)} will be able to request data for your company from the HCSS APIs it was granted:</p>
  <ul class="scopes">${app.scopes
    .filter((scope) => SCOPES[scope]?.[1] && scope.includes(':'))
    .map((scope) => `<li><b>${esc(SCOPES[scope][0])}</b><span>${esc(SCOPES[scope][1])}</span></li>`)
    .join('')}</ul>
  <form method="post" action="/marketplace/connect">
    <input type="hidden" name="app" value="${esc(app.clientId)}">
    <input type="hidden" name="xsrf" value="${esc(xsrf)}">
    <div class="actions">
      <button class="primary grow" type="submit" name="decision" value="connect">Connect</button>
      <button class="secondary" type="submit" name="decision" value="cancel">Cancel</button>
    </div>
  </form>
  <p class="note">After you connect, ${esc(app.name)} asks you to sign in there and verifies the connection with your HCSS account.</p>
  ${who}
</div>`,
        marketplaceBrand,
      );
    }
    const tiles = apps
      .map(
        (c) => `<li><b>${esc(c.name)}</b><span>${esc(c.description ?? '')}</span>
  <a href="/marketplace?app=${encodeURIComponent(c.clientId)}">Connect ${esc(c.name)}…</a></li>`,
      )
      .join('');
    return show(
      res,
      200,
      'HCSS Marketplace',
      `<div class="card"><h1>HCSS Marketplace</h1><p class="sub">Apps that work with your HCSS data</p>
  <ul class="scopes">${tiles || '<li>No app is listed.</li>'}</ul>${who}</div>`,
      marketplaceBrand,
    );
  }

  async function marketplaceConnect(req, res) {
    const form = await readForm(req);
    if (!same(form.get('xsrf') ?? '', cookies(req)['hcss.mp'] ?? '')) {
      return fail(res, 400, 'Bad request', 'The form was not sent from this page.');
    }
    const app = clients.get(form.get('app') ?? '');
    if (!app?.marketplaceRedirectUrl)
      return fail(res, 400, 'Unknown app', 'No such app is listed.');
    if (form.get('decision') !== 'connect') return redirect(res, '/marketplace');
    // "If they confirm the connection, they will be redirected to the redirect url configured in
    // your app's settings."
    return redirect(res, app.marketplaceRedirectUrl);
  }

  function discovery(req, res) {
    json(res, 200, {
      issuer: `${origin}/identity`,
      authorization_endpoint: `${origin}/identity/connect/authorize`,
      token_endpoint: `${origin}/identity/connect/token`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'company'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      scopes_supported: Object.keys(SCOPES),
    });
  }

  const server = await listen(
    router([
      ['GET', '/identity/connect/authorize', authorize],
      [
        'GET',
        '/identity/account/login',
        (req, res, url) => loginPage(res, url.searchParams.get('rid')),
      ],
      ['POST', '/identity/account/login', login],
      ['GET', '/identity/connect/consent', consentPage],
      ['POST', '/identity/connect/consent', consent],
      ['POST', '/identity/connect/token', token],
      ['GET', '/identity/.well-known/openid-configuration', discovery],
      ['GET', '/marketplace', marketplace],
      ['POST', '/marketplace/connect', marketplaceConnect],
    ]),
    { host, port },
  );
  origin = server.origin;
  return {
    name: 'hcss',
    origin,
    authorizeUrl: `${origin}/identity/connect/authorize`,
    tokenUrl: `${origin}/identity/connect/token`,
    marketplaceUrl: `${origin}/marketplace`,
    issued,
    register(client) {
      clients.set(client.clientId, {
        name: 'Partner app',
        scopes: Object.keys(SCOPES),
        ...client,
        redirectUris: [...client.redirectUris],
      });
    },
    close: server.close,
  };
}
