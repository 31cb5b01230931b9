// The server-completed flow (createServerFlow) against a real OpenID provider (oidc-provider, on a
// free loopback port), the provider given by its issuer alone: the authorize endpoint discovered,
// the code redeemed with PKCE, a nonce sent and checked against the id_token, and the redirect's
// `iss` (RFC 9207) checked — another server's, or none from a provider whose metadata says it always
// sends one, fails `unauthorized` and the code goes to no token endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServerFlow } from '../../dist/server.js';
import { ACCOUNT, CLIENTS, SERVER_REDIRECT, signIn, startOidcProvider } from './oidc-provider.mjs';

let op;
before(async () => {
  op = await startOidcProvider();
});
after(() => op?.close());

/** A flow handler for `op`, counting its calls to the provider's token endpoint. */
function flowHandler() {
  const tokenCalls = [];
  const stored = [];
  const handler = createServerFlow({
    providers: {
      generic: {
        issuer: op.issuer,
        clientId: CLIENTS.basic.id,
        clientSecret: CLIENTS.basic.secret,
        scope: 'openid offline_access',
        redirectUris: [],
      },
    },
    redirectUri: SERVER_REDIRECT,
    pollWindow: 200,
    session: () => 'alice',
    fetch: (url, init) => {
      if (url.endsWith('/token')) tokenCalls.push(url);
      return fetch(url, init);
    },
    storeCredentials: (args) => {
      stored.push(args);
      return { connected: true, sub: args.details.claims?.sub };
    },
  });
  return { handler, tokenCalls, stored };
}

const post = (handler, body, cookie = '') =>
  handler(
    new Request(SERVER_REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    }),
  );

/** Starts a flow, signs in at the provider, lets `tamper` change the redirect, reads the outcome. */
async function run(flow, tamper = (url) => url) {
  const started = await post(flow.handler, { provider: 'generic' });
  assert.equal(started.status, 200, await started.clone().text());
  const { url, flow: id } = await started.json();
  const cookie = started.headers.getSetCookie()[0].split(';')[0];
  const back = tamper(await signIn(url, SERVER_REDIRECT));
  const page = await flow.handler(new Request(back, { headers: { cookie } }));
  const outcome = await (await post(flow.handler, { flow: id }, cookie)).json();
  return { authorize: new URL(url), back, page, outcome };
}

describe('server flow with a real OpenID provider, given by its issuer', () => {
  it('connects: discovered authorize endpoint, PKCE, the nonce sent is the id_token’s', async () => {
    const flow = flowHandler();
    const { authorize, back, outcome } = await run(flow);
    assert.equal(authorize.origin, op.issuer);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const nonce = authorize.searchParams.get('nonce');
    assert.ok(nonce && nonce.length >= 32);
    assert.equal(back.searchParams.get('iss'), op.issuer);
    assert.equal(outcome.status, 'connected', JSON.stringify(outcome));
    assert.deepEqual(outcome.result, { connected: true, sub: ACCOUNT });
    assert.equal(flow.stored[0].details.claims.nonce, nonce);
    assert.equal(flow.stored[0].details.claims.iss, op.issuer);
    assert.equal(flow.tokenCalls.length, 1);
  });

  it('another server’s iss on the redirect: failed unauthorized, no token request', async () => {
    const flow = flowHandler();
    const { page, outcome } = await run(flow, (url) => {
      url.searchParams.set('iss', 'https://attacker.example');
      return url;
    });
    assert.equal(page.status, 400);
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.failure, 'unauthorized');
    assert.equal(flow.tokenCalls.length, 0);
    assert.equal(flow.stored.length, 0);
  });

  it('no iss, from a provider whose metadata says it sends one: unauthorized, no token request', async () => {
    const meta = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    const flow = flowHandler();
    const { outcome } = await run(flow, (url) => {
      url.searchParams.delete('iss');
      return url;
    });
    assert.equal(outcome.failure, 'unauthorized');
    assert.equal(flow.tokenCalls.length, 0);
  });
});
