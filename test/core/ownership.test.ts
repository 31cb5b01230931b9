import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { CallbackParams } from '../../src/core/callback-params.js';
import {
  claimReturn,
  isOurs,
  type Arrival,
  type AttemptBinding,
  type Claim,
  type Claimant,
} from '../../src/core/ownership.js';
import type { PendingFlow } from '../../src/core/schemas/kept.js';

const attempt: AttemptBinding = {
  allowedOrigins: ['https://app.example', 'https://bwell.example'],
  key: 'K'.repeat(43),
  state: 'S'.repeat(43),
};
const statusAttempt: AttemptBinding = { ...attempt, state: undefined };

describe('core/ownership isOurs', () => {
  const key = attempt.key;
  const state = attempt.state!;
  const table: [string, Arrival, AttemptBinding, boolean][] = [
    [
      'message: allowed origin, our popup',
      { via: 'message', origin: 'https://app.example', fromPopup: true },
      attempt,
      true,
    ],
    [
      'message: allowed origin, another window',
      { via: 'message', origin: 'https://app.example', fromPopup: false },
      attempt,
      false,
    ],
    [
      'message: other origin, our popup',
      { via: 'message', origin: 'https://evil.example', fromPopup: true },
      attempt,
      false,
    ],
    ['message: origin "null"', { via: 'message', origin: 'null', fromPopup: true }, attempt, false],
    [
      'popup URL at the redirect_uri',
      { via: 'popup-url', href: 'https://app.example/cb?code=C&state=S' },
      { ...attempt, redirectUri: 'https://app.example/cb' },
      true,
    ],
    [
      'popup URL on another page of our origin (a sign-in page showing ?error=)',
      { via: 'popup-url', href: 'https://app.example/login?error=invalid_password' },
      { ...attempt, redirectUri: 'https://app.example/cb' },
      false,
    ],
    [
      'popup URL at a path that only starts like the redirect_uri',
      { via: 'popup-url', href: 'https://app.example/cb2?code=C' },
      { ...attempt, redirectUri: 'https://app.example/cb' },
      false,
    ],
    [
      'popup URL, a flow without a redirect_uri (url-endpoint): any page of our origin',
      { via: 'popup-url', href: 'https://app.example/anywhere?status_code=success' },
      attempt,
      true,
    ],
    [
      'broadcast: our key',
      { via: 'broadcast', key, params: { status_code: 'success' } },
      statusAttempt,
      true,
    ],
    [
      'broadcast: our key, code with a foreign state (judged later)',
      { via: 'broadcast', key, params: { code: 'C', state: 'X' } },
      attempt,
      true,
    ],
    [
      'broadcast: another key, even with our state',
      { via: 'broadcast', key: 'Z'.repeat(43), params: { code: 'C', state } },
      attempt,
      false,
    ],
    [
      'broadcast: a key one char off',
      { via: 'broadcast', key: `${key.slice(0, -1)}L`, params: { status_code: 'success' } },
      statusAttempt,
      false,
    ],
    [
      'broadcast: a key prefix',
      { via: 'broadcast', key: key.slice(0, 10), params: { status_code: 'success' } },
      statusAttempt,
      false,
    ],
    [
      'broadcast: no key, our state',
      { via: 'broadcast', key: undefined, params: { code: 'C', state } },
      attempt,
      true,
    ],
    [
      'broadcast: no key, error with our state',
      { via: 'broadcast', key: undefined, params: { error: 'x', state } },
      attempt,
      true,
    ],
    [
      'broadcast: no key, another state',
      { via: 'broadcast', key: undefined, params: { code: 'C', state: 'T'.repeat(43) } },
      attempt,
      false,
    ],
    [
      'broadcast: no key, no state (forged status_code)',
      { via: 'broadcast', key: undefined, params: { status_code: 'success' } },
      statusAttempt,
      false,
    ],
    [
      'broadcast: no key, stateless error (forged denial)',
      { via: 'broadcast', key: undefined, params: { error: 'access_denied' } },
      attempt,
      false,
    ],
    [
      'broadcast: no key, code without state',
      { via: 'broadcast', key: undefined, params: { code: 'C' } },
      attempt,
      false,
    ],
  ];
  for (const [name, arrival, binding, expected] of table) {
    it(`${name} → ${expected ? 'ours' : 'ignored'}`, () => {
      expect(isOurs(arrival, binding)).to.equal(expected);
    });
  }
});

/** The page the answer is found on. */
const HERE = 'https://app.example/connections';

describe('core/ownership claimReturn', () => {
  const pending = (over: Partial<PendingFlow> = {}): PendingFlow => ({
    v: 2,
    provider: 'hcss',
    completion: 'code',
    state: 'the-state',
    returnTo: 'https://app.example/settings',
    createdAt: 0,
    timeout: 1,
    ...over,
  });
  const hcssRedirect: Claimant = { provider: 'hcss', mode: 'redirect' };
  const hcssPopup: Claimant = { provider: 'hcss', mode: 'popup' };
  const healthtapRedirect: Claimant = { provider: 'healthtap', mode: 'redirect' };
  const healthtapPopup: Claimant = { provider: 'healthtap', mode: 'popup' };
  const hint: Claimant = { provider: 'hint', mode: 'landing' };
  const bwell: Claimant = { provider: 'bwell', mode: 'polling' };
  const table: [string, CallbackParams, PendingFlow | undefined, Claimant, Claim][] = [
    [
      'matching state, its provider',
      { code: 'C', state: 'the-state' },
      pending(),
      hcssRedirect,
      'redirect',
    ],
    [
      'matching state, its provider in popup mode (blocked-popup fallback)',
      { code: 'C', state: 'the-state' },
      pending(),
      hcssPopup,
      'redirect',
    ],
    [
      'matching state, another provider in redirect mode',
      { code: 'C', state: 'the-state' },
      pending(),
      healthtapRedirect,
      undefined,
    ],
    [
      'matching state, a landing element',
      { code: 'C', state: 'the-state' },
      pending(),
      hint,
      undefined,
    ],
    [
      'foreign state, redirect-mode element: orphan',
      { code: 'C', state: 'evil' },
      pending(),
      hcssRedirect,
      'orphan',
    ],
    [
      'foreign state, popup-mode element: not its business',
      { code: 'C', state: 'evil' },
      pending(),
      hcssPopup,
      undefined,
    ],
    [
      'a state and no pending flow: orphan for a redirect element',
      { code: 'C', state: 'S' },
      undefined,
      healthtapRedirect,
      'orphan',
    ],
    [
      'a state and no pending flow: never a landing code',
      { code: 'C', state: 'S' },
      undefined,
      hint,
      undefined,
    ],
    ['stateless code: the landing element', { code: 'C' }, undefined, hint, 'landing'],
    [
      'stateless code with a pending redirect flow: still the landing element',
      { code: 'C' },
      pending(),
      hint,
      'landing',
    ],
    [
      'stateless code on another page than its flow returns to: not a redirect element',
      { code: 'C' },
      pending(),
      hcssRedirect,
      undefined,
    ],
    [
      "stateless code on the page the flow started on (the callback page's forward): its flow, to fail",
      { code: 'C' },
      pending({ returnTo: HERE }),
      hcssPopup,
      'redirect',
    ],
    [
      "stateless code at the flow's redirect_uri: its flow, to fail",
      { code: 'C' },
      pending({ redirectUri: `${HERE}?x=1` }),
      hcssRedirect,
      'redirect',
    ],
    [
      "stateless code at the flow's return page, another provider's element: left alone",
      { code: 'C' },
      pending({ returnTo: HERE }),
      healthtapRedirect,
      undefined,
    ],
    [
      'stateless code at the return page of a status flow: left alone',
      { code: 'C' },
      pending({ provider: 'bwell', completion: 'status', state: undefined, returnTo: HERE }),
      bwell,
      undefined,
    ],
    [
      'stateless code at the return page: a landing element still takes it (the order decides)',
      { code: 'C' },
      pending({ returnTo: HERE }),
      hint,
      'landing',
    ],
    [
      'malformed code, no state: the landing element',
      { error: 'invalid_request', malformed: 'code', withCode: true },
      undefined,
      hint,
      'landing',
    ],
    [
      'a good code beside a malformed error: still the landing element',
      { error: 'invalid_request', malformed: 'error', withCode: true },
      undefined,
      hint,
      'landing',
    ],
    [
      'malformed code: not a redirect element',
      { error: 'invalid_request', malformed: 'code', withCode: true },
      pending(),
      hcssRedirect,
      undefined,
    ],
    [
      'a malformed state: never a landing code',
      { error: 'invalid_request', malformed: 'state', withCode: true },
      undefined,
      hint,
      undefined,
    ],
    [
      'a malformed state: an orphan for a redirect element',
      { error: 'invalid_request', malformed: 'state' },
      pending(),
      hcssRedirect,
      'orphan',
    ],
    [
      'stateless denial: the tab pending flow of that provider',
      { error: 'access_denied' },
      pending({ provider: 'healthtap' }),
      healthtapPopup,
      'redirect',
    ],
    [
      'stateless denial: not another provider',
      { error: 'access_denied' },
      pending({ provider: 'healthtap' }),
      hcssRedirect,
      undefined,
    ],
    [
      'stateless denial with no pending flow: nobody',
      { error: 'access_denied' },
      undefined,
      healthtapRedirect,
      undefined,
    ],
    [
      'stateless denial: never a landing element',
      { error: 'access_denied' },
      undefined,
      hint,
      undefined,
    ],
    [
      'b.well status_code: its pending status flow',
      { status_code: 'success' },
      pending({ provider: 'bwell', completion: 'status', state: undefined }),
      bwell,
      'redirect',
    ],
    [
      'b.well status_code and no pending flow: nobody',
      { status_code: 'success' },
      undefined,
      bwell,
      undefined,
    ],
    [
      'status_code for a pending code flow: nobody',
      { status_code: 'success' },
      pending(),
      hcssRedirect,
      undefined,
    ],
  ];
  for (const [name, params, flow, claimant, expected] of table) {
    it(`${name} → ${expected ?? 'left alone'}`, () => {
      expect(claimReturn(params, flow, claimant, `${HERE}?code=C`)).to.equal(expected);
    });
  }
});

describe('property: claims over 10,000 random returns', () => {
  const providersArb = fc.constantFrom('hcss', 'healthtap', 'bwell', 'hint', 'generic' as const);
  const state = fc.oneof(
    fc.constant('the-state'),
    fc.constant('the-statf'),
    fc.string({ minLength: 1, maxLength: 12 }),
  );
  const params = fc.record(
    {
      code: fc.string({ minLength: 1, maxLength: 8 }),
      state,
      error: fc.constantFrom('access_denied', 'invalid_request'),
      status_code: fc.constantFrom('success', 'error'),
      malformed: fc.constantFrom('code', 'state', 'error'),
      withCode: fc.constant(true),
    },
    { requiredKeys: [] },
  );
  const pendingArb = fc.option(
    fc.record({
      v: fc.constant(2 as const),
      provider: providersArb,
      completion: fc.constantFrom('code' as const, 'status' as const),
      state: fc.option(fc.constant('the-state'), { nil: undefined }),
      returnTo: fc.constantFrom('https://app.example/', HERE),
      createdAt: fc.constant(0),
      timeout: fc.constant(1),
    }),
    { nil: undefined },
  );
  const claimantArb = fc.record({
    provider: providersArb,
    mode: fc.constantFrom('popup', 'polling', 'redirect', 'landing' as const),
  });

  it('a return is claimed only by its owner', () => {
    fc.assert(
      fc.property(params, pendingArb, claimantArb, (p, pending, claimant) => {
        const claim = claimReturn(
          p as CallbackParams,
          pending as PendingFlow | undefined,
          claimant,
          HERE,
        );
        const stateMatches = pending?.state !== undefined && p.state === pending.state;
        const carriesState = p.state !== undefined || p.malformed === 'state';
        const code = p.code !== undefined || p.withCode === true;
        if (claim === 'redirect') {
          expect(pending?.provider).to.equal(claimant.provider);
          expect(claimant.mode).not.to.equal('landing');
          if (carriesState) expect(stateMatches).to.equal(true);
          // stateless: an error or a b.well status; a code only on the page its code flow returns to
          else if (code)
            expect([pending?.returnTo, pending?.completion]).to.deep.equal([HERE, 'code']);
        }
        if (claim === 'landing') {
          expect(claimant.mode).to.equal('landing');
          expect(carriesState).to.equal(false); // a URL with state is never a landing code
          expect(code).to.equal(true);
        }
        if (claim === 'orphan') {
          expect(claimant.mode).to.equal('redirect');
          expect(carriesState && !stateMatches).to.equal(true);
        }
        if (carriesState && !stateMatches) expect(claim).not.to.equal('redirect');
      }),
      { numRuns: 10_000 },
    );
  });
});
