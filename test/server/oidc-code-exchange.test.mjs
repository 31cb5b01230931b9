// The element's exchange (createExchangeHandler) against a real OpenID provider (oidc-provider,
// started here on a free loopback port): the code grant with PKCE for both client authentication
// methods, the provider found from its issuer alone, and the id_token checked — its claims reach
// storeCredentials; one that is expired, or issued by another server, is refused and nothing is
// stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createExchangeHandler } from '../../dist/server.js';
import {
  ACCOUNT,
  authorizeUrl,
  CLIENTS,
  pkce,
  REDIRECT,
  signIn,
  startOidcProvider,
} from './oidc-provider.mjs';

let op;
let other;
let skewed;
before(async () => {
  [op, other, skewed] = await Promise.all([
    startOidcProvider(),
    startOidcProvider(),
    // its clock two hours behind: an id_token it issues now expired an hour ago
    startOidcProvider({ clockOffsetSeconds: -7200 }),
  ]);
});
after(() => Promise.all([op?.close(), other?.close(), skewed?.close()]));

const generic = (issuer, client = CLIENTS.basic, extra = {}) => ({
  issuer,
  clientId: client.id,
  clientSecret: client.secret,
  clientAuth: client.auth,
  redirectUris: [REDIRECT],
  ...extra,
});

/** The browser's half: the user signs in at `issuer`; the element's exchange body. */
async function codeFrom(issuer, client = CLIENTS.basic, options = {}) {
  const { verifier, challenge } = pkce();
  const state = `st-${Math.random().toString(36).slice(2)}`;
  const back = await signIn(authorizeUrl(issuer, { client, state, challenge, ...options }));
  assert.equal(back.searchParams.get('state'), state);
  return {
    provider: 'generic',
    code: back.searchParams.get('code'),
    state,
    codeVerifier: verifier,
    redirectUri: REDIRECT,
    // the element forwards the iss the answer named (oidc-provider sends one, RFC 9207)
    iss: back.searchParams.get('iss'),
  };
}

/** A handler, the exchange POSTed to it; what it answered and what it stored. */
async function exchange(config, body) {
  const stored = [];
  const handler = createExchangeHandler({
    providers: { generic: config },
    storeCredentials: (args) => {
      stored.push(args);
      return { connected: true };
    },
  });
  const response = await handler(
    new Request('https://app.example/api/oauth', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, body: await response.json(), stored };
}

describe('a real OpenID provider: the code grant with PKCE', () => {
  for (const client of [CLIENTS.basic, CLIENTS.post]) {
    it(`${client.auth}: redeemed; tokens and the validated id_token claims reach storeCredentials`, async () => {
      const { status, body, stored } = await exchange(
        generic(op.issuer, client),
        await codeFrom(op.issuer, client),
      );
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body, { connected: true });
      assert.equal(stored.length, 1);
      const { tokens, details } = stored[0];
      assert.equal(typeof tokens.access_token, 'string');
      assert.equal(typeof tokens.refresh_token, 'string');
      assert.equal(details.claims.iss, op.issuer);
      assert.equal(details.claims.aud, client.id);
      assert.equal(details.claims.sub, ACCOUNT);
      assert.ok(details.claims.exp > Date.now() / 1000);
    });
  }

  it('a wrong PKCE verifier: the provider refuses (400 invalid_grant), nothing stored', async () => {
    const body = await codeFrom(op.issuer);
    const r = await exchange(generic(op.issuer), { ...body, codeVerifier: pkce().verifier });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'invalid_grant');
    assert.equal(r.stored.length, 0);
  });

  it('a code redeemed twice: the second is refused (400 invalid_grant)', async () => {
    const body = await codeFrom(op.issuer);
    assert.equal((await exchange(generic(op.issuer), body)).status, 200);
    const again = await exchange(generic(op.issuer), body);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
  });

  it('a wrong client secret: 502, the provider’s words not passed on', async () => {
    const r = await exchange(
      generic(op.issuer, { ...CLIENTS.basic, secret: 'wrong' }),
      await codeFrom(op.issuer),
    );
    assert.equal(r.status, 502);
    assert.equal(r.body.error, 'server_error');
    assert.match(r.body.error_description, /client credentials/);
  });
});

describe('a real OpenID provider: the id_token is checked', () => {
  it('an expired id_token (the provider’s clock two hours behind): 502 invalid_id_token, nothing stored', async () => {
    const r = await exchange(generic(skewed.issuer), await codeFrom(skewed.issuer));
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.equal(r.body.error, 'invalid_id_token');
    assert.match(r.body.error_description, /exp|expired|timestamp/i);
    assert.equal(r.stored.length, 0);
  });

  it('the same provider with a right clock passes (the check above can tell them apart)', async () => {
    const r = await exchange(generic(other.issuer), await codeFrom(other.issuer));
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  it('an id_token from another server than the issuer (its token endpoint): refused, nothing stored', async () => {
    const meta = await (await fetch(`${other.issuer}/.well-known/openid-configuration`)).json();
    // the partner trusts op, but this code, and its token endpoint, are other's
    const config = generic(op.issuer, CLIENTS.basic, {
      tokenUrl: meta.token_endpoint,
      authorizeUrl: meta.authorization_endpoint,
    });
    // without the iss (which would be refused before anything is sent): the id_token's own check
    const { iss, ...body } = await codeFrom(other.issuer);
    assert.equal(iss, other.issuer);
    const r = await exchange(config, body);
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.equal(r.body.error, 'invalid_id_token');
    assert.match(r.body.error_description, /iss/);
    assert.equal(r.stored.length, 0);
  });

  it('an id_token with a nonce the partner’s own authorize URL sent is taken (the browser flow checks none)', async () => {
    const r = await exchange(
      generic(op.issuer),
      await codeFrom(op.issuer, CLIENTS.basic, { nonce: 'n-1' }),
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.stored[0].details.claims.nonce, 'n-1');
  });
});

describe('a real OpenID provider: the iss the element forwards (RFC 9207)', () => {
  /** The browser's half with the `iss` the provider's answer named, as the element forwards it. */
  async function withIss(issuer) {
    const { verifier, challenge } = pkce();
    const state = `st-${Math.random().toString(36).slice(2)}`;
    const back = await signIn(authorizeUrl(issuer, { state, challenge }));
    return {
      provider: 'generic',
      code: back.searchParams.get('code'),
      state,
      codeVerifier: verifier,
      redirectUri: REDIRECT,
      iss: back.searchParams.get('iss'),
    };
  }

  it('the provider names itself, and that iss is accepted', async () => {
    const body = await withIss(op.issuer);
    assert.equal(body.iss, op.issuer); // oidc-provider sends iss (RFC 9207)
    const r = await exchange(generic(op.issuer), body);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.stored.length, 1);
  });

  it('an iss naming another server: 400 (possible mix-up), nothing redeemed or stored', async () => {
    const body = await withIss(op.issuer);
    const r = await exchange(generic(op.issuer), { ...body, iss: other.issuer });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error, 'invalid_request');
    assert.match(r.body.error_description, /another server.*mix-up/);
    assert.equal(r.stored.length, 0);
    // the code was never sent to the provider: it still redeems, with the right iss
    const again = await exchange(generic(op.issuer), body);
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });
});

describe('a real OpenID provider: a missing iss where the provider is known to send one', () => {
  /** The exchange handler with these providers; what it sent where, and what it stored. */
  function handlerOf(providers) {
    const sent = [];
    const stored = [];
    const handler = createExchangeHandler({
      providers,
      fetch: (url, init) => {
        sent.push({ url, body: String(init.body ?? '') });
        return fetch(url, init);
      },
      storeCredentials: (args) => void stored.push(args),
    });
    const post = async (body) => {
      const response = await handler(
        new Request('https://app.example/api/oauth', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      return { status: response.status, body: await response.json() };
    };
    return { post, sent, stored };
  }
  const tokenCalls = (sent) => sent.filter((s) => !s.url.includes('/.well-known/'));

  it('discovered metadata says it sends iss: an answer without one is 400, and nothing is sent', async () => {
    const { post, sent, stored } = handlerOf({ generic: generic(op.issuer) });
    const { iss, ...body } = await codeFrom(op.issuer);
    assert.equal(iss, op.issuer);
    const r = await post(body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error, 'invalid_request');
    assert.match(r.body.error_description, /did not say which server.*mix-up/);
    assert.deepEqual(tokenCalls(sent), [], 'the code went nowhere');
    assert.equal(stored.length, 0);
    // the same code, with its iss, still redeems: it was never spent
    const again = await post({ ...body, iss });
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });

  it('two named generics: provider 1’s code posted as generic:other without iss never reaches provider 2', async () => {
    const { post, sent, stored } = handlerOf({
      generic: generic(op.issuer),
      'generic:other': generic(other.issuer),
    });
    const { iss, ...body } = await codeFrom(op.issuer);
    const r = await post({ ...body, provider: 'generic:other' });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(r.body.error_description, /mix-up/);
    assert.deepEqual(tokenCalls(sent), [], 'no code, verifier or client secret sent to provider 2');
    assert.equal(stored.length, 0);
    // with the iss its answer named, posted as its own provider: redeemed there
    const right = await post({ ...body, iss });
    assert.equal(right.status, 200, JSON.stringify(right.body));
    assert.ok(tokenCalls(sent).every((s) => s.url.startsWith(op.issuer)));
  });

  it('requireIss with a tokenUrl (no discovery): without iss, 400 and nothing sent; a provider not known to send one still redeems', async () => {
    const meta = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
    const given = { tokenUrl: meta.token_endpoint, authorizeUrl: meta.authorization_endpoint };
    const strict = handlerOf({
      generic: generic(op.issuer, CLIENTS.basic, { ...given, requireIss: true }),
    });
    const { iss, ...body } = await codeFrom(op.issuer);
    assert.ok(iss);
    const refused = await strict.post(body);
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.match(refused.body.error_description, /did not say which server/);
    assert.deepEqual(tokenCalls(strict.sent), []);
    // the same options without requireIss: nothing says this provider sends iss, so it is taken
    const lenient = handlerOf({ generic: generic(op.issuer, CLIENTS.basic, given) });
    const taken = await lenient.post(body);
    assert.equal(taken.status, 200, JSON.stringify(taken.body));
  });
});
