// A request made before the click (preloadFlow(options), the element on hover / focus, and after
// every flow for the next one) lets the click open the popup at the provider's URL at once: one
// navigation instead of about:blank and a second one. It is used once, carries the per-flow key into
// the popup (a copy of this tab's sessionStorage), and leaves this tab's storage as it was.
import { expect, fixture, html } from '@open-wc/testing';
import {
  connect,
  preloadFlow,
  startFlow,
  type ConnectOptions,
  type FlowPhase,
} from '../../src/index.js';
import type { OAuthConnect } from '../../src/oauth-connect.js';
import {
  exchanges,
  exchangeUrl,
  origins,
  outcome,
  reportCallbackUrl,
  reports,
  sleep,
  uid,
  useOpenSpy,
} from '../support/helpers.js';

const spy = useOpenSpy();
const KEY_ITEM = 'oauth-connect:flow';

async function hcss(path: string, t: string, extra: Partial<ConnectOptions> = {}) {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    authorizeUrl: `${provider}/${path}`,
    clientId: 'ready-client',
    redirectUri: reportCallbackUrl(),
    exchangeUrl: exchangeUrl(t),
    ...extra,
  } satisfies ConnectOptions;
}

const opened = (i: number) => new URL(String(spy.calls[i]!.url), location.href);

describe('a request made before the click', () => {
  it('opens the popup at the provider URL in the click; connects with one exchange; the key rides along', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const options = await hcss('authorize.html?scenario=approve&delay=100', t);
      await preloadFlow(options);
      const phases: FlowPhase[] = [];
      const handle = startFlow(options, { onPhase: (p) => phases.push(p) });
      expect(spy.calls).to.have.length(1);
      const url = opened(0);
      expect(url.origin).to.equal((await origins()).provider);
      expect(url.searchParams.get('client_id')).to.equal('ready-client');
      expect(url.searchParams.get('state')).to.match(/^[\w-]{20,}$/);
      expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
      await Promise.resolve(); // (the engine takes the flow a microtask after the click)
      expect(phases).to.deep.equal(['waiting']); // no 'opening': nothing left to make
      expect(sessionStorage.getItem(KEY_ITEM)).to.equal(null); // put back at once
      const result = await handle.result;
      expect(result.result['connected']).to.equal(true);
      const [exchange] = await exchanges(t);
      expect(exchange!.body['state']).to.equal(url.searchParams.get('state'));
      expect(exchange!.body['codeVerifier']).to.be.a('string');
      const delivered = await seen.next({
        phase: 'delivered',
        state: url.searchParams.get('state'),
      });
      expect(delivered['keyed']).to.equal(true);
    } finally {
      seen.close();
    }
  });

  it('is used once: the next click opens with a new state and a new challenge', async () => {
    const t = uid();
    const options = await hcss('authorize.html?scenario=approve', t);
    await preloadFlow(options);
    await connect(options);
    await preloadFlow(options); // the flow made the next one already; this waits for it
    await connect(options);
    expect(spy.calls).to.have.length(2);
    const [a, b] = [opened(0), opened(1)];
    const { provider } = await origins();
    expect([a.origin, b.origin]).to.deep.equal([provider, provider]); // neither at about:blank
    expect(b.searchParams.get('state')).not.to.equal(a.searchParams.get('state'));
    expect(b.searchParams.get('code_challenge')).not.to.equal(a.searchParams.get('code_challenge'));
    expect(await exchanges(t)).to.have.length(2);
  });

  it('options that changed since: not used (about:blank, then the URL of the new options)', async () => {
    const t = uid();
    await preloadFlow(await hcss('authorize.html?scenario=approve', t));
    const changed = await hcss('authorize.html?scenario=approve', t, { clientId: 'other-client' });
    const result = connect(changed);
    expect(String(spy.calls[0]!.url)).to.equal('about:blank');
    await result;
    const [exchange] = await exchanges(t);
    expect(exchange!.body['code']).to.be.a('string');
  });

  it("this tab's own value of the key item is put back after the open", async () => {
    const t = uid();
    const options = await hcss('authorize.html?scenario=approve', t);
    await preloadFlow(options);
    sessionStorage.setItem(KEY_ITEM, 'this-tab-value');
    try {
      const result = connect(options);
      expect(opened(0).origin).to.equal((await origins()).provider);
      expect(sessionStorage.getItem(KEY_ITEM)).to.equal('this-tab-value');
      await result;
    } finally {
      sessionStorage.removeItem(KEY_ITEM);
    }
  });

  it('with COOP on the provider page: the carried key brings the answer home', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const options = await hcss('coop/authorize.html?scenario=approve&delay=300', t);
      await preloadFlow(options);
      const r = await outcome(connect(options));
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(await exchanges(t)).to.have.length(1);
      const answered = await seen.next({
        phase: 'answered',
        state: opened(0).searchParams.get('state'),
      });
      expect(answered['opener']).to.equal(false);
      expect(answered['keyed']).to.equal(true);
      expect(answered['answer']).to.equal('acknowledged');
    } finally {
      seen.close();
    }
  });

  it('a backend-made URL (url-endpoint) is never made ahead: about:blank first', async () => {
    const { provider } = await origins();
    const t = uid();
    const back = encodeURIComponent(reportCallbackUrl());
    const target = `${provider}/authorize.html?scenario=approve&redirect_uri=${back}`;
    const options: ConnectOptions = {
      provider: 'generic',
      urlEndpoint: `/api/url?t=${t}&to=${encodeURIComponent(target)}`,
      redirectUri: reportCallbackUrl(),
      exchangeUrl: exchangeUrl(t),
    };
    await preloadFlow(options);
    const result = outcome(connect(options));
    expect(String(spy.calls[0]!.url)).to.equal('about:blank');
    const r = await result;
    expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
  });

  it('the element makes it on hover: its click opens the provider URL at once', async () => {
    const t = uid();
    const options = await hcss('authorize.html?scenario=approve', t, { clientId: 'hover-client' });
    const el = await fixture<OAuthConnect>(html`<oauth-connect></oauth-connect>`);
    Object.assign(el, options);
    await el.updateComplete;
    el.dispatchEvent(new PointerEvent('pointerenter'));
    await preloadFlow(); // the engine (no request made here: only the hover makes one)
    // time for the hover's request (SHA-256 of 64 bytes); should it not be ready, the click opens
    // about:blank and the assertion below fails: this wait cannot make the test pass falsely
    await sleep(300);
    const connected = new Promise((r) => el.addEventListener('connected', r, { once: true }));
    el.shadowRoot!.querySelector('button')!.click();
    expect(opened(0).searchParams.get('client_id')).to.equal('hover-client');
    await connected;
    expect(spy.calls).to.have.length(1);
  });
});
