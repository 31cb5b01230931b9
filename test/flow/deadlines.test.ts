// Every flow ends: hanging backends in every mode, numbers out of range, and pages restored from
// the back/forward cache.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { connect, startFlow, type ConnectOptions, type OAuthConnect } from '../../src/index.js';
import {
  callbackUrl,
  exchanges,
  exchangeUrl,
  origins,
  outcome,
  atProvider,
  openFrameApp,
  redirectApp,
  uid,
  useOpenSpy,
  until,
} from '../support/helpers.js';
import { keepPending } from '../support/stored.js';

const spy = useOpenSpy();
afterEach(() => {
  history.replaceState(null, '', location.pathname);
  sessionStorage.clear();
});

const HANG = 60000; // the backend mock answers after this long: "never", for these tests

async function hcss(extra: Partial<ConnectOptions> = {}): Promise<ConnectOptions> {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    authorizeUrl: `${provider}/authorize.html?scenario=approve`,
    clientId: 'c',
    redirectUri: callbackUrl(),
    ...extra,
  };
}

/** Runs `flow` and expects it to end with `status` within `timeout` + `slack` ms. */
async function endsWith(
  flow: Promise<unknown>,
  status: string,
  timeout: number,
  slack = 1500,
): Promise<void> {
  const started = Date.now();
  const r = await outcome(flow);
  expect(r.ok ? 'connected' : r.error.status).to.equal(status);
  expect(Date.now() - started).to.be.below(timeout + slack);
}

describe('a backend that never answers ends the flow at its timeout', () => {
  it('popup mode: a hanging exchange → timeout; the code was sent once', async () => {
    const t = uid();
    // (6 s: the sign-in round trip must be over and the code sent before the deadline, even on a
    // loaded machine — at 2.5 s it sometimes was not, and no exchange was there to hang)
    await endsWith(
      connect(await hcss({ timeout: 6000, exchangeUrl: `${exchangeUrl(t)}&delay=${HANG}` })),
      'timeout',
      6000,
    );
    expect(await exchanges(t)).to.have.length(1);
  });

  it('popup mode: a hanging url-endpoint → timeout, and the blank popup is closed', async () => {
    const t = uid();
    await endsWith(
      connect({ provider: 'generic', timeout: 1500, urlEndpoint: `/api/url?t=${t}&delay=${HANG}` }),
      'timeout',
      1500,
    );
    await until(() => spy.last?.closed === true, 2000, 'blank popup closed');
  });

  it('a resolveUrl that never settles → timeout, popup closed', async () => {
    await endsWith(
      connect({
        provider: 'generic',
        timeout: 1200,
        resolveUrl: () => new Promise<string>(() => undefined),
      }),
      'timeout',
      1200,
    );
    await until(() => spy.last?.closed === true, 2000, 'popup closed');
  });

  it('redirect mode: a hanging url-endpoint → timeout; the page never left, nothing pending', async () => {
    const t = uid();
    await endsWith(
      connect({
        provider: 'generic',
        mode: 'redirect',
        timeout: 1500,
        urlEndpoint: `/api/url?t=${t}&delay=${HANG}`,
      }),
      'timeout',
      1500,
    );
    expect(sessionStorage.getItem('oauth-connect:pending')).to.equal(null);
  });

  it('redirect return: a hanging exchange ends at the pending flow’s deadline', async () => {
    const t = uid();
    keepPending({
      v: 2,
      provider: 'hcss',
      completion: 'code',
      state: 'S',
      returnTo: location.href,
      createdAt: Date.now() - 8000,
      timeout: 10000, // 2 s left
    });
    history.replaceState(null, '', `${location.pathname}?code=C-${t}&state=S`);
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        mode="redirect"
        exchange-url=${`${exchangeUrl(t)}&delay=${HANG}`}
      ></oauth-connect>`,
    );
    const started = Date.now();
    const failed = await oneEvent(el, 'failed');
    expect(failed.detail.status).to.equal('timeout');
    expect(Date.now() - started).to.be.below(3500);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('landing mode: a hanging exchange → timeout', async () => {
    const t = uid();
    history.replaceState(null, '', `${location.pathname}?code=hint-${t}`);
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        timeout="1500"
        exchange-url=${`${exchangeUrl(t)}&delay=${HANG}`}
      ></oauth-connect>`,
    );
    const started = Date.now();
    const failed = await oneEvent(el, 'failed');
    expect(failed.detail.status).to.equal('timeout');
    expect(Date.now() - started).to.be.below(3000);
  });
});

/** Records the delays every timer and interval was set with while `run` runs. */
async function timerDelays(run: () => Promise<void>): Promise<number[]> {
  const delays: number[] = [];
  const setT = window.setTimeout;
  const setI = window.setInterval;
  window.setTimeout = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => {
    delays.push(ms ?? 0);
    return setT(fn, ms, ...rest);
  }) as typeof window.setTimeout;
  window.setInterval = ((fn: TimerHandler, ms?: number, ...rest: unknown[]) => {
    delays.push(ms ?? 0);
    return setI(fn, ms, ...rest);
  }) as typeof window.setInterval;
  try {
    await run();
  } finally {
    window.setTimeout = setT;
    window.setInterval = setI;
  }
  return delays;
}

describe('numbers out of range', () => {
  it('timeout="2592000000" (30 days) is clamped: the flow runs, no timer fires at once', async () => {
    const abort = new AbortController();
    let settled = false;
    const delays = await timerDelays(async () => {
      const flow = connect(
        await hcss({
          timeout: 2_592_000_000,
          authorizeUrl: `${(await origins()).provider}/authorize.html?scenario=stay`,
        }),
        abort.signal,
      );
      void flow.catch(() => (settled = true));
      // the deadline timer is set before the window is sent to the provider: a timer that fires at
      // once (an unclamped 30 days) has fired by then, and its outcome is in by the next task
      await atProvider(spy.last!);
      await new Promise((resolve) => setTimeout(resolve));
      expect(settled).to.equal(false);
      abort.abort();
      const r = await outcome(flow);
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
    });
    // the flow's deadline timer: the longest a browser timer can wait (less the ms gone meanwhile)
    expect(Math.max(...delays)).to.be.within(2 ** 31 - 1 - 1000, 2 ** 31 - 1);
  });

  it('a 30-day poll-interval is clamped to the timeout: no busy loop, and it still connects', async () => {
    const delays = await timerDelays(async () => {
      const result = await connect(await hcss({ pollInterval: 2_592_000_000, timeout: 60_000 }));
      expect(result.result['code']).to.be.a('string');
    });
    expect(delays.every((d) => d <= 2 ** 31 - 1)).to.equal(true);
    expect(delays).to.include(60_000); // the poller, at most the timeout
  });

  it('popup-width / popup-height of a billion: the popup fits the screen', async () => {
    await connect(await hcss({ popupWidth: 1e9, popupHeight: 1e9 }));
    const features = new URLSearchParams(spy.calls[0]!.features.replaceAll(',', '&'));
    expect(Number(features.get('width'))).to.be.at.most(screen.availWidth);
    expect(Number(features.get('height'))).to.be.at.most(screen.availHeight);
    expect(Number(features.get('width'))).to.be.at.least(100);
  });

  for (const [name, extra] of [
    ['a negative timeout', { timeout: -5 }],
    ['a timeout that is not a number', { timeout: Number('soon') }],
    ['a 1 ms poll interval', { pollInterval: 1 }],
  ] as const) {
    it(`${name} → invalid_config, nothing opens`, async () => {
      const r = await outcome(connect(await hcss(extra)));
      expect(r.ok ? 'connected' : r.error.status).to.equal('invalid_config');
      expect(spy.calls).to.have.length(0);
    });
  }

  it('the element: timeout="abc" → invalid_config before anything opens', async () => {
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        client-id="c"
        redirect-uri=${callbackUrl()}
        timeout="abc"
      ></oauth-connect>`,
    );
    const failed = oneEvent(el, 'failed');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!.click();
    expect((await failed).detail.status).to.equal('invalid_config');
    expect(spy.calls).to.have.length(0);
  });
});

describe('the back/forward cache', () => {
  it('a restored page never shows a flow that cannot finish: the element is usable', async () => {
    const t = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="generic"
        mode="redirect"
        url-endpoint=${`/api/url?t=${t}&delay=${HANG}`}
      ></oauth-connect>`,
    );
    const button = () => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
    button().click();
    await el.updateComplete;
    expect(button().getAttribute('aria-busy')).to.equal('true');
    const failed = oneEvent(el, 'failed');
    // Back from the provider: the browser shows this page again from the back/forward cache.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect((await failed).detail.status).to.equal('cancelled');
    await el.updateComplete;
    expect(button().getAttribute('aria-busy')).to.equal('false');
    expect(sessionStorage.getItem('oauth-connect:pending')).to.equal(null);
  });

  it('Back from the provider after the pending flow was written: ended, and the pending flow gone', async () => {
    const { provider } = await origins();
    const app = openFrameApp(
      redirectApp(() => ({
        provider: 'hcss',
        mode: 'redirect',
        clientId: 'c',
        // the provider answers slowly: the page has written its pending flow and is still here
        authorizeUrl: `${provider}/authorize.html?scenario=approve&slow=8000`,
        redirectUri: callbackUrl(),
      })),
    );
    try {
      await app.loaded();
      const win = app.frame.contentWindow!;
      const el = win.document.getElementById('c') as OAuthConnect;
      el.connect().catch(() => undefined);
      await until(() => sessionStorage.getItem('oauth-connect:pending') !== null, 3000, 'pending');
      win.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      const result = await app.result(3000);
      expect(result.type).to.equal('failed');
      expect(result.detail['status']).to.equal('cancelled');
      expect(sessionStorage.getItem('oauth-connect:pending')).to.equal(null);
      await el.updateComplete;
      const button = el.shadowRoot!.querySelector('[part="button"]')!;
      expect(button.getAttribute('aria-busy')).to.equal('false');
    } finally {
      app.dispose();
    }
  });

  it('a pageshow that is not a restore changes nothing', async () => {
    const abort = new AbortController();
    const flow = startFlow(
      await hcss({ authorizeUrl: `${(await origins()).provider}/authorize.html?scenario=stay` }),
      { signal: abort.signal },
    );
    let settled = false;
    void flow.result.catch(() => (settled = true));
    // the flow listens for pageshow before its window is sent on; its listener runs in the
    // dispatch, and an outcome it made would be in by the next task
    await atProvider(spy.last!);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    await new Promise((resolve) => setTimeout(resolve));
    expect(settled).to.equal(false);
    abort.abort();
    await outcome(flow.result);
  });
});
