// One user cannot take what others need (OWASP API4:2023): a user's flows are capped (the oldest
// gives way), a full store answers 503 with Retry-After, never a bare 500; the same in Redis,
// atomically across instances. And the memory a store holds at its cap, measured.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createServerFlow, memoryStore, redisStore } from '../../dist/server.js';
import { genericAt, mockProvider, startRedis } from './support.mjs';

const REDIRECT = 'https://app.example/oauth/server';

let provider;
before(async () => {
  provider = await mockProvider(() => [200, { access_token: 'at-SECRET', token_type: 'Bearer' }]);
});
after(() => provider.close());

/** A handler whose users name themselves with an x-user header. */
function flowHandler(extra = {}) {
  return createServerFlow({
    providers: {
      generic: genericAt(provider),
    },
    redirectUri: REDIRECT,
    pollWindow: 100,
    session: (request) => request.headers.get('x-user'),
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

/** `user` starts a flow: the answer, and (when it started) its id, state and flow cookie. */
async function start(handler, user) {
  const response = await post(handler, user, { provider: 'generic' });
  if (response.status !== 200) return { response };
  const { url, flow } = await response.json();
  return {
    response,
    user,
    flow,
    state: new URL(url).searchParams.get('state'),
    cookie: response.headers.getSetCookie()[0]?.split(';')[0] ?? '',
  };
}

/** The provider's redirect back for flow `f`, in the browser that started it (its user's). */
const back = (handler, f) =>
  handler(
    new Request(`${REDIRECT}?code=C&state=${f.state}`, {
      headers: { cookie: f.cookie, 'x-user': f.user },
    }),
  ).then((r) => r.status);
const outcome = async (handler, user, f) =>
  (await post(handler, user, { flow: f.flow }, f.cookie)).json();

/** `count` starts by `user`, `batch` at a time. */
async function startMany(handler, user, count, batch = 100) {
  const statuses = new Map();
  for (let done = 0; done < count; done += batch) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(batch, count - done) }, () => start(handler, user)),
    );
    for (const { response } of answers) {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  }
  return statuses;
}

/** Asserts a 503 with Retry-After (whole seconds, 1…max) and a JSON error body. */
async function assertBusy(response, maxSeconds) {
  assert.equal(response.status, 503);
  const retry = response.headers.get('retry-after');
  assert.match(retry ?? '', /^\d+$/, 'Retry-After in seconds');
  assert.ok(Number(retry) >= 1 && Number(retry) <= maxSeconds, `Retry-After ${retry}`);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  const body = await response.json();
  assert.equal(body.error, 'temporarily_unavailable');
  assert.equal(typeof body.error_description, 'string');
  assert.ok(body.error_description.length > 0);
}

describe('server flow limits: memoryStore', () => {
  it('one account starting 50,000 flows and finishing none does not lock other users out of the default memoryStore', async () => {
    const handler = flowHandler();
    const statuses = await startMany(handler, 'mallory', 50_000);
    assert.deepEqual([...statuses], [[200, 50_000]]);
    const alice = await start(handler, 'alice');
    assert.equal(alice.response.status, 200);
    assert.equal(await back(handler, alice), 200);
    assert.equal((await outcome(handler, 'alice', alice)).status, 'connected');
  });

  it('past maxPendingPerUser (default 5) the user’s oldest flow gives way: its redirect is refused, its element told expired', async () => {
    provider.seen.length = 0;
    const handler = flowHandler();
    const flows = [];
    for (let i = 0; i < 6; i++) flows.push(await start(handler, 'alice'));
    const bob = await start(handler, 'bob'); // another user's flow is not alice's to push out
    const [oldest, ...kept] = flows;
    assert.equal(await back(handler, oldest), 400);
    assert.equal(provider.seen.length, 0, 'the flow that gave way redeemed nothing');
    assert.equal((await outcome(handler, 'alice', oldest)).failure, 'expired');
    for (const f of kept) assert.equal(await back(handler, f), 200);
    assert.equal(await back(handler, bob), 200);
    assert.equal(provider.seen.length, 6);
  });

  it('maxPendingPerUser sets the cap', async () => {
    const handler = flowHandler({ maxPendingPerUser: 2 });
    const [a, b, c] = [
      await start(handler, 'alice'),
      await start(handler, 'alice'),
      await start(handler, 'alice'),
    ];
    assert.equal(await back(handler, a), 400);
    assert.equal(await back(handler, b), 200);
    assert.equal(await back(handler, c), 200);
  });

  it('a full store answers 503 with Retry-After and a JSON error — never a bare 500; a user at their own cap still starts; room again once flows expire', async () => {
    const handler = flowHandler({
      store: memoryStore({ maxFlows: 3 }),
      maxPendingPerUser: 1,
      timeout: 60_000,
    });
    for (const user of ['u1', 'u2', 'u3']) {
      assert.equal((await start(handler, user)).response.status, 200);
    }
    await assertBusy((await start(handler, 'u4')).response, 60);
    // u1 holds its one flow: its new one replaces it, and fits
    assert.equal((await start(handler, 'u1')).response.status, 200);

    const quick = flowHandler({ store: memoryStore({ maxFlows: 2 }), timeout: 1500 });
    await start(quick, 'u1');
    await start(quick, 'u2');
    const full = (await start(quick, 'u3')).response;
    await assertBusy(full, 2);
    await new Promise((r) => setTimeout(r, Number(full.headers.get('retry-after')) * 1000 + 50));
    assert.equal((await start(quick, 'u3')).response.status, 200, 'after Retry-After');
  });

  it('maxPendingPerUser and maxFlows are checked when made', () => {
    for (const value of [0, 1.5, '5', Number.NaN]) {
      assert.throws(() => flowHandler({ maxPendingPerUser: value }), /maxPendingPerUser must be/);
      assert.throws(() => memoryStore({ maxFlows: value }), /maxFlows must be/);
      assert.throws(() => redisStore(() => undefined, { maxFlows: value }), /maxFlows must be/);
    }
  });

  it('memory at the cap: about 2 KB a flow, measured (V8 heap after GC, flows of distinct users)', async () => {
    const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'measure-store.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--expose-gc',
      script,
      'memory',
      '5000',
    ]);
    const { perFlow, full } = JSON.parse(stdout);
    console.log(`memoryStore: ${perFlow} bytes a flow`);
    assert.equal(full, 503, 'the store was at its cap');
    // the README and memoryStore's JSDoc say "about 2 KB a flow (1.9 to 2.2 KB)"
    assert.ok(perFlow > 1000 && perFlow < 2600, `${perFlow} bytes a flow`);
  });
});

describe('server flow limits: redisStore (real redis-server)', () => {
  let redis;
  let send;
  before(async () => {
    redis = await startRedis();
    send = (args) => redis.client.sendCommand(args);
  });
  after(() => redis?.close());

  const fresh = (options = {}) => {
    const prefix = `limits-${Math.random()}:`;
    return { prefix, store: redisStore(send, { prefix, ...options }) };
  };

  it('the per-user cap holds across instances: 20 starts at once on two instances leave the user 5 flows, and only theirs redirect', async () => {
    provider.seen.length = 0;
    const { prefix, store } = fresh();
    const a = flowHandler({ store });
    const b = flowHandler({ store });
    const flows = await Promise.all(
      Array.from({ length: 20 }, (_, i) => start(i % 2 ? a : b, 'mallory')),
    );
    assert.ok(flows.every((f) => f.response.status === 200));
    const pending = await send(['KEYS', `${prefix}pending:*`]);
    assert.equal(pending.length, 5);
    assert.equal(Number(await send(['ZCARD', `${prefix}user:mallory`])), 5);
    const redirected = await Promise.all(flows.map((f) => back(a, f)));
    assert.equal(redirected.filter((s) => s === 200).length, 5);
    assert.equal(redirected.filter((s) => s === 400).length, 15);
    assert.equal(provider.seen.length, 5);
  });

  it('the store cap holds across instances: 20 users at once on two instances, maxFlows 5 → 5 started, 15 told 503 with Retry-After', async () => {
    const { store } = fresh({ maxFlows: 5 });
    const a = flowHandler({ store, timeout: 30_000 });
    const b = flowHandler({ store, timeout: 30_000 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => start(i % 2 ? a : b, `user-${i}`)),
    );
    const ok = answers.filter((f) => f.response.status === 200);
    const busy = answers.filter((f) => f.response.status !== 200);
    assert.equal(ok.length, 5);
    assert.equal(busy.length, 15);
    for (const f of busy) await assertBusy(f.response, 30);
  });

  it('a flow’s keys and counts expire with it: room again after the timeout', async () => {
    const { prefix, store } = fresh({ maxFlows: 1 });
    const handler = flowHandler({ store, timeout: 300 });
    assert.equal((await start(handler, 'u1')).response.status, 200);
    await assertBusy((await start(handler, 'u2')).response, 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await start(handler, 'u2')).response.status, 200);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(await send(['KEYS', `${prefix}*`]), [`${prefix}flows`]);
  });

  it('Redis memory at the cap: about 2.5 KB a flow, measured (used_memory, flows of distinct users)', async () => {
    const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'measure-store.mjs');
    const port = String(redis.port);
    const { stdout } = await promisify(execFile)(process.execPath, [script, 'redis', '5000', port]);
    const { perFlow, full } = JSON.parse(stdout);
    console.log(`redisStore: ${perFlow} bytes of Redis memory a flow`);
    assert.equal(full, 503, 'the store was at its cap');
    // the README and redisStore's JSDoc say "about 2.5 KB a flow"
    assert.ok(perFlow > 1000 && perFlow < 3000, `${perFlow} bytes a flow`);
  });
});
