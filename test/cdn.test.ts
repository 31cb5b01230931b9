// The CDN build, as a page without a bundler loads it: one file (lit, zod/mini and the flow engine
// inlined), which defines the element and runs a whole flow without fetching anything beside it.
import { expect } from '@open-wc/testing';
import {
  callbackUrl,
  exchanges,
  exchangeUrl,
  origins,
  uid,
  useOpenSpy,
} from './support/helpers.js';

useOpenSpy();
const CDN = '/dist/cdn/oauth-connect.min.js';

interface CdnModule {
  connect(options: Record<string, unknown>): Promise<{ result: Record<string, unknown> }>;
}

describe('the CDN file', () => {
  it('is one file: defines <oauth-connect> and connects, loading nothing else of ours', async () => {
    performance.setResourceTimingBufferSize(1000); // (the default 250 could drop entries)
    const cdn = (await import(/* @vite-ignore */ CDN)) as CdnModule;
    expect(customElements.get('oauth-connect')).to.be.a('function');
    const { provider } = await origins();
    const t = uid();
    const { result } = await cdn.connect({
      provider: 'hcss',
      authorizeUrl: `${provider}/authorize.html?scenario=approve`,
      clientId: 'c',
      redirectUri: callbackUrl(),
      exchangeUrl: exchangeUrl(t),
    });
    expect(result['companyId']).to.equal('company-42');
    expect(await exchanges(t)).to.have.length(1);
    const ours = performance
      .getEntriesByType('resource')
      .map((e) => new URL(e.name).pathname)
      .filter((p) => p.startsWith('/dist/'));
    expect(ours).to.deep.equal([CDN]);
  });
});
