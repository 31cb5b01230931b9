// The mix-up defence (RFC 9207, RFC 9700 §4.4) in real browsers: an answer naming another issuer in
// `iss` — or none, where the provider always names it — fails `unauthorized` and the backend
// receives nothing, whatever path the answer takes (the popup's message, the popup's URL, the
// BroadcastChannel past COOP, a redirect return); the right one connects, which proves each path
// carries `iss` through to the opener. The mock provider names the issuer given as `send_iss`; its
// `/identity/connect/authorize` is an IdentityServer-style endpoint, whose issuer the hcss preset
// derives: `<provider origin>/identity`.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { connect, preloadFlow, type ConnectOptions, type OAuthConnect } from '../../src/index.js';
import {
  backendLog,
  callbackUrl,
  exchanges,
  exchangeUrl,
  openFrameApp,
  origins,
  outcome,
  plainCallbackUrl,
  redirectApp,
  uid,
  useFetchLog,
  useOpenSpy,
} from '../support/helpers.js';

const spy = useOpenSpy();
const requests = useFetchLog();
const PENDING = 'oauth-connect:pending';

afterEach(() => sessionStorage.clear());

/** The mock provider as an IdentityServer: its authorize endpoint, its issuer, another one's. */
interface Idp {
  readonly authorize: string;
  readonly issuer: string;
  readonly other: string;
}
async function idp(): Promise<Idp> {
  const { provider, stranger } = await origins();
  return {
    authorize: `${provider}/identity/connect/authorize`,
    issuer: `${provider}/identity`,
    other: `${stranger}/identity`,
  };
}

/** The provider's query: a scenario, and the iss its answer names (none when undefined). */
const query = (scenario: string, iss?: string) =>
  `scenario=${scenario}${iss === undefined ? '' : `&send_iss=${encodeURIComponent(iss)}`}`;

async function hcss(scenario: string, iss: string | undefined, t: string) {
  const { authorize } = await idp();
  return {
    provider: 'hcss',
    authorizeUrl: `${authorize}?${query(scenario, iss)}`,
    clientId: 'hcss-client',
    redirectUri: callbackUrl(),
    exchangeUrl: exchangeUrl(t),
  } satisfies ConnectOptions;
}

/** Fails `unauthorized` as a mix-up, and the backend received no request at all. */
async function refused(flow: Promise<unknown>, t: string) {
  const r = await outcome(flow);
  expect(r.ok).to.equal(false);
  if (!r.ok) {
    expect(r.error.status).to.equal('unauthorized');
    expect(r.error.message).to.match(/mix-up/);
  }
  // the outcome comes after the exchange, were one made; once every request this page sent has
  // been answered, none can still be on its way to the backend
  await requests.settled();
  expect(requests.to('/api/exchange')).to.deep.equal([]);
  expect(await backendLog(t)).to.have.length(0);
}

describe('mix-up defence: hcss, its issuer derived from the authorize URL', () => {
  it('an answer naming another issuer → unauthorized, the backend receives no exchange request', async () => {
    const t = uid();
    await refused(connect(await hcss('approve', (await idp()).other, t)), t);
    expect(spy.calls).to.have.length(1);
  });

  it('an answer naming its own issuer → connected, one exchange', async () => {
    const t = uid();
    const result = await connect(await hcss('approve', (await idp()).issuer, t));
    expect(result.result['connected']).to.equal(true);
    expect(await exchanges(t)).to.have.length(1);
  });

  it('an answer without iss (as HCSS documents its callback) → connected', async () => {
    const t = uid();
    const result = await connect(await hcss('approve', undefined, t));
    expect(result.result['connected']).to.equal(true);
  });

  it('an error answer naming another issuer → unauthorized, not cancelled', async () => {
    const t = uid();
    await refused(connect(await hcss('deny', (await idp()).other, t)), t);
  });

  it('an authorize-url of another environment expects its own issuer: the default one is refused', async () => {
    const t = uid();
    // the answer names the issuer of the preset's own (production) authorize URL
    await refused(connect(await hcss('approve', 'https://api.hcssapps.com/identity', t)), t);
  });
});

describe('mix-up defence: generic with issuer and require-iss, on every path', () => {
  const paths: [string, Partial<ConnectOptions>, string][] = [
    ['the popup’s message', { redirectUri: callbackUrl(), pollInterval: 60000 }, ''],
    [
      'the popup’s URL (polling, a callback page without script)',
      { mode: 'polling', pollInterval: 100, redirectUri: plainCallbackUrl() },
      '',
    ],
    [
      'the BroadcastChannel (a COOP page severed the popup)',
      { redirectUri: callbackUrl(), pollInterval: 60000 },
      '&next=coop&delay=600',
    ],
  ];
  const generic = async (
    t: string,
    iss: string | undefined,
    extra: Partial<ConnectOptions>,
    q: string,
  ) => {
    const { authorize, issuer } = await idp();
    return {
      provider: 'generic',
      authorizeUrl: `${authorize}?${query('approve', iss)}${q}`,
      clientId: 'generic-client',
      issuer,
      requireIss: true,
      exchangeUrl: exchangeUrl(t),
      ...extra,
    } satisfies ConnectOptions;
  };
  for (const [path, extra, q] of paths) {
    it(`${path}: its iss → connected (iss carried through)`, async () => {
      const t = uid();
      const r = await outcome(connect(await generic(t, (await idp()).issuer, extra, q)));
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
      expect(await exchanges(t)).to.have.length(1);
    });
    it(`${path}: another iss → unauthorized, nothing sent`, async () => {
      const t = uid();
      await refused(connect(await generic(t, (await idp()).other, extra, q)), t);
    });
    it(`${path}: no iss → unauthorized, nothing sent`, async () => {
      const t = uid();
      await refused(connect(await generic(t, undefined, extra, q)), t);
    });
  }

  it('the element: issuer and require-iss attributes', async () => {
    const { authorize, issuer, other } = await idp();
    for (const [iss, ok] of [
      [issuer, true],
      [other, false],
    ] as const) {
      const t = uid();
      const el = await fixture<OAuthConnect>(html`
        <oauth-connect
          authorize-url=${`${authorize}?${query('approve', iss)}`}
          client-id="generic-client"
          redirect-uri=${callbackUrl()}
          exchange-url=${exchangeUrl(t)}
          issuer=${issuer}
          require-iss
        ></oauth-connect>
      `);
      expect([el.issuer, el.requireIss]).to.deep.equal([issuer, true]);
      const r = await outcome(el.connect());
      expect(r.ok ? 'connected' : r.error.status).to.equal(ok ? 'connected' : 'unauthorized');
      expect(await exchanges(t)).to.have.length(ok ? 1 : 0);
      el.remove();
    }
  });

  it('a request made ahead for options without issuer is not used by a flow that expects one', async () => {
    const t = uid();
    const { authorize, other } = await idp();
    const unchecked: ConnectOptions = {
      provider: 'generic',
      authorizeUrl: `${authorize}?${query('approve', other)}`,
      clientId: 'ready-client',
      redirectUri: callbackUrl(),
      exchangeUrl: exchangeUrl(t),
    };
    await preloadFlow(unchecked);
    await refused(connect({ ...unchecked, issuer: (await idp()).issuer }), t);
    expect(String(spy.calls[0]!.url)).to.equal('about:blank'); // made afresh, with its issuer
  });
});

describe('mix-up defence: redirect mode (a real round trip through the provider)', () => {
  /** Runs a redirect flow of `options` in the partner-app frame; its outcome, and where it landed. */
  async function roundTrip(options: (app: string) => ConnectOptions) {
    const app = redirectApp((url) => ({ ...options(url) }));
    const frameApp = openFrameApp(`${app}?from=settings`);
    try {
      await frameApp.loaded();
      const el = frameApp.frame.contentDocument!.getElementById('c') as OAuthConnect;
      el.connect().catch(() => undefined);
      const result = await frameApp.result();
      expect(frameApp.readyCount()).to.equal(2); // it did leave and come back
      const win = frameApp.frame.contentWindow!;
      return {
        app,
        sent: await frameApp.sent(), // once every request of the page returned to has settled
        type: result.type,
        detail: result.detail,
        landed: win.location.href,
        pending: win.sessionStorage.getItem(PENDING),
      };
    } finally {
      frameApp.dispose();
    }
  }

  /** Failed `unauthorized` as a mix-up, scrubbed, nothing kept, the backend received nothing. */
  async function refusedTrip(trip: Awaited<ReturnType<typeof roundTrip>>, t: string) {
    expect([trip.type, trip.detail['status']]).to.deep.equal(['failed', 'unauthorized']);
    expect(String(trip.detail['message'])).to.match(/mix-up/);
    expect(trip.landed).not.to.match(/code=|state=|iss=|error=/);
    expect(trip.pending).to.equal(null);
    expect(trip.sent.filter((url) => url.includes('/api/exchange'))).to.deep.equal([]);
    expect(await backendLog(t)).to.have.length(0);
  }

  for (const via of ['the app page', 'the callback page']) {
    it(`hcss, returning to ${via} with another issuer: unauthorized, scrubbed, nothing sent`, async () => {
      const { authorize, other } = await idp();
      const t = uid();
      const trip = await roundTrip((app) => ({
        provider: 'hcss',
        mode: 'redirect',
        clientId: 'c',
        authorizeUrl: `${authorize}?${query('approve', other)}`,
        redirectUri: via === 'the app page' ? app : callbackUrl(),
        exchangeUrl: exchangeUrl(t),
      }));
      await refusedTrip(trip, t);
      // the callback page sent the user back to where they started
      expect(trip.landed).to.equal(via === 'the app page' ? trip.app : `${trip.app}?from=settings`);
    });
  }

  it('hcss, a denial naming another issuer: unauthorized, not cancelled', async () => {
    const { authorize, other } = await idp();
    const t = uid();
    const trip = await roundTrip((app) => ({
      provider: 'hcss',
      mode: 'redirect',
      clientId: 'c',
      authorizeUrl: `${authorize}?${query('deny', other)}`,
      redirectUri: app,
      exchangeUrl: exchangeUrl(t),
    }));
    await refusedTrip(trip, t);
  });

  /** A generic provider whose every answer must name its issuer; back through the callback page. */
  const generic = (iss: string | undefined, t: string, { authorize, issuer }: Idp) =>
    roundTrip(() => ({
      provider: 'generic',
      mode: 'redirect',
      clientId: 'c',
      authorizeUrl: `${authorize}?${query('approve', iss)}`,
      redirectUri: callbackUrl(),
      issuer,
      requireIss: true,
      exchangeUrl: exchangeUrl(t),
    }));

  it('generic with require-iss, an answer without iss: unauthorized, nothing sent', async () => {
    const t = uid();
    await refusedTrip(await generic(undefined, t, await idp()), t);
  });

  it('generic with require-iss, its own iss through the callback page: connected (iss carried back)', async () => {
    const t = uid();
    const trip = await generic((await idp()).issuer, t, await idp());
    expect(trip.type, JSON.stringify(trip.detail)).to.equal('connected');
    expect(trip.landed).not.to.match(/code=|iss=/);
    expect(await exchanges(t)).to.have.length(1);
  });
});
