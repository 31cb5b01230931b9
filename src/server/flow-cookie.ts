/**
 * The flow cookie: binds a server-completed flow to the browser that started it, so the
 * provider's redirect is checked without the partner's session cookie (a `SameSite=Strict` one is
 * not sent on that cross-site navigation).
 *
 * One cookie a flow, with a name of its own: two flows started at once in one browser (two
 * elements) each get theirs. (One secret shared by a browser's flows would be minted twice by two
 * first starts at once, and the second `Set-Cookie` would overwrite the first flow's.) Its value is
 * 32 random bytes; the store keeps only its SHA-256, compared in constant time.
 *
 * `HttpOnly` (no script reads it), `SameSite=Lax` (sent on the provider's top-level redirect, not
 * on cross-site subrequests), `Max-Age` = the flow's timeout. With an https redirect URI it is a
 * `__Host-` cookie: `Secure`, no `Domain`, and `Path=/` (the prefix requires that path), so no
 * sibling subdomain can plant one — an attacker's own flow cookie planted in a victim's browser
 * would let the victim's sign-in finish the attacker's flow. On http (loopback development) it has
 * neither prefix nor `Secure`, and `Path` is the handler's own path.
 */
import { base64url, randomToken } from '../core/random.js';
import { sameState } from '../core/state.js';

export interface CookieSettings {
  readonly secure: boolean;
  readonly path: string;
  /** Seconds. */
  readonly maxAge: number;
}

/** A new flow's cookie: its name and value for the browser, the value's hash for the store. */
export interface FlowCookie {
  readonly name: string;
  readonly value: string;
  readonly hash: string;
}

/** The names this handler gives its cookies (checked when one is read back from the store). */
export const COOKIE_NAME = /^(?:__Host-)?oauth-connect-[A-Za-z0-9_-]{12}$/;
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function cookieSettings(redirectUri: string, timeoutMs: number): CookieSettings {
  const url = new URL(redirectUri);
  const secure = url.protocol === 'https:';
  // (a path with a ';' or a space would end the attribute: then the whole origin)
  const path = secure || !/^\/[\x21-\x3A\x3C-\x7E]*$/.test(url.pathname) ? '/' : url.pathname;
  return { secure, path, maxAge: Math.ceil(timeoutMs / 1000) };
}

export async function mintFlowCookie(settings: CookieSettings): Promise<FlowCookie> {
  const name = `${settings.secure ? '__Host-' : ''}oauth-connect-${randomToken(9)}`;
  const value = randomToken(32);
  return { name, value, hash: await digest(value) };
}

/** The `Set-Cookie` line that gives the browser its flow cookie. */
export function setFlowCookie(settings: CookieSettings, cookie: FlowCookie): string {
  return line(settings, `${cookie.name}=${cookie.value}`, settings.maxAge);
}

/** The `Set-Cookie` line that removes a flow cookie (its redirect was taken, or it was given up). */
export function clearFlowCookie(settings: CookieSettings, name: string): string {
  return line(settings, `${name}=`, 0);
}

/** Whether the request carries the flow cookie `name` whose value hashes to `hash`. */
export async function carriesFlowCookie(
  request: Request,
  name: string,
  hash: string,
): Promise<boolean> {
  let found = false;
  // several Cookie headers may have been joined with ", ": split on both
  for (const pair of (request.headers.get('cookie') ?? '').split(/[;,]/)) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const value = pair.slice(at + 1).trim();
    // every candidate is hashed and compared: no early answer from which of them matched
    if (VALUE.test(value) && sameState(hash, await digest(value))) found = true;
  }
  return found;
}

/** The names of the flow cookies (this handler's names) the request carries. */
export function carriedCookieNames(request: Request): Set<string> {
  const names = new Set<string>();
  for (const pair of (request.headers.get('cookie') ?? '').split(/[;,]/)) {
    const at = pair.indexOf('=');
    const name = (at < 0 ? '' : pair.slice(0, at)).trim();
    if (COOKIE_NAME.test(name)) names.add(name);
  }
  return names;
}

function line(settings: CookieSettings, pair: string, maxAge: number): string {
  const secure = settings.secure ? '; Secure' : '';
  return `${pair}; Path=${settings.path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

async function digest(value: string): Promise<string> {
  const bytes = new TextEncoder().encode(value);
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}
