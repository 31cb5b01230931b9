/**
 * Cancellation, tied to an AbortSignal (time limits: deadline.ts): each handles a signal that is
 * already aborted (a flow can end before its engine has loaded). Pure: it runs in Node too.
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

/**
 * Settles like `promise`, or rejects with `signal.reason` as soon as the signal aborts: a partner's
 * `resolveUrl`, an injected `fetch` or a response body that never settles cannot keep a flow past
 * its deadline.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined); // it may still settle (reject), long after: nobody waits for it
    return Promise.reject(signal.reason as unknown);
  }
  return new Promise<T>((resolve, reject) => {
    const forget = onAbort(signal, () => reject(signal.reason as unknown));
    promise.then(
      (value) => {
        forget();
        resolve(value);
      },
      (error: unknown) => {
        forget();
        reject(error);
      },
    );
  });
}

/** A controller that aborts with its parent but can also be aborted alone (one popup attempt). */
export function childController(parent: AbortSignal): AbortController {
  const child = new AbortController();
  const forget = onAbort(parent, () => child.abort(parent.reason));
  child.signal.addEventListener('abort', forget, { once: true });
  return child;
}
