const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.0.0.1` and `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * Parses `value` (relative to `base` when given) and accepts it only over `https:`, or `http:` on a
 * loopback host for local development. Codes and tokens must never travel in clear text
 * (RFC 6749 §3.1.2.1, RFC 8252 §7.3). Returns the URL, or `undefined` when it is not acceptable.
 */
export function parseSafeUrl(value: string, base?: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  return undefined;
}
