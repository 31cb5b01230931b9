import { judgeCallback } from '../core/completion.js';
import { ConnectError } from '../core/errors.js';
import type { ResolvedConfig } from '../core/config.js';
import { PENDING_ITEM } from '../core/protocol.js';
import { pendingFlowSchema, type PendingFlow } from '../core/schemas.js';
import { onAbort } from './lifetime.js';
import type { FlowRun, Runner, Started, Taken } from './runner.js';
import { keepOnce } from './storage.js';
import { dropPendingItem, readPendingItem, type UrlAnswer } from './url-answer.js';

/**
 * Redirect mode: full-page navigation. The pending flow (provider, state, verifier, return URL,
 * created-at) waits in this tab's `sessionStorage` — one per tab, as a tab leaves for one provider
 * at a time — and the page returned to resumes it.
 */
export const redirectRunner: Runner = {
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
      // with its ticket (storage.ts): a window holding a copy of this tab's storage cannot finish
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

  judge: judgeReturn,
};

/**
 * Judges a redirect return its element took (url-answer.ts): this tab's pending flow, checked in
 * full here, must exist (else `unauthorized`: an answer nobody here asked for) and be younger than
 * its timeout (else `expired`); then the usual state check.
 */
function judgeReturn(answer: UrlAnswer, _config: ResolvedConfig, now: number): Taken {
  const parsed = pendingFlowSchema.safeParse(answer.pending);
  const pending = parsed.success ? parsed.data : undefined;
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
  return { outcome, returnTo: pending.returnTo, deadline };
}
