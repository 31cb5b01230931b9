/**
 * The server half's own options, checked once when a handler is made: a mistake throws at
 * start-up with a clear message, never at a user's first connection (or silently, as a number
 * that makes every call time out at once, or a flow that never expires).
 */

/** The longest delay a timer honours (Node cuts a longer one down to 1 ms). */
const MAX_DELAY_MS = 2 ** 31 - 1;

export function configError(message: string): TypeError {
  return new TypeError(`oauth-connect/server: ${message}`);
}

/** A duration option in ms: `fallback` when unset; at least 1; clamped to what a timer can wait. */
export function delayOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 1)) {
    throw configError(`${name} must be a number of ms ≥ 1 (got ${JSON.stringify(value)}).`);
  }
  return Math.min(value, MAX_DELAY_MS);
}

/** A count option: `fallback` when unset, else an integer ≥ 1; throws otherwise. */
export function countOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw configError(`${name} must be an integer ≥ 1 (got ${JSON.stringify(value)}).`);
  }
  return value;
}

/** An absolute http(s) URL option (a provider endpoint); throws otherwise. */
export function urlOption(name: string, value: unknown): void {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw configError(`${name} must be an absolute http(s) URL (got ${JSON.stringify(value)}).`);
  }
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * An issuer identifier option (RFC 8414 §2, RFC 9207 §2): an absolute https URL — http only on a
 * loopback host (development) — with no query or fragment; throws otherwise.
 */
export function issuerOption(name: string, value: unknown): void {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const scheme =
    url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK.includes(url.hostname));
  // the redirect's `iss` is compared as a simple string: a space, tab or line break in the option
  // (a copied line's end) would refuse every real redirect
  // eslint-disable-next-line no-control-regex
  if (!url || !scheme || /[?#\s\x00-\x1f\x7f]/.test(value as string)) {
    throw configError(
      `${name} must be an absolute https URL (http only on localhost, 127.0.0.1 or [::1]), ` +
        `without query, fragment, whitespace or control characters (got ${JSON.stringify(value)}).`,
    );
  }
}

/**
 * Who is signed in, as `session(request)` answered: a non-empty string, or a number (a numeric
 * user id, compared as its decimal text); anything else is nobody.
 */
export function userId(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') {
    return String(value);
  }
  return undefined;
}
