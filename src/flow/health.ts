/**
 * The connection-health chunk, loaded with `import()` only by an element with a `status-url`:
 * the status request (and `disconnect-url`'s) with its timeout, over core/health.
 */
import { ConnectError } from '../core/errors.js';
import { postDisconnect, readHealth, type Health } from '../core/health.js';
import { parseSafeUrl } from '../core/url-safety.js';
import { after, childController } from './lifetime.js';
import type { HealthOptions } from './health-controller.js';

/** ms before the status (or disconnect) request counts as unanswered. */
export const HEALTH_TIMEOUT_MS = 5000;

const CREDENTIALS: readonly string[] = ['same-origin', 'include', 'omit'];

/** The request's shared part, or why it cannot be made (an unsafe URL, bad credentials). */
function request(url: string | undefined, name: string, options: HealthOptions, win: Window) {
  const safe = url ? parseSafeUrl(url, win.location.href) : undefined;
  if (!safe) return `${name} must be https: (http: on localhost).`;
  // (NaN, 0 or less would time out at once; a longer wait than a timer can make is clamped)
  if (!((options.timeout ?? HEALTH_TIMEOUT_MS) >= 1)) return 'status-timeout must be a number ≥ 1.';
  const credentials = options.credentials ?? 'same-origin';
  if (!CREDENTIALS.includes(credentials)) {
    return `exchange-credentials must be one of: ${CREDENTIALS.join(', ')}.`;
  }
  return {
    url: safe.toString(),
    credentials,
    headers: { ...options.headers },
    fetch: (input: string, init: RequestInit) => win.fetch(input, init),
  };
}

/**
 * Runs `work` with a signal that aborts with `signal` (the caller's cancel), or with a `timeout`
 * ConnectError after the health timeout; the timer goes when `work` settles.
 */
async function withTimeout<T>(
  options: HealthOptions,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const scope = childController(signal);
  const ms = options.timeout ?? HEALTH_TIMEOUT_MS;
  after(
    ms,
    () => scope.abort(new ConnectError('timeout', `No answer within ${ms} ms.`)),
    scope.signal,
  );
  try {
    return await work(scope.signal);
  } finally {
    scope.abort();
  }
}

/**
 * The connection's health: never rejects for a bad or missing answer (that is `unknown`); rejects
 * only when `signal` aborts (the element went away, or a newer request replaced this one).
 */
export async function checkHealth(
  options: HealthOptions,
  signal: AbortSignal,
  win: Window,
): Promise<Health> {
  const base = request(options.statusUrl, 'status-url', options, win);
  if (typeof base === 'string') return { kind: 'unknown', reason: base };
  try {
    return await withTimeout(options, signal, (scoped) => readHealth({ ...base, signal: scoped }));
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** POSTs `{ provider }` to `disconnect-url`; rejects with a ConnectError. */
export function requestDisconnect(
  options: HealthOptions,
  signal: AbortSignal,
  win: Window,
): Promise<Record<string, unknown>> {
  const base = request(options.disconnectUrl, 'disconnect-url', options, win);
  if (typeof base === 'string') return Promise.reject(new ConnectError('invalid_config', base));
  return withTimeout(options, signal, (scoped) =>
    postDisconnect({ ...base, provider: options.provider, signal: scoped }),
  );
}
