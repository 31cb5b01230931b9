import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../src/index.js';
import { ConnectedEvent, FailedEvent, OAuthConnect, preloadFlow } from '../src/index.js';
import {
  atProvider,
  backendLog,
  callbackUrl,
  exchangeUrl,
  origins,
  uid,
  useFetchLog,
  useOpenSpy,
  userCloses,
  userReturns,
  until,
} from './support/helpers.js';

const spy = useOpenSpy();
const requests = useFetchLog();

/**
 * The Reopen / Cancel offer, shown once the user looks back at this page (headless browsers never
 * move focus: the test plays the return until the flow, which watches for it, has shown the offer).
 */
const offered = (el: OAuthConnect, what = 'the offer') =>
  until(
    () => {
      userReturns();
      return !!el.shadowRoot!.querySelector('[part="severed"]');
    },
    5000,
    what,
  );

async function hcssElement(scenario: string, t = uid(), extra = '') {
  const { provider } = await origins();
  const el = await fixture<OAuthConnect>(
    html`<oauth-connect
      provider="hcss"
      authorize-url=${`${provider}/${extra}authorize.html?scenario=${scenario}`}
      client-id="c"
      redirect-uri=${callbackUrl()}
      exchange-url=${exchangeUrl(t)}
    ></oauth-connect>`,
  );
  return el;
}
const button = (el: OAuthConnect) =>
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
const status = (el: OAuthConnect) => el.shadowRoot!.querySelector('[part="status"]')!;

describe('<oauth-connect>', () => {
  it('is defined, and importing the package again does not throw', async () => {
    expect(customElements.get('oauth-connect')).to.equal(OAuthConnect);
    await import('../src/index.js?again' as string);
    expect(customElements.get('oauth-connect')).to.equal(OAuthConnect);
  });

  it('renders an accessible button with the provider label, a polite status region, and slots', async () => {
    const el = await hcssElement('approve');
    const slot = button(el).querySelector('slot:not([name])') as HTMLSlotElement;
    expect(slot.textContent?.trim()).to.equal('Connect HCSS');
    expect(status(el).getAttribute('role')).to.equal('status');
    expect(status(el).getAttribute('aria-live')).to.equal('polite');
    await expect(el).to.be.accessible();
    const labelled = await fixture<OAuthConnect>(
      html`<oauth-connect provider="healthtap">Tap in</oauth-connect>`,
    );
    expect(labelled.textContent).to.equal('Tap in');
  });

  it('landing mode renders no button (nothing to click), only the status region', async () => {
    const el = await fixture<OAuthConnect>(html`<oauth-connect provider="hint"></oauth-connect>`);
    expect(el.shadowRoot!.querySelector('[part="button"]')).to.equal(null);
    expect(status(el).getAttribute('role')).to.equal('status');
    await expect(el).to.be.accessible();
  });

  it('click → busy (aria-busy) → connected event (bubbles, composed) → status announced', async () => {
    const t = uid();
    const el = await hcssElement('approve', t);
    const bubbled = oneEvent(document, 'connected');
    button(el).click();
    await el.updateComplete;
    expect(button(el).getAttribute('aria-busy')).to.equal('true');
    const event = await bubbled;
    expect(event).to.be.instanceOf(ConnectedEvent);
    expect(event.bubbles && event.composed).to.equal(true);
    expect(event.detail.provider).to.equal('hcss');
    expect(event.detail.result['companyId']).to.equal('company-42');
    await el.updateComplete;
    expect(button(el).getAttribute('aria-busy')).to.equal('false');
    expect(status(el).textContent).to.contain('Connected to HCSS');
  });

  it('a double click opens one popup and sends one exchange; connect() returns the running promise', async () => {
    const t = uid();
    const el = await hcssElement('approve', t);
    const connected = oneEvent(el, 'connected');
    button(el).click();
    button(el).click();
    const p1 = el.connect();
    const p2 = el.connect();
    expect(p1).to.equal(p2);
    await connected;
    // its window closed: the flow released its answer's attempt (every path it listened on is
    // gone), and every request this page sent has been answered
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
    await requests.settled();
    expect(spy.calls).to.have.length(1);
    expect(await backendLog(t)).to.have.length(1);
  });

  it('is reusable: after a failure, the button starts a new flow', async () => {
    const t = uid();
    const el = await hcssElement('deny', t);
    const failed = oneEvent(el, 'failed');
    button(el).click();
    const event = await failed;
    expect(event).to.be.instanceOf(FailedEvent);
    expect(event.detail).to.include({ provider: 'hcss', status: 'cancelled' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="error"]')?.textContent).to.contain('denied');
    expect(status(el).textContent).to.contain('Could not connect');
    el.authorizeUrl = el.authorizeUrl!.replace('deny', 'approve');
    const next = Promise.race([oneEvent(el, 'connected'), oneEvent(el, 'failed')]);
    button(el).click();
    const second = await next;
    expect(second.type, JSON.stringify(second.detail)).to.equal('connected');
    expect(spy.calls).to.have.length(2);
  });

  it('connect() rejects with a ConnectError carrying the failed status', async () => {
    const el = await hcssElement('tamper');
    const failed = oneEvent(el, 'failed');
    let error: { name: string; status: string } | undefined;
    await el.connect().catch((e: typeof error) => (error = e));
    expect(error?.name).to.equal('ConnectError');
    expect(error?.status).to.equal('unauthorized');
    expect((await failed).detail.status).to.equal('unauthorized');
  });

  it('invalid options → failed invalid_config before anything opens', async () => {
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        client-id="c"
        redirect-uri="http://evil.example/cb"
      ></oauth-connect>`,
    );
    const failed = oneEvent(el, 'failed');
    button(el).click();
    expect((await failed).detail.status).to.equal('invalid_config');
    expect(spy.calls).to.have.length(0);
  });

  it('b.well in popup mode without allowed-origins → invalid_config', async () => {
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect provider="bwell" url-endpoint="/api/url"></oauth-connect>`,
    );
    const failed = oneEvent(el, 'failed');
    button(el).click();
    expect((await failed).detail.status).to.equal('invalid_config');
    expect(spy.calls).to.have.length(0);
  });

  it('cancel() ends the flow with cancelled and closes the popup', async () => {
    const el = await hcssElement('stay');
    const failed = oneEvent(el, 'failed');
    button(el).click();
    await atProvider(spy.last!); // the flow is waiting
    el.cancel();
    expect((await failed).detail.status).to.equal('cancelled');
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
  });

  it('disabled: the click does nothing', async () => {
    const el = await hcssElement('approve');
    el.disabled = true;
    await el.updateComplete;
    button(el).click();
    el.shadowRoot!.querySelector('button')!.dispatchEvent(new MouseEvent('click'));
    // a click that starts a flow opens its window in the click's own task, and the element
    // announces the flow on its next render: neither happened
    await el.updateComplete;
    expect(status(el).textContent!.trim()).to.equal('');
    expect(spy.calls).to.have.length(0);
    expect(el.hasAttribute('disabled')).to.equal(true);
  });

  it('removing the element cancels its flow, closes the popup, and fires no event', async () => {
    const el = await hcssElement('stay');
    const events: string[] = [];
    for (const type of ['connected', 'failed']) el.addEventListener(type, () => events.push(type));
    const result = el.connect().then(
      () => 'connected',
      (error: { status: string }) => error.status,
    );
    await atProvider(spy.last!); // the flow is waiting
    el.remove();
    expect(await result).to.equal('cancelled');
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
    await el.updateComplete; // the element handled the outcome (its state re-rendered)
    expect(events, 'nobody listens to a removed element').to.deep.equal([]);
  });

  it('COOP-severed popup: offers Reopen / Cancel instead of failing, then connects', async () => {
    const t = uid();
    const el = await hcssElement('approve&delay=2500', t, 'coop/');
    const connected = oneEvent(el, 'connected');
    const failed: Event[] = [];
    el.addEventListener('failed', (e) => failed.push(e));
    button(el).click();
    await offered(el, 'severed UI');
    expect(el.shadowRoot!.querySelector('[part="reopen"]')?.textContent).to.equal('Reopen');
    expect(el.shadowRoot!.querySelector('[part="cancel"]')?.textContent).to.equal('Cancel');
    expect(status(el).textContent).to.contain('closed or hidden');
    await connected;
    expect(failed).to.have.length(0);
    expect(await backendLog(t)).to.have.length(1);
  });

  it('COOP-severed popup: Reopen opens a new sign-in window with a new state', async () => {
    const el = await hcssElement('stay', uid(), 'coop/');
    const { provider } = await origins();
    // the request is made ahead (as on hover): the element's options, as the element builds them
    await preloadFlow({
      provider: 'hcss',
      authorizeUrl: `${provider}/coop/authorize.html?scenario=stay`,
      clientId: 'c',
      redirectUri: callbackUrl(),
    });
    button(el).click();
    await offered(el, 'severed UI');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="reopen"]')!.click();
    expect(spy.calls).to.have.length(2);
    // both opened at the provider in the click (requests made ahead), each with its own state
    const [first, second] = spy.calls.map((c) => new URL(String(c.url), location.href));
    expect(first!.origin).to.equal(provider);
    expect(second!.origin).to.equal(provider);
    expect(second!.searchParams.get('state')).to.be.a('string');
    expect(second!.searchParams.get('state')).not.to.equal(first!.searchParams.get('state'));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="severed"]')).to.equal(null);
    const failed = oneEvent(el, 'failed');
    el.cancel();
    expect((await failed).detail.status).to.equal('cancelled');
  });

  it('a closed sign-in window: the offer is accessible, its Cancel ends the flow, the element is reusable', async () => {
    const el = await hcssElement('stay');
    button(el).click();
    await until(() => spy.last !== null, 2000, 'popup opened');
    await userCloses(spy.last!);
    await offered(el);
    expect(el.shadowRoot!.querySelector('[part="severed"]')!.textContent).to.contain(
      "Don't see the sign-in window?",
    );
    await expect(el).to.be.accessible();
    const failed = oneEvent(el, 'failed');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="cancel"]')!.click();
    expect((await failed).detail.status).to.equal('cancelled');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="severed"]')).to.equal(null);
    expect(button(el).getAttribute('aria-busy')).to.equal('false');
    button(el).click();
    expect(spy.calls).to.have.length(2); // a new flow
    el.cancel();
  });
});

// ——— accessibility: every state through axe-core, contrast measured, the error tied to the button

/** sRGB relative luminance of a computed colour `rgb(r, g, b)` / `rgba(r, g, b, a)`. */
function luminance(color: string): number {
  const [r, g, b] = color
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
/** WCAG contrast ratio of two computed colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
const WHITE = 'rgb(255, 255, 255)';

describe('<oauth-connect> accessibility', () => {
  const t = () => uid();

  it('idle, busy, severed, connected and failed are axe-clean', async () => {
    const idle = await hcssElement('stay');
    await expect(idle).to.be.accessible();
    button(idle).click();
    await idle.updateComplete;
    expect(button(idle).getAttribute('aria-busy')).to.equal('true');
    await expect(idle).to.be.accessible(); // busy
    await until(() => spy.last !== null, 2000, 'popup opened');
    await userCloses(spy.last!);
    await offered(idle);
    await expect(idle).to.be.accessible(); // severed
    idle.cancel();

    const ok = await hcssElement('approve', t());
    const connected = oneEvent(ok, 'connected');
    button(ok).click();
    await connected;
    await ok.updateComplete;
    expect(status(ok).textContent).to.contain('Connected');
    await expect(ok).to.be.accessible();

    const denied = await hcssElement('deny');
    const failed = oneEvent(denied, 'failed');
    button(denied).click();
    await failed;
    await denied.updateComplete;
    await expect(denied).to.be.accessible();
  });

  it('the failure text is tied to the button (aria-describedby → #error in the shadow root)', async () => {
    const el = await hcssElement('deny');
    expect(button(el).hasAttribute('aria-describedby')).to.equal(false);
    const failed = oneEvent(el, 'failed');
    button(el).click();
    await failed;
    await el.updateComplete;
    expect(button(el).getAttribute('aria-describedby')).to.equal('error');
    const error = el.shadowRoot!.getElementById('error')!;
    expect(error.getAttribute('part')).to.equal('error');
    expect(error.textContent).to.contain('denied');
    // a new flow: no stale description
    el.authorizeUrl = el.authorizeUrl!.replace('deny', 'stay');
    button(el).click();
    await el.updateComplete;
    expect(button(el).hasAttribute('aria-describedby')).to.equal(false);
    el.cancel();
  });

  it('contrast on a white page: text ≥ 4.5:1 (busy too), focus ring and busy button ≥ 3:1', async () => {
    const el = await hcssElement('stay');
    const idle = getComputedStyle(button(el));
    expect(contrast(idle.color, idle.backgroundColor)).to.be.at.least(4.5);
    expect(contrast(idle.backgroundColor, WHITE)).to.be.at.least(3);

    // a keyboard focus (Tab), which shows the ring in every engine
    document.body.tabIndex = -1;
    document.body.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(button(el));
    // the ring as the stylesheet draws it (a probe button styled by the :focus-visible rule; where
    // the engine reports :focus-visible here — headless Firefox does not — the real one too)
    const rule = [...el.shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])]
      .filter((r): r is CSSStyleRule => r instanceof CSSStyleRule)
      .find((r) => r.selectorText === 'button:focus-visible')!;
    const probe = document.createElement('button');
    probe.style.cssText = rule.style.cssText;
    el.shadowRoot!.append(probe);
    const rings = [getComputedStyle(probe)];
    if (button(el).matches(':focus-visible')) rings.push(getComputedStyle(button(el)));
    for (const ring of rings) {
      expect(ring.outlineStyle).to.equal('solid');
      expect(parseFloat(ring.outlineWidth)).to.be.at.least(2);
      // the ring sits on the page (white here) and on the white gap drawn inside it
      expect(contrast(ring.outlineColor, WHITE)).to.be.at.least(3);
      expect(ring.boxShadow).to.match(/rgb\(255, 255, 255\)/);
    }
    probe.remove();

    button(el).click();
    await el.updateComplete;
    const busy = getComputedStyle(button(el));
    expect(busy.opacity).to.equal('1'); // not faded
    expect(contrast(busy.color, busy.backgroundColor)).to.be.at.least(4.5);
    expect(contrast(busy.backgroundColor, WHITE)).to.be.at.least(3);
    el.cancel();

    const failed = oneEvent(el, 'failed');
    await failed;
    await el.updateComplete;
    const error = getComputedStyle(el.shadowRoot!.getElementById('error')!);
    expect(contrast(error.color, WHITE)).to.be.at.least(4.5);
  });
});
