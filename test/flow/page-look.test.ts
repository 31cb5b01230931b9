// While the page is looked at for an answer: a page whose URL or storage might hold one loads a
// small chunk (url-answer.ts) before its element knows. The partner page here is a code-split
// bundle (test/fixtures/split-app.html) whose answer chunk the test holds back, or makes fail, so
// a click, a removal, a cancel and a failed load meet the look while it is still under way.
import { expect } from '@open-wc/testing';
import type { OAuthConnect } from '../../src/index.js';
import {
  exchanges,
  exchangeUrl,
  openFrameApp,
  origins,
  recordOpens,
  uid,
  until,
} from '../support/helpers.js';
import { keepPending } from '../support/stored.js';

type Lib = typeof import('../../src/index.js');
interface SplitWindow extends Window {
  readonly lib: Lib;
  importModule(url: string): Promise<unknown>;
}

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
  sessionStorage.clear();
});

/** The split page in a frame at `query`, its answer chunk held (or failing: `answers=fail`). */
async function page(query: string, answers = uid()) {
  const frame = openFrameApp(
    `/test/fixtures/split-app.html?chunk=${uid()}&answers=${answers}&${query}`,
  );
  await frame.loaded();
  const win = frame.frame.contentWindow as SplitWindow;
  const opened = recordOpens(win);
  const release = async () => void (await fetch(`/__release?hold=${answers}`));
  disposers.push(() => {
    void release();
    for (const popup of opened) popup?.close();
    frame.dispose();
  });
  const events: { type: string; detail: unknown }[] = [];
  /** An element of the page, its events recorded. */
  const element = async (props: Record<string, unknown>) => {
    const el = win.document.createElement('oauth-connect') as OAuthConnect;
    Object.assign(el, props);
    for (const type of ['connected', 'failed']) {
      el.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
    }
    win.document.body.append(el);
    await el.updateComplete;
    return el;
  };
  /** Until the held answer chunk was asked for (the look is under way). */
  const lookStarted = async () => {
    for (const started = Date.now(); Date.now() - started < 5000;) {
      const held = (await (await fetch(`/__held?hold=${answers}`)).json()) as { asked: number };
      if (held.asked > 0) return;
    }
    throw new Error('Timed out waiting for the answer chunk to be asked for');
  };
  return { win, frame, opened, release, element, events, lookStarted };
}

async function hcss(t: string) {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    clientId: 'c',
    authorizeUrl: `${provider}/authorize.html?scenario=approve`,
    redirectUri: `${location.origin}/test/fixtures/callback.html`,
    exchangeUrl: exchangeUrl(t),
  };
}

const pending = (t: string, state: string) =>
  keepPending({
    v: 2,
    provider: 'hcss',
    completion: 'code',
    state,
    codeVerifier: 'v'.repeat(64),
    redirectUri: `${location.origin}/test/fixtures/callback.html`,
    returnTo: `${location.origin}/`,
    createdAt: Date.now(),
    timeout: 300_000,
    test: t,
  });

describe('when the page is looked at for its answer', () => {
  it('the button is busy, and a click joins the look: the return is finished, nothing opens, the code is scrubbed', async () => {
    const t = uid();
    pending(t, 'the-state');
    const app = await page(`code=OLD-${t}&state=the-state`);
    const el = await app.element(await hcss(t));
    await app.lookStarted();
    const button = el.shadowRoot!.querySelector('[part="button"]')!;
    expect(button.getAttribute('aria-busy')).to.equal('true');
    (button as HTMLButtonElement).click();
    const joined = el.connect();
    expect(app.opened).to.have.length(0);
    await app.release();
    const result = await joined;
    expect(result.provider).to.equal('hcss');
    expect(app.opened).to.have.length(0);
    expect(app.win.location.search).not.to.contain('code=');
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([`OLD-${t}`]);
    expect(app.events.map((e) => e.type)).to.deep.equal(['connected']);
  });

  it('with nothing of its own there, the button is itself again, and a click then starts a flow', async () => {
    const t = uid();
    const app = await page(`code=PARTNER-PROMO-${t}`); // the partner's own ?code=: not ours
    const el = await app.element(await hcss(t));
    await app.lookStarted();
    await app.release();
    await el.resume();
    await el.updateComplete;
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
    expect(button.getAttribute('aria-busy')).to.equal('false');
    expect(app.win.location.search).to.contain(`code=PARTNER-PROMO-${t}`); // left alone
    button.click();
    expect(app.opened).to.have.length(1);
  });

  it('an element whose provider is a setup mistake: the look ends, and its click fails invalid_config', async () => {
    const t = uid();
    const app = await page(`code=X-${t}&state=s`);
    const el = await app.element({ ...(await hcss(t)), provider: 'hsccs' });
    await app.lookStarted();
    await app.release();
    expect(await el.resume()).to.equal(undefined);
    await el.updateComplete;
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
    expect(button.getAttribute('aria-busy')).to.equal('false');
    button.click();
    await until(() => app.events.length > 0, 5000, 'the failed event');
    expect(app.events.map((e) => [e.type, (e.detail as { status: string }).status])).to.deep.equal([
      ['failed', 'invalid_config'],
    ]);
    expect(app.opened).to.have.length(0);
    expect(app.win.location.search).to.contain(`code=X-${t}`); // not its own: left alone
  });

  for (const end of ['remove', 'cancel'] as const) {
    it(`an autostart element ${end === 'remove' ? 'removed' : 'cancelled'} during the look autostarts nothing`, async () => {
      const t = uid();
      const app = await page(`error=partner_banner`); // the partner's own ?error=: a look, not ours
      const props = { ...(await hcss(t)), mode: 'redirect', autostart: true };
      const el = await app.element(props);
      await app.lookStarted();
      const look = el.resume(); // (joins the look the element began)
      if (end === 'remove') el.remove();
      else el.cancel();
      await app.release();
      await look;
      // An autostart would have asked for the redirect runner as the look ended, before this:
      // once it is loaded here, and a task has passed, its claim would be written.
      await app.win.importModule('/src/flow/modes/redirect.ts');
      await new Promise((resolve) => app.win.setTimeout(resolve));
      expect(app.win.location.pathname).to.equal('/test/fixtures/split-app.html');
      expect(app.win.sessionStorage.getItem('oauth-connect:autostart:hcss')).to.equal(null);
      expect(app.opened).to.have.length(0);
    });
  }

  it('(the check above can fail: the same element, left alone, autostarts when the look ends)', async () => {
    const t = uid();
    const app = await page(`error=partner_banner`);
    const el = await app.element({ ...(await hcss(t)), mode: 'redirect', autostart: true });
    await app.lookStarted();
    const look = el.resume();
    await app.release();
    await look;
    await app.win.importModule('/src/flow/modes/redirect.ts');
    await new Promise((resolve) => app.win.setTimeout(resolve));
    await until(
      () => {
        try {
          return app.win.sessionStorage.getItem('oauth-connect:autostart:hcss') !== null;
        } catch {
          return true; // the frame left for the provider
        }
      },
      5000,
      'the autostart',
    );
  });
});

describe('when the chunk that looks at the page cannot load', () => {
  it('a ?code= or ?error= that may be the partner’s own: no failed event (a warning in the console)', async () => {
    for (const query of ['code=SPRING24', 'error=session_expired']) {
      const app = await page(query, 'fail');
      const warned: unknown[][] = [];
      (app.win as unknown as Window & typeof globalThis).console.warn = (...args: unknown[]) =>
        warned.push(args);
      const el = await app.element(await hcss(uid()));
      await until(() => warned.length > 0, 5000, 'the warning');
      await el.updateComplete;
      expect(String(warned[0]![0])).to.contain('could not be checked for an answer');
      expect(app.events).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    }
  });

  it('a landing element’s own code: failed, as it surely was its own', async () => {
    const app = await page('code=hint-landed', 'fail');
    await app.element({ provider: 'hint', exchangeUrl: exchangeUrl(uid()) });
    await until(() => app.events.length > 0, 5000, 'the failed event');
    expect(app.events.map((e) => e.type)).to.deep.equal(['failed']);
  });
});
