/**
 * Small helpers that tie a listener, timer, interval or channel to an AbortSignal, so aborting a
 * flow's controller tears all of it down (and does so explicitly, which the tests can observe).
 */
import { MAX_DELAY_MS } from '../../core/config.js';

/**
 * Runs `dispose` once when `signal` aborts (at once if it already has). Returns a function that
 * forgets it, for a signal that outlives the caller (a partner's long-lived AbortSignal).
 */
export function onAbort(signal: AbortSignal, dispose: () => void): () => void {
  if (signal.aborted) {
    dispose();
    return () => undefined;
  }
  signal.addEventListener('abort', dispose, { once: true });
  return () => signal.removeEventListener('abort', dispose);
}

type Events<T> = T extends Window ? WindowEventMap : T extends Document ? DocumentEventMap : never;

export function listen<T extends Window | Document, K extends keyof Events<T> & string>(
  target: T,
  type: K,
  handler: (event: Events<T>[K]) => void,
  signal: AbortSignal,
): void {
  if (signal.aborted) return;
  const listener = handler as unknown as EventListener;
  target.addEventListener(type, listener);
  onAbort(signal, () => target.removeEventListener(type, listener));
}

/** A delay a browser timer honours: 0 to 2^31−1 ms (a longer one would fire at once). */
const delay = (ms: number) => Math.min(Math.max(0, ms), MAX_DELAY_MS);

export function every(ms: number, tick: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const id = setInterval(tick, delay(ms));
  onAbort(signal, () => clearInterval(id));
}

export function after(ms: number, fire: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const id = setTimeout(fire, delay(ms));
  onAbort(signal, () => clearTimeout(id));
}

/** A controller that aborts with its parent but can also be aborted alone (one popup attempt). */
export function childController(parent: AbortSignal): AbortController {
  const child = new AbortController();
  const forget = onAbort(parent, () => child.abort(parent.reason));
  child.signal.addEventListener('abort', forget, { once: true });
  return child;
}
