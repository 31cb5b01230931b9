/**
 * A code is sent at most once across every window of the browser: a window this tab opens starts
 * with a copy of the tab's sessionStorage, so what the tab keeps there (a Hint code held for the
 * sign-in, a pending redirect flow) is spent once through its ticket and spent record
 * (src/flow/storage.ts), with real windows opened by this page. Something on the origin clearing
 * localStorage (apps do, at sign-in and sign-out) must not lose the item.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/index.js';
import { resumeFlow, startFlow, type OAuthConnect } from '../../src/index.js';
import { drop, keepOnce, takeOnce } from '../../src/flow/storage/spend-once.js';
import { exchanges, exchangeUrl, origins, reports, uid, until } from '../support/helpers.js';
import {
  HELD,
  keepHeld,
  keepPending,
  PENDING,
  SPENT_PREFIX,
  spentRecords,
  TICKET_PREFIX,
  tickets,
} from '../support/stored.js';

const testPage = location.pathname;
const copyPage = `${location.origin}/test/fixtures/copy-window.html`;
const signIn = (t: string) => fetch(`/api/signin?t=${t}`);

let opened: Window[] = [];
let channel: ReturnType<typeof reports>;
beforeEach(() => {
  channel = reports('test-copy-window');
  // tickets and spent records other test files left (their flows' items, in this origin's
  // localStorage)
  forgetTickets();
});
afterEach(() => {
  for (const win of opened) win.close();
  opened = [];
  channel.close();
  history.replaceState(null, '', testPage);
  sessionStorage.clear();
  forgetTickets();
});

/** Removes the tickets and spent records this origin's localStorage holds (any test file's). */
function forgetTickets() {
  for (const key of Object.keys({ ...tickets(), ...spentRecords() })) localStorage.removeItem(key);
}

/** The first `connected` or `failed` event `target` hears. */
const endOf = (target: EventTarget) =>
  Promise.race([oneEvent(target, 'connected'), oneEvent(target, 'failed')]);

/** Every event an element fires, in order. */
function events(el: Element) {
  const seen: string[] = [];
  for (const type of ['connected', 'failed', 'signin-required']) {
    el.addEventListener(type, () => seen.push(type));
  }
  return seen;
}

/** copy-window.html for `probe`, its element set to `cfg`, with `answer` in its URL. */
const copyUrl = (probe: string, cfg: Record<string, unknown>, answer = '') =>
  `${copyPage}?probe=${probe}&cfg=${encodeURIComponent(JSON.stringify(cfg))}${answer}`;

/** Opens a window from this tab (it gets the copy of this tab's sessionStorage). */
function openWindow(url: string): Window {
  const win = window.open(url, '_blank', 'popup,width=400,height=400');
  if (!win) throw new Error('the window did not open');
  opened.push(win);
  return win;
}

interface Ready {
  before: { held: string | null; pending: string | null };
  after: { held: string | null; pending: string | null };
  status: string;
  search: string;
  opener: boolean;
}
const ready = async (probe: string) =>
  (await channel.next({ type: 'ready', probe })) as unknown as Ready;

describe('a held Hint code, and a window the tab opens', () => {
  const hint = (t: string) =>
    ({
      provider: 'hint',
      mode: 'landing',
      exchangeUrl: exchangeUrl(t, '401-until-signed-in'),
    }) as const;
  const landing = async (t: string, code: string) => {
    history.replaceState(null, '', `${testPage}?code=${code}`);
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        exchange-url=${exchangeUrl(t, '401-until-signed-in')}
      ></oauth-connect>`,
    );
    await oneEvent(el, 'signin-required');
    return el;
  };

  it('the window (its copy) sends it; the tab then finds nothing to finish: resume() sends nothing, the sign-in notice goes', async () => {
    const t = uid();
    const code = `hint-copy-${t}`;
    const el = await landing(t, code);
    await signIn(t);
    // the partner's Sign in opened a window, which lands on the activation page signed in
    const probe = uid();
    openWindow(copyUrl(probe, hint(t)));
    const seen = await ready(probe);
    expect(seen.opener).to.equal(true);
    expect(seen.before.held).to.contain(code); // it started with the copy
    await channel.next({ type: 'connected', probe });

    const fired = events(el);
    expect(await el.resume()).to.equal(undefined);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="signin"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part="error"]')).to.equal(null);
    expect(fired).to.deep.equal([]);
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    // the landing's 401, then the window's exchange: the code went through once
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([code, code]);
    expect(tickets()).to.deep.equal({});
  });

  it('the tab sends it first; a window it opened before, landing on the activation page, sends nothing', async () => {
    const t = uid();
    const code = `hint-first-${t}`;
    const el = await landing(t, code);
    // the partner's Sign in opens its sign-in window: it starts with the copy
    const win = openWindow('/test/fixtures/partner-signin.html');
    const shown = () =>
      win.location.pathname.endsWith('partner-signin.html') &&
      win.document.readyState === 'complete';
    await until(shown, 5000, 'the sign-in window');
    await signIn(t);
    const done = await el.resume();
    expect(done?.result['connected']).to.equal(true);
    // then that window goes on to the activation page, with its copy of the held code
    const probe = uid();
    win.location.assign(copyUrl(probe, hint(t)));
    const seen = await ready(probe);
    expect(seen.before.held).to.contain(code);
    expect(seen.after.held).to.equal(null); // taken, and dropped: its ticket was spent
    expect(seen.status).to.equal(''); // no flow started: the element stayed idle
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([code, code]);
  });

  it('localStorage cleared during the sign-in (as apps do): resume() still sends it, once after the 401', async () => {
    const t = uid();
    const code = `hint-cleared-${t}`;
    const el = await landing(t, code);
    localStorage.clear(); // the partner app's sign-in clears it: the ticket goes
    await signIn(t);
    const done = await el.resume();
    expect(done?.result['connected']).to.equal(true);
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([code, code]);
    expect(tickets()).to.deep.equal({});
    expect(Object.keys(spentRecords())).to.have.length(1);
  });

  it('localStorage cleared while a window holds a copy: the tab sends it; that window, landing on the activation page after, sends nothing', async () => {
    const t = uid();
    const code = `hint-cleared-copy-${t}`;
    const el = await landing(t, code);
    const win = openWindow('/test/fixtures/partner-signin.html');
    const shown = () =>
      win.location.pathname.endsWith('partner-signin.html') &&
      win.document.readyState === 'complete';
    await until(shown, 5000, 'the sign-in window');
    localStorage.clear();
    await signIn(t);
    expect((await el.resume())?.result['connected']).to.equal(true);
    const probe = uid();
    win.location.assign(copyUrl(probe, hint(t)));
    const seen = await ready(probe);
    expect(seen.before.held).to.contain(code);
    expect(seen.after.held).to.equal(null);
    expect(seen.status).to.equal('');
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([code, code]);
  });

  it('localStorage cleared between the take and the redeem: still sent, once', async () => {
    const t = uid();
    const code = `hint-cleared-taken-${t}`;
    keepHeld({ provider: 'hint', code, at: Date.now() });
    await signIn(t);
    const handle = (await resumeFlow(hint(t)))!; // taken and claimed when it resolves
    localStorage.clear();
    expect((await handle.result).result['connected']).to.equal(true);
    expect((await exchanges(t)).map((r) => r.body['code'])).to.deep.equal([code]);
  });

  it('a window of another process that claims the ticket in the same instant wins: this one ends cancelled, sending nothing', async () => {
    const t = uid();
    keepHeld({ provider: 'hint', code: `race-${t}`, at: Date.now() });
    await signIn(t);
    const handle = (await resumeFlow(hint(t)))!;
    // taken and claimed when it resolved; a window in another process overwrites the claim
    const [key, raw] = Object.entries(tickets())[0]!;
    localStorage.setItem(key, JSON.stringify({ ...JSON.parse(raw), by: 'another-window' }));
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).to.include({ name: 'ConnectError', status: 'cancelled' });
    expect((error as Error).message).to.equal(
      'The Hint activation was completed in another window.',
    );
    expect(await exchanges(t)).to.have.length(0);
  });
});

describe('a pending redirect flow, and a window the tab opened before the return', () => {
  const state = 'copied-state';
  const hcss = (t: string) =>
    ({
      provider: 'hcss',
      mode: 'redirect',
      exchangeUrl: exchangeUrl(t),
    }) as const;
  const pending = () =>
    keepPending({
      v: 2,
      provider: 'hcss',
      completion: 'code',
      state,
      codeVerifier: 'v'.repeat(64),
      redirectUri: copyPage,
      returnTo: `${location.origin}${testPage}`,
      createdAt: Date.now(),
      timeout: 300000,
    });
  const element = (t: string) =>
    fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        mode="redirect"
        exchange-url=${exchangeUrl(t)}
      ></oauth-connect>`,
    );

  it('the return reaches the window first: it connects; the same return in the tab is unauthorized, nothing sent', async () => {
    const t = uid();
    pending();
    const probe = uid();
    openWindow(copyUrl(probe, hcss(t), `&code=C-${t}&state=${state}`));
    const seen = await ready(probe);
    expect(seen.before.pending).to.contain(state);
    await channel.next({ type: 'connected', probe });
    expect(await exchanges(t)).to.have.length(1);

    history.replaceState(null, '', `${testPage}?code=C-${t}&state=${state}`);
    const failing = oneEvent(document, 'failed'); // it fails as the element connects
    await element(t);
    const failed = await failing;
    expect(failed.detail.status).to.equal('unauthorized');
    expect(location.search).to.equal('');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('the tab connects first; the window, then given the same return, is unauthorized and scrubbed, nothing sent', async () => {
    const t = uid();
    pending();
    const probe = uid();
    const win = openWindow(copyUrl(probe, hcss(t)));
    const idle = await ready(probe);
    expect(idle.before.pending).to.contain(state);
    expect(idle.after.pending).to.equal(idle.before.pending); // no answer there: left alone

    history.replaceState(null, '', `${testPage}?code=C-${t}&state=${state}`);
    const connecting = oneEvent(document, 'connected');
    await element(t);
    await connecting;
    expect(await exchanges(t)).to.have.length(1);

    const again = uid();
    win.location.assign(copyUrl(again, hcss(t), `&code=C-${t}&state=${state}`));
    const failed = await channel.next({ type: 'failed', probe: again });
    expect((failed['detail'] as { status: string }).status).to.equal('unauthorized');
    const seen = await ready(again);
    expect(seen.search).not.to.contain('code=');
    expect(seen.after.pending).to.equal(null);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('localStorage cleared while the tab was at the provider: the return connects, one exchange', async () => {
    const t = uid();
    pending();
    localStorage.clear(); // another tab of the origin signed out meanwhile
    history.replaceState(null, '', `${testPage}?code=C-${t}&state=${state}`);
    const ended = endOf(document); // the return either connects or fails
    await element(t);
    expect((await ended).type).to.equal('connected');
    expect(location.search).to.equal('');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('localStorage cleared while a window holds a copy: the tab connects; the window, given the same return, is unauthorized, nothing sent', async () => {
    const t = uid();
    pending();
    const probe = uid();
    const win = openWindow(copyUrl(probe, hcss(t)));
    const idle = await ready(probe);
    expect(idle.after.pending).to.equal(idle.before.pending);
    localStorage.clear();

    history.replaceState(null, '', `${testPage}?code=C-${t}&state=${state}`);
    const ended = endOf(document); // the return either connects or fails
    await element(t);
    expect((await ended).type).to.equal('connected');
    expect(await exchanges(t)).to.have.length(1);

    const again = uid();
    win.location.assign(copyUrl(again, hcss(t), `&code=C-${t}&state=${state}`));
    const failed = await channel.next({ type: 'failed', probe: again });
    expect((failed['detail'] as { status: string }).status).to.equal('unauthorized');
    expect((await ready(again)).after.pending).to.equal(null);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('a window of another process that claims the ticket in the same instant wins: unauthorized, nothing sent', async () => {
    const t = uid();
    pending();
    history.replaceState(null, '', `${testPage}?code=C-${t}&state=${state}`);
    const handle = (await resumeFlow(hcss(t)))!;
    const [key, raw] = Object.entries(tickets())[0]!;
    localStorage.setItem(key, JSON.stringify({ ...JSON.parse(raw), by: 'another-window' }));
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).to.include({ status: 'unauthorized' });
    expect(location.search).to.equal('');
    expect(await exchanges(t)).to.have.length(0);
  });
});

describe('tickets', () => {
  const ticket = (until: number) => JSON.stringify({ at: until - 60_000, until });

  it('one per kept item, times only (never the code); redeemed when sent; expired and foreign ones cleaned on the next write', async () => {
    const t = uid();
    const code = `hint-ticket-${t}`;
    localStorage.setItem(`${TICKET_PREFIX}old`, ticket(Date.now() - 1));
    localStorage.setItem(`${TICKET_PREFIX}junk`, 'not json');
    localStorage.setItem(`${TICKET_PREFIX}live`, ticket(Date.now() + 60_000));
    localStorage.setItem('partner-item', 'kept');
    try {
      const landed = Date.now();
      history.replaceState(null, '', `${testPage}?code=${code}`);
      const el = await fixture<OAuthConnect>(
        html`<oauth-connect
          provider="hint"
          exchange-url=${exchangeUrl(t, '401-until-signed-in')}
        ></oauth-connect>`,
      );
      await oneEvent(el, 'signin-required');
      const id = (JSON.parse(sessionStorage.getItem(HELD)!) as { ticket: string }).ticket;
      const found = tickets();
      expect(Object.keys(found).sort()).to.deep.equal(
        [`${TICKET_PREFIX}${id}`, `${TICKET_PREFIX}live`].sort(),
      );
      const held = JSON.parse(found[`${TICKET_PREFIX}${id}`]!) as Record<string, number>;
      expect(Object.keys(held).sort()).to.deep.equal(['at', 'until']);
      // it lives as long as the code may wait (10 minutes from when it landed), and a minute more
      expect(held['until']! - landed).to.be.within(11 * 60_000 - 5000, 11 * 60_000 + 5000);
      expect(Object.values({ ...localStorage }).join()).not.to.contain(code);
      expect(localStorage.getItem('partner-item')).to.equal('kept');

      await signIn(t);
      expect((await el.resume())?.result['connected']).to.equal(true);
      expect(Object.keys(tickets())).to.deep.equal([`${TICKET_PREFIX}live`]);
      expect(Object.keys(spentRecords())).to.deep.equal([`${SPENT_PREFIX}${id}`]);
    } finally {
      localStorage.removeItem('partner-item');
    }
  });

  it('a held code whose ticket expired and was cleaned is still reported expired, never sent', async () => {
    const t = uid();
    keepHeld({ provider: 'hint', code: `stale-${t}`, at: Date.now() - 20 * 60_000 });
    keepOnce(window, 'oauth-connect:test-item', {}, Date.now()); // another write cleans it
    expect(Object.keys(tickets())).to.have.length(1); // that write's own
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect provider="hint" exchange-url=${exchangeUrl(t)}></oauth-connect>`,
    );
    const failed = await oneEvent(el, 'failed');
    expect(failed.detail.status).to.equal('expired');
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    expect(await exchanges(t)).to.have.length(0);
  });

  it('a copy of an item is spent once: the first take claims it, the next finds it spent', async () => {
    keepOnce(window, 'oauth-connect:test-item', { n: 1 }, Date.now() + 60_000);
    const copy = sessionStorage.getItem('oauth-connect:test-item')!;
    const first = takeOnce(window, 'oauth-connect:test-item')!;
    sessionStorage.setItem('oauth-connect:test-item', copy); // as a window's copy still has it
    const second = takeOnce(window, 'oauth-connect:test-item')!;
    expect([first.spent, second.spent]).to.deep.equal([false, true]);
    expect(await second.redeem()).to.equal(false);
    expect(await first.redeem()).to.equal(true);
    expect(await first.redeem()).to.equal(false); // once
    expect(tickets()).to.deep.equal({});
    expect(Object.keys(spentRecords())).to.have.length(1);
    sessionStorage.setItem('oauth-connect:test-item', copy); // a window's copy, after the send
    expect(takeOnce(window, 'oauth-connect:test-item')!.spent).to.equal(true);
    expect(sessionStorage.getItem('oauth-connect:test-item')).to.equal(null);
  });

  it('localStorage cleared: the first take claims the item anew, a copy taken next or after the send finds it spent', async () => {
    keepOnce(window, 'oauth-connect:test-item', { n: 1 }, Date.now() + 60_000);
    const copy = sessionStorage.getItem('oauth-connect:test-item')!;
    localStorage.clear();
    const first = takeOnce(window, 'oauth-connect:test-item')!;
    expect(Object.keys(tickets())).to.have.length(1); // written again, with this claim
    sessionStorage.setItem('oauth-connect:test-item', copy);
    const second = takeOnce(window, 'oauth-connect:test-item')!;
    expect([first.spent, second.spent]).to.deep.equal([false, true]);
    expect(await first.redeem()).to.equal(true);
    sessionStorage.setItem('oauth-connect:test-item', copy);
    const third = takeOnce(window, 'oauth-connect:test-item')!;
    expect(third.spent).to.equal(true);
    expect(await third.redeem()).to.equal(false);
    expect(tickets()).to.deep.equal({});
  });

  it('a dropped item cannot be spent by a copy, even after localStorage was cleared before the drop', async () => {
    for (const clear of [false, true]) {
      keepOnce(window, 'oauth-connect:test-item', { n: 1 }, Date.now() + 60_000);
      const copy = sessionStorage.getItem('oauth-connect:test-item')!;
      if (clear) localStorage.clear();
      drop(window, 'oauth-connect:test-item');
      sessionStorage.setItem('oauth-connect:test-item', copy);
      expect(takeOnce(window, 'oauth-connect:test-item')!.spent).to.equal(true);
    }
  });

  it('spent records: written before anything is sent, times only, living as long as the item; expired and foreign ones cleaned on the next write', async () => {
    const deadline = Date.now() + 60_000;
    keepOnce(window, 'oauth-connect:test-item', { n: 1 }, deadline);
    const taken = takeOnce(window, 'oauth-connect:test-item')!;
    expect(spentRecords()).to.deep.equal({});
    expect(await taken.redeem()).to.equal(true);
    const [[live, raw]] = Object.entries(spentRecords()) as [[string, string]];
    const record = JSON.parse(raw) as Record<string, number>;
    expect(Object.keys(record).sort()).to.deep.equal(['at', 'until']);
    expect(record['until']).to.equal(deadline + 60_000);
    expect(tickets()).to.deep.equal({});

    localStorage.setItem(`${SPENT_PREFIX}old`, ticket(Date.now() - 1));
    localStorage.setItem(`${SPENT_PREFIX}junk`, 'not json');
    keepOnce(window, 'oauth-connect:other-item', {}, Date.now() + 60_000);
    expect(Object.keys(spentRecords())).to.deep.equal([live]);

    // an item already past its deadline: its spent record expires with it
    keepOnce(window, 'oauth-connect:test-item', { n: 2 }, Date.now() - 61_000);
    expect(await takeOnce(window, 'oauth-connect:test-item')!.redeem()).to.equal(true);
    expect(Object.keys(spentRecords())).to.have.length(2);
    keepOnce(window, 'oauth-connect:third-item', {}, Date.now() + 60_000);
    expect(Object.keys(spentRecords())).to.deep.equal([live]);
  });
});

describe('storage blocked: fail closed', () => {
  /** This window, except that its localStorage throws (and `location.assign` is only noted). */
  function blockedWindow(href = location.href) {
    const assigned: string[] = [];
    const fakeLocation = { href, assign: (url: string) => assigned.push(String(url)) };
    const win = new Proxy(window, {
      get(target, key) {
        if (key === 'localStorage') throw new DOMException('blocked', 'SecurityError');
        if (key === 'location') return fakeLocation;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    return { win, assigned };
  }

  it('a landing element where all storage is blocked (a third-party frame), no code in the URL: nothing to finish, no failure', async () => {
    const blocked = new Proxy(window, {
      get(target, key) {
        if (key === 'localStorage' || key === 'sessionStorage') {
          throw new DOMException('blocked', 'SecurityError');
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const handle = await resumeFlow(
      { provider: 'hint', exchangeUrl: exchangeUrl(uid()) },
      { window: blocked },
    );
    expect(handle).to.equal(undefined);
  });

  it('a landing code that must wait for the sign-in: exchange_failed saying why, nothing held', async () => {
    const t = uid();
    const { win } = blockedWindow(`${location.origin}${testPage}?code=blocked-${t}`);
    const handle = (await resumeFlow(
      { provider: 'hint', exchangeUrl: exchangeUrl(t, '401-until-signed-in') },
      { window: win },
    ))!;
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).to.include({ status: 'exchange_failed', signinRequired: false });
    expect((error as Error).message).to.contain('blocks the storage');
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    expect(await exchanges(t)).to.have.length(1); // the first try, answered 401
  });

  it('a held code taken while localStorage is blocked: failed error, never sent', async () => {
    const t = uid();
    keepHeld({ provider: 'hint', code: `held-blocked-${t}`, at: Date.now() });
    await signIn(t);
    const { win } = blockedWindow();
    const handle = (await resumeFlow(
      { provider: 'hint', exchangeUrl: exchangeUrl(t, '401-until-signed-in') },
      { window: win },
    ))!;
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).to.include({ name: 'ConnectError', status: 'error' });
    expect((error as Error).message).to.contain('nothing was sent');
    expect(sessionStorage.getItem(HELD)).to.equal(null);
    expect(await exchanges(t)).to.have.length(0);
  });

  it('a redirect flow cannot start: invalid_config, nothing kept, the page does not leave', async () => {
    const { provider } = await origins();
    const { win, assigned } = blockedWindow();
    const before = Object.keys(tickets());
    const handle = startFlow(
      {
        provider: 'hcss',
        mode: 'redirect',
        clientId: 'c',
        authorizeUrl: `${provider}/authorize.html`,
        redirectUri: `${location.origin}${testPage}`,
        timeout: 3000,
      },
      { window: win },
    );
    const error = await handle.result.catch((e: unknown) => e);
    expect(error).to.include({ status: 'invalid_config' });
    expect((error as Error).message).to.contain('localStorage');
    expect(assigned).to.deep.equal([]);
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    expect(Object.keys(tickets())).to.deep.equal(before);
  });
});
