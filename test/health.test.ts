import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../src/index.js';
import { DisconnectedEvent, type OAuthConnect } from '../src/index.js';
import {
  callbackUrl,
  disconnectUrl,
  exchangeUrl,
  exchanges,
  origins,
  requests,
  statusUrl,
  uid,
  until,
  useOpenSpy,
} from './support/helpers.js';

const spy = useOpenSpy();
const testPage = location.pathname;
afterEach(() => {
  history.replaceState(null, '', testPage);
  sessionStorage.clear();
});

const $ = <T extends Element = HTMLElement>(el: OAuthConnect, selector: string) =>
  el.shadowRoot!.querySelector<T & HTMLElement>(selector);
const text = (el: OAuthConnect, selector: string) => $(el, selector)?.textContent?.trim() ?? '';
const statusLoaded = (el: OAuthConnect) =>
  until(() => !['off', 'checking'].includes(el.connectionStatus.kind), 8000, 'the status');

/** An HCSS element (popup mode) against the mock provider; `status` / `disconnect`: its URLs. */
async function hcss(t: string, status?: string, disconnect?: string, scenario = 'approve') {
  const { provider } = await origins();
  return fixture<OAuthConnect>(
    html`<oauth-connect
      provider="hcss"
      authorize-url=${`${provider}/authorize.html?scenario=${scenario}`}
      client-id="c"
      redirect-uri=${callbackUrl()}
      exchange-url=${exchangeUrl(t)}
      status-url=${status ?? ''}
      disconnect-url=${disconnect ?? ''}
    ></oauth-connect>`,
  );
}

/** A Hint landing element (nothing to click) with a status URL. */
const hint = (status: string, disconnect?: string) =>
  fixture<OAuthConnect>(
    html`<oauth-connect
      provider="hint"
      exchange-url=${exchangeUrl(uid())}
      status-url=${status}
      disconnect-url=${disconnect ?? ''}
    ></oauth-connect>`,
  );

describe('connection health: status-url', () => {
  it('connected with a name: "Connected to Joe\'s Practice · Reconnect", no Connect button', async () => {
    const t = uid();
    const el = await hcss(t, statusUrl(t, 'connected'));
    await statusLoaded(el);
    expect(el.connectionStatus).to.deep.include({ kind: 'connected', name: "Joe's Practice" });
    await el.updateComplete;
    expect(text(el, '#health')).to.equal("Connected to Joe's Practice");
    expect(text(el, '[part="reconnect"]')).to.equal('Reconnect');
    expect($(el, '[part="button"]')).to.equal(null);
    expect($(el, '[part="disconnect"]')).to.equal(null); // no disconnect-url: no Disconnect
    const [request] = await requests(t, '/api/status');
    expect(request!.method).to.equal('GET');
    await expect(el).to.be.accessible();
  });

  it('an integration error: its own words with Reconnect, the button described by them', async () => {
    const t = uid();
    const el = await hcss(t, statusUrl(t, 'error'));
    await statusLoaded(el);
    await el.updateComplete;
    expect(el.connectionStatus.kind).to.equal('error');
    expect(text(el, '#health')).to.equal('Hint: the practice revoked access.');
    const reconnect = $(el, '[part="reconnect"]')!;
    expect(reconnect.getAttribute('aria-describedby')).to.equal('health');
    expect($(el, '[part="health"]')!.classList.contains('error')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('sent with the exchange credentials and headers', async () => {
    const t = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        exchange-credentials="omit"
        .exchangeHeaders=${{ 'X-CSRF': 'csrf-1' }}
        status-url=${statusUrl(t)}
      ></oauth-connect>`,
    );
    await statusLoaded(el);
    const [request] = await requests(t, '/api/status');
    expect(request!.csrf).to.equal('csrf-1');
  });

  // a bad answer is "status unknown", never connected
  for (const [name, respond, extra] of [
    ['bad JSON', 'bad-json', ''],
    ['a wrong shape', 'wrong-shape', ''],
    ['500', '500', ''],
    ['a hanging endpoint (timeout)', 'connected', '&delay=10000'],
  ] as const) {
    it(`${name} → "Connection status unknown.", never connected; the Connect button stays`, async () => {
      const t = uid();
      const el = await hcss(t, statusUrl(t, respond, extra));
      if (extra) el.statusTimeout = 400;
      if (extra) await el.refreshStatus(); // with the short timeout
      await statusLoaded(el);
      await el.updateComplete;
      expect(el.connectionStatus.kind).to.equal('unknown');
      expect(text(el, '#health')).to.equal('Connection status unknown.');
      expect(el.shadowRoot!.textContent).not.to.contain('Connected to');
      expect($(el, '[part="reconnect"]')).to.equal(null);
      expect($(el, '[part="button"]')!.getAttribute('aria-describedby')).to.equal('health');
      await expect(el).to.be.accessible();
    });
  }

  it('the timeout is the status-timeout: a hanging endpoint is unknown within it', async () => {
    const t = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        status-timeout="300"
        status-url=${statusUrl(t, 'connected', '&delay=10000')}
      ></oauth-connect>`,
    );
    const started = Date.now();
    await statusLoaded(el);
    expect(el.connectionStatus.kind).to.equal('unknown');
    expect(Date.now() - started).to.be.below(3000);
  });

  // out of range: no request and a status naming the option, never an instant timeout
  for (const value of ['abc', '0', '-5']) {
    it(`status-timeout="${value}" → unknown, naming status-timeout; nothing fetched`, async () => {
      const t = uid();
      const el = await fixture<OAuthConnect>(
        html`<oauth-connect
          provider="hint"
          status-timeout=${value}
          status-url=${statusUrl(t, 'connected')}
        ></oauth-connect>`,
      );
      await statusLoaded(el);
      const status = el.connectionStatus;
      expect(status.kind).to.equal('unknown');
      expect(status.kind === 'unknown' && status.reason).to.contain('status-timeout');
      expect(await requests(t, '/api/status')).to.have.length(0);
    });
  }

  it('a status-timeout longer than a timer can wait is clamped: a slow answer still counts', async () => {
    const t = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        status-timeout="1e12"
        status-url=${statusUrl(t, 'connected', '&delay=300')}
      ></oauth-connect>`,
    );
    await statusLoaded(el);
    expect(el.connectionStatus.kind).to.equal('connected');
  });

  it('not connected: the plain Connect button, no status line', async () => {
    const t = uid();
    const el = await hcss(t, statusUrl(t, 'disconnected'));
    await statusLoaded(el);
    await el.updateComplete;
    expect(el.connectionStatus.kind).to.equal('disconnected');
    expect($(el, '[part="health"]')).to.equal(null);
    expect($(el, '[part="button"]')).not.to.equal(null);
  });

  it('an unsafe status-url (http: elsewhere than loopback) is unknown, and is never fetched', async () => {
    const el = await hint('http://status.example/api');
    await statusLoaded(el);
    expect(el.connectionStatus.kind).to.equal('unknown');
  });

  it('without status-url: no status request, nothing shown, no health chunk', async () => {
    const t = uid();
    const el = await hcss(t);
    // an element connected after it, with a status-url: its status is loaded by the steps this
    // one's would have taken, begun later
    const t2 = uid();
    await statusLoaded(await hcss(t2, statusUrl(t2, 'connected')));
    expect(await requests(t2, '/api/status')).to.have.length(1);
    expect(el.connectionStatus.kind).to.equal('off');
    expect($(el, '[part="health"]')).to.equal(null);
    expect(await requests(t, '/api/status')).to.have.length(0);
  });
});

describe('connection health: Reconnect, refresh, Disconnect', () => {
  it('connects, refreshes the status after `connected`, and Reconnect runs a new flow', async () => {
    const t = uid();
    const el = await hcss(t, statusUrl(t, 'live'));
    await statusLoaded(el);
    expect(el.connectionStatus.kind).to.equal('disconnected');
    const first = oneEvent(el, 'connected');
    $(el, '[part="button"]')!.click();
    await first;
    // fetched again after the connection: now connected
    await until(() => el.connectionStatus.kind === 'connected', 5000, 'the refreshed status');
    expect(await requests(t, '/api/status')).to.have.length(2);
    await el.updateComplete;
    expect(text(el, '#health')).to.equal('Connected to Acme Paving');
    const second = oneEvent(el, 'connected');
    $(el, '[part="reconnect"]')!.focus();
    $(el, '[part="reconnect"]')!.click();
    expect(spy.calls).to.have.length(2); // a new popup, in the click
    await el.updateComplete;
    expect($(el, '[part="button"]')!.getAttribute('aria-busy')).to.equal('true');
    // the focus went from Reconnect (gone) to the busy button that took its place
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button');
    await second;
    expect(await exchanges(t)).to.have.length(2);
    await until(() => text(el, '#health') === 'Connected to Acme Paving', 5000, 'the status line');
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('reconnect');
  });

  it('landing mode (Hint): the status shows, without Reconnect (the flow starts in Hint)', async () => {
    const t = uid();
    const el = await hint(statusUrl(t), disconnectUrl(t));
    await statusLoaded(el);
    await el.updateComplete;
    expect(text(el, '#health')).to.equal("Connected to Joe's Practice");
    expect($(el, '[part="reconnect"]')).to.equal(null);
    expect($(el, '[part="disconnect"]')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('Disconnect: only with disconnect-url; POST { provider }, `disconnected`, the status fetched again', async () => {
    const t = uid();
    const el = await hcss(t, statusUrl(t, 'live'), disconnectUrl(t));
    const connected = oneEvent(el, 'connected');
    await statusLoaded(el);
    $(el, '[part="button"]')!.click();
    await connected;
    await until(() => el.connectionStatus.kind === 'connected', 5000, 'connected status');
    await el.updateComplete;
    const disconnected = oneEvent(el, 'disconnected');
    $(el, '[part="disconnect"]')!.focus();
    $(el, '[part="disconnect"]')!.click();
    const event = await disconnected;
    expect(event).to.be.instanceOf(DisconnectedEvent);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({ provider: 'hcss', result: { disconnected: true } });
    const [post] = await requests(t, '/api/disconnect');
    expect(post!.method).to.equal('POST');
    expect(post!.body).to.deep.equal({ provider: 'hcss' });
    await until(() => el.connectionStatus.kind === 'disconnected', 5000, 'not connected');
    await el.updateComplete;
    expect($(el, '[part="health"]')).to.equal(null);
    expect($(el, '[part="button"]')).not.to.equal(null);
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button'); // focus kept
    expect(await requests(t, '/api/status')).to.have.length(3);
    // the status region no longer says "Connected to HCSS." (the connection is gone)
    expect($(el, '[part="status"]')!.textContent!.trim()).to.equal('');
  });

  it('a failed disconnect: no event, the problem shown beside the status, disconnect() rejects', async () => {
    const t = uid();
    const el = await hint(statusUrl(t), disconnectUrl(t, '500'));
    await statusLoaded(el);
    const fired: Event[] = [];
    el.addEventListener('disconnected', (e) => fired.push(e));
    let caught: { status?: string } | undefined;
    await el.disconnect().catch((e: { status?: string }) => (caught = e));
    expect(caught?.status).to.equal('exchange_failed');
    expect(fired).to.have.length(0);
    await el.updateComplete;
    expect(el.connectionStatus.kind).to.equal('connected'); // what the status says now
    expect(text(el, '#problem')).to.equal('Could not disconnect: The provider is down.');
    expect($(el, '[part="disconnect"]')!.getAttribute('aria-describedby')).to.equal(
      'health problem',
    );
    await expect(el).to.be.accessible();
  });

  it('a 204 disconnect counts: `disconnected` with an empty result', async () => {
    const t = uid();
    const el = await hint(statusUrl(t), disconnectUrl(t, 'empty'));
    await statusLoaded(el);
    const disconnected = oneEvent(el, 'disconnected');
    await el.disconnect();
    expect((await disconnected).detail.result).to.deep.equal({});
  });

  it('removing the element aborts its status request (nothing is shown later)', async () => {
    const t = uid();
    const el = await hint(statusUrl(t, 'connected', '&delay=800'));
    await until(() => el.connectionStatus.kind === 'checking', 2000, 'checking');
    el.remove();
    expect(el.connectionStatus.kind).to.equal('off');
    // the answer comes 800 ms after the request reached the backend: once it has, a request of
    // the same URL made now is answered after it would have been
    await until(async () => (await requests(t, '/api/status')).length === 1, 2000, 'logged');
    await fetch(statusUrl(t, 'connected', '&delay=800'));
    await el.updateComplete;
    expect(el.connectionStatus.kind).to.equal('off');
  });
});

describe('connection health: accessibility', () => {
  it('health connected, error and unknown, and the sign-in notice, are axe-clean; the error text is ≥ 4.5:1', async () => {
    for (const respond of ['connected', 'error', '500']) {
      const t = uid();
      const el = await hcss(t, statusUrl(t, respond), disconnectUrl(t));
      await statusLoaded(el);
      await el.updateComplete;
      expect(el.connectionStatus.kind).to.equal(
        { connected: 'connected', error: 'error', 500: 'unknown' }[respond],
      );
      await expect(el).to.be.accessible();
      if (respond === 'error') {
        const color = getComputedStyle($(el, '#health')!).color;
        // #b00020 on white: 7.3:1
        expect(color).to.equal('rgb(176, 0, 32)');
      }
    }
  });
});
