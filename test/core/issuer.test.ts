// The mix-up defence's expected issuer (RFC 9207): fixed before the popup opens, per preset as data
// (hcss: derived from the authorize URL in use), or the `issuer` option; `require-iss` makes a
// missing `iss` unauthorized.
import { expect } from '@open-wc/testing';
import { resolveConfig, type ConnectOptions } from '../../src/core/config.js';
import { ConnectError } from '../../src/core/errors.js';
import { expectIssuer } from '../../src/core/issuer.js';
import { hcss as hcssPreset } from '../../src/core/providers/index.js';
import { prepareRequest } from '../../src/core/request.js';

const page = 'https://app.example/page';
const noFetch = () => Promise.reject(new Error('no fetch'));
const hcss: ConnectOptions = {
  provider: 'hcss',
  clientId: 'c',
  redirectUri: 'https://app.example/cb',
};
const generic: ConnectOptions = {
  provider: 'generic',
  authorizeUrl: 'https://id.example.com/oauth2/authorize',
  clientId: 'c',
  redirectUri: 'https://app.example/cb',
};

async function expected(options: ConnectOptions) {
  const { expectation } = await prepareRequest(resolveConfig(options, page), {
    fetch: noFetch,
    pageUrl: page,
  });
  return { issuer: expectation.issuer, requireIss: expectation.requireIss };
}

async function failure(run: () => unknown): Promise<ConnectError | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    expect(error).to.be.instanceOf(ConnectError);
    return error as ConnectError;
  }
}

describe('core/issuer: the issuer a flow expects back', () => {
  const table: [string, ConnectOptions, { issuer?: string; requireIss?: boolean }][] = [
    ['hcss, its documented authorize URL', hcss, { issuer: 'https://api.hcssapps.com/identity' }],
    [
      'hcss, a sandbox authorize-url',
      { ...hcss, authorizeUrl: 'https://api.sandbox.hcssapps.com/identity/connect/authorize' },
      { issuer: 'https://api.sandbox.hcssapps.com/identity' },
    ],
    [
      'hcss, a full authorize-url with a query (no client-id)',
      {
        provider: 'hcss',
        authorizeUrl:
          'https://staging.hcssapps.com/identity/connect/authorize?client_id=x&redirect_uri=https%3A%2F%2Fapp.example%2Fcb',
      },
      { issuer: 'https://staging.hcssapps.com/identity' },
    ],
    [
      'hcss, an authorize-url without /connect/authorize: none derived',
      { ...hcss, authorizeUrl: 'https://id.example.com/authorize' },
      {},
    ],
    [
      'hcss, the issuer option wins',
      { ...hcss, issuer: 'https://id.example.com' },
      { issuer: 'https://id.example.com' },
    ],
    ['generic: none', generic, {}],
    [
      'generic with issuer (kept as written: no slash added)',
      { ...generic, issuer: 'https://id.example.com' },
      { issuer: 'https://id.example.com' },
    ],
    [
      'generic with issuer and require-iss',
      { ...generic, issuer: 'https://id.example.com', requireIss: true },
      { issuer: 'https://id.example.com', requireIss: true },
    ],
    [
      'generic with a loopback http issuer',
      { ...generic, issuer: 'http://127.0.0.1:8080/realms/dev' },
      { issuer: 'http://127.0.0.1:8080/realms/dev' },
    ],
    ['healthtap: none', { ...hcss, provider: 'healthtap' }, {}],
  ];
  for (const [name, options, issuer] of table) {
    it(name, async () => {
      const got = await expected(options);
      expect(got.issuer).to.equal(issuer.issuer);
      expect(got.requireIss === true).to.equal(issuer.requireIss === true);
    });
  }

  it('a url-endpoint flow expects the issuer of the URL the backend hands out', async () => {
    const to = 'https://api.sandbox.hcssapps.com/identity/connect/authorize?state=backend-state-1';
    const fetch = () => Promise.resolve(Response.json({ url: to }));
    const { expectation } = await prepareRequest(
      resolveConfig(
        { provider: 'hcss', urlEndpoint: '/u', redirectUri: 'https://app.example/cb' },
        page,
      ),
      { fetch, pageUrl: page },
    );
    expect(expectation.issuer).to.equal('https://api.sandbox.hcssapps.com/identity');
  });

  it('b.well (status answers): no issuer', async () => {
    const config = resolveConfig(
      {
        provider: 'bwell',
        resolveUrl: () => 'https://b.example/x',
        allowedOrigins: 'https://b.example',
      },
      page,
    );
    const { expectation } = await prepareRequest(config, { fetch: noFetch, pageUrl: page });
    expect(expectation.issuer).to.equal(undefined);
  });

  it('presets carry it as data: hcss derives it, and a missing iss is accepted', () => {
    expect(hcssPreset.issuer).to.deep.equal({ authorizeSuffix: '/connect/authorize' });
    expect(hcssPreset.requireIss).to.equal(false);
  });

  it('a fixed preset issuer is used as is', () => {
    const preset = { ...hcssPreset, issuer: 'https://fixed.example' };
    const got = expectIssuer(
      { preset, issuer: undefined, requireIss: true },
      'https://x.example/a',
    );
    expect(got).to.deep.equal({ issuer: 'https://fixed.example', requireIss: true });
  });
});

describe('core/config: issuer and require-iss', () => {
  const bad: [string, ConnectOptions, RegExp][] = [
    ['an http issuer', { ...generic, issuer: 'http://id.example.com' }, /^issuer/],
    ['a relative issuer', { ...generic, issuer: '/identity' }, /^issuer/],
    ['an issuer with a query', { ...generic, issuer: 'https://id.example.com/?x=1' }, /^issuer/],
    ['an issuer with a fragment', { ...generic, issuer: 'https://id.example.com#f' }, /^issuer/],
    ['an issuer that is no string', { ...generic, issuer: 42 as never }, /^issuer/],
    ['require-iss without an issuer', { ...generic, requireIss: true }, /require-iss/],
    ['require-iss that is no boolean', { ...generic, requireIss: 'yes' as never }, /require-iss/],
  ];
  for (const [name, options, message] of bad) {
    it(`rejects ${name} (invalid_config, before anything opens)`, async () => {
      const error = await failure(() => resolveConfig(options, page));
      expect(error?.status).to.equal('invalid_config');
      expect(error?.message).to.match(message);
    });
  }

  it('require-iss on hcss with an authorize-url that derives no issuer fails before it opens', async () => {
    const config = resolveConfig(
      { ...hcss, authorizeUrl: 'https://id.example.com/authorize', requireIss: true },
      page,
    );
    const error = await failure(() => prepareRequest(config, { fetch: noFetch, pageUrl: page }));
    expect(error?.status).to.equal('invalid_config');
    expect(error?.message).to.match(/issuer/);
  });

  it('an empty issuer attribute is no issuer', () => {
    expect(resolveConfig({ ...generic, issuer: '' }, page).issuer).to.equal(undefined);
  });
});
