// Runs in Chromium with its popup blocker ON (see web-test-runner.config.mjs).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendMouse } from '@web/test-runner-commands';
import '../../src/index.js';
import { connect } from '../../src/index.js';
import type { OAuthConnect } from '../../src/index.js';
import {
  backendLog,
  callbackUrl,
  exchangeUrl,
  openFrameApp,
  redirectApp,
  origins,
  spyOnOpen,
  uid,
} from '../support/helpers.js';

describe('popup blocker on', () => {
  it('connect() without a user gesture fails with blocked and opens nothing', async () => {
    const { provider } = await origins();
    const spy = spyOnOpen();
    try {
      let status: string | undefined;
      await connect({
        provider: 'hcss',
        authorizeUrl: `${provider}/authorize.html`,
        clientId: 'c',
        redirectUri: callbackUrl(),
        fallback: 'none',
      }).catch((e: { status: string }) => (status = e.status));
      expect(status).to.equal('blocked');
      expect(spy.calls.length).to.equal(1);
      expect(spy.calls[0]?.win).to.equal(null);
    } finally {
      spy.restore();
    }
  });

  it('the element reports blocked through the failed event', async () => {
    const { provider } = await origins();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        authorize-url=${`${provider}/authorize.html`}
        client-id="c"
        redirect-uri=${callbackUrl()}
        fallback="none"
      ></oauth-connect>`,
    );
    const failed = oneEvent(el, 'failed');
    el.connect().catch(() => undefined);
    const event = await failed;
    expect(event.detail.status).to.equal('blocked');
  });

  it('a real click opens the popup even with the blocker on (no await before window.open)', async () => {
    const { provider } = await origins();
    const t = uid();
    const spy = spyOnOpen();
    try {
      const el = await fixture<OAuthConnect>(
        html`<oauth-connect
          provider="hcss"
          authorize-url=${`${provider}/authorize.html?scenario=approve`}
          client-id="c"
          redirect-uri=${callbackUrl()}
          exchange-url=${exchangeUrl(t)}
        ></oauth-connect>`,
      );
      const button = el.shadowRoot!.querySelector('button')!;
      const rect = button.getBoundingClientRect();
      const connected = oneEvent(el, 'connected');
      await sendMouse({
        type: 'click',
        position: [Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2)],
      });
      const event = await connected;
      expect(spy.calls.length).to.equal(1);
      expect(spy.calls[0]?.win).not.to.equal(null);
      expect(event.detail.result['companyId']).to.equal('company-42');
    } finally {
      spy.restore();
    }
  });

  it('fallback="redirect": a blocked popup continues as a full redirect round trip', async () => {
    const { provider } = await origins();
    const t = uid();
    const app = redirectApp((app) => ({
      provider: 'hcss',
      mode: 'popup',
      fallback: 'redirect',
      clientId: 'c',
      authorizeUrl: `${provider}/authorize.html?scenario=approve`,
      redirectUri: app,
      exchangeUrl: exchangeUrl(t),
    }));
    const frameApp = openFrameApp(`${app}?start=1`);
    try {
      await frameApp.loaded();
      const el = frameApp.frame.contentDocument!.getElementById('c') as OAuthConnect;
      el.connect().catch(() => undefined); // no user gesture: the blocker takes the popup
      const result = await frameApp.result();
      expect(result.type).to.equal('connected');
      expect(result.detail['returnTo']).to.equal(`${app}?start=1`);
      expect(frameApp.readyCount()).to.equal(2); // it left for the provider and came back
      expect(await backendLog(t)).to.have.length(1);
    } finally {
      frameApp.dispose();
      sessionStorage.clear();
    }
  });
});
