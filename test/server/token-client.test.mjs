// createTokenClient: refresh (RFC 6749 §6) with rotation and revocation (RFC 7009) against a real
// OpenID provider (oidc-provider, on a free loopback port); every failure a typed value — a refused
// token, a provider that is down or does not answer in time, a preset that has no such operation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTokenClient } from '../../dist/server.js';
import { active, CLIENTS, connect, REDIRECT, startOidcProvider } from './oidc-provider.mjs';
import { listen, mockProvider } from './support.mjs';

let op;
before(async () => {
  op = await startOidcProvider();
});
after(() => op?.close());

const providers = () => ({
  generic: {
    issuer: op.issuer,
    clientId: CLIENTS.basic.id,
    clientSecret: CLIENTS.basic.secret,
    redirectUris: [REDIRECT],
  },
});

describe('createTokenClient against a real OpenID provider', () => {
  it('refresh: a new access token and a rotated refresh token; the old one is then refused', async () => {
    const first = await connect(op.issuer, providers().generic);
    const client = createTokenClient({ providers: providers() });
    const refreshed = await client.refresh('generic', first.refresh_token);
    assert.equal(refreshed.ok, true, JSON.stringify(refreshed));
    assert.equal(typeof refreshed.tokens.access_token, 'string');
    assert.notEqual(refreshed.tokens.access_token, first.access_token);
    assert.equal(typeof refreshed.tokens.refresh_token, 'string');
    assert.notEqual(refreshed.tokens.refresh_token, first.refresh_token, 'rotated');
    assert.equal(await active(op.issuer, refreshed.tokens.access_token), true);
    const replay = await client.refresh('generic', first.refresh_token);
    assert.deepEqual(
      { ok: replay.ok, reason: replay.reason, error: replay.error },
      { ok: false, reason: 'refused', error: 'invalid_grant' },
    );
  });

  it('revoke: the refresh token is dead at the provider, and a refresh with it is refused', async () => {
    const tokens = await connect(op.issuer, providers().generic);
    const client = createTokenClient({ providers: providers() });
    assert.equal(await active(op.issuer, tokens.refresh_token), true);
    assert.deepEqual(await client.revoke('generic', tokens.refresh_token, 'refresh_token'), {
      ok: true,
    });
    assert.equal(await active(op.issuer, tokens.refresh_token), false);
    const after = await client.refresh('generic', tokens.refresh_token);
    assert.equal(after.ok, false);
    assert.equal(after.error, 'invalid_grant');
  });

  it('revoke an access token (RFC 7009 token_type_hint access_token)', async () => {
    const tokens = await connect(op.issuer, providers().generic);
    const client = createTokenClient({ providers: providers() });
    assert.deepEqual(await client.revoke('generic', tokens.access_token, 'access_token'), {
      ok: true,
    });
    assert.equal(await active(op.issuer, tokens.access_token), false);
  });

  it('supports: generic from discovery has both; the presets without them have neither', async () => {
    const client = createTokenClient({
      providers: {
        ...providers(),
        healthtap: { clientId: 'a', clientSecret: 's', redirectUris: [] },
        hint: { apiKey: 'k' },
      },
    });
    assert.deepEqual(await client.supports('generic'), { refresh: true, revoke: true });
    assert.deepEqual(await client.supports('healthtap'), { refresh: false, revoke: false });
    assert.deepEqual(await client.supports('hint'), { refresh: false, revoke: false });
    assert.deepEqual(await client.supports('bwell'), { refresh: false, revoke: false });
  });
});

describe('createTokenClient: failures are typed values', () => {
  it('supports: a discovered provider that is down, or names another issuer, is revoke "unknown", then asked again', async () => {
    const gone = await listen(() => undefined);
    const goneUrl = gone.url;
    await gone.close();
    const seen = [];
    let answer = () => [503, { error: 'down' }];
    const flaky = await mockProvider((request) => {
      seen.push(request.url);
      return answer();
    });
    try {
      const down = createTokenClient({
        providers: { generic: { issuer: goneUrl, clientId: 'c', redirectUris: [] } },
        timeout: 1000,
      });
      assert.deepEqual(await down.supports('generic'), { refresh: true, revoke: 'unknown' });
      const client = createTokenClient({
        providers: { generic: { issuer: flaky.url, clientId: 'c', redirectUris: [] } },
        timeout: 1000,
      });
      assert.deepEqual(await client.supports('generic'), { refresh: true, revoke: 'unknown' });
      answer = () => [
        200,
        { issuer: 'https://elsewhere.example', token_endpoint: `${flaky.url}/t` },
      ];
      assert.deepEqual(await client.supports('generic'), { refresh: true, revoke: 'unknown' });
      answer = () => [
        200,
        {
          issuer: flaky.url,
          token_endpoint: `${flaky.url}/token`,
          revocation_endpoint: `${flaky.url}/revoke`,
        },
      ];
      assert.deepEqual(await client.supports('generic'), { refresh: true, revoke: true });
      assert.equal(seen.length, 3, 'a failed discovery is not kept: asked each time');
    } finally {
      await flaky.close();
    }
  });

  it('a preset without refresh or revocation, or one not configured: nothing is sent', async () => {
    const seen = [];
    const client = createTokenClient({
      providers: {
        hint: { apiKey: 'k' },
        healthtap: { clientId: 'a', clientSecret: 's', redirectUris: [] },
      },
      fetch: (url) => {
        seen.push(url);
        throw new Error('no call expected');
      },
    });
    for (const provider of ['hint', 'healthtap']) {
      assert.equal((await client.refresh(provider, 'rt')).reason, 'unsupported');
      assert.equal((await client.revoke(provider, 'at')).reason, 'unsupported');
    }
    assert.equal((await client.refresh('generic', 'rt')).reason, 'not_configured');
    assert.equal((await client.refresh('bwell', 'rt')).reason, 'not_configured');
    assert.deepEqual(seen, []);
  });

  it('generic with endpoints and no revocationUrl: revoke is unsupported, refresh works', async () => {
    const provider = await mockProvider(() => [
      200,
      { access_token: 'at-2', token_type: 'Bearer', refresh_token: 'rt-2' },
    ]);
    try {
      const client = createTokenClient({
        providers: {
          generic: { tokenUrl: `${provider.url}/token`, clientId: 'c', redirectUris: [] },
        },
      });
      const refreshed = await client.refresh('generic', 'rt-1');
      assert.equal(refreshed.ok, true);
      assert.equal(refreshed.tokens.refresh_token, 'rt-2');
      const form = new URLSearchParams(provider.seen[0].raw);
      assert.equal(form.get('grant_type'), 'refresh_token');
      assert.equal(form.get('refresh_token'), 'rt-1');
      assert.equal((await client.revoke('generic', 'at-2')).reason, 'unsupported');
      assert.equal(provider.seen.length, 1);
    } finally {
      await provider.close();
    }
  });

  it('a provider that hangs: timeout within the client’s timeout; one that is gone: unreachable', async () => {
    const hanging = await mockProvider(() => [0]);
    const gone = await listen(() => undefined);
    const goneUrl = gone.url;
    await gone.close();
    try {
      const client = (tokenUrl) =>
        createTokenClient({
          providers: {
            generic: { tokenUrl, revocationUrl: tokenUrl, clientId: 'c', redirectUris: [] },
          },
          timeout: 300,
        });
      const started = Date.now();
      const slow = await client(`${hanging.url}/token`).refresh('generic', 'rt');
      assert.equal(slow.ok, false);
      assert.equal(slow.reason, 'timeout');
      assert.ok(Date.now() - started < 3000);
      const slowRevoke = await client(`${hanging.url}/token`).revoke('generic', 'at');
      assert.equal(slowRevoke.reason, 'timeout');
      const down = await client(`${goneUrl}/token`).refresh('generic', 'rt');
      assert.equal(down.reason, 'unreachable');
    } finally {
      await hanging.close();
    }
  });

  it('an empty token is refused before anything is sent', async () => {
    const client = createTokenClient({ providers: providers() });
    assert.equal((await client.refresh('generic', '')).reason, 'invalid_request');
    assert.equal((await client.revoke('generic', '')).reason, 'invalid_request');
  });
});
