/**
 * A landing code held while the user signs in to the partner app (Hint InstantOn: the admin lands
 * on your activation page with `?code=`, often signed out). The exchange answered 401, so the code
 * waits in this tab's `sessionStorage` — never another tab's — for
 * `HELD_CODE_MAX_AGE_MS` at most from when it landed, and is sent again once: taking it removes it,
 * so a held code is never sent twice at the same time (another element, a reload, `resume()`), and
 * its ticket (storage.ts) keeps a window this tab opened, which starts with a copy of the tab's
 * storage, from sending it a second time.
 */
import { HELD_CODE_MAX_AGE_MS, HELD_PREFIX } from '../core/protocol.js';
import type { ProviderId } from '../core/providers/types.js';
import { keepOnce, takeOnce, type TakenItem } from './storage.js';

/** The `sessionStorage` item of `provider`'s held code. */
export const heldItem = (provider: ProviderId) => `${HELD_PREFIX}${provider}`;

/** Holds `code` (landed at `at`) for the user's sign-in; false, holding nothing, if storage is blocked. */
export function holdCode(win: Window, provider: ProviderId, code: string, at: number): boolean {
  const held = { v: 1, provider, code, at };
  return keepOnce(win, heldItem(provider), held, at + HELD_CODE_MAX_AGE_MS);
}

/**
 * Takes this tab's held code for `provider` (removed at once; the engine checks it and redeems it
 * before sending). Undefined when there is none, it cannot be read, or another window that had a
 * copy of this tab's storage sent it already: nothing to finish here. One too old to send is
 * still returned, for the engine to report `expired`.
 */
export function takeHeldCode(win: Window, provider: ProviderId): TakenItem | undefined {
  const taken = takeOnce(win, heldItem(provider));
  if (!taken?.spent) return taken;
  const at = (taken.value as { at?: unknown } | null)?.at;
  return typeof at === 'number' && Date.now() - at > HELD_CODE_MAX_AGE_MS ? taken : undefined;
}
