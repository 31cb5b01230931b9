// Property test: thousands of random messages over every path a result can arrive by (window
// messages with every origin and source, the flow's own channel, the shared channel, other
// channels, storage events), with every shape, state and key an attacker could try, never end a
// flow; the real answer still connects afterwards.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { startFlow, type ConnectOptions, type FlowPhase } from '../../src/index.js';
import {
  callbackUrl,
  exchanges,
  exchangeUrl,
  origins,
  outcome,
  sleep,
  uid,
  useOpenSpy,
  until,
} from '../support/helpers.js';

const MESSAGES = 10_000;

const spy = useOpenSpy();

/** Strings an attacker would try in place of a secret: random ones and near misses of the real one. */
const nearMisses = (secret: string) =>
  fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.base64String({ minLength: 43, maxLength: 44 }),
    fc.constant(secret.slice(0, -1)),
    fc.constant(`${secret}x`),
    fc.constant(secret.toUpperCase() === secret ? secret.toLowerCase() : secret.toUpperCase()),
    fc
      .nat({ max: secret.length - 1 })
      .map((i) => `${secret.slice(0, i)}${secret[i] === 'A' ? 'B' : 'A'}${secret.slice(i + 1)}`),
    fc.constant(''),
  );

/**
 * A payload. Most are well formed — our envelope or bare params that pass every schema, carrying a
 * code, an error or a b.well status with a wrong, missing or near-miss state and key — so that
 * only the binding checks stand between them and the flow; the rest are malformed or anything.
 */
function payloads(secrets: { state: string; key: string }) {
  const text = fc.string({ minLength: 1, maxLength: 60 });
  const params = fc
    .record(
      {
        code: text,
        state: nearMisses(secrets.state).filter((v) => v.length > 0),
        error: fc.oneof(fc.constantFrom('access_denied', 'server_error'), text),
        error_description: fc.string({ maxLength: 60 }),
        status_code: fc.constantFrom('success', 'error', 'cancelled', 'expired', 'unauthorized'),
      },
      { requiredKeys: [] },
    )
    .filter((p) => 'code' in p || 'error' in p || 'status_code' in p);
  const key = fc.option(
    nearMisses(secrets.key).filter((v) => v.length > 0),
    { nil: undefined, freq: 2 },
  );
  const envelope = fc
    .record({
      type: fc.constant('oauth-connect:callback'),
      id: text,
      key,
      params,
    })
    .map(({ key: k, ...rest }) => (k === undefined ? rest : { ...rest, key: k }));
  const anything = fc.anything({ maxDepth: 3 });
  const malformed = fc.record(
    {
      type: fc.oneof(fc.constant('oauth-connect:callback'), fc.string({ maxLength: 30 })),
      id: fc.oneof(text, anything),
      key: fc.oneof(text, anything),
      params: fc.oneof(
        fc.record({ code: anything, state: anything, status_code: anything }, { requiredKeys: [] }),
        fc.record({ code: fc.constant('x'.repeat(5000)), state: text }),
        anything,
      ),
    },
    { requiredKeys: ['type', 'params'] },
  );
  return fc.oneof(
    { arbitrary: envelope, weight: 6 },
    { arbitrary: params, weight: 2 },
    { arbitrary: fc.constantFrom('status-success', 'status-failure'), weight: 1 },
    { arbitrary: malformed, weight: 1 },
    { arbitrary: anything, weight: 1 },
  );
}

interface Paths {
  readonly popup: Window;
  readonly frame: Window;
  readonly allowed: string;
  readonly others: readonly string[];
  readonly key: string;
}

/** One random arrival on any path but the genuine one (our popup, from an allowed origin). */
function arrivals(paths: Paths, secrets: { state: string; key: string }) {
  const data = payloads(secrets);
  const message = fc.record({
    path: fc.constant('message' as const),
    data,
    origin: fc.oneof(
      fc.constantFrom(paths.allowed, ...paths.others, 'null'),
      fc.webUrl().map((u) => new URL(u).origin),
    ),
    source: fc.constantFrom<'self' | 'frame' | 'popup' | 'none'>('self', 'frame', 'popup', 'none'),
  });
  const name = fc.oneof(
    fc.constant(`oauth-connect:${paths.key}`), // the flow's own channel, without its key
    fc.constant('oauth-connect'),
    nearMisses(paths.key).map((k) => `oauth-connect:${k}`),
  );
  const channel = fc.record({ path: fc.constant('channel' as const), data, name });
  const storage = fc.record({
    path: fc.constant('storage' as const),
    data,
    name,
    item: fc.oneof(
      { arbitrary: fc.constant('oauth-connect:message:x'), weight: 4 },
      { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
    ),
  });
  return fc.oneof(message, channel, storage).filter((a) => {
    // The one combination that is not a forgery: our own popup on an allowed origin.
    if (a.path === 'message') return !(a.source === 'popup' && a.origin === paths.allowed);
    // Our own key is the popup itself speaking.
    if (a.path === 'channel' || a.path === 'storage') {
      const key = (a.data as { key?: unknown } | null)?.key;
      return !(typeof key === 'string' && key === paths.key);
    }
    return true;
  });
}

async function fuzz(
  options: ConnectOptions,
  answer: string,
  t: string,
  { broadcastChannel = true } = {},
) {
  const { stranger, provider } = await origins();
  const phases: FlowPhase[] = [];
  // Without BroadcastChannel (older browsers) the flow listens to storage events instead.
  const BC = window.BroadcastChannel;
  if (!broadcastChannel) (window as { BroadcastChannel?: unknown }).BroadcastChannel = undefined;
  const handle = startFlow(options, { onPhase: (p) => phases.push(p) });
  window.BroadcastChannel = BC;
  const popup = spy.last!;
  const result = outcome(handle.result);
  let settled = false;
  void result.then(() => (settled = true));
  await until(() => phases.includes('waiting'), 5000, 'the flow waiting');
  // written into the popup's sessionStorage before it left about:blank (here for a page of ours)
  const key = popup.sessionStorage.getItem('oauth-connect:flow')!;
  expect(key).to.match(/^[A-Za-z0-9_-]{43}$/);

  // Another window of ours (a same-origin frame: Firefox builds a MessageEvent only with a source
  // it may touch); forged windows of other sites are covered with real pages in integrity.test.ts.
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const state = new URL(answer).searchParams.get('state') ?? 'no-state';
  const paths: Paths = {
    popup,
    frame: frame.contentWindow!,
    allowed: new URL(callbackUrl()).origin,
    others: [provider, stranger],
    key,
  };
  const sample = fc.sample(
    arrivals(paths, { state, key }).filter((a) => broadcastChannel || a.path !== 'channel'),
    { numRuns: MESSAGES, seed: 42 },
  );
  const channels = new Map<string, BroadcastChannel>();
  const counts = { message: 0, channel: 0, storage: 0 };
  for (const a of sample) {
    counts[a.path]++;
    if (a.path === 'message') {
      const source = { self: window, frame: paths.frame, popup, none: null }[a.source];
      window.dispatchEvent(new MessageEvent('message', { data: a.data, origin: a.origin, source }));
    } else if (a.path === 'channel') {
      let channel = channels.get(a.name);
      if (!channel) channels.set(a.name, (channel = new BroadcastChannel(a.name)));
      try {
        channel.postMessage(a.data);
      } catch {
        // not cloneable (a function or symbol fast-check made): it never reaches anyone
      }
    } else {
      let newValue: string | null;
      try {
        newValue = JSON.stringify({ channel: a.name, data: a.data }) ?? null;
      } catch {
        newValue = null; // not serialisable (a BigInt fast-check made)
      }
      window.dispatchEvent(new StorageEvent('storage', { key: a.item, newValue }));
    }
  }
  await sleep(1000); // every channel message delivered
  for (const channel of channels.values()) channel.close();
  frame.remove();
  expect(counts.message + counts.channel + counts.storage).to.equal(MESSAGES);
  const used = broadcastChannel
    ? [counts.message, counts.channel, counts.storage]
    : [counts.message, counts.storage];
  expect(Math.min(...used)).to.be.greaterThan(MESSAGES / 5);
  expect(settled, 'a random message ended the flow').to.equal(false);
  expect(phases).not.to.include('exchanging');
  expect(await exchanges(t)).to.have.length(0);

  // The real answer: the popup comes back to our callback page.
  popup.location.href = answer;
  const r = await result;
  expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
  return r.ok ? r.value : undefined;
}

describe(`property: ${MESSAGES} random messages over every path end no flow`, () => {
  it('a code flow (state bound): zero completions, then the real answer connects', async function () {
    this.timeout(60000);
    const t = uid();
    const state = `fuzz-${crypto.randomUUID()}`;
    const result = await fuzz(
      {
        provider: 'generic',
        redirectUri: callbackUrl(),
        // the sign-in window waits on a page of ours without an answer (see the frame above)
        resolveUrl: async () =>
          `${location.origin}/test/fixtures/plain-callback.html?state=${state}`,
        exchangeUrl: exchangeUrl(t),
      },
      `${callbackUrl()}?code=REAL-${t}&state=${state}`,
      t,
    );
    expect(result?.result['connected']).to.equal(true);
    const sent = await exchanges(t);
    expect(sent.map((l) => [l.body['code'], l.body['state']])).to.deep.equal([
      [`REAL-${t}`, state],
    ]);
  });

  it('a b.well flow (stateless: only the per-flow key binds it): zero completions, then it connects', async function () {
    this.timeout(60000);
    const t = uid();
    const result = await fuzz(
      {
        provider: 'bwell',
        mode: 'polling',
        pollInterval: 200,
        connectionId: 'conn-fuzz',
        redirectUri: callbackUrl(),
        resolveUrl: async () => `${location.origin}/test/fixtures/plain-callback.html`,
        exchangeUrl: exchangeUrl(t),
      },
      `${callbackUrl()}?status_code=success`,
      t,
    );
    expect(result?.provider).to.equal('bwell');
    expect((await exchanges(t)).map((l) => l.body)).to.deep.equal([
      { provider: 'bwell', status: 'success', connectionId: 'conn-fuzz' },
    ]);
  });

  it('a b.well flow in a browser without BroadcastChannel (storage events): zero completions, then it connects', async function () {
    this.timeout(60000);
    const t = uid();
    await fuzz(
      {
        provider: 'bwell',
        mode: 'polling',
        pollInterval: 200,
        connectionId: 'conn-fuzz',
        redirectUri: callbackUrl(),
        resolveUrl: async () => `${location.origin}/test/fixtures/plain-callback.html`,
        exchangeUrl: exchangeUrl(t),
      },
      `${callbackUrl()}?status_code=success`,
      t,
      { broadcastChannel: false },
    );
    expect(await exchanges(t)).to.have.length(1);
  });
});
