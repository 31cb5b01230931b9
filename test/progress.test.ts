// A progress stream for the partner's analytics (issue 17.5): `connect-progress` on the element
// (bubbling, composed) and `onProgress` in connect(), a step for each phase of a flow, each with
// the flow's id, provider, mode and a monotonic time — and never a code, state or token.
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import {
  connect,
  type ConnectProgress,
  type ConnectProgressEvent,
  type OAuthConnect,
} from '../src/index.js';
import {
  callbackUrl,
  exchanges,
  exchangeUrl,
  origins,
  outcome,
  uid,
  until,
  userReturns,
  useOpenSpy,
} from './support/helpers.js';

const spy = useOpenSpy();

async function hcss(scenario: string, t: string) {
  const { provider } = await origins();
  return {
    provider: 'hcss' as const,
    authorizeUrl: `${provider}/authorize.html?scenario=${scenario}`,
    clientId: 'c',
    redirectUri: callbackUrl(),
    exchangeUrl: exchangeUrl(t),
  };
}

/** The steps are one flow's, in time order. */
function oneFlow(steps: readonly ConnectProgress[], provider: string, mode: string): void {
  expect(new Set(steps.map((s) => s.flowId)).size).to.equal(1);
  expect(steps[0]!.flowId).to.be.a('string').and.have.length.greaterThan(8);
  for (const step of steps) expect(step).to.include({ provider, mode });
  for (let i = 1; i < steps.length; i++) {
    expect(steps[i]!.at).to.be.at.least(steps[i - 1]!.at);
  }
}

describe('when a popup flow connects', () => {
  it('connect() onProgress: opened, navigated, answered, exchanging, connected — and no secret in any', async () => {
    const t = uid();
    const steps: ConnectProgress[] = [];
    await connect({ ...(await hcss('approve', t)), onProgress: (s) => steps.push(s) });
    expect(steps.map((s) => s.phase)).to.deep.equal([
      'opened',
      'navigated',
      'answered',
      'exchanging',
      'connected',
    ]);
    oneFlow(steps, 'hcss', 'popup');
    const [sent] = await exchanges(t);
    const json = JSON.stringify(steps);
    for (const secret of ['code', 'state', 'codeVerifier'] as const) {
      const value = sent!.body[secret] as string;
      expect(value, secret).to.be.a('string').and.have.length.greaterThan(4);
      expect(json).not.to.contain(value);
    }
    expect(Object.keys(steps[0]!).sort()).to.deep.equal([
      'at',
      'flowId',
      'mode',
      'phase',
      'provider',
    ]);
  });

  it('the element: connect-progress bubbles out of the element and its shadow roots, a denial ends failed with its status', async () => {
    const t = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        authorize-url=${(await hcss('deny', t)).authorizeUrl}
        client-id="c"
        redirect-uri=${callbackUrl()}
        exchange-url=${exchangeUrl(t)}
      ></oauth-connect>`,
    );
    const steps: ConnectProgress[] = [];
    const onStep = (e: ConnectProgressEvent) => {
      expect(e.composed && e.bubbles).to.equal(true);
      steps.push(e.detail);
    };
    document.addEventListener('connect-progress', onStep);
    try {
      await outcome(el.connect());
    } finally {
      document.removeEventListener('connect-progress', onStep);
    }
    expect(steps.map((s) => s.phase)).to.deep.equal(['opened', 'navigated', 'answered', 'failed']);
    expect(steps.at(-1)!.status).to.equal('cancelled');
    oneFlow(steps, 'hcss', 'popup');
    expect(await exchanges(t)).to.have.length(0);
  });
});

describe('when a flow does not get far', () => {
  it('a blocked popup: blocked, then failed blocked', async () => {
    const steps: ConnectProgress[] = [];
    const open = window.open;
    window.open = () => null;
    try {
      await outcome(
        connect({
          ...(await hcss('approve', uid())),
          fallback: 'none',
          onProgress: (s) => steps.push(s),
        }),
      );
    } finally {
      window.open = open;
    }
    expect(steps.map((s) => [s.phase, s.status])).to.deep.equal([
      ['blocked', undefined],
      ['failed', 'blocked'],
    ]);
  });

  it('a setup mistake: failed invalid_config, and nothing opened', async () => {
    const steps: ConnectProgress[] = [];
    await outcome(connect({ provider: 'hcss', onProgress: (s) => steps.push(s) }));
    expect(steps.map((s) => [s.phase, s.status])).to.deep.equal([['failed', 'invalid_config']]);
    expect(spy.calls).to.have.length(0);
  });

  it('a listener that throws does not end the flow (its error goes to the console)', async () => {
    const t = uid();
    const logged: unknown[][] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const result = await connect({
        ...(await hcss('approve', t)),
        onProgress: () => {
          throw new Error('analytics down');
        },
      });
      expect(result.provider).to.equal('hcss');
    } finally {
      console.error = error;
    }
    expect(logged.map((args) => String(args[1]))).to.include('Error: analytics down');
    expect(await exchanges(t)).to.have.length(1);
  });
});

describe('when the sign-in window is closed and reopened', () => {
  it('severed, offer-shown, reopened, navigated, then cancelled: failed', async () => {
    const t = uid();
    const el = await fixture<OAuthConnect>(
      html`<oauth-connect
        provider="hcss"
        authorize-url=${(await hcss('stay', t)).authorizeUrl}
        client-id="c"
        redirect-uri=${callbackUrl()}
        exchange-url=${exchangeUrl(t)}
      ></oauth-connect>`,
    );
    const steps: ConnectProgress[] = [];
    el.addEventListener('connect-progress', (e) => steps.push(e.detail));
    const result = outcome(el.connect());
    await until(() => steps.some((s) => s.phase === 'navigated'), 5000, 'navigated');
    spy.last!.close();
    await until(
      () => {
        userReturns();
        return !!el.shadowRoot!.querySelector('[part="severed"]');
      },
      5000,
      'the offer',
    );
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="reopen"]')!.click();
    await until(() => steps.filter((s) => s.phase === 'navigated').length === 2, 5000, 'again');
    el.cancel();
    await result;
    expect(steps.map((s) => s.phase)).to.deep.equal([
      'opened',
      'navigated',
      'severed',
      'offer-shown',
      'reopened',
      'navigated',
      'failed',
    ]);
    expect(steps.at(-1)!.status).to.equal('cancelled');
    oneFlow(steps, 'hcss', 'popup');
  });
});
