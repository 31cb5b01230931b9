import { judgeCallback } from '../core/completion.js';
import { ConnectError } from '../core/errors.js';
import { claimReturn } from '../core/ownership.js';
import { PENDING_ITEM } from '../core/protocol.js';
import { pendingFlowSchema, type PendingFlow } from '../core/schemas.js';
import { onAbort } from './lifetime.js';
import type { FlowRun, ReturnClaimant, Runner, Started, Taken } from './runner.js';
import { takeFromUrl } from './url-answer.js';

function storage(win: Window): Storage | undefined {
  try {
    return win.sessionStorage;
  } catch {
    return undefined;
  }
}

/** This tab's pending redirect flow, if one is stored and readable. */
export function readPendingFlow(win: Window): PendingFlow | undefined {
  const raw = storage(win)?.getItem(PENDING_ITEM);
  if (!raw) return undefined;
  try {
    const parsed = pendingFlowSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function dropPendingFlow(win: Window): void {
  storage(win)?.removeItem(PENDING_ITEM);
}

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
      const store = storage(win);
      if (!store) {
        throw new ConnectError(
          'invalid_config',
          'Redirect mode needs sessionStorage, which is blocked.',
        );
      }
      const { state, codeVerifier, redirectUri, completion: kind } = prepared.expectation;
      const pending: PendingFlow = {
        v: 2,
        provider: config.provider,
        completion: kind,
        ...(state ? { state } : {}),
        ...(codeVerifier ? { codeVerifier } : {}),
        ...(redirectUri ? { redirectUri } : {}),
        returnTo: win.location.href,
        createdAt: Date.now(),
        timeout: config.timeout,
      };
      store.setItem(PENDING_ITEM, JSON.stringify(pending));
      // The page is leaving. If it is still here when the flow ends (its deadline, a cancel, or Back
      // from the provider restoring it from the back/forward cache), the pending flow goes with it.
      onAbort(run.signal, () => {
        const stored = readPendingFlow(win);
        if (stored?.createdAt === pending.createdAt && stored.state === pending.state) {
          dropPendingFlow(win);
        }
      });
      win.location.assign(prepared.url);
      return new Promise<never>(() => undefined);
    });
    return { completion };
  },

  resume: takeRedirectReturn,
};

/**
 * Takes a redirect return from this page's URL if it belongs to `claimant` (core/ownership):
 * this tab's pending flow is for its provider and matches the answer's `state` (or takes its
 * stateless answer), or, for an element in explicit `redirect` mode, a return nobody here asked for.
 * The URL is scrubbed and the pending flow cleared at once; anything else is left untouched.
 */
export function takeRedirectReturn(
  win: Window,
  claimant: ReturnClaimant,
  now = Date.now(),
): Taken | undefined {
  const pending = readPendingFlow(win);
  const taken = takeFromUrl(win, (params) => claimReturn(params, pending, claimant));
  if (!taken) {
    dropAbandoned(win, pending, now);
    return undefined;
  }
  if (taken.claim === 'orphan' || !pending) {
    dropAbandoned(win, pending, now);
    return {
      outcome: new ConnectError(
        'unauthorized',
        'This answer belongs to no connection started in this browser tab (possible CSRF).',
      ),
    };
  }
  dropPendingFlow(win);
  const deadline = pending.createdAt + pending.timeout;
  if (now > deadline) {
    return {
      outcome: new ConnectError('expired', 'The connection took too long; please start again.'),
    };
  }
  // A stateless answer is bound to this tab only: the provider's words in it could be anyone's.
  const { error_description: words, ...params } = taken.params;
  const bound = params.state !== undefined || params.malformed !== undefined;
  const verdict = judgeCallback(bound && words ? { ...params, error_description: words } : params, {
    completion: pending.completion,
    state: pending.state,
    codeVerifier: pending.codeVerifier,
    redirectUri: pending.redirectUri,
  });
  const outcome =
    verdict.kind === 'success'
      ? verdict.completion
      : verdict.kind === 'failure'
        ? verdict.error
        : new ConnectError('error', 'The provider returned without a result.');
  return { outcome, returnTo: pending.returnTo, deadline };
}

/**
 * On a page without an answer of ours: forgets a pending flow that can no longer finish (older than
 * its timeout, or unreadable). The user abandoned it; its verifier has no business staying.
 */
function dropAbandoned(win: Window, pending: PendingFlow | undefined, now: number): void {
  const raw = storage(win)?.getItem(PENDING_ITEM);
  if (!raw) return;
  if (!pending || now - pending.createdAt > pending.timeout) dropPendingFlow(win);
}
