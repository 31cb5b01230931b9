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

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/**
 * An absolute URL that may carry a secret: `https:`, or `http:` on a loopback host (localhost,
 * 127.0.0.1, [::1]) — the rule of the URL options, for URLs that come from elsewhere (a
 * discovery document's endpoints).
 */
export function isSecureUrl(value: unknown): boolean {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.includes(url.hostname));
}

/**
 * A credential or URL copied from a template rather than the real value. The rule (case
 * insensitive, on the whole value):
 * - empty, or with whitespace at either end (a copied line end);
 * - a template slot: `<client-secret>`, `[client id]`, `{{CLIENT_ID}}`, `${CLIENT_ID}`,
 *   `$CLIENT_ID`, `%CLIENT_ID%` (an environment variable that was never expanded);
 * - filler: only `x`, `*`, `.`, `…`, `_` or `-` (`xxx`, `****`);
 * - a word that names the slot instead of filling it, written with any of space, `_`, `-`, `.`:
 *   `TODO`, `TBD`, `FIXME`, `changeme`, `replace-me`, `placeholder`, `undefined`, `null`, `none`,
 *   `secret`, `client_id`, `client_secret`, `api_key`, `app_id`, `app_secret`, `password`;
 * - `your…` + what it names (`YOUR_CLIENT_ID`, `your-api-key`, `yourSecret`), or an instruction
 *   (`insert …`, `enter …`, `paste …`, `put … here`).
 */
export function isPlaceholder(value: string): boolean {
  if (value.trim() === '' || value !== value.trim()) return true;
  if (/^(<.*>|\[.*\]|\{.*\}|\$\{.*\}|%[^%\s]+%|\$[a-z_][a-z0-9_]*)$/i.test(value)) return true;
  if (/^[x*.\u2026_-]+$/i.test(value)) return true;
  const word = value.toLowerCase().replace(/[\s_.-]+/g, '');
  if (PLACEHOLDER_WORDS.has(word)) return true;
  if (/^your(client|app|api|secret|key|id|token|tenant|domain|company|org|password)/.test(word)) {
    return true;
  }
  return /^(insert|enter|paste|put)[\s_.-]/i.test(value);
}

const PLACEHOLDER_WORDS = new Set([
  'todo',
  'tbd',
  'fixme',
  'changeme',
  'replaceme',
  'placeholder',
  'undefined',
  'null',
  'none',
  'secret',
  'clientid',
  'clientsecret',
  'apikey',
  'appid',
  'appsecret',
  'password',
]);

/**
 * A credential option (`clientId`, `clientSecret`, `apiKey`): a string that is no placeholder
 * ({@link isPlaceholder}); throws naming the option. A secret's value is never put in the message
 * (start-up errors end up in logs).
 */
export function credentialOption(name: string, value: unknown, secret = false): void {
  if (value === undefined || value === null || value === '') {
    throw configError(`${name} is required.`);
  }
  if (typeof value !== 'string') {
    throw configError(`${name} must be a string (got ${typeof value}).`);
  }
  if (isPlaceholder(value)) {
    const shown = secret ? '' : ` (got ${JSON.stringify(value)})`;
    throw configError(
      `${name} looks like a placeholder${shown}: give the value the provider issued ` +
        '(empty, filler such as xxx or TODO, a template slot such as <…> or ${…}, and ' +
        'whitespace at either end are refused).',
    );
  }
}

/**
 * An absolute URL option (a provider endpoint, a redirect URI): \`https:\` — \`http:\` only on a
 * loopback host (localhost, 127.0.0.1, [::1]: development and mocks), since a client secret, an
 * API key or a code would otherwise cross the network in clear — with no placeholder in it
 * (\`https://YOUR_DOMAIN/oauth/token\`, \`https://<tenant>.example/…\`); throws otherwise.
 */
export function urlOption(name: string, value: unknown): void {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw configError(`${name} must be an absolute https URL (got ${JSON.stringify(value)}).`);
  }
  const text = value as string;
  const parts = [...url.hostname.split('.'), ...url.pathname.split('/')].filter(Boolean);
  if (
    /[<>{}\s]|\$\{|%7B|%3C/i.test(text) ||
    parts.some((part) => urlPartPlaceholder(decodeURIComponentSafe(part)))
  ) {
    throw configError(
      `${name} looks like a placeholder (got ${JSON.stringify(value)}): give the real URL.`,
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK.includes(url.hostname)) {
    throw configError(
      `${name} must be https (http only on localhost, 127.0.0.1 or [::1]) (got ${JSON.stringify(value)}).`,
    );
  }
}

/**
 * A host label or path segment that is a slot, not a value: `YOUR_DOMAIN`, `your-tenant`, `xxx`,
 * `TODO`, `changeme`, `placeholder` (the narrower list: a path may well hold `secret` or `-`).
 */
function urlPartPlaceholder(part: string): boolean {
  const word = part.toLowerCase().replace(/[\s_.-]+/g, '');
  return (
    /^x{3,}$/.test(word) ||
    /^(todo|tbd|fixme|changeme|replaceme|placeholder|undefined|null)$/.test(word) ||
    /^your[a-z]/.test(word)
  );
}

function decodeURIComponentSafe(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** An optional function option (`storeCredentials`, `onError`, `fetch`): throws when not one. */
export function functionOption(name: string, value: unknown, required = false): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'function') {
    throw configError(
      required
        ? `${name}(…) is required (got ${value === undefined ? 'nothing' : typeof value}).`
        : `${name} must be a function (got ${typeof value}).`,
    );
  }
}

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
