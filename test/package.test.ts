// The published entry points (dist/, built by `npm run build` before the tests), used as a partner
// page does: `import 'oauth-connect'` and `oauth-connect/callback` on the redirect_uri page.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { backendLog, exchangeUrl, origins, spyOnOpen, uid } from './support/helpers.js';

type Api = typeof import('../src/index.js');
const DIST = '/dist/index.js';
const callbackDist = () => `${location.origin}/test/fixtures/callback.html?entry=dist`;

let api: Api;
before(async () => {
  api = (await import(DIST as string)) as Api;
});

describe('package entry points (dist/)', () => {
  it('defines <oauth-connect> and exports the public API; a second import does not throw', async () => {
    expect(customElements.get('oauth-connect')).to.equal(api.OAuthConnect);
    expect(api.connect).to.be.a('function');
    expect(api.preloadFlow).to.be.a('function');
    expect(api.ConnectError).to.be.a('function');
    expect(Object.keys(api.providers).sort()).to.deep.equal([
      'bwell',
      'generic',
      'hcss',
      'healthtap',
      'hint',
    ]);
    expect(api.FAILURE_STATUSES).to.include.members([
      'blocked',
      'exchange_failed',
      'invalid_config',
    ]);
    await import(`${DIST}?twice` as string);
  });

  it('HCSS through the element, with the dist callback page: one exchange, connected', async () => {
    const { provider } = await origins();
    const t = uid();
    const spy = spyOnOpen();
    try {
      const el = await fixture<InstanceType<Api['OAuthConnect']>>(
        html`<oauth-connect
          provider="hcss"
          authorize-url=${`${provider}/authorize.html?scenario=approve`}
          client-id="c"
          redirect-uri=${callbackDist()}
          exchange-url=${exchangeUrl(t)}
        ></oauth-connect>`,
      );
      const connected = oneEvent(el, 'connected');
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
      const event = await connected;
      expect(event.detail.result['companyId']).to.equal('company-42');
      const log = await backendLog(t);
      expect(log).to.have.length(1);
      expect(log[0]!.body['codeVerifier']).to.be.a('string');
    } finally {
      spy.restore();
    }
  });

  it('tampered state through the dist build → unauthorized, nothing exchanged', async () => {
    const { provider } = await origins();
    const t = uid();
    const spy = spyOnOpen();
    try {
      let status: string | undefined;
      await api
        .connect({
          provider: 'hcss',
          authorizeUrl: `${provider}/authorize.html?scenario=tamper`,
          clientId: 'c',
          redirectUri: callbackDist(),
          exchangeUrl: exchangeUrl(t),
        })
        .catch((e: { status: string }) => (status = e.status));
      expect(status).to.equal('unauthorized');
      expect(await backendLog(t)).to.have.length(0);
    } finally {
      spy.restore();
    }
  });

  it('the COOP-severed popup connects through the dist callback page (BroadcastChannel)', async () => {
    const { provider } = await origins();
    const spy = spyOnOpen();
    try {
      const result = await api.connect({
        provider: 'hcss',
        authorizeUrl: `${provider}/coop/authorize.html?scenario=approve&delay=1500`,
        clientId: 'c',
        redirectUri: callbackDist(),
      });
      expect(result.result['code']).to.be.a('string');
    } finally {
      spy.restore();
    }
  });

  it('the inline classic-script callback build (dist/callback.inline.js) completes a flow', async () => {
    const { provider } = await origins();
    const t = uid();
    const spy = spyOnOpen();
    try {
      const result = await api.connect({
        provider: 'hcss',
        authorizeUrl: `${provider}/authorize.html?scenario=approve`,
        clientId: 'c',
        redirectUri: `${location.origin}/test/fixtures/callback.html?entry=inline`,
        exchangeUrl: exchangeUrl(t),
        pollInterval: 60000, // so only the callback page's own message can complete it
      });
      expect(result.result['connected']).to.equal(true);
      expect(await backendLog(t)).to.have.length(1);
    } finally {
      spy.restore();
    }
  });
});
