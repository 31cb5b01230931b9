// Every result bound to its flow: forged callbacks from another site, another tab's flow, a fixed
// state written into authorize-url, a backend handing out the same state twice, a page of our
// origin that is not the redirect_uri.
import { expect } from '@open-wc/testing';
import { connect, type ConnectOptions } from '../../src/index.js';
import {
  atProvider,
  callbackUrl,
  exchanges,
  exchangeUrl,
  origins,
  outcome,
  plainCallbackUrl,
  reportCallbackUrl,
  reports,
  sleep,
  uid,
  useFetchLog,
  useOpenSpy,
  until,
} from '../support/helpers.js';

const spy = useOpenSpy();
const requests = useFetchLog();

/** A pending flow whose sign-in window never answers: only a forgery could end it. */
async function pendingFlow(provider: 'bwell' | 'hcss', t: string): Promise<ConnectOptions> {
  const { provider: origin } = await origins();
  if (provider === 'hcss') {
    return {
      provider: 'hcss',
      authorizeUrl: `${origin}/authorize.html?scenario=stay`,
      clientId: 'c',
      redirectUri: reportCallbackUrl(),
      exchangeUrl: exchangeUrl(t),
    };
  }
  // b.well with its custom redirect URL on our origin (polling): our origin is allowed, so only
  // the window binding and the per-flow key stand between a forgery and `connected`.
  return {
    provider: 'bwell',
    mode: 'polling',
    connectionId: 'conn-1',
    redirectUri: reportCallbackUrl(),
    resolveUrl: async () => `${origin}/bwell.html?delay=100000`,
    exchangeUrl: exchangeUrl(t),
  };
}

describe('forged callbacks: another site navigates a tab of its own to our callback page', () => {
  const forgeries: [string, 'bwell' | 'hcss'][] = [
    ['status_code=success', 'bwell'],
    ['error=access_denied&error_description=Attacker+text', 'bwell'],
    ['error=access_denied&error_description=Attacker+text', 'hcss'],
    ['code=ATTACKER-CODE&state=guessed', 'hcss'],
    ['code=ATTACKER-CODE', 'hcss'],
    ['code=A&code=B', 'hcss'],
  ];
  const ways = ['a tab it opened', 'a noopener tab', 'a frame'] as const;
  for (const [query, provider] of forgeries) {
    for (const way of ways) {
      it(`?${query} through ${way} ends no pending ${provider} flow, sends nothing`, async () => {
        const { stranger } = await origins();
        const t = uid();
        const seen = reports('test-callback-report');
        const abort = new AbortController();
        const pending = outcome(connect(await pendingFlow(provider, t), abort.signal));
        await atProvider(spy.last!); // the flow is waiting
        const target = reportCallbackUrl(`${query}&close_after=3000`);
        const forged = `${stranger}/forge.html?to=${encodeURIComponent(target)}`;
        const frame = document.createElement('iframe');
        if (way === 'a frame') {
          frame.src = forged;
          document.body.append(frame);
        } else {
          window.open(forged, '_blank', way === 'a noopener tab' ? 'noopener' : '');
        }
        try {
          const report = await seen.next({ phase: 'delivered' });
          expect(report['opener']).to.equal(way === 'a tab it opened');
          // kept: the forged page's message, channel post and storage write reach the flow by
          // paths that have no order with anything this page can see; 700 ms is their time
          await sleep(700);
          abort.abort();
          const r = await pending;
          expect(r.ok).to.equal(false);
          if (!r.ok) {
            expect(r.error.status).to.equal('cancelled');
            expect(r.error.message).not.to.contain('Attacker');
          }
          expect(await exchanges(t)).to.have.length(0);
        } finally {
          frame.remove();
          seen.close();
        }
      });
    }
  }
});

describe('another tab', () => {
  it('two tabs with b.well flows: finishing one never connects the other', async () => {
    const { provider } = await origins();
    const tA = uid();
    const tB = uid();
    const appReports = reports('test-flow-app');
    const bwellTarget = (query: string) =>
      `/api/url?t=${tB}&to=${encodeURIComponent(`${provider}/bwell.html?${query}`)}`;
    const optionsB: ConnectOptions = {
      provider: 'bwell',
      mode: 'polling',
      connectionId: 'conn-B',
      redirectUri: callbackUrl(),
      urlEndpoint: bwellTarget(
        `delay=1200&status_code=success&redirect_uri=${encodeURIComponent(callbackUrl())}`,
      ),
      exchangeUrl: exchangeUrl(tB),
    };
    const abort = new AbortController();
    const pendingA = outcome(connect(await pendingFlow('bwell', tA), abort.signal));
    window.open(
      `/test/fixtures/flow-app.html?options=${encodeURIComponent(JSON.stringify(optionsB))}`,
    );
    try {
      const doneB = await appReports.next({ type: 'connected' }, 10000);
      expect((doneB['result'] as { provider: string }).provider).to.equal('bwell');
      // kept: B's answer reached tab B's flow before B's exchange; its copies on the channel and
      // in storage reach this tab by another process, in no order with B's report
      await sleep(800);
      abort.abort();
      const r = await pendingA;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
      expect(await exchanges(tA)).to.have.length(0);
      expect((await exchanges(tB)).map((l) => l.body['connectionId'])).to.deep.equal(['conn-B']);
    } finally {
      appReports.close();
    }
  });
});

describe('state is minted per flow', () => {
  const fullUrl = async (scenario: string) => {
    const { provider } = await origins();
    return `${provider}/authorize.html?scenario=${scenario}&client_id=x&redirect_uri=${encodeURIComponent(callbackUrl())}&state=FIXED`;
  };

  it('a state written into a full authorize-url is replaced by a fresh one (and PKCE added)', async () => {
    const t = uid();
    const result = await connect({
      provider: 'generic',
      authorizeUrl: await fullUrl('approve'),
      redirectUri: callbackUrl(),
      exchangeUrl: exchangeUrl(t),
    });
    expect(result.result['connected']).to.equal(true);
    const [sent] = await exchanges(t);
    expect(sent!.body['state']).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(String(sent!.body['code'])).to.match(/^code-pkce-/);
    expect(sent!.body['codeVerifier']).to.be.a('string');
  });

  it("an attacker's code carrying that fixed state → unauthorized, nothing exchanged", async () => {
    const t = uid();
    const r = await outcome(
      connect({
        provider: 'generic',
        authorizeUrl: `${await fullUrl('forced')}&forced_state=FIXED`,
        redirectUri: callbackUrl(),
        exchangeUrl: exchangeUrl(t),
      }),
    );
    expect(r.ok ? 'connected' : r.error.status).to.equal('unauthorized');
    await requests.settled(); // every request this page sent has reached the backend
    expect(requests.to('/api/exchange')).to.deep.equal([]);
    expect(await exchanges(t)).to.have.length(0);
  });

  it('a url-endpoint handing out the same state twice → invalid_config, blank popup closed', async () => {
    const { provider } = await origins();
    const t = uid();
    const target = `${provider}/authorize.html?scenario=approve&redirect_uri=${encodeURIComponent(callbackUrl())}&state=static-${t}`;
    const options: ConnectOptions = {
      provider: 'generic',
      urlEndpoint: `/api/url?t=${t}&to=${encodeURIComponent(target)}`,
      redirectUri: callbackUrl(),
    };
    const first = await connect(options);
    expect(first.result['state']).to.equal(`static-${t}`);
    const second = await outcome(connect(options));
    expect(second.ok ? 'connected' : second.error.status).to.equal('invalid_config');
    await until(() => spy.last?.closed === true, 2000, 'blank popup closed');
  });
});

describe('the popup URL counts at the redirect_uri only', () => {
  // A provider hosted on the partner's own origin: its sign-in page shows a form error in its
  // query while the user is still signing in. Readable (same origin), but not the answer.
  for (const mode of ['popup', 'polling'] as const) {
    it(`${mode}: a sign-in page of our origin showing ?error= does not end the flow`, async () => {
      const t = uid();
      const abort = new AbortController();
      const result = outcome(
        connect(
          {
            provider: 'generic',
            mode,
            authorizeUrl: `${location.origin}/test/fixtures/partner-signin.html?error=invalid_password`,
            clientId: 'c',
            redirectUri: plainCallbackUrl(),
            exchangeUrl: exchangeUrl(t),
            pollInterval: 50,
          },
          abort.signal,
        ),
      );
      let settled = false;
      void result.then(() => (settled = true));
      const popup = spy.last!;
      await until(
        () => {
          try {
            return popup.location.pathname.endsWith('/partner-signin.html');
          } catch {
            return false;
          }
        },
        5000,
        'the sign-in page',
      );
      // kept: the claim is that a dozen URL reads (every 50 ms) end nothing; nothing marks a
      // read from here (a Location's getters cannot be watched)
      await sleep(600);
      expect(settled, 'the flow ended on a page that is not the redirect_uri').to.equal(false);
      expect(popup.closed).to.equal(false);
      abort.abort();
      const r = await result;
      expect(r.ok ? 'connected' : r.error.status).to.equal('cancelled');
      expect(await exchanges(t)).to.have.length(0);
    });
  }
});
