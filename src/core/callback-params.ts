/**
 * What a redirect_uri can carry back. Parsed from the query and the fragment (`response_mode=fragment`
 * puts the answer there).
 */
export interface CallbackParams {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly error_description?: string;
  readonly status_code?: string;
  /** The issuer that answered (RFC 9207): compared with the flow's expected issuer. */
  readonly iss?: string;
  /**
   * Set when the URL carried a key that cannot be taken (repeated, empty or over 4 KB): the answer
   * is then an `invalid_request` error naming that key, and it never carries a code.
   */
  readonly malformed?: string;
  /** On a malformed answer: the URL did carry a `code` (which is never taken from it). */
  readonly withCode?: boolean;
}

const CALLBACK_KEYS = [
  'code',
  'state',
  'error',
  'error_description',
  'status_code',
  'iss',
] as const;

/** Keys that make a URL an answer at all (a lone `state` is nothing: apps use `?state=` too). */
const RESULT_KEYS = ['code', 'error', 'status_code'] as const;

const MAX_PARAM_LENGTH = 4096;

/**
 * Reads the callback keys from a URL's query and fragment; undefined when it carries no answer.
 * A key given twice (`?code=&code=X`, or in both query and fragment), empty, or longer than 4 KB
 * makes the whole answer malformed: an `invalid_request` error, never a code (fail closed).
 */
export function parseCallbackUrl(href: string): CallbackParams | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const sources = [url.searchParams, new URLSearchParams(url.hash.slice(1))];
  const all = (key: string) => sources.flatMap((source) => source.getAll(key));
  if (!RESULT_KEYS.some((key) => all(key).length)) return undefined;

  const found: Record<string, string> = {};
  let malformed: string | undefined;
  for (const key of CALLBACK_KEYS) {
    const values = all(key);
    const value = values[0];
    if (value === undefined) continue;
    if (key === 'error_description') {
      if (value) found[key] = value.slice(0, MAX_PARAM_LENGTH);
    } else if (values.length > 1 || !value || value.length > MAX_PARAM_LENGTH) {
      malformed ??= key;
    } else {
      found[key] = value;
    }
  }
  if (!malformed) return found;
  return {
    error: 'invalid_request',
    error_description: `A repeated, empty or oversized "${malformed}" parameter.`,
    ...(found['state'] ? { state: found['state'] } : {}),
    malformed,
    ...(all('code').length ? { withCode: true } : {}),
  };
}

/** The same URL without the callback keys (for `history.replaceState`). */
export function stripCallbackParams(href: string): string {
  const url = new URL(href);
  for (const key of CALLBACK_KEYS) url.searchParams.delete(key);
  if (url.hash) {
    const hash = new URLSearchParams(url.hash.slice(1));
    if (CALLBACK_KEYS.some((k) => hash.has(k))) {
      for (const key of CALLBACK_KEYS) hash.delete(key);
      const rest = hash.toString();
      url.hash = rest ? `#${rest}` : '';
    }
  }
  return url.toString();
}
