// The server-completed flow (`createServerFlow`): state kept and checked on the server, the code
// redeemed at once, the result read once by the element's long-poll; memory and Redis stores.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createServerFlow, redisStore, toNodeListener } from '../../dist/server.js';
import { genericAt, mockProvider, startRedis } from './support.mjs';

const REDIRECT = 'https://app.example/oauth/server';
const ACCESS = 'at-SECRET';

let provider;
let reply = () => [200, { access_token: ACCESS, token_type: 'Bearer' }];
before(async () => {
  provider = await mockProvider((e) => reply(e));
});
after(() => provider.close());

function flowHandler(extra = {}) {
  return createServerFlow({
    providers: {
      generic: genericAt(provider, { clientSecret: 's', scope: 'openid profile' }),
    },
    redirectUri: REDIRECT,
    pollWindow: 300,
    session: (request) => /sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1],
    storeCredentials: ({ tokens }) => ({
      connected: true,
      tokenSeen: Boolean(tokens.access_token),
    }),
    ...extra,
  });
}

const post = (handler, body, cookie = 'sid=alice') =>
  handler(
    new Request(REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    }),
  ).then(async (r) => ({ status: r.status, body: await r.json(), headers: r.headers }));
const redirectBack = (handler, query, cookie = 'sid=alice') =>
  handler(new Request(`${REDIRECT}?${new URLSearchParams(query)}`, { headers: { cookie } })).then(
    async (r) => ({ status: r.status, text: await r.text(), headers: r.headers }),
  );

/**
 * Starts a flow; returns its id, the state the provider would send back, and `browser`: the
 * cookies of the browser that started it (its session, and the flow cookie the start set).
 */
async function begin(handler, cookie = 'sid=alice') {
  const r = await post(handler, { provider: 'generic' }, cookie);
  assert.equal(r.status, 200);
  const url = new URL(r.body.url);
  const [flowCookie] = r.headers.getSetCookie();
  assert.ok(flowCookie, 'the start sets the flow cookie');
  const browser = [cookie, flowCookie.split(';')[0]].filter(Boolean).join('; ');
  return { flow: r.body.flow, state: url.searchParams.get('state'), url, browser };
}

describe('server-completed flow', () => {
  it('start → the provider redirects to the server → the code is redeemed there → the element reads the result once', async () => {
    provider.seen.length = 0;
    const handler = flowHandler();
    const { flow, state, url, browser } = await begin(handler);
    assert.equal(url.origin + url.pathname, 'https://id.example/authorize');
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT);
    assert.equal(url.searchParams.get('scope'), 'openid profile');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(flow, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(flow, state);
    assert.deepEqual((await post(handler, { flow })).body, { status: 'pending' });

    const waiting = post(handler, { flow }); // held open until the result arrives
    const page = await redirectBack(handler, { code: 'C1', state }, browser);
    assert.equal(page.status, 200);
    assert.match(page.text, /window\.close\(\)/);
    assert.ok(!page.text.includes(ACCESS));
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.match(page.headers.get('content-security-policy'), /script-src 'sha256-/);
    const result = await waiting;
    assert.deepEqual(result.body, {
      status: 'connected',
      result: { connected: true, tokenSeen: true },
    });

    const form = new URLSearchParams(provider.seen[0].raw);
    assert.equal(form.get('code'), 'C1');
    assert.equal(form.get('redirect_uri'), REDIRECT);
    assert.match(form.get('code_verifier'), /^[A-Za-z0-9_-]{64}$/);
    // the code was redeemed once; the outcome stays readable by its owner (a dropped poll can ask
    // again) and by nobody else
    assert.equal((await post(handler, { flow })).body.status, 'connected');
    assert.equal((await post(handler, { flow }, 'sid=mallory')).status, 403);
    assert.equal(provider.seen.length, 1);
  });

  it('a forged redirect (unknown state) or a replayed one is refused, and nothing is redeemed', async () => {
    provider.seen.length = 0;
    const handler = flowHandler();
    const { flow, state, browser } = await begin(handler);
    assert.equal(
      (await redirectBack(handler, { code: 'X', state: 'forged' }, browser)).status,
      400,
    );
    assert.equal((await redirectBack(handler, { code: 'X' }, browser)).status, 400);
    assert.equal(provider.seen.length, 0);
    assert.equal((await redirectBack(handler, { code: 'C2', state }, browser)).status, 200);
    assert.equal((await redirectBack(handler, { code: 'C3', state }, browser)).status, 400); // replayed
    assert.equal(provider.seen.length, 1);
    assert.equal((await post(handler, { flow })).body.status, 'connected');
  });

  it('a denial at the provider → failed cancelled; a provider refusal → exchange_failed', async () => {
    const handler = flowHandler();
    const denied = await begin(handler);
    await redirectBack(handler, { error: 'access_denied', state: denied.state }, denied.browser);
    const d = (await post(handler, { flow: denied.flow })).body;
    assert.equal(d.status, 'failed');
    assert.equal(d.failure, 'cancelled');

    reply = () => [400, { error: 'invalid_grant', error_description: 'Code expired' }];
    try {
      const refused = await begin(handler);
      await redirectBack(handler, { code: 'old', state: refused.state }, refused.browser);
      const r = (await post(handler, { flow: refused.flow })).body;
      assert.deepEqual(r, {
        status: 'failed',
        failure: 'exchange_failed',
        message: 'Code expired',
        error: 'invalid_grant',
      });
    } finally {
      reply = () => [200, { access_token: ACCESS, token_type: 'Bearer' }];
    }
  });

  it('bound to the user: another session can neither finish nor read the flow; no session, no flow', async () => {
    provider.seen.length = 0;
    const handler = flowHandler();
    assert.equal((await post(handler, { provider: 'generic' }, '')).status, 401);
    const { flow, state } = await begin(handler, 'sid=alice');
    assert.equal((await post(handler, { flow }, 'sid=mallory')).status, 403);
    // an attacker's sign-in link opened in another user's browser (login CSRF): refused, not
    // redeemed, and the flow's own element is told
    assert.equal((await redirectBack(handler, { code: 'C', state }, 'sid=mallory')).status, 403);
    assert.equal(provider.seen.length, 0);
    assert.equal((await post(handler, { flow }, 'sid=alice')).body.failure, 'unauthorized');
    const other = await begin(handler, 'sid=alice');
    assert.equal(
      (await redirectBack(handler, { code: 'C', state: other.state }, other.browser)).status,
      200,
    );
    assert.equal((await post(handler, { flow: other.flow }, 'sid=alice')).body.status, 'connected');
  });

  it('abandoned by the element (Cancel): a later redirect is refused', async () => {
    provider.seen.length = 0;
    const handler = flowHandler();
    const { flow, state, browser } = await begin(handler);
    assert.equal((await post(handler, { flow, abandon: true })).body.status, 'abandoned');
    assert.equal((await redirectBack(handler, { code: 'C', state }, browser)).status, 400);
    assert.equal(provider.seen.length, 0);
  });

  it('entries expire with the flow', async () => {
    const handler = flowHandler({ timeout: 200 });
    const { flow, state, browser } = await begin(handler);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await redirectBack(handler, { code: 'C', state }, browser)).status, 400);
    assert.equal((await post(handler, { flow })).body.failure, 'expired');
  });

  it('a poll cut off by the network: the outcome is still there when the element asks again', async () => {
    const handler = flowHandler({ pollWindow: 2000 });
    const { flow, state, browser } = await begin(handler);
    const cut = new AbortController();
    const dropped = handler(
      new Request(REDIRECT, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'sid=alice' },
        body: JSON.stringify({ flow }),
        signal: cut.signal,
      }),
    );
    cut.abort();
    await dropped.catch(() => undefined);
    await redirectBack(handler, { code: 'CD', state }, browser);
    assert.equal((await post(handler, { flow })).body.status, 'connected');
  });

  it('bound to the user when session() answers numeric ids (a SQL serial id)', async () => {
    provider.seen.length = 0;
    const ids = { alice: 1, mallory: 2 };
    const handler = flowHandler({
      session: (request) => ids[/sid=(\w+)/.exec(request.headers.get('cookie') ?? '')?.[1]],
    });
    // mallory's flow, finished in alice's browser (login CSRF): refused, nothing redeemed
    const theirs = await begin(handler, 'sid=mallory');
    const csrf = await redirectBack(handler, { code: 'C', state: theirs.state }, 'sid=alice');
    assert.equal(csrf.status, 403);
    assert.equal(provider.seen.length, 0);
    // alice's outcome is hers: mallory can neither read nor abandon it
    const mine = await begin(handler, 'sid=alice');
    assert.equal(
      (await redirectBack(handler, { code: 'C', state: mine.state }, mine.browser)).status,
      200,
    );
    assert.equal((await post(handler, { flow: mine.flow }, 'sid=mallory')).status, 403);
    assert.equal(
      (await post(handler, { flow: mine.flow, abandon: true }, 'sid=mallory')).status,
      403,
    );
    assert.equal((await post(handler, { flow: mine.flow }, 'sid=alice')).body.status, 'connected');
  });

  it('a session() answer that is no user id (an object, an empty string, NaN) is nobody: 401', async () => {
    for (const user of [{ id: 1 }, '', Number.NaN, null]) {
      const handler = flowHandler({ session: () => user });
      assert.equal((await post(handler, { provider: 'generic' })).status, 401, String(user));
    }
  });

  it('createServerFlow without session(request) refuses to start', () => {
    assert.throws(() => createServerFlow({ providers: {}, redirectUri: REDIRECT }), /session/);
  });

  it('configuration mistakes throw when the handler is made', () => {
    const session = () => 'alice';
    const generic = {
      authorizeUrl: 'https://id.example/authorize',
      tokenUrl: 'https://id.example/token',
      clientId: 'c',
      redirectUris: [],
    };
    const make = (extra) =>
      createServerFlow({ providers: { generic }, redirectUri: REDIRECT, session, ...extra });
    // without it, every user's flow would fail after the sign-in at the provider
    assert.throws(() => make({ redirectUri: undefined }), /redirectUri/);
    assert.throws(() => make({ redirectUri: '/oauth/server' }), /redirectUri/);
    const { authorizeUrl, ...noAuthorize } = generic;
    assert.ok(authorizeUrl);
    assert.throws(() => make({ providers: { generic: noAuthorize } }), /generic\.authorizeUrl/);
    // '300' (from process.env) would make entries that never expire
    for (const name of ['timeout', 'pollWindow', 'providerTimeout']) {
      for (const value of ['300', 0, Number.NaN]) {
        assert.throws(() => make({ [name]: value }), new RegExp(`${name} must be`), name);
      }
    }
    assert.doesNotThrow(() => make({ timeout: 2 ** 40 })); // clamped
  });

  it('mounted with toNodeListener: a poll is held up to pollWindow, and ends when the client goes', async () => {
    const held = []; // ms each poll was held by the handler
    const handler = flowHandler({ pollWindow: 1500 });
    const counting = async (request) => {
      const t0 = Date.now();
      const response = await handler(request);
      held.push(Date.now() - t0);
      return response;
    };
    const server = http.createServer(toNodeListener(counting));
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${server.address().port}/oauth/server`;
    const poll = (flow, signal) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'sid=alice' },
        body: JSON.stringify({ flow }),
        signal,
      });
    try {
      const { flow } = await begin(handler);
      const t0 = Date.now();
      assert.deepEqual(await (await poll(flow)).json(), { status: 'pending' });
      assert.ok(Date.now() - t0 >= 1400, `answered after ${Date.now() - t0} ms`);
      // a client that goes away: the handler stops holding the poll at once
      const gone = new AbortController();
      const cut = poll(flow, gone.signal).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      gone.abort();
      await cut;
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(held.length, 2, 'the cut poll has ended');
      assert.ok(held[1] < 1000, `the poll was held ${held[1]} ms, its client left at 300 ms`);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('bad requests → 4xx JSON', async () => {
    const handler = flowHandler();
    assert.equal((await post(handler, { provider: 'hint' })).status, 400);
    assert.equal((await post(handler, { flow: 'short' })).status, 400);
    const text = await handler(new Request(REDIRECT, { method: 'POST', body: '{}' }));
    assert.equal(text.status, 415);
  });
});

// ---- Redis: a real redis-server (Debian), started here on a free loopback port ----

describe('Redis store (real redis-server)', () => {
  let redis;
  let client;
  before(async () => {
    redis = await startRedis();
    client = redis.client;
  });
  after(() => redis?.close());

  const store = () => redisStore((args) => client.sendCommand(args), `test-${Math.random()}:`);

  it('put / get / take once / delete, with expiry', async () => {
    const s = store();
    await s.put('a', 'one', 10_000);
    assert.equal(await s.get('a'), 'one');
    assert.equal(await s.take('a'), 'one');
    assert.equal(await s.take('a'), undefined);
    await s.put('b', 'two', 150);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await s.get('b'), undefined);
    await s.put('c', 'three', 10_000);
    await s.delete('c');
    assert.equal(await s.get('c'), undefined);
  });

  it('of concurrent takers, exactly one gets the result', async () => {
    const s = store();
    await s.put('r', 'result', 10_000);
    const got = await Promise.all(Array.from({ length: 20 }, () => s.take('r')));
    assert.equal(got.filter(Boolean).length, 1);
  });

  it('two handler instances share one store: started on A, finished on B, read on A, once', async () => {
    provider.seen.length = 0;
    const shared = store();
    const a = flowHandler({ store: shared });
    const b = flowHandler({ store: shared });
    const { flow, state, browser } = await begin(a);
    const reading = Promise.all([post(a, { flow }), post(b, { flow })]);
    assert.equal((await redirectBack(b, { code: 'CR', state }, browser)).status, 200);
    const results = await reading;
    for (const r of results) {
      assert.deepEqual(r.body, {
        status: 'connected',
        result: { connected: true, tokenSeen: true },
      });
    }
    assert.equal((await redirectBack(a, { code: 'CR', state }, browser)).status, 400); // the state is spent
    assert.equal(provider.seen.length, 1);
  });

  it('a flow store entry expires in Redis with the flow', async () => {
    const shared = store();
    const a = flowHandler({ store: shared, timeout: 200 });
    const { state, browser } = await begin(a);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal((await redirectBack(a, { code: 'C', state }, browser)).status, 400);
  });
});
