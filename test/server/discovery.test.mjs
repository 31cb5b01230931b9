// A generic provider given by its issuer alone: its metadata is discovered
// (`/.well-known/openid-configuration`), with the handler's timeout, kept for later requests, and
// never kept when discovery failed; a discovery document naming another issuer is refused. The
// provider being down at discovery answers like any provider that is down (502 / 504).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createExchangeHandler, createTokenClient } from '../../dist/server.js';
import { CLIENTS, startOidcProvider } from './oidc-provider.mjs';
import { listen, mockProvider } from './support.mjs';

const CB = 'https://app.example/oauth/callback';
const body = { provider: 'generic', code: 'C', state: 's', redirectUri: CB };

let op;
let tokens;
before(async () => {
  op = await startOidcProvider();
  tokens = await mockProvider(() => [200, { access_token: 'at', token_type: 'Bearer' }]);
});
after(() => Promise.all([op?.close(), tokens?.close()]));

/** An authorization server's discovery document, served as `mode` says: up, down (503), hang. */
async function metadataServer() {
  const state = { mode: 'up', hits: 0 };
  const server = await listen((req, res) => {
    state.hits++;
    if (state.mode === 'hang') return;
    if (state.mode === 'down') {
      res.writeHead(503);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        issuer: state.issuer ?? server.url,
        authorization_endpoint: `${server.url}/authorize`,
        token_endpoint: `${tokens.url}/token`,
      }),
    );
  });
  return Object.assign(state, server);
}

const exchange = async (handler, extra = {}) => {
  const response = await handler(
    new Request('https://app.example/api/oauth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, ...extra }),
    }),
  );
  return { status: response.status, body: await response.json() };
};
const handlerFor = (issuer, extra = {}) =>
  createExchangeHandler({
    providers: { generic: { issuer, clientId: 'c', redirectUris: [CB] } },
    timeout: 400,
    ...extra,
  });

describe('discovery from the issuer', () => {
  it('the real provider’s metadata is fetched once and kept for later requests', async () => {
    const wellKnown = [];
    const handler = createExchangeHandler({
      providers: {
        generic: {
          issuer: op.issuer,
          clientId: CLIENTS.basic.id,
          clientSecret: CLIENTS.basic.secret,
          redirectUris: [CB],
        },
      },
      fetch: (url, init) => {
        if (url.includes('/.well-known/')) wellKnown.push(url);
        return fetch(url, init);
      },
    });
    // three redemptions (each code unknown to the provider: refused, 400 invalid_grant), each
    // with the iss the element forwards (the metadata says this provider always sends one)
    for (let i = 0; i < 3; i++) {
      const r = await exchange(handler, { iss: op.issuer });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error, 'invalid_grant');
    }
    assert.deepEqual(wellKnown, [`${op.issuer}/.well-known/openid-configuration`]);
  });

  it('down (503), then up: the failure is not kept, the next request discovers and redeems', async () => {
    const as = await metadataServer();
    try {
      const handler = handlerFor(as.url);
      as.mode = 'down';
      const down = await exchange(handler);
      assert.equal(down.status, 502);
      assert.equal(down.body.error, 'server_error');
      as.mode = 'up';
      assert.equal((await exchange(handler)).status, 200);
      assert.equal((await exchange(handler)).status, 200);
      assert.equal(as.hits, 2, 'one failed discovery, one that is kept');
    } finally {
      await as.close();
    }
  });

  it('hangs: 504 within the timeout; unreachable: 502', async () => {
    const as = await metadataServer();
    as.mode = 'hang';
    try {
      const started = Date.now();
      const slow = await exchange(handlerFor(as.url));
      assert.equal(slow.status, 504);
      assert.equal(slow.body.error, 'temporarily_unavailable');
      assert.ok(Date.now() - started < 3000);
    } finally {
      await as.close();
    }
    const gone = await listen(() => undefined);
    const goneUrl = gone.url;
    await gone.close();
    const down = await exchange(handlerFor(goneUrl));
    assert.equal(down.status, 502);
    assert.match(down.body.error_description, /could not be reached/);
  });

  it('a document naming another issuer is refused (502), and no token request is made', async () => {
    const as = await metadataServer();
    as.issuer = 'https://elsewhere.example';
    const before = tokens.seen.length;
    try {
      const r = await exchange(handlerFor(as.url));
      assert.equal(r.status, 502);
      assert.equal(tokens.seen.length, before);
    } finally {
      await as.close();
    }
  });

  it('a discovered endpoint that is not https (off loopback) is refused: 502, nothing sent in cleartext', async () => {
    const issuer = 'https://op.example';
    const sent = [];
    const fetchFn = async (url, init) => {
      sent.push({ url, method: init.method ?? 'GET', body: init.body });
      if (url === `${issuer}/.well-known/openid-configuration`) {
        return new Response(
          JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: 'http://tokens.op.example/token',
            revocation_endpoint: 'http://tokens.op.example/revoke',
          }),
          { headers: { 'content-type': 'application/json' } },
        );
      }
      return new Response(JSON.stringify({ access_token: 'at', token_type: 'Bearer' }), {
        headers: { 'content-type': 'application/json' },
      });
    };
    const generic = { issuer, clientId: 'c', clientSecret: 'the-secret', redirectUris: [CB] };
    const handler = createExchangeHandler({ providers: { generic }, fetch: fetchFn });
    const r = await exchange(handler);
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.match(r.body.error_description, /token_endpoint.*https/);
    assert.deepEqual(
      sent.map((s) => s.url),
      [`${issuer}/.well-known/openid-configuration`],
      'no code, verifier or client secret sent',
    );
    // the revocation endpoint, likewise (the token client, the Disconnect handler)
    sent.length = 0;
    const client = createTokenClient({ providers: { generic }, fetch: fetchFn });
    const revoked = await client.revoke('generic', 'rt', 'refresh_token');
    assert.equal(revoked.ok, false);
    assert.match(revoked.description, /https/);
    const refreshed = await client.refresh('generic', 'rt');
    assert.equal(refreshed.ok, false);
    assert.ok(
      sent.every((s) => s.url.startsWith(`${issuer}/`)),
      JSON.stringify(sent),
    );
  });

  it('generic needs tokenUrl or issuer, checked when the handler is made', () => {
    assert.throws(
      () => createExchangeHandler({ providers: { generic: { clientId: 'c', redirectUris: [] } } }),
      /generic\.tokenUrl \(or generic\.issuer, to discover it\) is required/,
    );
    assert.throws(
      () =>
        createExchangeHandler({
          providers: { generic: { issuer: 'http://id.example', clientId: 'c', redirectUris: [] } },
        }),
      /generic\.issuer must be an absolute https URL/,
    );
  });
});
