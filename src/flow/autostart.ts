/**
 * `autostart` (redirect mode; HCSS Marketplace arrivals): the page the customer is sent to starts
 * the flow without a click, once per tab and provider. The marker is written before the flow
 * leaves, so nothing that comes back to this tab — the provider's return, with an answer or
 * without, a failed return, a reload, Back — starts it again: never a loop.
 */
import { AUTOSTART_PREFIX } from '../core/protocol.js';
import type { ProviderId } from '../core/providers/types.js';
import { readPendingItem } from './url-answer.js';

/**
 * True (and the marker written) when this tab may autostart `provider`'s flow now: it never did,
 * and no redirect flow of this tab is pending. False when storage is blocked (a marker that cannot
 * be written could not stop a loop).
 */
export function claimAutostart(win: Window, provider: ProviderId): boolean {
  const item = `${AUTOSTART_PREFIX}${provider}`;
  try {
    if (win.sessionStorage.getItem(item) !== null) return false;
    if (readPendingItem(win) !== undefined) return false;
    win.sessionStorage.setItem(item, String(Date.now()));
    return win.sessionStorage.getItem(item) !== null;
  } catch {
    return false;
  }
}
