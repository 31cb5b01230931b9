// Several generic providers in one handler and one server flow (issue 17.3): `generic:<name>`,
// each with its own configuration, chosen by the `provider` the browser sends; and
// createServerFlow needs no redirectUris (its own route is the redirect URI).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createDisconnectHandler,
  createExchangeHandler,
  createServerFlow,
  createTokenClient,
} from '../../dist/server.js';
import { mockProvider } from './support.mjs';

const CB = 'https://app.example/oauth/callback';
const REDIRECT = 'https://app.example/oauth/server';
const VERIFIER = 'v'.repeat(64);

let acme;
let globex;
before(async () => {
  const reply = (name) => () => [200, { access_token: `at-${name}`, token_type: 'Bearer' }];
  acme = await mockProvider(reply('acme'));
  globex = await mockProvider(reply('globex'));
});
after(async () => {
  await acme.close();
  await globex.close();
});

const form = (entry) => Object.fromEntries(new URLSearchParams(entry.raw));
const providers = () => ({
  'generic:acme': {
    tokenUrl: `${acme.url}/token`,
    authorizeUrl: 'https://login.acme.example/authorize',
    revocationUrl: `${acme.url}/revoke`,
    clientId: 'acme-client',
    clientSecret: 'acme-secret',
    clientAuth: 'client_secret_post',
    redirectUris: [CB],
  },
  'generic:globex': {
    tokenUrl: `${globex.url}/token`,
    authorizeUrl: 'https://id.globex.example/authorize',
    clientId: 'globex-client',
    redirectUris: ['https://app.example/globex/callback'],
  },
});
const post = (handler, body, cookie = 'sid=alice') =>
  handler(
    new Request(REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    }),
  ).then(async (r) => ({ status: r.status, body: await r.json(), headers: r.headers }));
const code = (provider, redirectUri = CB) => ({
  provider,
  code: 'the-code',
  state: 's'.repeat(43),
  codeVerifier: VERIFIER,
  redirectUri,
});

describe('several generic providers: generic:<name>', () => {
  it('createExchangeHandler redeems at the provider the body names, with its own client', async () => {
    acme.seen.length = 0;
    globex.seen.length = 0;
    const stored = [];
    const handler = createExchangeHandler({
      providers: providers(),
      storeCredentials: ({ provider, tokens }) => {
        stored.push([provider, tokens.access_token]);
        return { connected: true, provider };
      },
    });
    const a = await post(handler, code('generic:acme'));
    assert.equal(a.status, 200);
    assert.deepEqual(a.body, { connected: true, provider: 'generic:acme' });
    assert.equal(acme.seen.length, 1);
    assert.equal(form(acme.seen[0]).client_id, 'acme-client');
    assert.equal(form(acme.seen[0]).client_secret, 'acme-secret');

    const g = await post(handler, code('generic:globex', 'https://app.example/globex/callback'));
    assert.equal(g.status, 200);
    assert.equal(globex.seen.length, 1);
    assert.equal(form(globex.seen[0]).client_id, 'globex-client');
    assert.deepEqual(stored, [
      ['generic:acme', 'at-acme'],
      ['generic:globex', 'at-globex'],
    ]);

    // each provider's own redirectUris: acme's callback is not globex's
    const crossed = await post(handler, code('generic:globex', CB));
    assert.equal(crossed.status, 400);
    assert.match(crossed.body.error_description, /redirectUri/);
    // a name that is not configured, plain generic, or not a name at all: 400, nothing sent
    for (const provider of ['generic:initech', 'generic', 'generic:Acme', 'generic:']) {
      const r = await post(handler, code(provider));
      assert.equal(r.status, 400, provider);
    }
    assert.equal(acme.seen.length + globex.seen.length, 2);
  });

  it('plain generic and named ones live side by side', async () => {
    acme.seen.length = 0;
    globex.seen.length = 0;
    const { 'generic:globex': plain, ...named } = providers();
    const handler = createExchangeHandler({ providers: { ...named, generic: plain } });
    const r = await post(handler, code('generic', 'https://app.example/globex/callback'));
    assert.equal(r.status, 200);
    assert.equal(globex.seen.length, 1);
    assert.equal(acme.seen.length, 0);
  });

  it('createServerFlow: one route, several generic providers, no redirectUris anywhere', async () => {
    acme.seen.length = 0;
    globex.seen.length = 0;
    const stripped = Object.fromEntries(
      Object.entries(providers()).map(([name, { redirectUris, ...config }]) => {
        assert.ok(redirectUris);
        return [name, config];
      }),
    );
    const handler = createServerFlow({
      providers: stripped,
      redirectUri: REDIRECT,
      session: (request) => /sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1],
      storeCredentials: ({ provider }) => ({ connected: true, provider }),
      pollWindow: 300,
    });
    for (const [name, mock, authorize, clientId] of [
      ['generic:acme', acme, 'https://login.acme.example/authorize', 'acme-client'],
      ['generic:globex', globex, 'https://id.globex.example/authorize', 'globex-client'],
    ]) {
      const started = await post(handler, { provider: name });
      assert.equal(started.status, 200, name);
      const url = new URL(started.body.url);
      assert.equal(url.origin + url.pathname, authorize);
      assert.equal(url.searchParams.get('client_id'), clientId);
      assert.equal(url.searchParams.get('redirect_uri'), REDIRECT);
      const cookie = `sid=alice; ${started.headers.getSetCookie()[0].split(';')[0]}`;
      const state = url.searchParams.get('state');
      const back = await handler(
        new Request(`${REDIRECT}?${new URLSearchParams({ code: 'C', state })}`, {
          headers: { cookie },
        }),
      );
      assert.equal(back.status, 200, name);
      const outcome = await post(handler, { flow: started.body.flow });
      assert.deepEqual(outcome.body, {
        status: 'connected',
        result: { connected: true, provider: name },
      });
      assert.equal(mock.seen.length, 1, name);
      assert.equal(form(mock.seen[0]).redirect_uri, REDIRECT);
      assert.equal(form(mock.seen[0]).client_id, clientId);
    }
    assert.equal((await post(handler, { provider: 'generic:initech' })).status, 400);
  });

  it('createServerFlow: a named generic without authorizeUrl (or issuer) throws, naming it', () => {
    const { authorizeUrl, ...rest } = providers()['generic:acme'];
    assert.ok(authorizeUrl);
    assert.throws(
      () =>
        createServerFlow({
          providers: { 'generic:acme': rest },
          redirectUri: REDIRECT,
          session: () => 'alice',
        }),
      /generic:acme\.authorizeUrl \(or generic:acme\.issuer alone/,
    );
    assert.throws(
      () =>
        createExchangeHandler({ providers: { 'generic:acme': { ...rest, tokenUrl: undefined } } }),
      /generic:acme\.tokenUrl \(or generic:acme\.issuer/,
    );
  });

  it('createTokenClient and createDisconnectHandler take the named ones too', async () => {
    acme.seen.length = 0;
    const tokens = createTokenClient({ providers: providers() });
    const refreshed = await tokens.refresh('generic:acme', 'rt-1');
    assert.equal(refreshed.ok, true);
    assert.equal(form(acme.seen[0]).grant_type, 'refresh_token');
    assert.equal(form(acme.seen[0]).client_id, 'acme-client');
    assert.deepEqual(await tokens.supports('generic:globex'), { refresh: true, revoke: false });
    assert.equal((await tokens.refresh('generic:initech', 'rt')).reason, 'not_configured');

    const deleted = [];
    const disconnect = createDisconnectHandler({
      providers: providers(),
      session: () => 'alice',
      loadCredentials: () => ({ refresh_token: 'rt-2' }),
      deleteCredentials: ({ provider }) => void deleted.push(provider),
    });
    const r = await post(disconnect, { provider: 'generic:acme' });
    assert.equal(r.status, 200);
    assert.equal(r.body.revocation, 'revoked');
    assert.equal(acme.seen.at(-1).url, '/revoke');
    assert.deepEqual(deleted, ['generic:acme']);
    assert.equal((await post(disconnect, { provider: 'generic:initech' })).status, 400);
  });
});
