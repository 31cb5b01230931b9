/**
 * The one deadline helper (DESIGN.md 6d): a timer, an interval, a wait and a scoped deadline, each
 * tied to an AbortSignal, so aborting a flow's controller tears them all down, and each a no-op
 * on a signal that is already aborted. Pure (timers only): it runs in Node too.
 */
import { childController, onAbort, untilAborted } from './abort.js';
import { MAX_DELAY_MS } from './config.js';

/** A delay a timer honours: 0 to 2^31−1 ms (a longer one would fire at once). */
const delay = (ms: number) => Math.min(Math.max(0, ms), MAX_DELAY_MS);

/** Calls `fire` after `ms`, unless `signal` aborts first (then never). */
export function after(ms: number, fire: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const id = setTimeout(fire, delay(ms));
  onAbort(signal, () => clearTimeout(id));
}

/** Calls `tick` every `ms` until `signal` aborts. */
export function every(ms: number, tick: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const id = setInterval(tick, delay(ms));
  onAbort(signal, () => clearInterval(id));
}

/** Resolves after `ms`; rejects with `signal.reason` as soon as it aborts. */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return untilAborted(new Promise<void>((resolve) => after(ms, resolve, signal)), signal);
}

/**
 * A scope under `parent` with a deadline: its signal aborts with the parent, or with `reason()`
 * once `ms` have passed (from `at`, ms since epoch, when given: a deadline counted from the click).
 */
export function deadlineScope(
  parent: AbortSignal,
  ms: number,
  reason: () => unknown,
  at = Date.now(),
): AbortController {
  const scope = childController(parent);
  after(at + ms - Date.now(), () => scope.abort(reason()), scope.signal);
  return scope;
}
