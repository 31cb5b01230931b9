import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import '../../src/index.js';
import type { ConnectedEvent, FailedEvent, OAuthConnect } from '../../src/index.js';
import {
  backendLog,
  callbackUrl,
  exchangeUrl,
  foundNothing,
  openFrameApp,
  redirectApp,
  origins,
  uid,
  until,
  useFetchLog,
} from '../support/helpers.js';
import { keepPending, PENDING } from '../support/stored.js';

const testPage = location.pathname;

/** Collects the connected / failed events that bubble to the document. */
function recordEvents() {
  const events: (ConnectedEvent | FailedEvent)[] = [];
  const on = (e: Event) => events.push(e as ConnectedEvent | FailedEvent);
  document.addEventListener('connected', on);
  document.addEventListener('failed', on);
  return {
    events,
    async next(timeout = 5000) {
      await until(() => events.length > 0, timeout, 'an event');
      return events[0]!;
    },
    stop() {
      document.removeEventListener('connected', on);
      document.removeEventListener('failed', on);
    },
  };
}

const requests = useFetchLog();

let recorder: ReturnType<typeof recordEvents>;
beforeEach(() => (recorder = recordEvents()));
afterEach(() => {
  recorder.stop();
  history.replaceState(null, '', testPage);
  sessionStorage.clear();
});

describe('landing mode (Hint InstantOn)', () => {
  const landing = (t: string, respond = 'ok', extra = '') =>
    fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hint"
        mode="landing"
        exchange-url=${exchangeUrl(t, respond)}
        landing-path=${extra || testPage}
      ></oauth-connect>`,
    );

  it('a valid code: one exchange { provider, code }, scrubbed from the URL, connected with the backend JSON', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-valid-${t}&tab=billing`);
    await landing(t, 'ok&delay=400'); // (the exchange answers 400 ms after it arrives)
    await until(() => location.search === '?tab=billing', 2000, 'the code scrubbed');
    expect(recorder.events).to.have.length(0); // scrubbed before the exchange returns
    const event = (await recorder.next()) as ConnectedEvent;
    expect(event.type).to.equal('connected');
    expect(event.detail.provider).to.equal('hint');
    expect(event.detail.result['connected']).to.equal(true);
    expect((await backendLog(t)).map((l) => l.body)).to.deep.equal([
      { provider: 'hint', code: `hint-valid-${t}` },
    ]);
  });

  it('a missing code: no exchange, no event', async () => {
    const t = uid();
    await foundNothing(await landing(t)); // it looked at the URL: nothing to take
    await requests.settled();
    expect(recorder.events).to.have.length(0);
    expect(await backendLog(t)).to.have.length(0);
  });

  it('a code the backend rejects → exchange_failed carrying the backend message', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-bad-${t}`);
    await landing(t, '400');
    const event = (await recorder.next()) as FailedEvent;
    expect(event.detail.status).to.equal('exchange_failed');
    expect(event.detail.message).to.equal('Code already used');
  });

  it('re-rendering or re-adding the element (as on a reload) never exchanges twice', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-once-${t}`);
    const first = await landing(t);
    const second = await landing(t); // a second element on the same page
    await recorder.next();
    first.remove();
    document.body.append(first); // re-connect the same element
    second.requestUpdate();
    await second.updateComplete;
    // both looked at the page again (the re-added one as it connected): nothing more to take
    for (const el of [first, second]) expect(await el.resume()).to.equal(undefined);
    await requests.settled();
    expect(await backendLog(t)).to.have.length(1);
    expect(recorder.events).to.have.length(1);
  });

  it('a reused code reaches the backend once more and fails with its message; a new code (rotation) connects', async () => {
    const t = uid();
    const code = `hint-reuse-${t}`;
    history.replaceState(null, '', `${testPage}?code=${code}`);
    const el = await landing(t, 'once');
    await recorder.next();
    el.remove();
    recorder.events.length = 0;
    history.replaceState(null, '', `${testPage}?code=${code}`);
    await landing(t, 'once');
    const reused = (await recorder.next()) as FailedEvent;
    expect(reused.detail.status).to.equal('exchange_failed');
    expect(reused.detail.message).to.equal('Code already used');
    recorder.events.length = 0;
    history.replaceState(null, '', `${testPage}?code=${code}-rotated`);
    await landing(t, 'once');
    expect((await recorder.next()).type).to.equal('connected');
  });

  it('a real reload while the exchange is in flight does not exchange again', async () => {
    const t = uid();
    // the backend holds its answer 4 s, so the reload below surely meets the exchange in flight,
    // however long a loaded machine takes to load the page's chunks and send it
    sessionStorage.setItem('landing-app-exchange', `${exchangeUrl(t)}&delay=4000`);
    const app = openFrameApp(`/test/fixtures/landing-app.html?code=hint-reload-${t}`);
    try {
      await app.loaded();
      await until(() => app.frame.contentWindow!.location.search === '', 2000, 'code scrubbed');
      await until(async () => (await backendLog(t)).length > 0, 3000, 'the exchange logged');
      expect(await backendLog(t)).to.have.length(1); // the request has reached the backend
      app.frame.contentWindow!.location.reload(); // while the backend is still answering
      await app.loaded(2);
      // the reloaded page's element has looked at its URL, found nothing, and sent nothing
      const el = app.frame.contentDocument!.querySelector<OAuthConnect>('oauth-connect')!;
      await foundNothing(el); // (no flow of it ran: an exchange is sent by a flow only)
      expect(await backendLog(t)).to.have.length(1);
      // the reloaded page found no code: nothing more happened (a browser may still report the
      // interrupted request of the first load as failed before unloading it)
      expect(app.messages.filter((m) => m.type === 'connected')).to.have.length(0);
    } finally {
      app.dispose();
    }
  });

  it('a code on an unexpected path → invalid_config, no exchange, still scrubbed', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hint-path-${t}`);
    await landing(t, 'ok', '/signup');
    const event = (await recorder.next()) as FailedEvent;
    expect(event.detail.status).to.equal('invalid_config');
    expect(location.search).to.equal('');
    expect(await backendLog(t)).to.have.length(0);
  });

  it('an ?error= is not a landing code: the landing element leaves it alone', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?error=access_denied`);
    await foundNothing(await landing(t));
    expect(recorder.events).to.have.length(0);
    expect(location.search).to.equal('?error=access_denied');
  });

  for (const [name, query] of [
    ['over 4 KB', `code=${'x'.repeat(5000)}`],
    ['repeated', 'code=&code=hint-X'],
    ['empty', 'code='],
    ['beside an empty error', 'code=hint-X&error='],
    ['beside a repeated error', 'code=hint-X&error=a&error=b'],
    ['beside an empty status_code', 'code=hint-X&status_code='],
  ] as const) {
    it(`a code it cannot take (${name}) → failed error, scrubbed, never exchanged`, async () => {
      const t = uid();
      history.replaceState(null, '', `${testPage}?${query}&tab=2`);
      await landing(t);
      const event = (await recorder.next()) as FailedEvent;
      expect(event.detail.status).to.equal('error');
      expect(event.detail.message).to.match(/repeated, empty or oversized/);
      expect(location.search).to.equal('?tab=2');
      await requests.settled(); // every request this page made has reached the backend
      expect(requests.to('/api/exchange')).to.deep.equal([]);
      expect(await backendLog(t)).to.have.length(0);
    });
  }

  it("a URL carrying state is some flow's return, never a landing code", async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?code=hcss-code&state=S`);
    await foundNothing(await landing(t));
    await requests.settled();
    expect(recorder.events).to.have.length(0);
    expect(location.search).to.equal('?code=hcss-code&state=S');
    expect(await backendLog(t)).to.have.length(0);
  });
});

describe('redirect mode: resuming on return', () => {
  const pending = (over: Record<string, unknown> = {}) =>
    keepPending({
      v: 2,
      provider: 'hcss',
      completion: 'code',
      state: 'the-state',
      codeVerifier: 'v'.repeat(64),
      redirectUri: `${location.origin}${testPage}`,
      returnTo: 'https://app.example/settings',
      createdAt: Date.now(),
      timeout: 300000,
      ...over,
    });
  const element = (t: string) =>
    fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        mode="redirect"
        client-id="c"
        redirect-uri=${`${location.origin}${testPage}`}
        exchange-url=${exchangeUrl(t)}
      ></oauth-connect>`,
    );

  it('resumes: state check, one exchange with the stored verifier, returnTo, storage cleared', async () => {
    const t = uid();
    pending();
    history.replaceState(null, '', `${testPage}?code=redir-${t}&state=the-state`);
    await element(t);
    const event = (await recorder.next()) as ConnectedEvent;
    expect(event.type).to.equal('connected');
    expect(event.detail.returnTo).to.equal('https://app.example/settings');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    expect(location.search).to.equal('');
    const log = await backendLog(t);
    expect(log).to.have.length(1);
    expect(log[0]!.body['codeVerifier']).to.equal('v'.repeat(64));
    expect(log[0]!.body['state']).to.equal('the-state');
  });

  // [name, setup, status, the pending flow is kept (a foreign state: the real return may come)]
  const failures: [string, () => void, string, boolean][] = [
    ['a tampered state', () => pending(), 'unauthorized', true],
    [
      'an expired pending flow',
      () => pending({ createdAt: Date.now() - 400000 }),
      'expired',
      false,
    ],
    ['cleared storage (no pending flow)', () => undefined, 'unauthorized', false],
    [
      'a corrupted pending flow',
      () => sessionStorage.setItem(PENDING, '{"v":2'),
      'unauthorized',
      false,
    ],
  ];
  for (const [name, setup, status, kept] of failures) {
    it(`${name} → ${status}, never a silent exchange`, async () => {
      const t = uid();
      setup();
      const state = name === 'a tampered state' ? 'evil-state' : 'the-state';
      history.replaceState(null, '', `${testPage}?code=redir-${t}&state=${state}`);
      await element(t);
      const event = (await recorder.next()) as FailedEvent;
      expect(event.detail.status).to.equal(status);
      expect(sessionStorage.getItem(PENDING) !== null).to.equal(kept);
      expect(location.search).to.equal('');
      await requests.settled(); // every request this page made has reached the backend
      expect(requests.to('/api/exchange')).to.deep.equal([]);
      expect(await backendLog(t)).to.have.length(0);
    });
  }

  it('the page returned to needs only provider and exchange-url to finish', async () => {
    const t = uid();
    pending();
    history.replaceState(null, '', `${testPage}?code=min-${t}&state=the-state`);
    await fixture(
      html`<oauth-connect provider="hcss" exchange-url=${exchangeUrl(t)}></oauth-connect>`,
    );
    expect((await recorder.next()).type).to.equal('connected');
    expect(await backendLog(t)).to.have.length(1);
  });

  it('a page without an answer drops an abandoned (expired) pending flow, silently', async () => {
    pending({ createdAt: Date.now() - 400000 });
    await foundNothing(await element(uid()));
    expect(recorder.events).to.have.length(0);
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
  });

  it('a page without an answer leaves a pending flow alone and fires nothing', async () => {
    pending();
    await foundNothing(await element(uid()));
    expect(recorder.events).to.have.length(0);
    expect(sessionStorage.getItem(PENDING)).not.to.equal(null);
  });
});

describe('returns claimed by their owner (several elements on one page)', () => {
  const store = (over: Record<string, unknown> = {}) =>
    keepPending({
      v: 2,
      provider: 'hcss',
      completion: 'code',
      state: 'hcss-state',
      codeVerifier: 'v'.repeat(64),
      returnTo: 'https://app.example/settings',
      createdAt: Date.now(),
      timeout: 300000,
      ...over,
    });
  /**
   * A HealthTap and an HCSS element in `mode` (redirect; or popup, where a blocked popup goes on as
   * a redirect) and a Hint landing element, in that order.
   */
  async function page(
    t: { healthtap: string; hcss: string; hint: string },
    mode: 'redirect' | 'popup' = 'redirect',
  ) {
    // fixtureSync + updateComplete: a plain wrapper would wait for an animation frame, which a
    // page behind other windows may never get.
    const root = fixtureSync<HTMLElement>(
      html`<div>
        <oauth-connect
          id="healthtap"
          provider="healthtap"
          mode=${mode}
          exchange-url=${exchangeUrl(t.healthtap)}
        ></oauth-connect>
        <oauth-connect
          id="hint"
          provider="hint"
          mode="landing"
          exchange-url=${exchangeUrl(t.hint)}
        ></oauth-connect>
        <oauth-connect
          id="hcss"
          provider="hcss"
          mode=${mode}
          fallback="redirect"
          exchange-url=${exchangeUrl(t.hcss)}
        ></oauth-connect>
      </div>`,
    );
    const elements = [...root.querySelectorAll<OAuthConnect>('oauth-connect')];
    for (const el of elements) await el.updateComplete;
    // every element has looked at the URL (resume() hands back the look each began as it
    // connected, or, once that one is over, makes another); the owner's event is awaited apart
    await Promise.allSettled(elements.map((el) => el.resume()));
    return root;
  }
  const ids = () => ({ healthtap: uid(), hcss: uid(), hint: uid() });
  const sources = () => recorder.events.map((e) => `${(e.target as Element).id}:${e.type}`);

  it('an HCSS return: only the HCSS element takes it (one exchange, with its verifier)', async () => {
    const t = ids();
    store();
    history.replaceState(null, '', `${testPage}?code=C-${t.hcss}&state=hcss-state`);
    await page(t);
    await until(() => sources().length > 0, 8000, "the owner's event");
    expect(sources()).to.deep.equal(['hcss:connected']);
    expect(location.search).to.equal('');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    const sent = await backendLog(t.hcss);
    expect(sent.map((l) => l.body['codeVerifier'])).to.deep.equal(['v'.repeat(64)]);
    expect(await backendLog(t.healthtap)).to.have.length(0);
    expect(await backendLog(t.hint)).to.have.length(0);
  });

  it('a Hint landing code: only the landing element takes it; the pending HCSS flow stays', async () => {
    const t = ids();
    store();
    history.replaceState(null, '', `${testPage}?code=H-${t.hint}`);
    await page(t);
    await until(() => sources().length > 0, 8000, "the owner's event");
    expect(sources()).to.deep.equal(['hint:connected']);
    expect((await backendLog(t.hint)).map((l) => l.body)).to.deep.equal([
      { provider: 'hint', code: `H-${t.hint}` },
    ]);
    expect(sessionStorage.getItem(PENDING)).not.to.equal(null);
    expect(await backendLog(t.hcss)).to.have.length(0);
  });

  it('a HealthTap denial (no state) goes to the HealthTap element whose flow this tab holds', async () => {
    const t = ids();
    store({ provider: 'healthtap', state: 'ht-state', codeVerifier: undefined });
    history.replaceState(null, '', `${testPage}?error=access_denied`);
    await page(t);
    await until(() => sources().length > 0, 8000, "the owner's event");
    expect(sources()).to.deep.equal(['healthtap:failed']);
    expect((recorder.events[0] as FailedEvent).detail.status).to.equal('cancelled');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
  });

  it("a stateless denial is bound to the tab only: the provider's words in it are not shown", async () => {
    const t = ids();
    store({ provider: 'healthtap', state: 'ht-state', codeVerifier: undefined });
    history.replaceState(
      null,
      '',
      `${testPage}?error=access_denied&error_description=Call+evil.example+now`,
    );
    await page(t);
    await until(() => sources().length > 0, 8000, "the owner's event");
    const failed = recorder.events[0] as FailedEvent;
    expect(failed.detail.status).to.equal('cancelled');
    expect(failed.detail.message).not.to.contain('evil');
    expect(failed.detail.errorDescription).to.equal(undefined);
  });

  it('a return nobody here asked for is reported once (unauthorized), never exchanged', async () => {
    const t = ids();
    history.replaceState(null, '', `${testPage}?code=C-${t.hcss}&state=forged`);
    await page(t);
    await until(() => sources().length > 0, 8000, "the owner's event");
    expect(sources()).to.deep.equal(['healthtap:failed']); // the first redirect element on the page
    expect((recorder.events[0] as FailedEvent).detail.status).to.equal('unauthorized');
    expect(location.search).to.equal('');
    for (const id of Object.values(t)) expect(await backendLog(id)).to.have.length(0);
  });

  it('an expired return, with another provider placed first: still expired for its owner', async () => {
    const t = ids();
    store({ createdAt: Date.now() - 400000 });
    history.replaceState(null, '', `${testPage}?code=C-${t.hcss}&state=hcss-state`);
    await page(t);
    await until(() => sources().length > 0, 8000, "the owner's event");
    expect(sources()).to.deep.equal(['hcss:failed']);
    expect((recorder.events[0] as FailedEvent).detail.status).to.equal('expired');
    expect(location.search).to.equal('');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    for (const id of Object.values(t)) expect(await backendLog(id)).to.have.length(0);
  });

  it('an expired return to a popup-mode element (its blocked popup went on as a redirect), another provider first', async () => {
    const t = ids();
    store({ createdAt: Date.now() - 400000 });
    history.replaceState(null, '', `${testPage}?code=C-${t.hcss}&state=hcss-state`);
    await page(t, 'popup');
    await until(() => sources().length > 0, 8000, "the owner's event");
    expect(sources()).to.deep.equal(['hcss:failed']);
    expect((recorder.events[0] as FailedEvent).detail.status).to.equal('expired');
    expect(location.search).to.equal('');
    expect(sessionStorage.getItem(PENDING)).to.equal(null);
    for (const id of Object.values(t)) expect(await backendLog(id)).to.have.length(0);
  });

  it("another provider's return is left alone: nothing scrubbed, nothing fired", async () => {
    store();
    history.replaceState(null, '', `${testPage}?code=C&state=hcss-state`);
    await foundNothing(
      await fixture<OAuthConnect>(
        html`<oauth-connect
          provider="healthtap"
          exchange-url=${exchangeUrl(uid())}
        ></oauth-connect>`,
      ),
    );
    expect(recorder.events).to.have.length(0);
    expect(location.search).to.equal('?code=C&state=hcss-state');
    expect(sessionStorage.getItem(PENDING)).not.to.equal(null);
  });

  it('a b.well redirect return (stateless status_code) resumes its pending status flow', async () => {
    const t = uid();
    store({ provider: 'bwell', completion: 'status', state: undefined, codeVerifier: undefined });
    history.replaceState(null, '', `${testPage}?status_code=success`);
    await fixture(
      html`<oauth-connect
        provider="bwell"
        mode="redirect"
        connection-id="conn-9"
        exchange-url=${exchangeUrl(t)}
      ></oauth-connect>`,
    );
    expect((await recorder.next()).type).to.equal('connected');
    expect((await backendLog(t)).map((l) => l.body)).to.deep.equal([
      { provider: 'bwell', status: 'success', connectionId: 'conn-9' },
    ]);
  });

  it('a stateless status_code with no pending flow in this tab: nobody takes it', async () => {
    const t = uid();
    history.replaceState(null, '', `${testPage}?status_code=success`);
    await foundNothing(
      await fixture<OAuthConnect>(
        html`<oauth-connect
          provider="bwell"
          mode="redirect"
          exchange-url=${exchangeUrl(t)}
        ></oauth-connect>`,
      ),
    );
    await requests.settled();
    expect(recorder.events).to.have.length(0);
    expect(await backendLog(t)).to.have.length(0);
  });
});

describe('redirect mode: a full round trip', () => {
  // A provider (buggy, or tampered with on the way) that returns a code without the state the
  // flow sent: the flow's answer, at the page it returns to, failed and never exchanged.
  for (const via of ['the app page', 'the callback page']) {
    it(`a code returned without state, to ${via}: unauthorized, scrubbed, nothing exchanged`, async () => {
      const { provider } = await origins();
      const t = uid();
      const app = redirectApp((app) => ({
        provider: 'hcss',
        mode: 'redirect',
        clientId: 'c',
        authorizeUrl: `${provider}/authorize.html?scenario=nostate`,
        redirectUri: via === 'the app page' ? app : callbackUrl(),
        exchangeUrl: exchangeUrl(t),
      }));
      const frameApp = openFrameApp(`${app}?from=settings`);
      try {
        await frameApp.loaded();
        const el = frameApp.frame.contentDocument!.getElementById('c') as OAuthConnect;
        el.connect().catch(() => undefined);
        const result = await frameApp.result();
        expect(frameApp.readyCount()).to.equal(2); // it did leave and come back
        expect([result.type, result.detail['status']]).to.deep.equal(['failed', 'unauthorized']);
        const win = frameApp.frame.contentWindow!;
        expect(win.location.search).not.to.contain('code=');
        expect(win.sessionStorage.getItem(PENDING)).to.equal(null);
        expect(await backendLog(t)).to.have.length(0);
      } finally {
        frameApp.dispose();
      }
    });
  }

  for (const via of ['the app page', 'the callback page']) {
    it(`leaves for the provider on another origin, returns to ${via}, connects with returnTo`, async () => {
      const { provider } = await origins();
      const t = uid();
      const app = redirectApp((app) => ({
        provider: 'hcss',
        mode: 'redirect',
        clientId: 'c',
        authorizeUrl: `${provider}/authorize.html?scenario=approve`,
        // the callback page sends the answer back to where the user started
        redirectUri: via === 'the app page' ? app : callbackUrl(),
        exchangeUrl: exchangeUrl(t),
      }));
      const src = `${app}?from=settings`;
      const frameApp = openFrameApp(src);
      try {
        await frameApp.loaded();
        const el = frameApp.frame.contentDocument!.getElementById('c') as OAuthConnect;
        el.connect().catch(() => undefined);
        const result = await frameApp.result();
        expect(frameApp.readyCount()).to.equal(2); // it did leave and come back
        expect(result.type).to.equal('connected');
        expect(result.detail['returnTo']).to.equal(src);
        // code and state are scrubbed from wherever the answer landed
        const landed = frameApp.frame.contentWindow!.location.href;
        expect(landed).to.equal(via === 'the app page' ? app : src);
        expect(frameApp.frame.contentWindow!.sessionStorage.getItem(PENDING)).to.equal(null);
        expect(await backendLog(t)).to.have.length(1);
      } finally {
        frameApp.dispose();
      }
    });
  }
});
