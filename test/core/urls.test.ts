import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import {
  buildAuthorizeUrl,
  withEndpointState,
  withFlowState,
} from '../../src/core/authorize-url.js';
import { parseCallbackUrl, stripCallbackParams } from '../../src/core/callback-params.js';
import { isLoopbackHost, parseSafeUrl } from '../../src/core/url-safety.js';

describe('core/url-safety', () => {
  const table: [string, boolean][] = [
    ['https://api.hcssapps.com/identity/connect/authorize', true],
    ['http://localhost:8080/cb', true],
    ['http://127.0.0.1/cb', true],
    ['http://[::1]:3000/cb', true],
    ['http://example.com/cb', false],
    ['http://localhost.evil.com/cb', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['ftp://example.com', false],
    ['https://user:pass@example.com', false],
    ['not a url', false],
  ];
  for (const [url, ok] of table) {
    it(`${ok ? 'accepts' : 'rejects'} ${url}`, () => {
      expect(parseSafeUrl(url) !== undefined).to.equal(ok);
    });
  }
  it('resolves relative URLs against a base', () => {
    expect(parseSafeUrl('/api/x', 'https://app.example')?.href).to.equal(
      'https://app.example/api/x',
    );
  });
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('LOCALHOST')).to.equal(true);
    expect(isLoopbackHost('127.0.0.2')).to.equal(false);
  });
});

describe('core/authorize-url', () => {
  it('builds an RFC 6749 request with PKCE, keeping existing parameters', () => {
    const url = new URL(
      buildAuthorizeUrl({
        authorizeUrl: 'https://id.example/authorize?tenant=a',
        clientId: 'client',
        redirectUri: 'https://app.example/cb',
        scope: '  read   write ',
        state: 'S',
        codeChallenge: 'C',
        extraParams: { prompt: 'consent', state: 'ignored' },
      }),
    );
    const q = url.searchParams;
    expect(q.get('tenant')).to.equal('a');
    expect(q.get('response_type')).to.equal('code');
    expect(q.get('client_id')).to.equal('client');
    expect(q.get('redirect_uri')).to.equal('https://app.example/cb');
    expect(q.get('scope')).to.equal('read write');
    expect(q.get('state')).to.equal('S');
    expect(q.get('code_challenge')).to.equal('C');
    expect(q.get('code_challenge_method')).to.equal('S256');
    expect(q.get('prompt')).to.equal('consent');
  });
  it('omits PKCE when there is no challenge', () => {
    const q = new URL(
      buildAuthorizeUrl({ authorizeUrl: 'https://x.example/a', clientId: 'c', state: 'S' }),
    ).searchParams;
    expect(q.has('code_challenge')).to.equal(false);
  });
  it('withEndpointState keeps the state a backend put in its URL, or adds ours', () => {
    expect(withEndpointState('https://x.example/a?state=mine', 'other')).to.deep.equal({
      url: 'https://x.example/a?state=mine',
      state: 'mine',
    });
    expect(withEndpointState('https://x.example/a', 'S').url).to.equal(
      'https://x.example/a?state=S',
    );
  });
  it('withFlowState replaces a fixed state and challenge written into a full authorize-url', () => {
    const q = new URL(
      withFlowState(
        'https://x.example/a?client_id=c&state=FIXED&code_challenge=OLD&code_challenge_method=plain',
        'FRESH',
        'NEW',
      ),
    ).searchParams;
    expect(q.getAll('state')).to.deep.equal(['FRESH']);
    expect(q.getAll('code_challenge')).to.deep.equal(['NEW']);
    expect(q.get('code_challenge_method')).to.equal('S256');
    expect(q.get('client_id')).to.equal('c');
    const plain = new URL(
      withFlowState('https://x.example/a?state=FIXED&code_challenge=OLD', 'FRESH'),
    ).searchParams;
    expect(plain.get('state')).to.equal('FRESH');
    expect(plain.has('code_challenge')).to.equal(false); // PKCE off: no challenge we cannot answer
  });
});

describe('core/callback-params', () => {
  const table: [string, unknown][] = [
    ['https://a.example/cb?code=C&state=S', { code: 'C', state: 'S' }],
    ['https://a.example/cb#code=C&state=S', { code: 'C', state: 'S' }],
    ['https://a.example/cb?error=access_denied', { error: 'access_denied' }],
    [
      'https://a.example/cb?error=x&error_description=Bad+thing&state=S',
      { error: 'x', error_description: 'Bad thing', state: 'S' },
    ],
    ['https://a.example/cb?status_code=success', { status_code: 'success' }],
    [
      'https://a.example/cb?code=C&state=S&iss=https%3A%2F%2Fid.example%2Fidentity',
      { code: 'C', state: 'S', iss: 'https://id.example/identity' },
    ],
    ['https://a.example/cb#error=access_denied&iss=I', { error: 'access_denied', iss: 'I' }],
    ['https://a.example/cb?iss=I', undefined], // an iss alone is no answer
    ['https://a.example/cb?state=S', undefined],
    ['https://a.example/cb', undefined],
    ['https://a.example/cb?tab=2&state=CA', undefined], // an app's own ?state= is no answer
    ['not a url', undefined],
    [
      'https://a.example/cb?error=x&error_description=A&error_description=B',
      { error: 'x', error_description: 'A' },
    ],
  ];
  // A key it cannot take makes the whole answer an invalid_request error: never a code.
  const malformed: [string, string, string | undefined][] = [
    ['https://a.example/cb?code=', 'code', undefined],
    ['https://a.example/cb?code=&code=X', 'code', undefined],
    ['https://a.example/cb?code=X&code=X&state=S', 'code', 'S'],
    ['https://a.example/cb?code=Q&state=S#code=F', 'code', 'S'],
    [`https://a.example/cb?code=${'x'.repeat(5000)}`, 'code', undefined],
    ['https://a.example/cb?code=C&state=A&state=B', 'state', undefined],
    ['https://a.example/cb?status_code=success&status_code=error', 'status_code', undefined],
    ['https://a.example/cb?error=', 'error', undefined],
    ['https://a.example/cb?code=C&state=S&iss=A&iss=B', 'iss', 'S'],
    ['https://a.example/cb?code=C&state=S&iss=A#iss=A', 'iss', 'S'],
    ['https://a.example/cb?code=C&state=S&iss=', 'iss', 'S'],
    [`https://a.example/cb?code=C&iss=${'i'.repeat(5000)}`, 'iss', undefined],
  ];
  for (const [url, key, state] of malformed) {
    it(`refuses ${url.slice(0, 60)} (malformed "${key}")`, () => {
      const params = parseCallbackUrl(url);
      expect(params?.error).to.equal('invalid_request');
      expect(params?.malformed).to.equal(key);
      expect(params?.code).to.equal(undefined);
      expect(params?.state).to.equal(state);
      expect(params?.error_description).to.contain(`"${key}"`);
      expect(params?.iss).to.equal(undefined); // not taken from an answer that is refused
    });
  }
  for (const [url, expected] of table) {
    it(`parses ${url.slice(0, 60)}`, () => {
      expect(parseCallbackUrl(url)).to.deep.equal(expected);
    });
  }
  it('strips only the callback keys', () => {
    expect(stripCallbackParams('https://a.example/p?x=1&code=C&state=S#tab=2')).to.equal(
      'https://a.example/p?x=1#tab=2',
    );
    expect(stripCallbackParams('https://a.example/p#code=C&state=S')).to.equal(
      'https://a.example/p',
    );
    expect(stripCallbackParams('https://a.example/p?x=1&code=C&iss=I#iss=I&tab=2')).to.equal(
      'https://a.example/p?x=1#tab=2',
    );
  });
});

describe('property: 10,000 random callback URLs', () => {
  const key = fc.constantFrom('code', 'state', 'error', 'error_description', 'status_code', 'x');
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constant(''),
    fc.constant('y'.repeat(4100)),
  );
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 6 });

  it('never yields a code that was repeated, empty or oversized, nor a code beside an error', () => {
    fc.assert(
      fc.property(pairs, pairs, (query, fragment) => {
        const enc = (p: [string, string][]) => new URLSearchParams(p).toString();
        const url = `https://a.example/cb?${enc(query)}#${enc(fragment)}`;
        const params = parseCallbackUrl(url);
        const codes = [...query, ...fragment].filter(([k]) => k === 'code').map(([, v]) => v);
        if (params?.code !== undefined) {
          expect(codes).to.deep.equal([params.code]);
          expect(params.code.length).to.be.within(1, 4096);
          expect(params.malformed).to.equal(undefined);
        }
        if (params?.malformed) {
          expect(params.error).to.equal('invalid_request');
          expect(params.code).to.equal(undefined);
          expect(params.withCode === true).to.equal(codes.length > 0);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
