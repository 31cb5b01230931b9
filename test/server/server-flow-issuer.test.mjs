// The mix-up defence on the server flow's redirect (RFC 9207, RFC 9700 §4.4): an answer that
// carries `iss` must carry the provider's issuer, or the flow fails unauthorized and its code is
// never sent to a token endpoint.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createServerFlow } from '../../dist/server.js';
import { genericAt, mockProvider } from './support.mjs';

const REDIRECT = 'https://app.example/oauth/server';
const HCSS_ISSUER = 'https://api.hcssapps.com/identity';

let provider;
before(async () => {
  provider = await mockProvider(() => [200, { access_token: 'at-SECRET', token_type: 'Bearer' }]);
});
after(() => provider.close());
beforeEach(() => {
  provider.seen.length = 0;
});

function flowHandler(providers) {
  return createServerFlow({
    providers,
    redirectUri: REDIRECT,
    pollWindow: 200,
    session: () => 'alice',
  });
}
const hcss = (extra = {}) => ({
  hcss: {
    clientId: 'c',
    clientSecret: 's',
    tokenUrl: `${provider.url}/token`,
    redirectUris: [],
    ...extra,
  },
});
const generic = (extra = {}) => ({
  generic: genericAt(provider, extra),
});

const post = (handler, body, cookie = '') =>
  handler(
    new Request(REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    }),
  );

/** Starts a flow, has the provider answer with `query` (plus the state), reads the outcome. */
async function answer(handler, name, query) {
  const started = await post(handler, { provider: name });
  assert.equal(started.status, 200);
  const { url, flow } = await started.json();
  const cookie = started.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const state = new URL(url).searchParams.get('state');
  const params = new URLSearchParams(query);
  params.set('state', state);
  const page = await handler(new Request(`${REDIRECT}?${params}`, { headers: { cookie } }));
  const outcome = await (await post(handler, { flow }, cookie)).json();
  return { page, outcome, url: new URL(url) };
}

describe('server flow: the authorization response’s iss (RFC 9207)', () => {
  it('hcss: an iss that is not HCSS’s → failed unauthorized, and the token endpoint is never called', async () => {
    const handler = flowHandler(hcss());
    const { page, outcome } = await answer(handler, 'hcss', {
      code: 'C',
      iss: 'https://attacker.example/identity',
    });
    assert.equal(page.status, 400);
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failure, 'unauthorized');
    assert.equal(provider.seen.length, 0, 'no token request');
  });

  it('hcss: its own iss → connected; no iss → connected (a missing iss is accepted)', async () => {
    const handler = flowHandler(hcss());
    const right = await answer(handler, 'hcss', { code: 'C1', iss: HCSS_ISSUER });
    assert.equal(right.outcome.status, 'connected', JSON.stringify(right.outcome));
    assert.equal(right.url.origin + right.url.pathname, `${HCSS_ISSUER}/connect/authorize`);
    const none = await answer(handler, 'hcss', { code: 'C2' });
    assert.equal(none.outcome.status, 'connected', JSON.stringify(none.outcome));
    assert.equal(provider.seen.length, 2);
  });

  it('an error answer with another iss fails unauthorized too (not as the error it claims)', async () => {
    const handler = flowHandler(hcss());
    const { outcome } = await answer(handler, 'hcss', {
      error: 'access_denied',
      iss: 'https://attacker.example',
    });
    assert.equal(outcome.failure, 'unauthorized');
  });

  it('iss given twice → unauthorized', async () => {
    const handler = flowHandler(hcss());
    const params = new URLSearchParams({ code: 'C' });
    params.append('iss', HCSS_ISSUER);
    params.append('iss', 'https://attacker.example');
    const { outcome } = await answer(handler, 'hcss', params);
    assert.equal(outcome.failure, 'unauthorized');
    assert.equal(provider.seen.length, 0);
  });

  it('hcss with another authorizeUrl (a sandbox): the issuer follows it; an explicit issuer wins', async () => {
    const sandbox = flowHandler(
      hcss({ authorizeUrl: 'https://sandbox.hcssapps.com/identity/connect/authorize' }),
    );
    const ok = await answer(sandbox, 'hcss', {
      code: 'C',
      iss: 'https://sandbox.hcssapps.com/identity',
    });
    assert.equal(ok.outcome.status, 'connected');
    const prod = await answer(sandbox, 'hcss', { code: 'C', iss: HCSS_ISSUER });
    assert.equal(prod.outcome.failure, 'unauthorized');
    const explicit = flowHandler(
      hcss({ authorizeUrl: 'https://login.example/authorize', issuer: 'https://login.example' }),
    );
    const named = await answer(explicit, 'hcss', { code: 'C', iss: 'https://login.example' });
    assert.equal(named.outcome.status, 'connected');
    const wrong = await answer(explicit, 'hcss', { code: 'C', iss: HCSS_ISSUER });
    assert.equal(wrong.outcome.failure, 'unauthorized');
    assert.equal(provider.seen.length, 2);
  });

  it('generic with issuer: compared; with requireIss: an answer without iss fails too', async () => {
    const handler = flowHandler(generic({ issuer: 'https://id.example' }));
    assert.equal(
      (await answer(handler, 'generic', { code: 'C', iss: 'https://id.example' })).outcome.status,
      'connected',
    );
    assert.equal(
      (await answer(handler, 'generic', { code: 'C', iss: 'https://id.example/' })).outcome.failure,
      'unauthorized',
    );
    assert.equal((await answer(handler, 'generic', { code: 'C' })).outcome.status, 'connected');
    const strict = flowHandler(generic({ issuer: 'https://id.example', requireIss: true }));
    assert.equal((await answer(strict, 'generic', { code: 'C' })).outcome.failure, 'unauthorized');
    assert.equal(provider.seen.length, 2);
  });

  it('generic without issuer, healthtap: no issuer known, an iss is not compared', async () => {
    const handler = flowHandler(generic());
    const { outcome } = await answer(handler, 'generic', { code: 'C', iss: 'https://any.example' });
    assert.equal(outcome.status, 'connected');
    const healthtap = flowHandler({
      healthtap: {
        clientId: 'app',
        clientSecret: 'ht-secret',
        tokenUrl: `${provider.url}/token`,
        redirectUris: [],
      },
    });
    const tapped = await answer(healthtap, 'healthtap', { code: 'C', iss: 'https://any.example' });
    assert.equal(tapped.outcome.status, 'connected');
    assert.equal(provider.seen.length, 2);
  });

  it('issuer options are checked when the handler is made, naming the option', () => {
    for (const issuer of [
      'http://id.example',
      'id.example',
      '/identity',
      'https://id.example/?realm=1',
      'https://id.example/#x',
      42,
    ]) {
      assert.throws(
        () => flowHandler(generic({ issuer })),
        /generic\.issuer must be an absolute https URL/,
        String(issuer),
      );
    }
    assert.throws(() => flowHandler(hcss({ issuer: 'ftp://x' })), /hcss\.issuer must be/);
    for (const issuer of [
      'http://localhost:8080/realms/dev',
      'http://127.0.0.1:9/x',
      'http://[::1]',
    ]) {
      assert.doesNotThrow(() => flowHandler(generic({ issuer })), issuer);
    }
    assert.throws(
      () => flowHandler(generic({ requireIss: true })),
      /generic\.requireIss needs generic\.issuer/,
    );
    assert.throws(
      () =>
        flowHandler(hcss({ authorizeUrl: 'https://login.example/authorize', requireIss: true })),
      /hcss\.requireIss needs hcss\.issuer/,
    );
    assert.doesNotThrow(() => flowHandler(hcss({ requireIss: true }))); // derived
    assert.throws(() => flowHandler(generic({ requireIss: 'yes' })), /requireIss must be/);
  });
});
