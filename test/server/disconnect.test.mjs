// createDisconnectHandler, what the element's `disconnect-url` points at: POST { provider } from
// the signed-in user; the tokens revoked at a real OpenID provider (oidc-provider, on a free
// loopback port), the partner's copy deleted — also when the provider is down or has no
// revocation — and the answer saying which it was. The element fires `disconnected` on any 2xx.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDisconnectHandler } from '../../dist/server.js';
import { active, CLIENTS, connect, REDIRECT, startOidcProvider } from './oidc-provider.mjs';
import { listen, mockProvider } from './support.mjs';

let op;
before(async () => {
  op = await startOidcProvider();
});
after(() => op?.close());

const generic = (extra = {}) => ({
  issuer: op.issuer,
  clientId: CLIENTS.basic.id,
  clientSecret: CLIENTS.basic.secret,
  redirectUris: [REDIRECT],
  ...extra,
});

/** The partner's store of connections, keyed by user and provider. */
function partnerStore() {
  const kept = new Map();
  return {
    kept,
    loadCredentials: ({ user, provider }) => kept.get(`${user}/${provider}`),
    deleteCredentials: ({ user, provider }) => void kept.delete(`${user}/${provider}`),
  };
}

/** The element's disconnect request: JSON { provider }, with the session cookie. */
const disconnect = async (handler, provider, cookie = 'sid=alice') => {
  const response = await handler(
    new Request('https://app.example/api/disconnect', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ provider }),
    }),
  );
  return { status: response.status, body: await response.json() };
};
const session = (request) => /sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1];

describe('Disconnect against a real OpenID provider', () => {
  it('revokes both tokens at the provider, deletes the partner’s copy, answers 200 revoked', async () => {
    const tokens = await connect(op.issuer, generic());
    const store = partnerStore();
    store.kept.set('alice/generic', tokens);
    const handler = createDisconnectHandler({
      providers: { generic: generic() },
      session,
      ...store,
    });
    const r = await disconnect(handler, 'generic');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { disconnected: true, revoked: true, revocation: 'revoked' });
    assert.equal(store.kept.size, 0);
    assert.equal(await active(op.issuer, tokens.refresh_token), false);
    assert.equal(await active(op.issuer, tokens.access_token), false);
  });

  it('the provider down: the partner’s copy is still deleted, and the answer says it was not revoked', async () => {
    const tokens = await connect(op.issuer, generic());
    const gone = await listen(() => undefined);
    const goneUrl = gone.url;
    await gone.close();
    const config = generic({
      tokenUrl: `${goneUrl}/token`,
      revocationUrl: `${goneUrl}/token/revocation`,
    });
    const store = partnerStore();
    store.kept.set('alice/generic', tokens);
    const handler = createDisconnectHandler({ providers: { generic: config }, session, ...store });
    const r = await disconnect(handler, 'generic');
    assert.equal(r.status, 200);
    assert.equal(r.body.disconnected, true);
    assert.equal(r.body.revoked, false);
    assert.equal(r.body.revocation, 'failed');
    assert.match(r.body.message, /not revoked at the provider.*could not be reached/);
    assert.equal(store.kept.size, 0);
    assert.equal(await active(op.issuer, tokens.refresh_token), true, 'still live there');
  });

  it('an issuer that cannot be reached (discovery down): failed, naming the cause — never unsupported', async () => {
    const gone = await listen(() => undefined);
    const goneUrl = gone.url;
    await gone.close();
    const store = partnerStore();
    store.kept.set('alice/generic', { access_token: 'at', refresh_token: 'rt' });
    const handler = createDisconnectHandler({
      providers: { generic: generic({ issuer: goneUrl }) },
      session,
      ...store,
    });
    const r = await disconnect(handler, 'generic');
    assert.equal(r.status, 200);
    assert.equal(r.body.disconnected, true);
    assert.equal(r.body.revoked, false);
    assert.equal(r.body.revocation, 'failed', JSON.stringify(r.body));
    assert.match(r.body.message, /not revoked at the provider.*could not be reached/);
    assert.equal(store.kept.size, 0, 'the partner’s copy is deleted all the same');
  });

  it('a discovered provider whose metadata has no revocation endpoint: unsupported, nothing revoked', async () => {
    const seen = [];
    const as = await listen((req, res) => {
      seen.push(req.url);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: as.url, token_endpoint: `${as.url}/token` }));
    });
    try {
      const store = partnerStore();
      store.kept.set('alice/generic', { access_token: 'at', refresh_token: 'rt' });
      const handler = createDisconnectHandler({
        providers: { generic: generic({ issuer: as.url }) },
        session,
        ...store,
      });
      const r = await disconnect(handler, 'generic');
      assert.deepEqual(r.body, { disconnected: true, revoked: false, revocation: 'unsupported' });
      assert.deepEqual(seen, ['/.well-known/openid-configuration']);
      assert.equal(store.kept.size, 0);
    } finally {
      await as.close();
    }
  });

  it('one deadline for the whole disconnect: slow discovery, then a revocation that hangs', async () => {
    // discovery answers after 1.5 s, the revocation endpoint never does: with timeout 2000 the
    // answer comes at 2 s, not 1.5 s + 2 s (each call its own timeout)
    const as = await listen((req, res) => {
      if (req.url !== '/.well-known/openid-configuration') return; // the revocation: hangs
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            issuer: as.url,
            token_endpoint: `${as.url}/token`,
            revocation_endpoint: `${as.url}/revoke`,
          }),
        );
      }, 1500);
    });
    try {
      const store = partnerStore();
      store.kept.set('alice/generic', { access_token: 'at', refresh_token: 'rt' });
      const handler = createDisconnectHandler({
        providers: { generic: generic({ issuer: as.url }) },
        session,
        timeout: 2000,
        ...store,
      });
      const started = Date.now();
      const r = await disconnect(handler, 'generic');
      const took = Date.now() - started;
      assert.ok(took < 3000, `answered after ${took} ms (the deadline is 2000)`);
      assert.equal(r.body.revocation, 'failed');
      assert.match(r.body.message, /did not answer in time/);
      assert.equal(store.kept.size, 0);
    } finally {
      await as.close();
    }
  });

  it('a provider that hangs: answered within the timeout, the copy deleted', async () => {
    const hanging = await mockProvider(() => [0]);
    try {
      const store = partnerStore();
      store.kept.set('alice/generic', { access_token: 'at', refresh_token: 'rt' });
      const handler = createDisconnectHandler({
        providers: {
          generic: {
            tokenUrl: `${hanging.url}/token`,
            revocationUrl: `${hanging.url}/revoke`,
            clientId: 'c',
            redirectUris: [],
          },
        },
        session,
        timeout: 300,
        ...store,
      });
      const started = Date.now();
      const r = await disconnect(handler, 'generic');
      assert.ok(Date.now() - started < 3000);
      assert.equal(r.body.revocation, 'failed');
      assert.match(r.body.message, /did not answer in time/);
      assert.equal(store.kept.size, 0);
    } finally {
      await hanging.close();
    }
  });

  it('Hint and HealthTap (no revocation documented): deleted here, revocation unsupported, nothing sent', async () => {
    const seen = [];
    const store = partnerStore();
    store.kept.set('alice/hint', { access_token: 'hint-at', refresh_token: null });
    store.kept.set('alice/healthtap', { access_token: 'ht-at', refresh_token: 'ht-rt' });
    const handler = createDisconnectHandler({
      providers: {
        hint: { apiKey: 'k' },
        healthtap: { clientId: 'a', clientSecret: 's', redirectUris: [] },
      },
      session,
      fetch: (url) => {
        seen.push(url);
        throw new Error('no call expected');
      },
      ...store,
    });
    for (const provider of ['hint', 'healthtap']) {
      const r = await disconnect(handler, provider);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, { disconnected: true, revoked: false, revocation: 'unsupported' });
    }
    assert.equal(store.kept.size, 0);
    assert.deepEqual(seen, []);
  });

  it('nothing stored: 200 nothing_stored; no user: 401 and nothing deleted; bad bodies: 4xx', async () => {
    const store = partnerStore();
    store.kept.set('bob/generic', { access_token: 'x' });
    const handler = createDisconnectHandler({
      providers: { generic: generic() },
      session,
      ...store,
    });
    const none = await disconnect(handler, 'generic');
    assert.deepEqual(none.body, {
      disconnected: true,
      revoked: false,
      revocation: 'nothing_stored',
    });
    const anonymous = await disconnect(handler, 'generic', '');
    assert.equal(anonymous.status, 401);
    assert.equal(store.kept.size, 1, 'bob’s copy untouched');
    assert.equal((await disconnect(handler, 'hcss')).status, 400); // not configured
    assert.equal((await disconnect(handler, 'nope')).status, 400);
    const form = await handler(
      new Request('https://app.example/api/disconnect', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'sid=bob' },
        body: 'provider=generic',
      }),
    );
    assert.equal(form.status, 415); // a cross-site form cannot send JSON
    assert.equal(store.kept.size, 1);
  });

  it('deleteCredentials failing: 500 (the element says it could not disconnect), and why', async () => {
    const tokens = await connect(op.issuer, generic());
    const errors = [];
    const handler = createDisconnectHandler({
      providers: { generic: generic() },
      session,
      loadCredentials: () => tokens,
      deleteCredentials: () => {
        throw new Error('db down');
      },
      onError: (error) => errors.push(error),
    });
    const r = await disconnect(handler, 'generic');
    assert.equal(r.status, 500);
    assert.match(r.body.error_description, /revoked at the provider, but .* could not be removed/);
    assert.ok(!JSON.stringify(r.body).includes('db down'));
    assert.equal(errors.length, 1);
  });

  it('a configuration mistake throws when the handler is made', () => {
    assert.throws(
      () => createDisconnectHandler({ providers: {}, session, loadCredentials: () => undefined }),
      /deleteCredentials/,
    );
    assert.throws(
      () =>
        createDisconnectHandler({
          providers: { generic: { clientId: 'c', redirectUris: [] } },
          session,
          ...partnerStore(),
        }),
      /generic\.tokenUrl \(or generic\.issuer/,
    );
  });
});
