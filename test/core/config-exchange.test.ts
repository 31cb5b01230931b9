import { expect } from '@open-wc/testing';
import { resolveConfig, type ConnectOptions } from '../../src/core/config.js';
import { ConnectError } from '../../src/core/errors.js';
import { exchangeBody, postExchange, type FetchLike } from '../../src/core/exchange.js';
import { parseWindowMessage } from '../../src/core/schemas/messages.js';
import { prepareRequest } from '../../src/core/request.js';

const page = 'https://app.example/page';
const hcss: ConnectOptions = {
  provider: 'hcss',
  clientId: 'c',
  redirectUri: 'https://app.example/cb',
};

function invalidReason(options: ConnectOptions): string | undefined {
  try {
    resolveConfig(options, page);
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(ConnectError);
    expect((error as ConnectError).status).to.equal('invalid_config');
    return (error as ConnectError).message;
  }
}

describe('core/config resolveConfig', () => {
  const bad: [string, ConnectOptions][] = [
    ['unknown provider', { ...hcss, provider: 'nope' as never }],
    ['unknown mode', { ...hcss, mode: 'tab' as never }],
    ['http redirect-uri', { ...hcss, redirectUri: 'http://app.example/cb' }],
    ['javascript authorize-url', { ...hcss, authorizeUrl: 'javascript:alert(1)' }],
    ['http authorize-url', { ...hcss, authorizeUrl: 'http://evil.example/a' }],
    ['http exchange-url', { ...hcss, exchangeUrl: 'http://evil.example/x' }],
    ['wildcard origin', { ...hcss, allowedOrigins: '*' }],
    ['origin with a path', { ...hcss, allowedOrigins: 'https://a.example/path' }],
    ['http origin', { ...hcss, allowedOrigins: 'http://a.example' }],
    ['missing client-id', { provider: 'hcss', redirectUri: 'https://app.example/cb' }],
    ['missing redirect-uri', { provider: 'hcss', clientId: 'c' }],
    [
      'no client id anywhere (an authorize-url without client_id)',
      { provider: 'generic', authorizeUrl: 'https://id.example/a?scope=x' },
    ],
    [
      'a misspelt client-id on hcss (no client id at all)',
      { provider: 'hcss', redirectUri: 'https://app.example/cb', clientid: 'c' } as ConnectOptions,
    ],
    ['generic without anything to open', { provider: 'generic' }],
    ['b.well popup without allowed-origins', { provider: 'bwell', resolveUrl: async () => 'x' }],
    ['negative timeout', { ...hcss, timeout: -1 }],
    ['NaN poll interval', { ...hcss, pollInterval: Number.NaN }],
    ['NaN timeout (a non-numeric attribute)', { ...hcss, timeout: Number.NaN }],
    ['a poll interval under 10 ms', { ...hcss, pollInterval: 1 }],
    ['a tiny popup', { ...hcss, popupWidth: 10 }],
    ['bad pkce', { ...hcss, pkce: 'plain' as never }],
  ];
  for (const [name, options] of bad) {
    it(`rejects ${name}`, () => {
      expect(invalidReason(options)).to.be.a('string');
    });
  }

  it('no client id anywhere names client-id; a full authorize-url carrying client_id needs none', () => {
    const bare = { provider: 'generic', authorizeUrl: 'https://id.example/a' } as const;
    expect(invalidReason(bare)).to.equal(
      'client-id is required: authorize-url carries no client_id either.',
    );
    expect(invalidReason({ ...bare, authorizeUrl: 'https://id.example/a?client_id=' })).to.match(
      /client-id/,
    );
    expect(invalidReason({ ...bare, authorizeUrl: 'https://id.example/a?client_id=c' })).to.equal(
      undefined,
    );
    // the backend builds the URL: no client id needed here
    expect(invalidReason({ provider: 'generic', urlEndpoint: '/api/url' })).to.equal(undefined);
  });

  it('fills the HCSS preset', () => {
    const c = resolveConfig(hcss, page);
    expect(c.authorizeUrl).to.equal('https://api.hcssapps.com/identity/connect/authorize');
    expect(c.pkce).to.equal(true);
    expect(c.allowedOrigins).to.deep.equal(['https://app.example']);
    expect(c.timeout).to.equal(300000);
    expect(c.mode).to.equal('popup');
  });
  it('turns PKCE off for HealthTap, on request, and for status flows', () => {
    expect(resolveConfig({ ...hcss, provider: 'healthtap' }, page).pkce).to.equal(false);
    expect(resolveConfig({ ...hcss, pkce: 'off' }, page).pkce).to.equal(false);
  });
  it('accepts b.well with allowed-origins, or in polling mode', () => {
    const c = resolveConfig(
      {
        provider: 'bwell',
        urlEndpoint: '/api/url',
        allowedOrigins: 'https://bwell.example  https://x.example',
      },
      page,
    );
    expect(c.allowedOrigins).to.deep.equal(['https://bwell.example', 'https://x.example']);
    expect(c.urlEndpoint).to.equal('https://app.example/api/url');
    expect(invalidReason({ provider: 'bwell', urlEndpoint: '/u', mode: 'polling' })).to.equal(
      undefined,
    );
  });
  it('clamps numbers out of range: timers to 2^31−1 ms, the poll interval to the timeout', () => {
    const huge = resolveConfig(
      { ...hcss, timeout: 2_592_000_000, pollInterval: 2_592_000_000, popupWidth: 1e9 },
      page,
    );
    expect(huge.timeout).to.equal(2 ** 31 - 1);
    expect(huge.pollInterval).to.equal(2 ** 31 - 1);
    expect(huge.popupWidth).to.be.at.most(100_000);
    expect(resolveConfig({ ...hcss, timeout: Infinity }, page).timeout).to.equal(2 ** 31 - 1);
    const short = resolveConfig({ ...hcss, timeout: 1000, pollInterval: 60_000 }, page);
    expect(short.pollInterval).to.equal(1000);
  });
  it('defaults Hint to landing mode', () => {
    expect(resolveConfig({ provider: 'hint', exchangeUrl: '/x' }, page).mode).to.equal('landing');
  });
});

describe('core/request prepareRequest', () => {
  const noFetch: FetchLike = () => Promise.reject(new Error('no fetch expected'));
  it('builds the URL with a fresh state and PKCE', async () => {
    const r = await prepareRequest(resolveConfig(hcss, page), { fetch: noFetch, pageUrl: page });
    const q = new URL(r.url).searchParams;
    expect(q.get('state')).to.equal(r.expectation.state);
    expect(q.get('code_challenge')).to.be.a('string');
    expect(r.expectation.codeVerifier).to.match(/^[A-Za-z0-9_-]{43,128}$/);
  });
  it('refuses an unsafe URL from resolveUrl', async () => {
    const config = resolveConfig(
      { provider: 'generic', resolveUrl: async () => 'http://evil.example/a' },
      page,
    );
    let error: ConnectError | undefined;
    await prepareRequest(config, { fetch: noFetch, pageUrl: page }).catch(
      (e: ConnectError) => (error = e),
    );
    expect(error?.status).to.equal('invalid_config');
    expect(error?.message).not.to.contain('evil'); // a backend's URL is not repeated to the page
  });
  it('resolveUrl may return a string, and gets the flow signal', async () => {
    let seen: AbortSignal | undefined;
    const config = resolveConfig(
      {
        provider: 'generic',
        resolveUrl: ({ signal }) => {
          seen = signal;
          return 'https://id.example/a';
        },
      },
      page,
    );
    const abort = new AbortController();
    const r = await prepareRequest(config, { fetch: noFetch, pageUrl: page, signal: abort.signal });
    expect(new URL(r.url).origin).to.equal('https://id.example');
    expect(seen).to.equal(abort.signal);
  });
  it('expects the state a backend URL carries, and refuses one it gave before', async () => {
    const state = `server-${Math.random()}`;
    const fetch: FetchLike = async () =>
      new Response(JSON.stringify({ url: `https://id.example/a?state=${state}` }), { status: 200 });
    const config = resolveConfig({ provider: 'generic', urlEndpoint: '/u' }, page);
    const r = await prepareRequest(config, { fetch, pageUrl: page });
    expect(r.expectation.state).to.equal(state);
    let error: ConnectError | undefined;
    await prepareRequest(config, { fetch, pageUrl: page }).catch((e: ConnectError) => (error = e));
    expect(error?.status).to.equal('invalid_config');
    expect(error?.message).to.match(/fresh for every flow/);
  });
  it('a full authorize-url: its fixed state is replaced by a fresh one, with PKCE', async () => {
    const config = resolveConfig(
      { provider: 'generic', authorizeUrl: 'https://id.example/a?client_id=c&state=FIXED' },
      page,
    );
    const states = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await prepareRequest(config, { fetch: noFetch, pageUrl: page });
      const q = new URL(r.url).searchParams;
      expect(q.getAll('state')).to.deep.equal([r.expectation.state]);
      expect(q.get('code_challenge')).to.be.a('string');
      expect(r.expectation.codeVerifier).to.be.a('string');
      states.add(r.expectation.state!);
    }
    expect(states.has('FIXED')).to.equal(false);
    expect(states.size).to.equal(3);
  });
  it('a resolveUrl that never settles ends when the flow signal aborts', async () => {
    const config = resolveConfig(
      { provider: 'generic', resolveUrl: () => new Promise<string>(() => undefined) },
      page,
    );
    const abort = new AbortController();
    const pending = prepareRequest(config, { fetch: noFetch, pageUrl: page, signal: abort.signal });
    const reason = new ConnectError('timeout', 'deadline');
    setTimeout(() => abort.abort(reason), 20);
    let error: unknown;
    await pending.catch((e: unknown) => (error = e));
    expect(error).to.equal(reason);
  });
});

describe('core/exchange', () => {
  const respond =
    (body: string, status = 200): FetchLike =>
    async () =>
      new Response(body, { status, headers: { 'content-type': 'application/json' } });

  it('posts JSON with same-origin credentials and returns the object', async () => {
    let init: RequestInit | undefined;
    const fetch: FetchLike = async (_url, i) => {
      init = i;
      return new Response('{"ok":true}', { status: 200 });
    };
    const body = exchangeBody('hcss', {
      code: 'C',
      state: 'S',
      codeVerifier: 'V',
      redirectUri: 'R',
    });
    expect(await postExchange({ fetch, url: '/x', body })).to.deep.equal({ ok: true });
    expect(init?.method).to.equal('POST');
    expect(init?.credentials).to.equal('same-origin');
    expect(JSON.parse(String(init?.body))).to.deep.equal({
      provider: 'hcss',
      code: 'C',
      state: 'S',
      codeVerifier: 'V',
      redirectUri: 'R',
    });
  });
  it('builds the b.well body', () => {
    expect(exchangeBody('bwell', { status: 'success' }, { connectionId: 'cx' })).to.deep.equal({
      provider: 'bwell',
      status: 'success',
      connectionId: 'cx',
    });
  });

  const failures: [string, FetchLike, RegExp][] = [
    [
      '500 with a message',
      respond('{"message":"Token endpoint down"}', 500),
      /Token endpoint down/,
    ],
    [
      '400 with error_description',
      respond('{"error_description":"Code already used"}', 400),
      /Code already used/,
    ],
    ['500 without body', respond('', 500), /500/],
    ['non-JSON 200', respond('<html>', 200), /JSON object/],
    ['JSON array', respond('[1]', 200), /JSON object/],
    ['JSON null', respond('null', 200), /JSON object/],
    [
      'network error',
      () => Promise.reject(new TypeError('Failed to fetch')),
      /could not be reached/,
    ],
  ];
  for (const [name, fetch, message] of failures) {
    it(`fails with exchange_failed on ${name}`, async () => {
      let error: ConnectError | undefined;
      await postExchange({ fetch, url: '/x', body: {} }).catch((e: ConnectError) => (error = e));
      expect(error?.status).to.equal('exchange_failed');
      expect(error?.message).to.match(message);
    });
  }
});

describe('core/schemas parseWindowMessage', () => {
  const table: [string, unknown, unknown][] = [
    [
      'our envelope',
      { type: 'oauth-connect:callback', id: 'i', params: { code: 'C', state: 'S' } },
      { id: 'i', key: undefined, params: { code: 'C', state: 'S' } },
    ],
    [
      'our envelope with its flow key',
      { type: 'oauth-connect:callback', id: 'i', key: 'K', params: { status_code: 'success' } },
      { id: 'i', key: 'K', params: { status_code: 'success' } },
    ],
    ['b.well success', 'status-success', { params: { status_code: 'success' } }],
    ['b.well failure', 'status-failure', { params: { status_code: 'status-failure' } }],
    ['bare params', { code: 'C', state: 'S' }, { params: { code: 'C', state: 'S' } }],
    [
      'our envelope carrying iss',
      { type: 'oauth-connect:callback', id: 'i', params: { code: 'C', state: 'S', iss: 'I' } },
      { id: 'i', key: undefined, params: { code: 'C', state: 'S', iss: 'I' } },
    ],
    [
      'bare params carrying iss',
      { error: 'access_denied', iss: 'I' },
      { params: { error: 'access_denied', iss: 'I' } },
    ],
    [
      'an envelope with an iss that is no string',
      { type: 'oauth-connect:callback', id: 'i', params: { code: 'C', iss: 5 } },
      undefined,
    ],
    [
      'an envelope with an empty key',
      { type: 'oauth-connect:callback', id: 'i', key: '', params: { code: 'C' } },
      undefined,
    ],
    ['other strings', 'status-maybe', undefined],
    ['numbers', 42, undefined],
    ['null', null, undefined],
    ['wrong type tag', { type: 'x', code: 'C' }, undefined],
    [
      'envelope with bad params',
      { type: 'oauth-connect:callback', id: 'i', params: { code: 5 } },
      undefined,
    ],
    [
      'envelope without result',
      { type: 'oauth-connect:callback', id: 'i', params: { state: 'S' } },
      undefined,
    ],
    ['bare params without result', { state: 'S' }, undefined],
    [
      'an envelope with a code over 4 KB',
      { type: 'oauth-connect:callback', id: 'i', params: { code: 'c'.repeat(4097) } },
      undefined,
    ],
    [
      'an envelope with a code of exactly 4 KB',
      { type: 'oauth-connect:callback', id: 'i', params: { code: 'c'.repeat(4096) } },
      { id: 'i', key: undefined, params: { code: 'c'.repeat(4096) } },
    ],
    [
      'an envelope with an empty code beside an error',
      { type: 'oauth-connect:callback', id: 'i', params: { code: '', error: 'x' } },
      undefined,
    ],
    [
      'an envelope with an id over 4 KB',
      { type: 'oauth-connect:callback', id: 'i'.repeat(4097), params: { code: 'C' } },
      undefined,
    ],
    [
      'an envelope with an empty id',
      { type: 'oauth-connect:callback', id: '', params: { code: 'C' } },
      undefined,
    ],
    [
      'bare params with an error description over 4 KB',
      { error: 'access_denied', error_description: 'd'.repeat(4097) },
      undefined,
    ],
    [
      'bare params with an empty error description',
      { error: 'access_denied', error_description: '' },
      { params: { error: 'access_denied' } },
    ],
    ['bare params with a state over 4 KB', { code: 'C', state: 's'.repeat(4097) }, undefined],
  ];
  for (const [name, data, expected] of table) {
    it(name, () => {
      expect(parseWindowMessage(data)).to.deep.equal(expected);
    });
  }
});
