/**
 * Redirect mode: full-page navigation and the return — and `autostart`, which starts it without a
 * click. Also the runner that judges every redirect return (a popup flow that was blocked and
 * continued as a redirect comes back the same way).
 */
import { judgeCallback } from '../../core/completion.js';
import type { ResolvedConfig } from '../../core/config.js';
import { ConnectError } from '../../core/errors.js';
import { AUTOSTART_PREFIX, PENDING_ITEM } from '../../core/protocol.js';
import type { ProviderId } from '../../core/providers/types.js';
import { parsePendingFlow, type PendingFlow } from '../../core/schemas/kept.js';
import { markOnce } from '../storage/tab.js';
import { keepOnce } from '../storage/spend-once.js';
import type { FlowRun, Found, Runner, Started, Taken } from '../types.js';
import { dropPendingItem, readPendingItem } from '../url-answer.js';
import { onAbort } from '../../core/abort.js';

export { runFlow } from '../engine.js';
export { resumeFlow } from '../resume.js';

/**
 * Redirect mode: full-page navigation. The pending flow (provider, state, verifier, return URL,
 * created-at) waits in this tab's `sessionStorage` — one per tab, as a tab leaves for one provider
 * at a time — and the page returned to resumes it.
 */
export const runner: Runner = {
  start(run: FlowRun): Started {
    const { window: win, config } = run;
    run.phase('redirecting');
    const completion = run.prepare().then((prepared) => {
      if (run.signal.aborted) throw run.signal.reason;
      const { state, codeVerifier, redirectUri, completion: kind } = prepared.expectation;
      const { issuer, requireIss } = prepared.expectation;
      if (kind === 'server')
        throw new ConnectError('invalid_config', 'mode="server" opens a popup.');
      const pending: PendingFlow = {
        v: 2,
        provider: config.provider,
        completion: kind,
        ...(state ? { state } : {}),
        ...(codeVerifier ? { codeVerifier } : {}),
        ...(redirectUri ? { redirectUri } : {}),
        // the mix-up defence's expected issuer: a return is checked too
        ...(issuer ? { issuer, requireIss: requireIss === true } : {}),
        returnTo: win.location.href,
        createdAt: Date.now(),
        timeout: config.timeout,
      };
      // with its ticket (storage/spend-once.ts): a window holding a copy of this tab's storage cannot finish
      // it a second time
      if (!keepOnce(win, PENDING_ITEM, pending, pending.createdAt + pending.timeout)) {
        throw new ConnectError(
          'invalid_config',
          'Redirect mode needs sessionStorage and localStorage, which are blocked.',
        );
      }
      // The page is leaving. If it is still here when the flow ends (its deadline, a cancel, or Back
      // from the provider restoring it from the back/forward cache), the pending flow goes with it.
      onAbort(run.signal, () => {
        const stored = readPendingItem(win) as Partial<PendingFlow> | undefined;
        if (stored?.createdAt === pending.createdAt && stored.state === pending.state) {
          dropPendingItem(win);
        }
      });
      win.location.assign(prepared.url);
      return new Promise<never>(() => undefined);
    });
    return { completion };
  },

  resume: ({ answer }: Found, _config: ResolvedConfig, now: number): Taken =>
    answer
      ? judgeReturn(answer, now)
      : { outcome: new ConnectError('error', "There is no answer in this page's URL.") },
};

/**
 * Judges a redirect return its element took (url-answer.ts): this tab's pending flow, checked in
 * full here, must exist (else `unauthorized`: an answer nobody here asked for) and be younger than
 * its timeout (else `expired`); then the usual state check.
 */
function judgeReturn(answer: NonNullable<Found['answer']>, now: number): Taken {
  const pending = parsePendingFlow(answer.pending);
  if (answer.claim === 'orphan' || !pending) {
    return {
      outcome: new ConnectError(
        'unauthorized',
        'This answer belongs to no connection started in this browser tab (possible CSRF).',
      ),
    };
  }
  const deadline = pending.createdAt + pending.timeout;
  if (now > deadline) {
    return {
      outcome: new ConnectError('expired', 'The connection took too long; please start again.'),
    };
  }
  // A stateless answer is bound to this tab only: the provider's words in it could be anyone's.
  const { error_description: words, ...params } = answer.params;
  const bound = params.state !== undefined || params.malformed !== undefined;
  const verdict = judgeCallback(bound && words ? { ...params, error_description: words } : params, {
    completion: pending.completion,
    state: pending.state,
    codeVerifier: pending.codeVerifier,
    redirectUri: pending.redirectUri,
    issuer: pending.issuer,
    requireIss: pending.requireIss,
  });
  const outcome =
    verdict.kind === 'success'
      ? verdict.completion
      : verdict.kind === 'failure'
        ? verdict.error
        : new ConnectError('error', 'The provider returned without a result.');
  // redeemed before anything is sent (storage/spend-once.ts): a pending flow that a window with a copy of
  // this tab's storage spent meanwhile is as good as missing
  const { redeem } = answer;
  const spent = () =>
    new ConnectError('unauthorized', 'This connection was already finished in another window.');
  return {
    outcome,
    returnTo: pending.returnTo,
    deadline,
    ...(redeem
      ? {
          redeem: () =>
            redeem().then((mine) => {
              if (!mine) throw spent();
            }),
        }
      : {}),
  };
}

/*
 * `autostart` (redirect mode; HCSS Marketplace arrivals): the page the customer is sent to starts
 * the flow without a click, once per tab and provider. The marker is written before the flow
 * leaves, so nothing that comes back to this tab — the provider's return, with an answer or
 * without, a failed return, a reload, Back — starts it again: never a loop.
 */
/**
 * True (and the marker written) when this tab may autostart `provider`'s flow now: it never did,
 * and no redirect flow of this tab is pending. False when storage is blocked (a marker that cannot
 * be written could not stop a loop).
 */
export function claimAutostart(win: Window, provider: ProviderId): boolean {
  return readPendingItem(win) === undefined && markOnce(win, `${AUTOSTART_PREFIX}${provider}`);
}
