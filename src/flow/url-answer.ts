/**
 * An answer in this page's own URL (a redirect return, a landing code), taken by the element it
 * belongs to (core/ownership), and only by it, in one task as soon as this small chunk is loaded
 * — before its runner chunk is requested. A page loads it only when its URL or its storage might
 * hold something (api.ts). The runner that resumes it judges what was taken.
 */
import { parseCallbackUrl, stripCallbackParams } from '../core/callback-params.js';
import { claimReturn, type Claimant, type PendingClaim } from '../core/ownership.js';
import { PENDING_ITEM } from '../core/protocol.js';
import { resolveConfig, type ConnectOptions, type ResolvedConfig } from '../core/config.js';
import type { Mode } from '../core/providers/types.js';
import { fromChunk, failedHandle, providerOf, reported, reporter } from './handle.js';
import { RESUMERS } from './modes/index.js';
import { drop, peek, takeHeldCode, takeOnce } from './storage/spend-once.js';
import type { FlowContext, FlowHandle, Found, UrlAnswer } from './types.js';

/**
 * api.ts `resumeFlow`, once this chunk is loaded: takes what this page holds for the element
 * (findAnswer) in this task and hands it to the runner that finishes it (loaded then); undefined,
 * touching nothing, when nothing is its own or its element is gone.
 */
export function resumeAnswer(
  win: Window,
  options: ConnectOptions,
  context: FlowContext,
  mode: Mode,
  holds: boolean,
): FlowHandle | undefined {
  if (context.signal?.aborted) return undefined; // its element is gone: left for another
  const provider = providerOf(options);
  const found = findAnswer(win, { provider, mode }, holds);
  if (!found) return undefined;
  const at = Date.now();
  const report = reporter(options, context);
  let config: ResolvedConfig;
  try {
    // only what finishing needs is checked: the page returned to need not be able to start one
    config = resolveConfig(options, win.location.href, { resume: true });
  } catch (error) {
    return reported(failedHandle(provider, error), report);
  }
  const run = { ...context, report };
  const resumer = RESUMERS[found.answer ? found.answer.claim : 'landing'];
  const handle = fromChunk(win, provider, resumer, undefined, context.signal, (m) =>
    m.resumeFlow(m.runner, config, options, run, win, found, at),
  );
  return reported(handle, report);
}

/**
 * What this page holds for `claimant` (api.ts `resumeFlow`), taken in this one task: its answer in
 * the URL (takeAnswer); else, where its mode `holds` them (landing), the code this tab held for
 * its sign-in — a code in the URL supersedes one held. Undefined: nothing of its own.
 */
export function findAnswer(win: Window, claimant: Claimant, holds: boolean): Found | undefined {
  const answer = takeAnswer(win, claimant);
  // (taken either way: a code superseded by the URL's is never sent)
  const held = holds ? takeHeldCode(win, claimant.provider) : undefined;
  if (answer) return { answer };
  return held ? { held } : undefined;
}

/**
 * Takes the answer in this page's URL if it belongs to `claimant`: scrubs it from the address bar
 * with `history.replaceState` at once — before any await, so neither a re-render, a second element,
 * a reload nor a request's Referer carries it on — and, for a redirect return, clears this tab's
 * pending flow. An answer that is not this element's is left untouched, and so is the pending flow
 * it may belong to (its element must see it to report `expired`). Otherwise a pending flow that
 * can no longer finish (older than its timeout, or unreadable) is forgotten: the user abandoned
 * it, and its verifier has no business staying.
 */
export function takeAnswer(win: Window, claimant: Claimant): UrlAnswer | undefined {
  const href = win.location.href;
  const params = parseCallbackUrl(href);
  let pending = readPendingItem(win);
  const claim = params && claimReturn(params, looseClaim(pending), claimant, href);
  // A pending flow that can no longer finish is dropped by its owner, or where no other element
  // can be its owner: a page without an answer, an answer whose state it does not carry (an
  // orphan), or a pending flow nobody can read. Another element's answer is left for that
  // element, which must see its pending flow to report `expired`.
  const dead = !isLive(pending) && (!params || claim === 'orphan' || pending === null);
  let redeem: (() => Promise<boolean>) | undefined;
  if (claim === 'redirect' && isLive(pending)) {
    // its ticket claimed in this task: a copy of this tab's storage elsewhere cannot spend it too
    const taken = takeOnce(win, PENDING_ITEM);
    if (!taken || taken.spent) pending = undefined;
    else redeem = taken.redeem;
  } else if (claim === 'redirect' || dead) dropPendingItem(win);
  if (!params || !claim) return undefined;
  win.history.replaceState(win.history.state, '', stripCallbackParams(href));
  return { params, claim, href, pending, redeem };
}

function isLive(pending: unknown): boolean {
  if (pending === undefined) return true; // nothing stored
  const { createdAt, timeout } = (pending ?? {}) as { createdAt?: unknown; timeout?: unknown };
  return (
    typeof createdAt === 'number' &&
    typeof timeout === 'number' &&
    Date.now() - createdAt <= timeout
  );
}

/**
 * This tab's pending redirect flow as stored (parsed JSON), or undefined; null when it cannot be
 * read (not JSON, or storage blocked): a pending flow that cannot finish.
 */
export const readPendingItem = (win: Window): unknown => peek(win, PENDING_ITEM);

/** Forgets this tab's pending redirect flow, and its ticket: no copy of it can finish either. */
export const dropPendingItem = (win: Window): void => drop(win, PENDING_ITEM);

/** What ownership needs of a stored pending flow, read loosely (the engine checks it in full). */
function looseClaim(pending: unknown): PendingClaim | undefined {
  const p = pending as Partial<Record<keyof PendingClaim, unknown>> | null | undefined;
  if (typeof p?.provider !== 'string') return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    provider: p.provider,
    completion: p.completion === 'status' ? 'status' : 'code',
    state: text(p.state),
    redirectUri: text(p.redirectUri),
    returnTo: text(p.returnTo),
  };
}
