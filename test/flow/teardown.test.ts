// After a flow ends, whichever way, no listener, interval, timer or channel of it remains.
import { expect } from '@open-wc/testing';
import { CLOSE_WATCH_MS } from '../../src/flow/window/closer.js';
import { connect, startFlow, type ConnectOptions } from '../../src/index.js';
import {
  atProvider,
  exchangeUrl,
  origins,
  outcome,
  reportCallbackUrl,
  sleep,
  uid,
  useOpenSpy,
  userCloses,
  userReturns,
  until,
} from '../support/helpers.js';
import { trackLeaks } from '../support/leaks.js';

const spy = useOpenSpy();
afterEach(() => {
  history.replaceState(null, '', location.pathname);
  sessionStorage.clear();
});

async function hcss(path: string, extra: Partial<ConnectOptions> = {}): Promise<ConnectOptions> {
  const { provider } = await origins();
  return {
    provider: 'hcss',
    authorizeUrl: `${provider}/${path}`,
    clientId: 'c',
    redirectUri: reportCallbackUrl(),
    exchangeUrl: exchangeUrl(uid()),
    ...extra,
  };
}

describe('teardown', () => {
  it('leaves nothing behind after flows that end every way', async function () {
    this.timeout(60000);
    const leaks = trackLeaks();
    try {
      // answers: approve, deny, tampered state
      for (const scenario of ['approve', 'deny', 'tamper']) {
        await outcome(connect(await hcss(`authorize.html?scenario=${scenario}`)));
      }
      // the deadline
      await outcome(connect(await hcss('authorize.html?scenario=stay', { timeout: 400 })));
      // a closed window, then Cancel
      {
        const abort = new AbortController();
        const flow = startFlow(await hcss('authorize.html?scenario=stay'), {
          signal: abort.signal,
        });
        await userCloses(spy.last!);
        // kept: a few close checks (every 100 ms) see the closed handle before the Cancel; nothing
        // marks a check without an offer, and this run is about what is left behind, not when
        await sleep(300);
        abort.abort();
        await outcome(flow.result);
      }
      // COOP: severed, reopened, connected through the per-flow channel
      {
        const phases: string[] = [];
        const flow = startFlow(await hcss('coop/authorize.html?scenario=approve&delay=1500'), {
          onPhase: (p) => phases.push(p),
        });
        await until(() => phases.includes('waiting'), 3000, 'sent to the provider');
        userReturns();
        await until(() => phases.includes('severed'), 5000, 'severed');
        flow.reopen();
        await outcome(flow.result);
      }
      // a url-endpoint that fails, and one that hangs past the deadline
      await outcome(
        connect({ provider: 'generic', urlEndpoint: `/api/url?t=${uid()}&respond=bad` }),
      );
      await outcome(
        connect({
          provider: 'generic',
          timeout: 500,
          urlEndpoint: `/api/url?t=${uid()}&delay=5000`,
        }),
      );
      // the page leaving
      {
        const flow = startFlow(await hcss('authorize.html?scenario=stay'));
        await atProvider(spy.last!); // the flow is waiting
        window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
        await outcome(flow.result);
      }
      // the closer's watch ends when the last window is gone
      await until(() => leaks.intervals.size === 0, CLOSE_WATCH_MS + 500, 'the close watch to end');
      expect(leaks.listenersLeft()).to.deep.equal([]);
      expect([...leaks.intervals]).to.deep.equal([]);
      expect([...leaks.timeouts]).to.deep.equal([]);
      expect(leaks.channels.size).to.equal(0);
      // the spies did see the flows' listeners
      expect(leaks.listenerTypes()).to.include.members([
        'window:message',
        'window:focus',
        'window:blur',
        'window:pagehide',
        'window:pageshow',
        'document:visibilitychange',
      ]);
    } finally {
      leaks.restore();
    }
  });
});
