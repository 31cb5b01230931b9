// Closing is not cancelling until proven: a closed handle shows the Reopen / Cancel offer once the
// user can see this page, and the flow keeps listening; `cancelled` comes from Cancel, a new start
// or the timeout — never from the user back on the page (a click on it sends a live popup behind).
// Cross-Origin-Opener-Policy at every point of the flow; late answers of ended flows dismissed.
import { expect } from '@open-wc/testing';
import {
  connect,
  preloadFlow,
  startFlow,
  type ConnectOptions,
  type FlowPhase,
} from '../../src/index.js';
import {
  backendLog,
  exchanges,
  exchangeUrl,
  openFrameApp,
  origins,
  outcome,
  redirectApp,
  reportCallbackUrl,
  reports,
  sleep,
  uid,
  useFetchLog,
  useOpenSpy,
  userCloses,
  until,
} from '../support/helpers.js';
import { OFFER_AFTER_MS } from '../../src/flow/modes/popup.js';

const spy = useOpenSpy();
const requests = useFetchLog();

async function hcss(path: string, t = uid(), extra: Partial<ConnectOptions> = {}) {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    authorizeUrl: `${provider}/${path}`,
    clientId: 'c',
    redirectUri: reportCallbackUrl(),
    exchangeUrl: exchangeUrl(t),
    ...extra,
  } satisfies ConnectOptions;
}

/**
 * The `state` of the i-th window opened, for a flow whose request was made ahead (`preloadFlow`):
 * its window opened at the provider URL, so its callback page's reports can be told from those of
 * earlier tests' windows (a severed one closes only when its flow answers it, which may be late).
 */
const stateOf = (i: number) =>
  new URL(String(spy.calls[i]!.url), location.href).searchParams.get('state');

/** Starts a flow and records its phases. */
function started(options: ConnectOptions) {
  const phases: FlowPhase[] = [];
  const abort = new AbortController();
  const handle = startFlow(options, { onPhase: (p) => phases.push(p), signal: abort.signal });
  const result = outcome(handle.result);
  let settled = false;
  void result.then(() => (settled = true));
  return {
    handle,
    phases,
    result,
    cancel: () => abort.abort(),
    get settled() {
      return settled;
    },
    offered: () => until(() => phases.includes('severed'), 8000, 'the Reopen / Cancel offer'),
  };
}

/**
 * Headless Firefox moves focus when a popup opens and closes (headless Chromium never does): while
 * a test plays the user's focus itself, the browser's own focus events are held back.
 */
let holdFocus: ((event: Event) => void) | undefined;
beforeEach(() => {
  holdFocus = (event) => {
    if (event.isTrusted) event.stopImmediatePropagation();
  };
  window.addEventListener('focus', holdFocus, true);
  window.addEventListener('blur', holdFocus, true);
  // and so is the focus the browser reports (the flow reads it when it starts)
  Object.defineProperty(document, 'hasFocus', { configurable: true, value: () => true });
});
afterEach(() => {
  window.removeEventListener('focus', holdFocus!, true);
  window.removeEventListener('blur', holdFocus!, true);
  delete (document as { hasFocus?: unknown }).hasFocus;
});

const away = () => window.dispatchEvent(new FocusEvent('blur'));
const back = () => window.dispatchEvent(new FocusEvent('focus'));

describe('a closed sign-in window', () => {
  describe('when the user closed it', () => {
    it('offers Reopen / Cancel and keeps listening; it does not cancel on its own', async () => {
      const flow = started(await hcss('authorize.html?scenario=stay'));
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      await userCloses(spy.last!);
      await flow.offered();
      // kept: the claim is that nothing ends it on its own for a while; no event marks a span
      await sleep(1500);
      expect(flow.settled).to.equal(false);
      flow.cancel();
      const r = await flow.result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    });

    it('the user back on the page (focus) shows the offer at once; it never cancels on its own', async () => {
      const flow = started(await hcss('authorize.html?scenario=stay'));
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away(); // the popup took focus
      await userCloses(spy.last!);
      // while this page is behind the sign-in window (no return yet), no offer (kept: the offer
      // of a page not known to be behind would show OFFER_AFTER_MS after the close: that span is
      // the claim)
      await sleep(OFFER_AFTER_MS + 300);
      expect(flow.phases).not.to.include('severed');
      back();
      const backAt = Date.now();
      await flow.offered();
      expect(Date.now() - backAt).to.be.lessThan(OFFER_AFTER_MS - 1000);
      // kept: nothing ends it on its own for a while (the old rule cancelled 1 s after the return)
      await sleep(1500);
      expect(flow.settled).to.equal(false);
      flow.cancel();
      const r = await flow.result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    });

    it('the page visible again after the popup hid it (a tab) shows the offer; nothing ends', async () => {
      let visibility: DocumentVisibilityState = 'visible';
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => visibility,
      });
      try {
        const flow = started(await hcss('authorize.html?scenario=stay'));
        await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
        visibility = 'hidden';
        document.dispatchEvent(new Event('visibilitychange'));
        await userCloses(spy.last!);
        visibility = 'visible';
        document.dispatchEvent(new Event('visibilitychange'));
        await flow.offered();
        // kept: the claim is that nothing ends it on its own for a while; no event marks a span
        await sleep(1500);
        expect(flow.settled).to.equal(false);
        flow.cancel();
        const r = await flow.result;
        expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
      } finally {
        delete (document as { visibilityState?: unknown }).visibilityState;
      }
    });

    it('back, then away again (to the sign-in window): not cancelled', async () => {
      const flow = started(await hcss('authorize.html?scenario=stay'));
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away();
      await userCloses(spy.last!);
      back();
      await flow.offered();
      await sleep(300); // the scenario: the user looks at the offer a moment, then goes back
      away();
      // kept: the claim is that nothing ends it on its own for a while; no event marks a span
      await sleep(1500);
      expect(flow.settled).to.equal(false);
      flow.cancel();
      await flow.result;
    });
  });

  describe('when COOP took the handle (the window still open)', () => {
    it('a click on the page while a COOP sign-in goes on behind it: the offer shows, the answer then given connects', async () => {
      const t = uid();
      // COOP from the first provider page (HCSS): the handle reads closed at once; the user answers
      // 2.5 s later in the still-open window
      const flow = started(await hcss('coop/authorize.html?scenario=approve&delay=2500', t));
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away(); // the sign-in window in front
      await until(() => spy.last!.closed, 3000, 'the handle read closed (COOP)');
      await sleep(200); // the scenario: a moment later, the user clicks on this page
      back(); // a click on the partner's page: the popup goes behind it, still open
      await flow.offered();
      const r = await flow.result;
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(await exchanges(t)).to.have.length(1);
    });

    it('a COOP sign-in with its window in front: no offer while the user signs in', async () => {
      const t = uid();
      const flow = started(
        await hcss(`coop/authorize.html?scenario=approve&delay=${OFFER_AFTER_MS + 1000}`, t),
      );
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away(); // the sign-in window in front, the whole time
      const r = await flow.result;
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(flow.phases, 'no offer behind the sign-in window').not.to.include('severed');
      expect(await exchanges(t)).to.have.length(1);
    });

    it('a glance at this page before COOP takes the handle proves nothing: the flow still connects', async () => {
      const t = uid();
      // a provider page that goes on to a page with COOP after 1.8 s, which answers 1.8 s later
      const flow = started(await hcss('authorize.html?scenario=approve&next=coop&delay=1800', t));
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away(); // the popup took focus
      await sleep(300); // the scenario: a moment later (the provider page still loading)
      back(); // the user looks at the app page while the provider page is still loading…
      await flow.offered(); // …then COOP takes the handle
      const r = await flow.result;
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(await exchanges(t)).to.have.length(1);
    });
  });

  it('focus back while the sign-in window is still open: nothing ends', async () => {
    const flow = started(await hcss('authorize.html?scenario=stay'));
    await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
    away();
    back();
    // kept: the claim is that nothing ends it on its own for a while; no event marks a span
    await sleep(1500);
    expect(flow.settled).to.equal(false);
    expect(flow.phases).not.to.include('severed');
    flow.cancel();
    await flow.result;
  });

  it('closed before it was sent to the provider: a plain cancel, at once', async () => {
    const { provider } = await origins();
    const t = uid();
    const target = `${provider}/authorize.html?scenario=approve`;
    const flow = started({
      provider: 'generic',
      urlEndpoint: `/api/url?t=${t}&delay=1500&to=${encodeURIComponent(target)}`,
    });
    // the flow is asking the url-endpoint for its URL (answered 1.5 s later): its window is blank
    await until(async () => (await backendLog(t)).length === 1, 3000, 'the url-endpoint asked');
    spy.last!.close(); // still about:blank: nothing was sent yet
    const closedAt = Date.now();
    const r = await flow.result;
    expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    expect(Date.now() - closedAt).to.be.lessThan(800);
    expect(flow.phases).not.to.include('severed');
  });

  describe('when a new flow starts', () => {
    it('starting a new flow cancels one that shows the offer (the user started again)', async () => {
      const first = started(await hcss('coop/authorize.html?scenario=stay'));
      await first.offered();
      const t = uid();
      const second = connect(await hcss('authorize.html?scenario=approve', t));
      const r = await first.result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
      expect((await second).result['connected']).to.equal(true);
      expect(await exchanges(t)).to.have.length(1);
    });

    it("another provider's new flow leaves a flow showing the offer be: its answer still connects", async () => {
      const t1 = uid();
      // a live HCSS sign-in behind the page (COOP: the handle reads closed), answering in 3 s
      const first = started(await hcss('coop/authorize.html?scenario=approve&delay=3000', t1));
      await until(() => first.phases.includes('waiting'), 3000, 'navigated');
      away();
      back(); // the user looks at the page: the offer shows
      await first.offered();
      const t2 = uid();
      const second = connect({
        ...(await hcss('authorize.html?scenario=approve', t2)),
        provider: 'generic',
        clientId: 'g',
      });
      expect((await second).result['connected']).to.equal(true);
      const r = await first.result;
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(await exchanges(t1)).to.have.length(1);
      expect(await exchanges(t2)).to.have.length(1);
    });
  });
});

describe('Cross-Origin-Opener-Policy at every point of the flow', () => {
  const cases: [string, string, string][] = [
    [
      'on a later provider page (consent after sign-in)',
      'authorize.html?scenario=approve&next=coop&delay=1800',
      '',
    ],
    ['on a slow first page', 'coop/authorize.html?scenario=approve&slow=2500&delay=300', ''],
    ['on the first page, answering late', 'coop/authorize.html?scenario=approve&delay=3000', ''],
    [
      'on our own callback page, with a slow script',
      'authorize.html?scenario=approve&delay=300',
      'coop=1&wait=2000',
    ],
  ];
  for (const [name, path, callbackQuery] of cases) {
    it(`${name}: never cancelled, the code is exchanged once, the callback page told to close`, async () => {
      const t = uid();
      const seen = reports('test-callback-report');
      try {
        const options = await hcss(path, t, { redirectUri: reportCallbackUrl(callbackQuery) });
        await preloadFlow(options);
        const flow = started(options);
        const r = await flow.result;
        expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
        expect(await exchanges(t)).to.have.length(1);
        const answered = await seen.next({ phase: 'answered', state: stateOf(0) });
        expect(answered['answer']).to.equal('acknowledged');
        if (callbackQuery) expect(answered['opener']).to.equal(false); // severed by our own page
      } finally {
        seen.close();
      }
    });
  }

  it('a valid answer that arrives while the offer is shown still connects', async () => {
    const t = uid();
    const flow = started(
      await hcss(`coop/authorize.html?scenario=approve&delay=${OFFER_AFTER_MS + 2000}`, t),
    );
    await flow.offered();
    const r = await flow.result;
    expect(r.ok).to.equal(true);
    expect(await exchanges(t)).to.have.length(1);
  });
});

describe('late answers of ended flows are dismissed', () => {
  it('after Cancel: never exchanged, and its callback page closes itself', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const options = await hcss('coop/authorize.html?scenario=approve&delay=2500', t);
      await preloadFlow(options);
      const flow = started(options);
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away();
      back(); // the user looks at this page: the offer shows once the handle reads closed
      await flow.offered();
      flow.cancel();
      const r = await flow.result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
      const answered = await seen.next({ phase: 'answered', state: stateOf(0) });
      expect(answered['answer']).to.equal('dismissed');
      // the answer was dismissed, so its flow had ended; every request this page sent has been
      // answered, so none can still be on its way to the backend
      await requests.settled();
      expect(requests.to('/api/exchange')).to.deep.equal([]);
      expect(await exchanges(t)).to.have.length(0);
    } finally {
      seen.close();
    }
  });

  it('after a timeout: its callback page closes itself', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const options = await hcss('coop/authorize.html?scenario=approve&delay=2500', t, {
        timeout: 1500,
      });
      await preloadFlow(options);
      const flow = started(options);
      const r = await flow.result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('timeout');
      const answered = await seen.next({ phase: 'answered', state: stateOf(0) });
      expect(answered['answer']).to.equal('dismissed');
      expect(await exchanges(t)).to.have.length(0);
    } finally {
      seen.close();
    }
  });

  it('after Reopen: the old window is dismissed, the new one (new state) connects', async () => {
    const t = uid();
    const seen = reports('test-callback-report');
    try {
      const options = await hcss('coop/authorize.html?scenario=approve&delay=2500', t);
      await preloadFlow(options);
      const flow = started(options);
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      away();
      back();
      await flow.offered();
      expect(flow.handle.reopen()).to.equal(true);
      expect(spy.calls).to.have.length(2);
      expect(stateOf(1)).not.to.equal(stateOf(0));
      const r = await flow.result;
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      const old = await seen.next({ phase: 'answered', state: stateOf(0) });
      expect(old['answer']).to.equal('dismissed');
      const fresh = await seen.next({ phase: 'answered', state: stateOf(1) });
      expect(fresh['answer']).to.equal('acknowledged');
      const sent = await exchanges(t);
      expect(sent).to.have.length(1);
      expect(sent[0]!.body['state']).to.equal(fresh['state']);
      expect(sent[0]!.body['code']).to.equal(fresh['code']);
    } finally {
      seen.close();
    }
  });
});

describe('the opener page leaving', () => {
  it('pagehide ends the flow and closes its popup', async () => {
    const flow = started(await hcss('authorize.html?scenario=stay'));
    await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    const r = await flow.result;
    expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
  });

  it('a partner page navigating away (for real) closes the popup it opened', async () => {
    const { provider } = await origins();
    const app = openFrameApp(
      redirectApp(() => ({
        provider: 'hcss',
        clientId: 'c',
        authorizeUrl: `${provider}/authorize.html?scenario=stay`,
        redirectUri: reportCallbackUrl(),
      })),
    );
    try {
      await app.loaded();
      const win = app.frame.contentWindow!;
      const open = win.open.bind(win);
      let popup: Window | null = null;
      win.open = ((...args: Parameters<Window['open']>) =>
        (popup = open(...args))) as Window['open'];
      const el = win.document.getElementById('c') as HTMLElement & { connect(): Promise<unknown> };
      el.connect().catch(() => undefined);
      await until(() => popup !== null, 2000, 'popup opened');
      // once it shows the provider's page: a leaving page closes at once, and a close made while
      // the window's first navigation is still pending can be lost (src/flow/closer.ts)
      await until(
        () => {
          try {
            return popup!.location.href !== 'about:blank';
          } catch {
            return true;
          }
        },
        5000,
        'the popup at the provider',
      );
      app.frame.src = 'about:blank';
      await until(() => popup!.closed, 3000, 'popup closed by the leaving page');
    } finally {
      app.dispose();
    }
  });
});

describe('a real close, in a browser that moves focus', () => {
  it('the user closes the sign-in window → focus comes back → the offer at once, no cancel', async function () {
    // this test lets the browser's own focus events (and focus) through
    window.removeEventListener('focus', holdFocus!, true);
    window.removeEventListener('blur', holdFocus!, true);
    delete (document as { hasFocus?: unknown }).hasFocus;
    let blurred = false;
    const onBlur = (event: Event) => (blurred ||= event.isTrusted);
    window.addEventListener('blur', onBlur);
    try {
      const flow = started(await hcss('authorize.html?scenario=stay'));
      await until(() => flow.phases.includes('waiting'), 3000, 'navigated');
      // the blur a browser that moves focus fires (Chromium headless never does)
      await until(() => blurred, 500, 'a blur').catch(() => undefined);
      if (!blurred) {
        // Headless Chromium never moves focus (see the dispatched-focus tests above).
        flow.cancel();
        await flow.result;
        this.skip();
      }
      await userCloses(spy.last!);
      const closedAt = Date.now();
      await flow.offered();
      expect(Date.now() - closedAt).to.be.lessThan(OFFER_AFTER_MS);
      // kept: the claim is that nothing ends it on its own for a while; no event marks a span
      await sleep(1500);
      expect(flow.settled).to.equal(false);
      flow.cancel();
      const r = await flow.result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    } finally {
      window.removeEventListener('blur', onBlur);
    }
  });
});
