// Mends from an adversarial review of the server flow, each reproduced here first:
// - a result is kept only for a flow that still counts (a redirect in flight while its flow gave
//   way wrote a result no cap counted: one user filled the store, every other redirect was a 500);
//   a store that cannot keep an outcome answers a 503 page and ends the flow (its element is told);
// - the redirect's `error` is bounded (it was kept at any length);
// - an HCSS authorizeUrl the issuer cannot be derived from throws at start-up (the iss check was
//   silently off); an issuer with whitespace or control characters throws at start-up;
// - a start clears the cookies of this browser's flows that gave way to it (they piled up).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServerFlow, memoryStore, redisStore, StoreFullError } from '../../dist/server.js';
import { genericAt, mockProvider, startRedis } from './support.mjs';

const REDIRECT = 'https://app.example/oauth/server';

/** The token endpoint answers once `release()` is called (or at once when open). */
let provider;
let gate;
let open = true;
const hold = () => {
  open = false;
  let release;
  gate = new Promise((resolve) => (release = resolve));
  return () => {
    open = true;
    release();
  };
};
before(async () => {
  provider = await mockProvider(async () => {
    if (!open) await gate;
    return [200, { access_token: 'at-SECRET', token_type: 'Bearer' }];
  });
});
after(() => provider.close());

let stored = 0;
function flowHandler(extra = {}, providers) {
  return createServerFlow({
    providers: providers ?? {
      generic: genericAt(provider),
    },
    redirectUri: REDIRECT,
    pollWindow: 50,
    session: (request) => request.headers.get('x-user'),
    storeCredentials: () => {
      stored++;
      return { connected: true };
    },
    onError: () => {},
    ...extra,
  });
}

const post = (handler, user, body, cookie = '') =>
  handler(
    new Request(REDIRECT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': user, cookie },
      body: JSON.stringify(body),
    }),
  );

async function start(handler, user, cookie = '') {
  const response = await post(handler, user, { provider: 'generic' }, cookie);
  assert.equal(response.status, 200, 'started');
  const { url, flow } = await response.json();
  return {
    response,
    user,
    flow,
    state: new URL(url).searchParams.get('state'),
    cookie: response.headers.getSetCookie()[0].split(';')[0],
  };
}

const back = (handler, f, query = 'code=C') =>
  handler(new Request(`${REDIRECT}?${query}&state=${f.state}`, { headers: { cookie: f.cookie } }));
const outcome = async (handler, f) => (await post(handler, f.user, { flow: f.flow })).json();

async function until(check) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'reached');
}

/**
 * One round of the attack: `user` starts 5 flows, sends their redirects (their code is being
 * redeemed), then starts 5 more, so the 5 in flight give way before their results are written.
 */
async function round(handlers, user) {
  const pick = (i) => handlers[i % handlers.length];
  const mine = await Promise.all([0, 1, 2, 3, 4].map((i) => start(pick(i), user)));
  const calls = provider.seen.length;
  const release = hold();
  const inflight = mine.map((f, i) => back(pick(i + 1), f));
  await until(() => provider.seen.length >= calls + 5);
  await Promise.all([0, 1, 2, 3, 4].map((i) => start(pick(i), user)));
  release();
  const pages = await Promise.all(inflight);
  return { mine, pages };
}

describe('review: no result outlives its flow’s count (memoryStore)', () => {
  it('one user’s redirects in flight while their flows give way leave no result: another user’s redirect still connects, and is told', async () => {
    const store = memoryStore({ maxFlows: 10 });
    const handler = flowHandler({ store });
    for (let i = 0; i < 6; i++) {
      const { mine, pages } = await round([handler], 'mallory');
      for (const page of pages) assert.equal(page.status, 200);
      if (i === 0) {
        // the flows that gave way have no result: their elements are told expired
        for (const f of mine) assert.equal((await outcome(handler, f)).failure, 'expired');
        for (const f of mine) assert.equal(await store.get(`result:${f.flow}`), undefined);
      }
    }
    stored = 0;
    const alice = await start(handler, 'alice');
    const page = await back(handler, alice);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Connected/);
    assert.equal(stored, 1);
    assert.deepEqual(await outcome(handler, alice), {
      status: 'connected',
      result: { connected: true },
    });
  });

  it('put with whileKey stores only while that key lives', async () => {
    const store = memoryStore();
    assert.equal(await store.put('result:x', 'v', 10_000, 'owner:x'), false);
    assert.equal(await store.get('result:x'), undefined);
    await store.start({
      user: 'u',
      entries: { 'owner:x': '{}' },
      keys: ['owner:x', 'result:x'],
      ttlMs: 10_000,
      maxPerUser: 1,
    });
    assert.equal(await store.put('result:x', 'v', 10_000, 'owner:x'), true);
    assert.equal(await store.get('result:x'), 'v');
  });

  it('a store that cannot keep the outcome (full): a 503 page with Retry-After, the flow’s cookie cleared, and its element told it failed', async () => {
    const inner = memoryStore();
    const store = {
      ...inner,
      put: async () => {
        throw new StoreFullError(4000);
      },
    };
    const handler = flowHandler({ store });
    const f = await start(handler, 'alice');
    const page = await back(handler, f);
    assert.equal(page.status, 503);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.equal(page.headers.get('retry-after'), '4');
    assert.match(await page.text(), /try again/);
    assert.match(page.headers.getSetCookie()[0], /Max-Age=0/);
    const told = await outcome(handler, f);
    assert.equal(told.status, 'failed');
    assert.match(told.message, /could not be kept/);
  });
});

describe('review: no result outlives its flow’s count (redisStore, real redis-server)', () => {
  let redis;
  let send;
  before(async () => {
    redis = await startRedis();
    send = (args) => redis.client.sendCommand(args);
  });
  after(() => redis?.close());

  it('two instances: result keys never outnumber the flows counted', async () => {
    const prefix = `review-${Math.random()}:`;
    const a = flowHandler({ store: redisStore(send, { prefix, maxFlows: 20 }) });
    const b = flowHandler({ store: redisStore(send, { prefix, maxFlows: 20 }) });
    for (let i = 0; i < 3; i++) await round([a, b], 'mallory');
    const results = await redis.client.keys(`${prefix}result:*`);
    const counted = await redis.client.zCard(`${prefix}flows`);
    assert.equal(counted, 5);
    assert.ok(results.length <= counted, `${results.length} result keys, ${counted} flows`);
    const alice = await start(a, 'alice');
    assert.equal((await back(b, alice)).status, 200);
    assert.equal((await outcome(a, alice)).status, 'connected');
  });

  it('Redis at its maxmemory (OOM): a redirect is a 503 page with Retry-After (not 500), and its element told it failed', async () => {
    const prefix = `review-${Math.random()}:`;
    const handler = flowHandler({ store: redisStore(send, { prefix }) });
    const f = await start(handler, 'alice');
    await redis.client.configSet('maxmemory-policy', 'noeviction');
    await redis.client.configSet('maxmemory', '1');
    try {
      const page = await back(handler, f);
      assert.equal(page.status, 503);
      assert.match(page.headers.get('content-type'), /^text\/html/);
      assert.ok(page.headers.get('retry-after'));
      assert.equal((await outcome(handler, f)).status, 'failed');
    } finally {
      await redis.client.configSet('maxmemory', '0');
    }
  });
});

describe('review: what a finished flow keeps from the redirect is bounded', () => {
  it('an error parameter that is not a short RFC 6749 code is kept as invalid_request; the description is cut to 500', async () => {
    const store = memoryStore();
    const handler = flowHandler({ store });
    for (const [error, kept] of [
      ['E'.repeat(14_500), 'invalid_request'],
      ['a"b', 'invalid_request'],
      ['a\\b', 'invalid_request'],
      ['bad\u0001', 'invalid_request'],
      ['é', 'invalid_request'],
      ['x'.repeat(64), 'x'.repeat(64)],
      ['temporarily_unavailable', 'temporarily_unavailable'],
    ]) {
      const f = await start(handler, `u-${Math.random()}`);
      const query = `error=${encodeURIComponent(error)}&error_description=${'d'.repeat(9000)}`;
      assert.equal((await back(handler, f, query)).status, 200);
      const told = await outcome(handler, f);
      assert.equal(told.error, kept);
      assert.equal(told.message.length, 500);
      assert.ok((await store.get(`result:${f.flow}`)).length < 700);
    }
  });
});

describe('review: start-up checks of the issuer', () => {
  const hcss = (config) => ({
    hcss: {
      tokenUrl: `${provider.url}/token`,
      clientId: 'c',
      clientSecret: 's',
      redirectUris: [],
      ...config,
    },
  });

  it('an hcss authorizeUrl that does not end in /connect/authorize exactly throws, asking for issuer; with issuer it starts', () => {
    for (const authorizeUrl of [
      'https://sandbox.hcssapps.com/identity/connect/authorize/',
      'https://sandbox.hcssapps.com/identity/Connect/Authorize',
      'https://login.example/authorize',
    ]) {
      assert.throws(
        () => flowHandler({}, hcss({ authorizeUrl })),
        /hcss\.authorizeUrl does not end in \/connect\/authorize.*give hcss\.issuer/,
        authorizeUrl,
      );
      assert.doesNotThrow(() =>
        flowHandler({}, hcss({ authorizeUrl, issuer: 'https://sandbox.hcssapps.com/identity' })),
      );
    }
    assert.doesNotThrow(() => flowHandler({}, hcss({})));
  });

  it('an issuer with whitespace or control characters throws, naming the option', () => {
    for (const issuer of [
      'https://id.example.com\n',
      ' https://id.example.com',
      'https://id.example.com ',
      'https://id.exa\tmple.com',
      'https://id.example.com/a b',
      'https://id.example.com/\u0000',
    ]) {
      assert.throws(
        () =>
          flowHandler(
            {},
            {
              generic: genericAt(provider, { issuer }),
            },
          ),
        /generic\.issuer must be an absolute https URL.*whitespace/,
        JSON.stringify(issuer),
      );
    }
  });
});

describe('review: flow cookies do not pile up', () => {
  /** A cookie jar that keeps what Set-Cookie says (Max-Age=0 removes). */
  const jar = () => {
    const cookies = new Map();
    return {
      cookies,
      header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      keep(response) {
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair.indexOf('=');
          if (/;\s*Max-Age=0(?:;|$)/i.test(line)) cookies.delete(pair.slice(0, at));
          else cookies.set(pair.slice(0, at), pair.slice(at + 1));
        }
      },
    };
  };

  it('200 starts from one browser leave at most maxPendingPerUser flow cookies; the latest still connects', async () => {
    const handler = flowHandler();
    const browser = jar();
    browser.cookies.set('sid', 'alice');
    let last;
    for (let i = 0; i < 200; i++) {
      const response = await post(handler, 'alice', { provider: 'generic' }, browser.header());
      assert.equal(response.status, 200);
      browser.keep(response);
      last = response;
    }
    const flowCookies = [...browser.cookies.keys()].filter((n) => n.startsWith('__Host-'));
    assert.equal(flowCookies.length, 5);
    // the clearing lines have the same name, path and attributes as the cookies they clear
    const lines = last.headers.getSetCookie();
    assert.equal(lines.length, 2);
    assert.match(
      lines[1],
      /^__Host-oauth-connect-[\w-]{12}=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax; Secure$/,
    );
    const { url } = await last.json();
    const f = {
      user: 'alice',
      state: new URL(url).searchParams.get('state'),
      cookie: browser.header(),
    };
    assert.equal((await back(handler, f)).status, 200);
  });

  it('another browser’s start is not told to clear cookies it does not carry', async () => {
    const handler = flowHandler();
    for (let i = 0; i < 5; i++) await start(handler, 'bob', '');
    const other = await post(handler, 'bob', { provider: 'generic' });
    assert.equal(other.headers.getSetCookie().length, 1);
  });
});
