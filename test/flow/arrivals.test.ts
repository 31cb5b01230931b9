/**
 * Arrivals from the provider's side: a Hint InstantOn code that lands while the user is signed out
 * of the partner app (held for this tab, sent once after the sign-in), and an HCSS Marketplace
 * arrival that starts the redirect flow by itself (`autostart`, once per tab).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import { resumeFlow, type OAuthConnect } from '../../src/index.js';
import { claimAutostart } from '../../src/flow/modes/redirect.js';
import {
  exchanges,
  exchangeUrl,
  openFrameApp,
  origins,
  redirectApp,
  reports,
  sleep,
  uid,
  until,
  useFetchLog,
  useOpenSpy,
} from '../support/helpers.js';
import { HELD, keepHeld, PENDING, TICKET_PREFIX } from '../support/stored.js';

const MARKER = 'oauth-connect:autostart:hcss';
const testPage = location.pathname;
const spy = useOpenSpy();
const requests = useFetchLog();

/** Every event an element fires, in order. */
function events(el: Element) {
  const seen: CustomEvent[] = [];
  for (const type of ['connected', 'failed', 'signin-required', 'disconnected']) {
    el.addEventListener(type, (e) => seen.push(e as CustomEvent));
  }
  return seen;
}
const held = () =>
  JSON.parse(sessionStorage.getItem(HELD) ?? 'null') as {
    code: string;
    at: number;
    provider: string;
    ticket: string;
  } | null;
/** The held code without its ticket (each hold has a new one: src/flow/storage.ts). */
const heldCode = () => {
  const { ticket, ...code } = held() ?? { ticket: '' };
  return ticket ? code : null;
};
const signIn = (t: string) => fetch(`/api/signin?t=${t}`);
const landing = (t: string, respond = '401-until-signed-in') =>
  fixture<OAuthConnect>(
    html`<oauth-connect provider="hint" exchange-url=${exchangeUrl(t, respond)}></oauth-connect>`,
  );

afterEach(() => {
  history.replaceState(null, '', testPage);
  sessionStorage.clear();
});

describe('Hint InstantOn: a code that lands before the sign-in', () => {
  it('401 → signin-required (not failed), the code held in this tab only; after the sign-in resume() sends it once more → connected, nothing kept', async () => {
    const t = uid();
    const code = `hint-held-${t}`;
    const landed = Date.now();
    history.replaceState(null, '', `${testPage}?code=${code}&tab=1`);
    const el = await landing(t);
    const seen = events(el);
    const required = await oneEvent(el, 'signin-required');
    expect(required.detail).to.deep.equal({ provider: 'hint' });
    expect(required.bubbles && required.composed).to.equal(true);
    expect(location.search).to.equal('?tab=1'); // scrubbed at once, as always
    expect(held()).to.include({ provider: 'hint', code });
    // when it landed (taken from the URL), not when the backend answered
    expect(held()!.at).to.be.within(landed, Date.now());
    expect(Object.values({ ...localStorage }).join()).not.to.contain(code); // this tab only
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="signin"]')?.textContent?.trim()).to.equal(
      'Sign in to finish connecting Hint.',
    );
    expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    await expect(el).to.be.accessible();
    expect(await exchanges(t)).to.have.length(1);

    await signIn(t);
    const done = await el.resume();
    expect(done?.result['connected']).to.equal(true);
    const sent = await exchanges(t);
    expect(sent.map((r) => r.body)).to.deep.equal([
      { provider: 'hint', code },
      { provider: 'hint', code },
    ]);
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    expect(seen.map((e) => e.type)).to.deep.equal(['signin-required', 'connected']);
    // nothing left to send
    expect(await el.resume()).to.equal(undefined);
    expect(await exchanges(t)).to.have.length(2);
  });

  it('an element removed while it sends the held code: the 401 that comes after still holds it, and the next element sends it', async () => {
    const t = uid();
    const code = `hint-swap-${t}`;
    history.replaceState(null, '', `${testPage}?code=${code}`);
    const first = await landing(t);
    await oneEvent(first, 'signin-required');
    first.remove();
    // a new page load (or a framework's re-render) whose element takes the held code and sends it;
    // the backend answers late, after that element is gone
    const slow = `${exchangeUrl(t, '401-until-signed-in')}&delay=400`;
    const second = await fixture<OAuthConnect>(
      html`<oauth-connect provider="hint" exchange-url=${slow}></oauth-connect>`,
    );
    const fired = events(second);
    await until(() => sessionStorage.getItem(HELD) === null, 3000, 'the held code taken');
    for (const end = Date.now() + 3000; (await exchanges(t)).length < 2;) {
      if (Date.now() > end) throw new Error('the held code was not sent');
    }
    second.remove();
    await until(() => heldCode() !== null, 5000, 'the code held again after the late 401');
    expect(heldCode()).to.include({ provider: 'hint', code });
    expect(fired, 'no event from the removed element').to.deep.equal([]);

    await signIn(t);
    const third = await landing(t);
    await oneEvent(third, 'connected');
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([code, code, code]);
    expect(sessionStorage.getItem(HELD)).to.equal(null);
  });

  it('an element removed after it took the held code, before sending it: the code is held again', async () => {
    const t = uid();
    const code = `hint-early-${t}`;
    history.replaceState(null, '', `${testPage}?code=${code}`);
    const first = await landing(t);
    await oneEvent(first, 'signin-required');
    first.remove();
    // the held code's ticket is redeemed under a Web Lock named after it (src/flow/storage.ts):
    // held here, the next element takes the code but cannot send it until it is released
    const lock = `${TICKET_PREFIX}${held()!.ticket}`;
    let release: () => void = () => undefined;
    const holding = new Promise<void>((r) => (release = r));
    await new Promise<void>((locked) => {
      void navigator.locks.request(lock, () => {
        locked();
        return holding;
      });
    });
    const second = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        exchange-url=${exchangeUrl(t, '401-until-signed-in')}
      ></oauth-connect>`,
    );
    const fired = events(second);
    await until(() => sessionStorage.getItem(HELD) === null, 3000, 'the held code taken');
    second.remove(); // after it took the code, before its ticket was redeemed and the code sent
    await new Promise((r) => setTimeout(r, 50)); // (its cancel comes a task after the removal)
    release();
    await until(() => heldCode() !== null, 5000, 'the code held again');
    expect(heldCode()).to.include({ provider: 'hint', code });
    expect(fired).to.deep.equal([]);
    expect(await exchanges(t)).to.have.length(1); // only the first 401
  });

  it('the page the user returns to after signing in sends the held code (a new page load)', async () => {
    const t = uid();
    sessionStorage.setItem('landing-app-exchange', exchangeUrl(t, '401-until-signed-in'));
    const app = openFrameApp(`/test/fixtures/landing-app.html?code=hint-return-${t}`);
    try {
      await app.loaded();
      await until(() => app.messages.some((m) => m.type === 'signin-required'), 5000, '401');
      expect(held()?.code).to.equal(`hint-return-${t}`); // the frame is this tab: same storage
      await signIn(t);
      // the partner's sign-in page sends the user back to the activation page, without a code
      app.frame.contentWindow!.location.assign('/test/fixtures/landing-app.html');
      await app.loaded(2);
      await until(() => app.messages.some((m) => m.type === 'connected'), 5000, 'connected');
      expect(app.messages.filter((m) => m.type === 'failed')).to.have.length(0);
      expect(await exchanges(t)).to.have.length(2);
      expect(sessionStorage.getItem(HELD)).to.equal(null);
    } finally {
      app.dispose();
    }
  });

  it('still signed out: signin-required again, held again from when it landed; resumeFlow() rejects with signinRequired', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-again-${t}`);
    const el = await landing(t);
    await oneEvent(el, 'signin-required');
    const first = heldCode()!;
    const again = oneEvent(el, 'signin-required');
    const error = await el.resume().catch((e: unknown) => e);
    expect(error).to.include({
      name: 'ConnectError',
      status: 'exchange_failed',
      signinRequired: true,
    });
    await again;
    expect(heldCode()).to.deep.equal(first);
    // the framework-free API holds it the same way
    const options = {
      provider: 'hint',
      exchangeUrl: exchangeUrl(t, '401-until-signed-in'),
    } as const;
    const third = await (await resumeFlow(options))!.result.catch((e: unknown) => e);
    expect(third).to.include({ status: 'exchange_failed', signinRequired: true });
    expect(heldCode()).to.deep.equal(first);
    expect(await exchanges(t)).to.have.length(3);
  });

  it('a held code older than 10 minutes → failed expired, removed, never sent', async () => {
    const t = uid();
    keepHeld({ provider: 'hint', code: `old-${t}`, at: Date.now() - 10 * 60_000 - 1 });
    const el = await landing(t);
    const failed = await oneEvent(el, 'failed');
    expect(failed.detail.status).to.equal('expired');
    expect(failed.detail.message).to.contain('start it again from Hint');
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    expect(await exchanges(t)).to.have.length(0);
  });

  it('a 400 on the retry ends it: exchange_failed, the held code removed', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-400-${t}`);
    const el = await landing(t);
    await oneEvent(el, 'signin-required');
    el.exchangeUrl = exchangeUrl(t, '400');
    const failed = oneEvent(el, 'failed');
    await el.resume().catch(() => undefined);
    expect((await failed).detail.status).to.equal('exchange_failed');
    expect(sessionStorage.getItem(HELD)).to.equal(null);
  });

  it('never sent twice at the same time: three elements and two resume() calls, one exchange', async () => {
    const t = uid();
    keepHeld({ provider: 'hint', code: `once-${t}`, at: Date.now() });
    await signIn(t);
    const url = `${exchangeUrl(t, '401-until-signed-in')}&delay=300`;
    const root = await fixture<HTMLElement>(
      html`<div>
        <oauth-connect provider="hint" exchange-url=${url}></oauth-connect>
        <oauth-connect provider="hint" exchange-url=${url}></oauth-connect>
        <oauth-connect provider="hint" exchange-url=${url}></oauth-connect>
      </div>`,
    );
    const elements = [...root.querySelectorAll<OAuthConnect>('oauth-connect')];
    const [a, b] = elements;
    const extra = [a!.resume(), b!.resume()];
    await Promise.allSettled(extra);
    // the one exchange (delayed 300 ms) has answered: an element is connected, and none has a
    // flow still running (a second exchange would be one); every request has been answered
    const statuses = () =>
      elements.map((el) => el.shadowRoot!.querySelector('[part="status"]')!.textContent!.trim());
    await until(() => statuses().some((s) => s.startsWith('Connected')), 5000, 'connected');
    await Promise.all(elements.map((el) => el.updateComplete));
    expect(statuses().filter((s) => s !== '' && !s.startsWith('Connected'))).to.deep.equal([]);
    await requests.settled();
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([`once-${t}`]);
    expect(sessionStorage.getItem(HELD)).to.equal(null);
  });

  it('a new code in the URL supersedes a held one: only the new one is sent', async () => {
    const t = uid();
    keepHeld({ provider: 'hint', code: `stale-${t}`, at: Date.now() });
    history.replaceState(null, '', `${testPage}?code=fresh-${t}`);
    const el = await landing(t, 'ok');
    await oneEvent(el, 'connected');
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([`fresh-${t}`]);
    expect(sessionStorage.getItem(HELD)).to.equal(null);
  });

  it('another tab (a new page) does not see the held code', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-tab-${t}`);
    const el = await landing(t);
    await oneEvent(el, 'signin-required');
    await signIn(t);
    const probe = uid();
    const channel = reports('test-tab-probe');
    try {
      const exchange = encodeURIComponent(exchangeUrl(t, '401-until-signed-in'));
      window.open(
        `/test/fixtures/tab-probe.html?probe=${probe}&exchange=${exchange}`,
        '_blank',
        'noopener',
      );
      const ready = await channel.next({ type: 'ready', probe });
      expect(ready['opener']).to.equal(false);
      expect(ready['held']).to.equal(null); // its own session storage
      expect(held()?.code).to.equal(`hint-tab-${t}`); // still here, in this tab
      // the other tab's element has looked at what its page holds: nothing, and no flow ran
      const looked = await channel.next({ type: 'looked', probe });
      expect([looked['found'], looked['status']]).to.deep.equal([false, '']);
      expect(await exchanges(t)).to.have.length(1);
    } finally {
      channel.close();
    }
  });
});

describe('autostart (HCSS Marketplace arrivals, redirect mode)', () => {
  /** The partner page the Marketplace sends the customer to, with `autostart`. */
  async function arrival(scenario: string, t: string, extra: Record<string, unknown> = {}) {
    const { provider } = await origins();
    return redirectApp((app) => ({
      provider: 'hcss',
      mode: 'redirect',
      clientId: 'c',
      authorizeUrl: `${provider}/authorize.html?scenario=${scenario}`,
      redirectUri: app,
      exchangeUrl: exchangeUrl(t),
      autostart: true,
      ...extra,
    }));
  }
  // An autostart leaves for the mock provider and is back within ~300 ms: a page that is still on
  // the same load count after this long did not start again. (Kept as a span: the step that
  // decides not to start again reports nothing, and a start is a navigation of the frame.)
  const SETTLE_MS = 1500;

  it('starts without a click once: the return connects, a reload does not start again', async () => {
    const t = uid();
    const app = openFrameApp(`${await arrival('approve', t)}?from=marketplace`);
    try {
      const result = await app.result();
      expect(result.type).to.equal('connected');
      expect(app.readyCount()).to.equal(2); // arrived, left for HCSS, came back
      expect(await exchanges(t)).to.have.length(1);
      expect(sessionStorage.getItem(MARKER)).not.to.equal(null);
      app.frame.contentWindow!.location.reload();
      await app.loaded(3);
      await sleep(SETTLE_MS);
      expect(app.readyCount()).to.equal(3);
      expect(sessionStorage.getItem(PENDING)).to.equal(null);
      expect(await exchanges(t)).to.have.length(1);
    } finally {
      app.dispose();
    }
  });

  it('a return without an answer does not start again (no loop)', async () => {
    const t = uid();
    const app = openFrameApp(await arrival('back', t));
    try {
      await app.loaded(2);
      await sleep(SETTLE_MS);
      expect(app.readyCount()).to.equal(2);
      expect(app.outcome()).to.equal(undefined);
      expect(await exchanges(t)).to.have.length(0);
    } finally {
      app.dispose();
    }
  });

  it('a failed return (access_denied) is finished as usual, and not started again', async () => {
    const t = uid();
    const app = openFrameApp(await arrival('deny', t));
    try {
      const result = await app.result();
      expect(result.type).to.equal('failed');
      expect(result.detail['status']).to.equal('cancelled');
      await sleep(SETTLE_MS);
      expect(app.readyCount()).to.equal(2);
    } finally {
      app.dispose();
    }
  });

  it('set once the page has checked the sign-in (the property, after the first load)', async () => {
    const t = uid();
    const url = await arrival('approve', t, { autostart: false });
    const app = openFrameApp(`${url}?autostart-later`);
    try {
      expect((await app.result()).type).to.equal('connected');
      expect(app.readyCount()).to.equal(2);
    } finally {
      app.dispose();
    }
  });

  it('not in popup mode: failed invalid_config, nothing opened, no marker', async () => {
    const { provider } = await origins();
    const failing = oneEvent(document, 'failed'); // it fails before fixture() returns
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        autostart
        client-id="c"
        authorize-url=${`${provider}/authorize.html`}
        redirect-uri=${`${location.origin}/cb`}
      ></oauth-connect>`,
    );
    const failed = await failing;
    expect(failed.target).to.equal(el);
    expect(failed.detail.status).to.equal('invalid_config');
    expect(failed.detail.message).to.contain('mode="redirect"');
    expect(spy.calls).to.have.length(0);
    expect(sessionStorage.getItem(MARKER)).to.equal(null);
  });

  it('claimAutostart: once per tab and provider, never over a pending redirect flow, never without storage', () => {
    expect(claimAutostart(window, 'hcss')).to.equal(true);
    expect(sessionStorage.getItem(MARKER)).not.to.equal(null);
    expect(claimAutostart(window, 'hcss')).to.equal(false);
    expect(claimAutostart(window, 'healthtap')).to.equal(true); // another provider's own marker
    sessionStorage.clear();
    sessionStorage.setItem(PENDING, '{"v":2}');
    expect(claimAutostart(window, 'hcss')).to.equal(false);
    const blocked = {
      get sessionStorage(): Storage {
        throw new DOMException('blocked', 'SecurityError');
      },
    } as unknown as Window;
    expect(claimAutostart(blocked, 'hcss')).to.equal(false);
  });
});
