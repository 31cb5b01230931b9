// The demo's mock providers (demo/mocks/), started on free ports, driven through real HTTP the way
// a browser would (cookies, forms, redirects not followed), and redeemed by the demo's backend —
// the real createExchangeHandler / createServerFlow from dist/server.js, configured as the demo
// configures them (demo/backend.mjs, demo/settings.mjs). Each happy path ends connected with no
// token in any answer; each refusal a real provider would make is made.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import * as serverHalf from '../../dist/server.js';
import { createDemoBackend } from '../../demo/backend.mjs';
import { HCSS_USER, startMockProviders } from '../../demo/mocks/index.mjs';
import { demoSettings, registerWithMocks } from '../../demo/settings.mjs';

let clock = Date.now();
const now = () => clock;
const MINUTE = 60_000;

let mocks;
let partner; // the demo backend, registered with the mocks
before(async () => {
  mocks = await startMockProviders({ ports: 0, now });
  partner = await startPartner();
});
after(async () => {
  await partner?.close();
  await mocks?.close();
});

/** The demo backend on node:http at a free port; `register: false` leaves the mocks as they are. */
async function startPartner({ env = {}, register = true } = {}) {
  let handle = () => undefined;
  const server = http.createServer((req, res) =>
    handle(req, res, () => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>page</p>')),
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const settings = demoSettings(env, mocks);
  if (register) registerWithMocks(mocks, settings, origin);
  handle = createDemoBackend({ server: serverHalf, settings, origin });
  const ua = agent();
  await ua.get(`${origin}/`, { accept: 'text/html' }); // a page load: the demo session cookie
  return {
    origin,
    settings,
    ua,
    callback: `${origin}/callback.html`,
    /** POST JSON to the backend as the element does (with the session cookie). */
    post: (path, body) => ua.post(`${origin}${path}`, { json: body }),
    state: () => ua.get(`${origin}/api/demo/state`).then((r) => JSON.parse(r.text)),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A browser, roughly: a cookie jar per origin; redirects are returned, not followed. */
function agent() {
  const jars = new Map();
  async function request(url, { method = 'GET', form, json, headers = {} } = {}) {
    const { origin } = new URL(url);
    const jar = jars.get(origin) ?? new Map();
    jars.set(origin, jar);
    const sent = { ...headers };
    if (jar.size) sent.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      sent['content-type'] = 'application/x-www-form-urlencoded';
    } else if (json) {
      body = JSON.stringify(json);
      sent['content-type'] = 'application/json';
    }
    const response = await fetch(url, { method, headers: sent, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.get('location');
    return {
      status: response.status,
      headers: response.headers,
      location: location ? new URL(location, url) : undefined,
      text: await response.text(),
    };
  }
  return {
    get: (url, headers) => request(url, { headers }),
    post: (url, options) => request(url, { method: 'POST', ...options }),
  };
}

/** A hidden form field of a mock's page. */
function field(html, name) {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
  assert.ok(value !== undefined, `no field ${name} in the page`);
  return value;
}

const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
function pkce() {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(48)));
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
const newState = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

/** Asserts that `text` holds no token and no code the mocks issued. */
function noSecretsIn(text, where) {
  const { codes, tokens } = mocks.issued();
  for (const token of tokens) assert.ok(!text.includes(token), `a token in ${where}`);
  for (const code of codes) assert.ok(!text.includes(code), `a code in ${where}`);
}

// ——— HCSS ———

function hcssAuthorizeUrl({
  redirectUri = partner.callback,
  clientId,
  challenge,
  state,
  scope,
} = {}) {
  const url = new URL(mocks.hcss.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId ?? partner.settings.hcss.clientId,
    redirect_uri: redirectUri,
    scope: scope ?? partner.settings.hcss.scope,
    ...(state ? { state } : {}),
    ...(challenge ? { code_challenge: challenge, code_challenge_method: 'S256' } : {}),
  });
  return url;
}

/** Signs in (once per agent) and answers the consent page; returns where HCSS sent the user. */
async function hcssConsent(ua, url, decision = 'allow') {
  let r = await ua.get(url);
  assert.equal(r.status, 302);
  if (r.location.pathname === '/identity/account/login') {
    r = await ua.get(r.location);
    assert.equal(r.status, 200);
    assert.match(r.text, /<form method="post" action="\/identity\/account\/login">/);
    assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin');
    r = await ua.post(`${mocks.hcss.origin}/identity/account/login`, {
      form: {
        rid: field(r.text, 'rid'),
        af: field(r.text, 'af'),
        email: HCSS_USER.email,
        password: HCSS_USER.password,
      },
    });
    assert.equal(r.status, 302);
  }
  r = await ua.get(r.location);
  assert.equal(r.status, 200);
  assert.match(r.text, /wants to connect to <b>Acme Paving Co\.<\/b>/);
  assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin');
  r = await ua.post(`${mocks.hcss.origin}/identity/connect/consent`, {
    form: { rid: field(r.text, 'rid'), xsrf: field(r.text, 'xsrf'), decision },
  });
  assert.equal(r.status, 302);
  return r.location;
}

/** A fresh HCSS code for the demo partner, with what the element would send with it. */
async function hcssCode(ua = agent()) {
  const { verifier, challenge } = pkce();
  const state = newState();
  const back = await hcssConsent(ua, hcssAuthorizeUrl({ challenge, state }));
  assert.equal(back.origin + back.pathname, partner.callback);
  assert.equal(back.searchParams.get('state'), state);
  const code = back.searchParams.get('code');
  assert.ok(code);
  return { provider: 'hcss', code, state, codeVerifier: verifier, redirectUri: partner.callback };
}

async function hcssToken(form, auth) {
  return fetch(mocks.hcss.tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth ? { authorization: auth } : {}),
    },
    body: new URLSearchParams(form),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
}

describe('HCSS mock', () => {
  it('sign in, consent, code → the demo backend redeems it: connected with the CompanyId, no token in the answer', async () => {
    const body = await hcssCode();
    const r = await partner.post('/api/oauth', body);
    assert.equal(r.status, 200, r.text);
    const answer = JSON.parse(r.text);
    assert.equal(answer.connected, true);
    assert.equal(answer.account, HCSS_USER.name);
    assert.equal(answer.companyId, '3f0c1e2a-8b7d-4c6e-9a51-2d7f4b8e6c10');
    noSecretsIn(r.text, 'the exchange answer');
    // what the page's panel shows: the exchange, the code redacted, the claims readable
    const state = await partner.state();
    const text = JSON.stringify(state);
    noSecretsIn(text, 'the backend panel');
    assert.ok(
      !text.includes(body.codeVerifier) && !text.includes(partner.settings.hcss.clientSecret),
    );
    assert.ok(text.includes(`${body.code.slice(0, 4)}…(redacted)`));
    assert.match(text, /CompanyId/);
    assert.equal(state.connections.hcss.account, HCSS_USER.name);
  });

  it('a reused code is refused (invalid_grant), and so is an expired one', async () => {
    const body = await hcssCode();
    assert.equal((await partner.post('/api/oauth', body)).status, 200);
    const again = await partner.post('/api/oauth', body);
    assert.equal(again.status, 400);
    assert.deepEqual(JSON.parse(again.text), {
      error: 'invalid_grant',
      error_description: 'authorization code already used',
    });
    const late = await hcssCode();
    clock += 6 * MINUTE; // HCSS codes live 5 minutes
    const expired = await partner.post('/api/oauth', late);
    clock = Date.now();
    assert.equal(expired.status, 400);
    assert.match(JSON.parse(expired.text).error_description, /expired/);
  });

  it('PKCE: a missing verifier and a wrong one are refused', async () => {
    const missing = await partner.post('/api/oauth', {
      ...(await hcssCode()),
      codeVerifier: undefined,
    });
    assert.equal(missing.status, 400);
    assert.match(JSON.parse(missing.text).error_description, /code_verifier is missing/);
    const wrong = await partner.post('/api/oauth', {
      ...(await hcssCode()),
      codeVerifier: pkce().verifier,
    });
    assert.equal(wrong.status, 400);
    assert.match(JSON.parse(wrong.text).error_description, /does not match code challenge/);
  });

  it('the token endpoint: unknown client, wrong secret, other redirect_uri refused', async () => {
    const { code, codeVerifier } = await hcssCode();
    const base = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: partner.callback,
      code_verifier: codeVerifier,
    };
    const unknown = await hcssToken({ ...base, client_id: 'nobody', client_secret: 'x' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_client');
    const basic = `Basic ${Buffer.from(`${partner.settings.hcss.clientId}:wrong`).toString('base64')}`;
    assert.equal((await hcssToken(base, basic)).body.error, 'invalid_client');
    // (the code is still unspent: client authentication comes first)
    const other = await hcssToken({
      ...base,
      redirect_uri: `${partner.origin}/elsewhere`,
      client_id: partner.settings.hcss.clientId,
      client_secret: partner.settings.hcss.clientSecret,
    });
    assert.equal(other.status, 400);
    assert.deepEqual(other.body, {
      error: 'invalid_grant',
      error_description: 'redirect_uri mismatch',
    });
  });

  it('a backend with the wrong client secret gets 502 (its own configuration), not the provider’s words', async () => {
    const misconfigured = await startPartner({
      env: { HCSS_CLIENT_SECRET: 'not-it' },
      register: false,
    });
    try {
      const r = await misconfigured.post('/api/oauth', {
        ...(await hcssCode()),
        redirectUri: misconfigured.callback,
      });
      // the demo backend only accepts its own callback; the code was issued for the other one
      assert.equal(r.status, 502);
      assert.equal(JSON.parse(r.text).error, 'server_error');
    } finally {
      await misconfigured.close();
    }
  });

  it('authorize: an unknown client or an unregistered redirect_uri gets an error page, never a redirect', async () => {
    const ua = agent();
    const { challenge } = pkce();
    const unknown = await ua.get(hcssAuthorizeUrl({ clientId: 'nobody', challenge, state: 's' }));
    assert.equal(unknown.status, 400);
    assert.equal(unknown.location, undefined);
    assert.match(unknown.text, /Unknown client/);
    const elsewhere = await ua.get(
      hcssAuthorizeUrl({ redirectUri: 'http://127.0.0.1:9/steal', challenge, state: 's' }),
    );
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.location, undefined);
    assert.match(elsewhere.text, /redirect_uri/);
  });

  it('authorize: no PKCE challenge → invalid_request; Deny → access_denied, each with the state', async () => {
    const ua = agent();
    const noPkce = await ua.get(hcssAuthorizeUrl({ state: 'st-1' }));
    assert.equal(noPkce.status, 302);
    assert.equal(noPkce.location.searchParams.get('error'), 'invalid_request');
    assert.equal(noPkce.location.searchParams.get('state'), 'st-1');
    const denied = await hcssConsent(
      ua,
      hcssAuthorizeUrl({ challenge: pkce().challenge, state: 'st-2' }),
      'deny',
    );
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), 'st-2');
    assert.equal(denied.searchParams.get('code'), null);
  });

  it('mode="server": createServerFlow starts, HCSS redirects to it, it redeems the code, the element reads the outcome', async () => {
    const start = await partner.post('/api/oauth/server', { provider: 'hcss' });
    assert.equal(start.status, 200);
    const { url, flow } = JSON.parse(start.text);
    const back = await hcssConsent(agent(), new URL(url));
    assert.equal(back.origin + back.pathname, `${partner.origin}/api/oauth/server`);
    // the provider's redirect: a top-level navigation to the partner, with its session cookie
    const landed = await partner.ua.get(back);
    assert.equal(landed.status, 200);
    assert.match(landed.text, /Connected/);
    const replay = await partner.ua.get(back);
    assert.equal(replay.status, 400); // taken once
    const outcome = await partner.post('/api/oauth/server', { flow });
    const result = JSON.parse(outcome.text);
    assert.equal(result.status, 'connected');
    assert.equal(result.result.account, HCSS_USER.name);
    noSecretsIn(outcome.text, 'the outcome');
    noSecretsIn(JSON.stringify(await partner.state()), 'the backend panel');
  });
});

// ——— HealthTap ———

function healthtapAuthorizeUrl({ redirectUri = partner.callback, clientId, state } = {}) {
  const url = new URL(mocks.healthtap.authorizeUrl);
  url.search = new URLSearchParams({
    client_id: clientId ?? partner.settings.healthtap.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'profile_read',
    ...(state ? { state } : {}),
  });
  return url;
}

async function healthtapDecide(url, decision = 'allow') {
  const ua = agent();
  const page = await ua.get(url);
  assert.equal(page.status, 200);
  assert.match(page.text, /Tap in to Kestrel/);
  const r = await ua.post(`${mocks.healthtap.origin}/oauth/authorize`, {
    form: {
      rid: field(page.text, 'rid'),
      authenticity_token: field(page.text, 'authenticity_token'),
      decision,
    },
  });
  assert.equal(r.status, 302);
  return r.location;
}

async function healthtapCode() {
  const state = newState();
  const back = await healthtapDecide(healthtapAuthorizeUrl({ state }));
  assert.equal(back.searchParams.get('state'), state);
  return {
    provider: 'healthtap',
    code: back.searchParams.get('code'),
    state,
    redirectUri: partner.callback,
  };
}

const healthtapToken = (body, auth) =>
  fetch(mocks.healthtap.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('HealthTap mock', () => {
  it('Allow → code → basic auth + JSON body at /oauth/token: connected, no token in the answer', async () => {
    const r = await partner.post('/api/oauth', await healthtapCode());
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(JSON.parse(r.text), { connected: true, account: 'HealthTap member f01bdaf1' });
    noSecretsIn(r.text, 'the exchange answer');
    const text = JSON.stringify(await partner.state());
    noSecretsIn(text, 'the backend panel');
    assert.match(text, /"authorization":"Basic \(redacted\)"/);
    assert.ok(!text.includes(partner.settings.healthtap.clientSecret));
  });

  it('Deny → error=access_denied', async () => {
    const back = await healthtapDecide(healthtapAuthorizeUrl({ state: 'st' }), 'deny');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('the token endpoint: missing basic auth, wrong secret, client_id not the basic user, other redirect_uri', async () => {
    const { code } = await healthtapCode();
    const { clientId, clientSecret } = partner.settings.healthtap;
    const body = {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      redirect_uri: partner.callback,
    };
    const none = await healthtapToken(body);
    assert.equal(none.status, 401);
    assert.equal(none.body.error, 'invalid_client');
    const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    assert.equal((await healthtapToken(body, basic(clientId, 'wrong'))).status, 401);
    assert.equal(
      (await healthtapToken({ ...body, client_id: 'other' }, basic(clientId, clientSecret))).status,
      401,
    );
    const other = await healthtapToken(
      { ...body, redirect_uri: `${partner.origin}/x` },
      basic(clientId, clientSecret),
    );
    assert.equal(other.status, 400);
    assert.equal(other.body.error, 'invalid_grant');
  });

  it('a reused code and an expired one are refused', async () => {
    const body = await healthtapCode();
    assert.equal((await partner.post('/api/oauth', body)).status, 200);
    const again = await partner.post('/api/oauth', body);
    assert.equal(again.status, 400);
    assert.match(JSON.parse(again.text).error_description, /already been used/);
    const late = await healthtapCode();
    clock += 11 * MINUTE;
    const expired = await partner.post('/api/oauth', late);
    clock = Date.now();
    assert.equal(expired.status, 400);
    assert.match(JSON.parse(expired.text).error_description, /expired/);
  });

  it('authorize: an unknown client or an unregistered redirect_uri gets an error page', async () => {
    const unknown = await agent().get(healthtapAuthorizeUrl({ clientId: 'nobody' }));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.location, undefined);
    const elsewhere = await agent().get(
      healthtapAuthorizeUrl({ redirectUri: 'http://127.0.0.1:9/x' }),
    );
    assert.equal(elsewhere.status, 400);
    assert.equal(elsewhere.location, undefined);
  });

  it('mode="server": createServerFlow with HealthTap (no PKCE)', async () => {
    const { url, flow } = JSON.parse(
      (await partner.post('/api/oauth/server', { provider: 'healthtap' })).text,
    );
    assert.equal(new URL(url).searchParams.get('code_challenge'), null);
    const back = await healthtapDecide(new URL(url));
    assert.equal((await partner.ua.get(back)).status, 200);
    const outcome = JSON.parse((await partner.post('/api/oauth/server', { flow })).text);
    assert.equal(outcome.status, 'connected');
    assert.equal(outcome.result.account, 'HealthTap member f01bdaf1');
  });
});

// ——— b.well ———

/** The backend's url-endpoint (getOauthUrl), then the consent page's form. */
async function bwellConsent({ completion, decision = 'allow', tamper = false, before } = {}) {
  const path = completion === 'redirect' ? '/api/oauth?completion=redirect' : '/api/oauth';
  const answer = await partner.post(path, {
    provider: 'bwell',
    connectionId: 'conn-sunrise-health',
  });
  assert.equal(answer.status, 200, answer.text);
  const url = new URL(JSON.parse(answer.text).url);
  assert.equal(url.origin, mocks.bwell.origin);
  const ua = agent();
  const page = await ua.get(url);
  assert.equal(page.status, 200);
  assert.match(page.text, /Connect Sunrise Health/);
  before?.();
  const form = {
    session: field(page.text, 'session'),
    csrf: tamper ? 'forged' : field(page.text, 'csrf'),
    decision,
  };
  const r = await ua.post(`${mocks.bwell.origin}/oauth/connect`, { form });
  assert.equal(r.status, 302);
  return { location: r.location, ua, form };
}

describe('b.well mock', () => {
  it("getOauthUrl → consent → b.well's hosted completion page posts status-success to the partner's origin (never '*') → connected", async () => {
    const { location, ua } = await bwellConsent();
    assert.equal(location.origin, mocks.bwell.origin);
    assert.equal(location.searchParams.get('status_code'), 'success');
    const page = await ua.get(location);
    assert.ok(
      page.text.includes(`window.opener.postMessage("status-success", "${partner.origin}")`),
    );
    assert.ok(!/postMessage\([^)]*['"]\*['"]/.test(page.text));
    const r = await partner.post('/api/oauth', {
      provider: 'bwell',
      status: 'success',
      connectionId: 'conn-sunrise-health',
    });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.text), {
      connected: true,
      account: 'Sunrise Health',
      connectionId: 'conn-sunrise-health',
    });
    const text = JSON.stringify(await partner.state());
    assert.ok(
      !text.includes(partner.settings.bwell.userToken),
      'the user token stays on the server',
    );
  });

  it('a failure posts status-failure', async () => {
    const { location, ua } = await bwellConsent({ decision: 'cancel' });
    assert.equal(location.searchParams.get('status_code'), 'cancelled');
    assert.match((await ua.get(location)).text, /postMessage\("status-failure"/);
  });

  it('the custom redirect URL gets ?status_code=: success, cancelled, expired (asked, or the session ran out), unauthorized (CSRF)', async () => {
    const status = async (options) => {
      const { location } = await bwellConsent({ completion: 'redirect', ...options });
      assert.equal(location.origin + location.pathname, partner.callback);
      return location.searchParams.get('status_code');
    };
    assert.equal(await status({}), 'success');
    assert.equal(await status({ decision: 'cancel' }), 'cancelled');
    assert.equal(await status({ decision: 'expire' }), 'expired');
    assert.equal(await status({ before: () => (clock += 11 * MINUTE) }), 'expired');
    clock = Date.now();
    assert.equal(await status({ tamper: true }), 'unauthorized');
  });

  it('a consent session is used once', async () => {
    const { ua, form } = await bwellConsent();
    const again = await ua.post(`${mocks.bwell.origin}/oauth/connect`, { form });
    assert.equal(again.status, 400);
    assert.equal(again.location, undefined);
  });

  it('GraphQL: no user token, or an unknown connection → errors (the backend answers 400 with them)', async () => {
    const gql = (headers, connectionId) =>
      fetch(mocks.bwell.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          query:
            'query getOauthUrl($connectionId: String!) { getOauthUrl(connectionId: $connectionId) { redirectUrl } }',
          variables: { connectionId },
        }),
      }).then((r) => r.json());
    const anonymous = await gql({}, 'conn-sunrise-health');
    assert.equal(anonymous.data, null);
    assert.equal(anonymous.errors[0].extensions.code, 'UNAUTHENTICATED');
    const unknown = await partner.post('/api/oauth', {
      provider: 'bwell',
      connectionId: 'conn-nowhere',
    });
    assert.equal(unknown.status, 400);
    assert.match(JSON.parse(unknown.text).error_description, /Connection not found/);
  });
});

// ——— Hint ———

/** The practice admin's Integrate, as Hint's page posts it: the partner's activation URL + code. */
async function hintIntegrate() {
  const ua = agent();
  const page = await ua.get(`${mocks.hint.origin}/admin/integrations`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Integrate/);
  const r = await ua.post(`${mocks.hint.origin}/admin/integrations/integrate`, {
    form: { partner: field(page.text, 'partner'), xsrf: field(page.text, 'xsrf') },
  });
  assert.equal(r.status, 302);
  assert.equal(r.location.origin + r.location.pathname, `${partner.origin}/hint-activate.html`);
  return r.location.searchParams.get('code');
}

const hintTokens = (code, auth) =>
  fetch(`${mocks.hint.origin}/api/oauth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify({ code }),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('Hint mock', () => {
  it('Integrate → the partner page with ?code= → the backend redeems it with its partner key: connected', async () => {
    const code = await hintIntegrate();
    assert.match(code, /^[A-Za-z0-9]{19}$/);
    const r = await partner.post('/api/oauth', { provider: 'hint', code });
    assert.equal(r.status, 200, r.text);
    const answer = JSON.parse(r.text);
    assert.equal(answer.account, "Joe's Practice");
    assert.match(answer.integrationId, /^int-/);
    noSecretsIn(r.text, 'the exchange answer');
    const text = JSON.stringify(await partner.state());
    noSecretsIn(text, 'the backend panel');
    assert.ok(!text.includes(partner.settings.hint.apiKey));
    // Hint's page now says so
    assert.match((await agent().get(`${mocks.hint.origin}/admin/integrations`)).text, /Connected/);
  });

  it('/api/oauth/tokens without an API key, or with a wrong one: 401; the backend with a wrong key: 502', async () => {
    const code = await hintIntegrate();
    assert.equal((await hintTokens(code)).status, 401);
    assert.equal((await hintTokens(code, 'Bearer not-the-key')).status, 401);
    const misconfigured = await startPartner({
      env: { HINT_PARTNER_KEY: 'not-the-key' },
      register: false,
    });
    try {
      const r = await misconfigured.post('/api/oauth', { provider: 'hint', code });
      assert.equal(r.status, 502);
    } finally {
      await misconfigured.close();
    }
    // the code was not spent by the refused calls
    assert.equal((await partner.post('/api/oauth', { provider: 'hint', code })).status, 200);
  });

  it('a reused code and an expired one are refused', async () => {
    const code = await hintIntegrate();
    assert.equal((await partner.post('/api/oauth', { provider: 'hint', code })).status, 200);
    const again = await partner.post('/api/oauth', { provider: 'hint', code });
    assert.equal(again.status, 400);
    assert.match(JSON.parse(again.text).error_description, /already used/);
    const late = await hintIntegrate();
    clock += 11 * MINUTE;
    const expired = await partner.post('/api/oauth', { provider: 'hint', code: late });
    clock = Date.now();
    assert.equal(expired.status, 400);
    assert.match(JSON.parse(expired.text).error_description, /expired/);
  });

  it("Integrate without the page's form token is refused", async () => {
    const r = await agent().post(`${mocks.hint.origin}/admin/integrations/integrate`, {
      form: { partner: 'kestrel', xsrf: 'forged' },
    });
    assert.equal(r.status, 400);
    assert.equal(r.location, undefined);
  });
});

describe('the demo backend', () => {
  it('refuses /api/ requests without a session', async () => {
    const r = await agent().post(`${partner.origin}/api/oauth`, {
      json: { provider: 'hint', code: 'x' },
    });
    assert.equal(r.status, 401);
  });

  it('signed out, the exchange answers 401 and the code is not spent; after the sign-in it connects', async () => {
    const p = await startPartner({ register: false });
    try {
      const out = await p.post('/api/demo/signout', {});
      assert.equal(out.status, 200);
      assert.deepEqual(await p.state(), {
        signedIn: false,
        user: null,
        connections: {},
        received: [],
      });
      const code = await hintIntegrate();
      const early = await p.post('/api/oauth', { provider: 'hint', code });
      assert.equal(early.status, 401); // what the element holds the code for
      const status = await p.ua.get(`${p.origin}/api/integrations/status?provider=hint`);
      assert.equal(status.status, 401);
      const wrong = await p.post('/api/demo/signin', {
        email: 'pat@kestrel.example',
        password: 'x',
      });
      assert.equal(wrong.status, 401);
      const signin = await p.post('/api/demo/signin', {
        email: 'pat@kestrel.example',
        password: 'demo',
      });
      assert.equal(signin.status, 200);
      const r = await p.post('/api/oauth', { provider: 'hint', code });
      assert.equal(r.status, 200, r.text);
      assert.equal((await p.state()).signedIn, true);
    } finally {
      await p.close();
    }
  });

  it("status-url and disconnect-url: the user's connection, its error, forgotten on disconnect", async () => {
    const p = await startPartner({ register: false });
    try {
      const status = async () =>
        JSON.parse((await p.ua.get(`${p.origin}/api/integrations/status?provider=hint`)).text);
      assert.deepEqual(await status(), { connected: false });
      const code = await hintIntegrate();
      assert.equal((await p.post('/api/oauth', { provider: 'hint', code })).status, 200);
      const connected = await status();
      assert.equal(connected.connected, true);
      assert.equal(connected.name, "Joe's Practice");
      assert.ok(!Number.isNaN(Date.parse(connected.updatedAt)));
      assert.equal((await p.post('/api/demo/break', { provider: 'hint' })).status, 200);
      assert.match((await status()).error, /integration_error_message/);
      const d = await p.post('/api/integrations/disconnect', { provider: 'hint' });
      assert.deepEqual(JSON.parse(d.text), { disconnected: true });
      assert.deepEqual(await status(), { connected: false });
      assert.match((await p.state()).received[0].title, /Hint: disconnect/);
    } finally {
      await p.close();
    }
  });
});

describe('HCSS Marketplace mock', () => {
  it("Connect → the partner's registered redirect URL; Cancel → back; a forged form refused", async () => {
    const ua = agent();
    const page = await ua.get(`${partner.settings.hcss.marketplaceUrl}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Connect Kestrel/);
    const form = { app: field(page.text, 'app'), xsrf: field(page.text, 'xsrf') };
    const go = await ua.post(`${mocks.hcss.origin}/marketplace/connect`, {
      form: { ...form, decision: 'connect' },
    });
    assert.equal(go.status, 302);
    assert.equal(go.location.href, `${partner.origin}/hcss-connect.html`);
    const cancel = await ua.post(`${mocks.hcss.origin}/marketplace/connect`, {
      form: { ...form, decision: 'cancel' },
    });
    assert.equal(cancel.location.pathname, '/marketplace');
    const forged = await agent().post(`${mocks.hcss.origin}/marketplace/connect`, {
      form: { ...form, decision: 'connect' },
    });
    assert.equal(forged.status, 400);
    assert.equal(forged.location, undefined);
  });
});
