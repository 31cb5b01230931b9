import { expect } from '@open-wc/testing';
import { ConnectError } from '../../src/core/errors.js';
import { postDisconnect, readHealth, type Health } from '../../src/core/health.js';
import { backendStatus, postExchange, type FetchLike } from '../../src/core/exchange.js';

/** A fetch that answers `body` (a string as is, anything else as JSON) with `status`. */
const answering =
  (status: number, body: unknown, seen: RequestInit[] = []): FetchLike =>
  async (_url, init) => {
    seen.push(init);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status });
  };

describe('core/health readHealth', () => {
  // [name, status, body, the health it must come to]
  const table: [string, number, unknown, Health['kind'], Record<string, unknown>?][] = [
    [
      'connected with a name',
      200,
      { connected: true, name: "Joe's Practice" },
      'connected',
      { name: "Joe's Practice" },
    ],
    ['connected without a name', 200, { connected: true }, 'connected'],
    [
      'connected, an empty name',
      200,
      { connected: true, name: '  ' },
      'connected',
      { name: undefined },
    ],
    ['not connected', 200, { connected: false, updatedAt: '2026-11-23' }, 'disconnected'],
    [
      'an integration error',
      200,
      { connected: true, error: 'Token revoked' },
      'error',
      { message: 'Token revoked' },
    ],
    [
      'an error while not connected',
      200,
      { connected: false, error: 'Expired' },
      'error',
      { message: 'Expired' },
    ],
    ['an empty error', 200, { connected: true, error: ' ' }, 'connected'],
    ['extra keys (ignored)', 200, { connected: true, practice: { id: 1 } }, 'connected'],
    ['500', 500, { connected: true }, 'unknown'],
    ['401', 401, { connected: true }, 'unknown'],
    ['not JSON', 200, '<html>oops</html>', 'unknown'],
    ['truncated JSON', 200, '{"connected": true', 'unknown'],
    ['connected as a string', 200, { connected: 'true' }, 'unknown'],
    ['connected as a number', 200, { connected: 1 }, 'unknown'],
    ['connected null', 200, { connected: null, name: 'x' }, 'unknown'],
    ['no connected key', 200, { name: "Joe's Practice" }, 'unknown'],
    ['an array', 200, [{ connected: true }], 'unknown'],
    ['null', 200, 'null', 'unknown'],
    ['a name that is not a string', 200, { connected: true, name: 42 }, 'unknown'],
    ['an oversized name', 200, { connected: true, name: 'x'.repeat(201) }, 'unknown'],
    ['an empty body', 200, '', 'unknown'],
  ];
  for (const [name, status, body, kind, fields] of table) {
    it(`${name} → ${kind}`, async () => {
      const health = await readHealth({ fetch: answering(status, body), url: '/status' });
      expect(health.kind).to.equal(kind);
      for (const [key, value] of Object.entries(fields ?? {})) {
        expect((health as Record<string, unknown>)[key]).to.equal(value);
      }
    });
  }

  it('a network error → unknown', async () => {
    const fetch: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    expect((await readHealth({ fetch, url: '/status' })).kind).to.equal('unknown');
  });

  it('GET with the credentials and headers given, Accept JSON, not cached', async () => {
    const seen: RequestInit[] = [];
    await readHealth({
      fetch: answering(200, { connected: true }, seen),
      url: '/status',
      credentials: 'include',
      headers: { 'X-CSRF': 'k' },
    });
    expect(seen[0]).to.include({ method: 'GET', credentials: 'include', cache: 'no-store' });
    expect(seen[0]!.headers).to.deep.equal({ Accept: 'application/json', 'X-CSRF': 'k' });
  });

  it('an abort rejects with its reason (a hanging endpoint cannot hold it)', async () => {
    const controller = new AbortController();
    const hanging: FetchLike = () => new Promise(() => undefined);
    const pending = readHealth({ fetch: hanging, url: '/status', signal: controller.signal });
    const reason = new ConnectError('timeout', 'late');
    controller.abort(reason);
    let caught: unknown;
    await pending.catch((e: unknown) => (caught = e));
    expect(caught).to.equal(reason);
  });
});

describe('core/health postDisconnect', () => {
  it('POSTs { provider } as JSON; a JSON object answer is the result', async () => {
    const seen: RequestInit[] = [];
    const result = await postDisconnect({
      fetch: answering(200, { disconnected: true }, seen),
      url: '/disconnect',
      provider: 'hint',
    });
    expect(result).to.deep.equal({ disconnected: true });
    expect(seen[0]).to.include({ method: 'POST', credentials: 'same-origin' });
    expect(JSON.parse(String(seen[0]!.body))).to.deep.equal({ provider: 'hint' });
  });

  it('204 No Content → {}', async () => {
    expect(
      await postDisconnect({ fetch: answering(204, ''), url: '/d', provider: 'hcss' }),
    ).to.deep.equal({});
  });

  for (const [name, fetch, message] of [
    ['500 with words', answering(500, { error_description: 'Provider down' }), 'Provider down'],
    ['403 without words', answering(403, ''), 'The backend answered 403.'],
    ['a network error', (() => Promise.reject(new TypeError('x'))) as FetchLike, 'reached'],
  ] as const) {
    it(`${name} → exchange_failed`, async () => {
      let caught: ConnectError | undefined;
      await postDisconnect({ fetch, url: '/d', provider: 'hcss' }).catch(
        (e: ConnectError) => (caught = e),
      );
      expect(caught).to.be.instanceOf(ConnectError);
      expect(caught!.status).to.equal('exchange_failed');
      expect(caught!.message).to.contain(message);
    });
  }
});

describe('core/exchange backendStatus', () => {
  it("names a non-2xx answer's status, and nothing else's", async () => {
    const failed = await postExchange({ fetch: answering(401, {}), url: '/x', body: {} }).catch(
      (e: unknown) => e,
    );
    expect(backendStatus(failed)).to.equal(401);
    expect(backendStatus(new ConnectError('timeout', 'late'))).to.equal(undefined);
    expect(backendStatus(new Error('x'))).to.equal(undefined);
  });
});
