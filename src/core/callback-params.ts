/**
 * What a redirect_uri can carry back. Parsed from the query and the fragment (the fragment wins for
 * a key present in both, as `response_mode=fragment` puts the answer there).
 */
export interface CallbackParams {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly error_description?: string;
  readonly status_code?: string;
}

export const CALLBACK_KEYS = [
  'code',
  'state',
  'error',
  'error_description',
  'status_code',
] as const;

const MAX_PARAM_LENGTH = 4096;

/** Reads the callback keys from a URL's query and fragment; undefined when none is present. */
export function parseCallbackUrl(href: string): CallbackParams | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  const found: Record<string, string> = {};
  const sources = [url.searchParams, new URLSearchParams(url.hash.replace(/^#/, ''))];
  for (const source of sources) {
    for (const key of CALLBACK_KEYS) {
      const value = source.get(key);
      if (value !== null && value.length > 0 && value.length <= MAX_PARAM_LENGTH)
        found[key] = value;
    }
  }
  return hasCallbackResult(found) ? (found as CallbackParams) : undefined;
}

/** A result needs at least a `code`, an `error` or a `status_code`; a lone `state` is nothing. */
export function hasCallbackResult(params: CallbackParams): boolean {
  return Boolean(params.code || params.error || params.status_code);
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
