/**
 * A landing code held while the user signs in to the partner app (Hint InstantOn: the admin lands
 * on your activation page with `?code=`, often signed out). The exchange answered 401, so the code
 * waits in this tab's `sessionStorage` — never another tab's — for
 * `HELD_CODE_MAX_AGE_MS` at most from when it landed, and is sent again once: taking it removes it,
 * so a held code is never sent twice at the same time (another element, a reload, `resume()`).
 */
import { HELD_PREFIX } from '../core/protocol.js';
import type { ProviderId } from '../core/providers/types.js';

/** The `sessionStorage` item of `provider`'s held code. */
export const heldItem = (provider: ProviderId) => `${HELD_PREFIX}${provider}`;

/**
 * Takes this tab's held code for `provider`: removes it and returns it as stored (parsed JSON, for
 * the engine to check), or undefined when there is none, it cannot be read, or storage is blocked.
 */
export function takeHeldCode(win: Window, provider: ProviderId): unknown {
  try {
    const raw = win.sessionStorage.getItem(heldItem(provider));
    if (raw === null) return undefined;
    win.sessionStorage.removeItem(heldItem(provider));
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined; // storage blocked, or not JSON (now removed): nothing to send
  }
}
