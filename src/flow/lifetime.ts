/**
 * Small helpers that tie a listener, timer, interval or channel to an AbortSignal, so aborting a
 * flow's controller tears all of it down (and does so explicitly, which the tests can observe).
 */

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

export function listen<K extends keyof WindowEventMap>(
  target: Window,
  type: K,
  handler: (event: WindowEventMap[K]) => void,
  signal: AbortSignal,
): void {
  if (signal.aborted) return;
  target.addEventListener(type, handler);
  onAbort(signal, () => target.removeEventListener(type, handler));
}

export function every(ms: number, tick: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const id = setInterval(tick, ms);
  onAbort(signal, () => clearInterval(id));
}

export function after(ms: number, fire: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const id = setTimeout(fire, ms);
  onAbort(signal, () => clearTimeout(id));
}

/** A child signal that aborts with its parent but can also be aborted alone. */
export function childController(parent: AbortSignal): AbortController {
  const child = new AbortController();
  onAbort(parent, () => child.abort(parent.reason));
  return child;
}
