// A flow that ends before its engine has run closes its window. The partner page here is a
// code-split bundle (test/fixtures/split-app.html) whose runner chunk the test holds back, so the
// flow ends — the element removed, cancel(), an aborted signal, a bad url-endpoint answer — while
// the chunk is still loading, in the click's own task, or with a signal aborted before the click.
import { expect } from '@open-wc/testing';
import type { ConnectOptions, OAuthConnect } from '../../src/index.js';
import { OFFER_AFTER_MS } from '../../src/flow/modes/popup.js';
import {
  exchanges,
  exchangeUrl,
  openFrameApp,
  origins,
  outcome,
  uid,
  until,
  userReturns,
  recordOpens,
} from '../support/helpers.js';

type Lib = typeof import('../../src/index.js');
interface SplitWindow extends Window {
  readonly lib: Lib;
  AbortController: typeof AbortController;
}

interface Split {
  readonly win: SplitWindow;
  /** Every window the page opened. */
  readonly opened: (Window | null)[];
  /** The held runner chunk was asked for (the flow is waiting on it). */
  asked(): Promise<number>;
  /** Lets the runner chunk load. */
  release(): Promise<void>;
  dispose(): void;
}

const apps: Split[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.dispose();
});

/** The split partner page in a frame, its runner chunk held until release(). */
async function splitApp(): Promise<Split> {
  const hold = uid();
  const frame = openFrameApp(`/test/fixtures/split-app.html?chunk=${hold}`);
  await frame.loaded();
  const win = frame.frame.contentWindow as SplitWindow;
  const opened = recordOpens(win);
  const app: Split = {
    win,
    opened,
    asked: async () =>
      ((await (await fetch(`/__held?hold=${hold}`)).json()) as { asked: number }).asked,
    release: async () => void (await fetch(`/__release?hold=${hold}`)),
    dispose: () => {
      void app.release();
      for (const popup of opened) popup?.close();
      frame.dispose();
    },
  };
  apps.push(app);
  return app;
}

async function hcss(t: string, extra: Partial<ConnectOptions> = {}): Promise<ConnectOptions> {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    authorizeUrl: `${provider}/authorize.html?scenario=approve`,
    clientId: 'c',
    redirectUri: `${location.origin}/test/fixtures/callback.html`,
    exchangeUrl: exchangeUrl(t),
    ...extra,
  };
}

const gone = (popup: Window | null) => {
  try {
    return !popup || (popup.closed && popup.parent === null);
  } catch {
    return true;
  }
};

/** Every window the page opened is gone — while the runner chunk is still held back. */
async function allGone(app: Split, what: string) {
  await until(() => app.opened.every(gone), 3000, what);
  expect(await app.asked(), 'the runner chunk is still loading').to.be.greaterThan(0);
}

describe('when a flow ends before its engine has loaded', () => {
  it('connect() with a signal aborted in the same task closes the window at once', async () => {
    const app = await splitApp();
    const t = uid();
    const c = new app.win.AbortController();
    const result = outcome(app.win.lib.connect(await hcss(t), c.signal));
    c.abort();
    expect(app.opened).to.have.length(1);
    await allGone(app, 'the window closed while the engine loads');
    await app.release();
    const r = await result;
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.status).to.equal('cancelled');
    expect(app.opened.every(gone)).to.equal(true);
    expect(await exchanges(t)).to.have.length(0);
  });

  it('connect() with a signal aborted before the click opens nothing', async () => {
    const app = await splitApp();
    const c = new app.win.AbortController();
    c.abort();
    const r = await outcome(app.win.lib.connect(await hcss(uid()), c.signal));
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.status).to.equal('cancelled');
    expect(app.opened).to.have.length(0);
  });

  it('an element removed while the engine loads closes its window and fires no event', async () => {
    const app = await splitApp();
    const t = uid();
    const el = app.win.document.createElement('oauth-connect') as OAuthConnect;
    Object.assign(el, await hcss(t));
    const events: string[] = [];
    for (const type of ['connected', 'failed']) el.addEventListener(type, () => events.push(type));
    app.win.document.body.append(el);
    await el.updateComplete;
    const result = outcome(el.connect());
    await until(() => app.opened.length === 1, 2000, 'the sign-in window');
    await new Promise((r) => setTimeout(r, 50)); // a modal closes, a route changes
    el.remove();
    await allGone(app, 'the window closed while the engine loads');
    await app.release();
    const r = await result;
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.status).to.equal('cancelled');
    // the element's own render after the flow ended proves the outcome was handled
    await el.updateComplete;
    expect(events, 'no event from a removed element').to.deep.equal([]);
    expect(await exchanges(t)).to.have.length(0);
  });

  it('cancel() while the engine loads closes the window and fails cancelled', async () => {
    const app = await splitApp();
    const el = app.win.document.createElement('oauth-connect') as OAuthConnect;
    Object.assign(el, await hcss(uid()));
    app.win.document.body.append(el);
    await el.updateComplete;
    const failed = new Promise<string>((resolve) =>
      el.addEventListener('failed', (e) => resolve(e.detail.status)),
    );
    void el.connect().catch(() => undefined);
    await until(() => app.opened.length === 1, 2000, 'the sign-in window');
    el.cancel();
    await allGone(app, 'the window closed while the engine loads');
    await app.release();
    expect(await failed).to.equal('cancelled');
  });

  it('a url-endpoint answer that is unsafe closes the blank window (invalid_config)', async () => {
    const app = await splitApp();
    const t = uid();
    const options = await hcss(t, {
      urlEndpoint: `/api/url?t=${t}&to=${encodeURIComponent('http://evil.example/authorize')}`,
    });
    const result = outcome(app.win.lib.connect(options));
    expect(app.opened).to.have.length(1);
    await app.release();
    const r = await result;
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.error.status).to.equal('invalid_config');
    await until(() => app.opened.every(gone), 3000, 'the blank window closed');
  });

  it('the page left for the sign-in window before the runner loaded: no offer while it is in front', async function () {
    this.timeout(30000);
    const app = await splitApp();
    const { provider } = await origins();
    const phases: string[] = [];
    const c = new app.win.AbortController();
    const handle = app.win.lib.startFlow(
      await hcss(uid(), {
        // COOP on the first provider page: the handle reads closed at once
        authorizeUrl: `${provider}/coop/authorize.html?scenario=stay`,
      }),
      { onPhase: (p) => phases.push(p), signal: c.signal },
    );
    // the popup took the focus (its blur came and went) while the runner chunk was loading
    Object.defineProperty(app.win.document, 'hasFocus', { configurable: true, value: () => false });
    await app.release();
    await until(() => phases.includes('waiting'), 5000, 'sent to the provider');
    await until(() => app.opened[0]!.closed, 5000, 'the handle read closed (COOP)');
    await new Promise((r) => setTimeout(r, OFFER_AFTER_MS + 500));
    expect(phases, 'no offer behind the sign-in window').not.to.include('severed');
    userReturns(app.win); // the user comes back to the page
    await until(() => phases.includes('severed'), 3000, 'the offer on the return');
    c.abort();
    const r = await outcome(handle.result);
    expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
  });
});
