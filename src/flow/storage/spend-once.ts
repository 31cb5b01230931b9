/**
 * The items this library keeps in the browser's storage that must be spent once (DESIGN.md 6d: the
 * storage folder is the one place items are read and written; the plain ones are tab.ts and shared.ts): a
 * landing code held for the sign-in (below) and the pending redirect flow (modes/redirect.ts,
 * url-answer.ts).
 *
 * Both live in this tab's `sessionStorage`, but a window the tab opens (a sign-in popup, a link
 * opened in a new window) starts with a copy of it. So each such item carries a random id, and a
 * live ticket for that id waits in `localStorage`, which every window of the origin shares and no
 * window copies. Taking the item claims its ticket in the same task — the windows a tab opens run
 * on its event loop, so no two of them can both claim it — and the claim is redeemed under a Web
 * Lock (`navigator.locks`, in Chromium, Firefox and WebKit; a plain read-and-write without) before
 * anything is sent, which orders windows of other processes too (a duplicated tab, one that
 * Cross-Origin-Opener-Policy moved). Redeeming writes a spent record for the id (`localStorage`
 * too), then removes the ticket; so does dropping the item. A ticket claimed by another window, or
 * a spent record, means another window spent the item: nothing is sent.
 *
 * A missing ticket alone does not: apps clear `localStorage` (often at sign-in or sign-out, the
 * very step a held code waits for), which takes tickets and spent records with it. Taking an item
 * whose ticket and spent record are both gone writes the ticket again, with this window's claim,
 * so windows still race through the claim and the lock; and a redeem that finds neither (cleared
 * since the take) is this window's, as no other window claimed the item since. The trade-off: if
 * `localStorage` is cleared after one window spent the item, a copy of it elsewhere can be spent
 * once more. That sends the same code to the same backend a second time, where the provider refuses
 * it (codes are single use): it fails there, it is never leaked. Tickets and spent records carry
 * times only, never a code, and expire with their item (cleaned on writes).
 */
import { ConnectError } from '../../core/errors.js';
import {
  HELD_CODE_MAX_AGE_MS,
  HELD_PREFIX,
  SPENT_PREFIX,
  TICKET_PREFIX,
} from '../../core/protocol.js';
import type { ProviderId } from '../../core/providers/types.js';
import { randomToken } from '../../core/random.js';
import type { TakenItem } from '../types.js';

/** How long a ticket (and a spent record) outlives its item's own deadline before a write cleans it up. */
const GRACE_MS = 60_000;

/** A ticket or spent record as stored: when it was written, until when it lives, who claimed it. */
interface Ticket {
  readonly at: number;
  readonly until: number;
  readonly by?: string;
}

/** This tab's `item` as stored: parsed JSON; undefined when none; null when unreadable or blocked. */
export function peek(win: Window, item: string): unknown {
  try {
    const raw = win.sessionStorage.getItem(item);
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return null;
  }
}

/**
 * Keeps `value` under `item` in this tab's `sessionStorage`, to be spent once before `deadline`
 * (ms since epoch), with its ticket; the item it replaces can no longer be spent anywhere. False,
 * keeping nothing, when storage is blocked.
 */
export function keepOnce(win: Window, item: string, value: object, deadline: number): boolean {
  const id = randomToken(16);
  const at = Date.now();
  const until = deadline + GRACE_MS;
  try {
    drop(win, item);
    const local = win.localStorage;
    for (const key of Object.keys(local)) {
      // an expired ticket or spent record, or not one at all
      if (
        (key.startsWith(TICKET_PREFIX) || key.startsWith(SPENT_PREFIX)) &&
        !(at <= (read(local, key)?.until ?? 0))
      ) {
        local.removeItem(key);
      }
    }
    local.setItem(TICKET_PREFIX + id, JSON.stringify({ at, until }));
    // (`until` in the item too: a ticket written again, or a spent record, lives as long)
    win.sessionStorage.setItem(item, JSON.stringify({ ...value, ticket: id, until }));
    return true;
  } catch {
    drop(win, item); // (a ticket written without its item expires unused)
    return false;
  }
}

/** Removes this tab's `item` and spends its ticket: it can no longer be spent in any window. */
export function drop(win: Window, item: string): void {
  const once = ids(peek(win, item));
  try {
    win.sessionStorage.removeItem(item);
    if (once) spend(win.localStorage, once);
  } catch {
    // storage blocked: nothing is kept
  }
}

/**
 * Takes this tab's `item` (removed at once) and claims its ticket, both in this task; undefined
 * when there is no item. An item whose ticket another window claimed, or that has a spent record
 * (or no id), is `spent`; one whose ticket and spent record are both gone (`localStorage` was
 * cleared) is claimed with a new ticket. When storage is blocked it is not `spent`, but `redeem()`
 * rejects: nothing is sent either way.
 */
export function takeOnce(win: Window, item: string): TakenItem | undefined {
  const value = peek(win, item);
  if (value === undefined) return undefined;
  const once = ids(value);
  let by: string | undefined;
  try {
    win.sessionStorage.removeItem(item);
    const local = win.localStorage;
    const ticket = once && read(local, once.ticket);
    if (once && (ticket ? !ticket.by : !read(local, once.spent))) {
      // unclaimed; or gone, and never spent (localStorage was cleared): written again, claimed
      const claimed = { at: Date.now(), until: once.until, by: randomToken(9) };
      local.setItem(once.ticket, JSON.stringify(claimed));
      by = claimed.by;
    }
  } catch {
    const error = new ConnectError(
      'error',
      'This browser blocks the storage that keeps a code from being sent twice: nothing was sent.',
    );
    return { value, spent: false, redeem: () => Promise.reject(error) };
  }
  // still ours — no other window claimed it since (a ticket gone with no spent record: cleared
  // since the take, and nobody claimed it after) and none spent it — and spent in the same task
  const redeem = () => {
    const local = win.localStorage;
    const ticket = read(local, once!.ticket);
    const mine = (!ticket || ticket.by === by) && !read(local, once!.spent);
    if (mine) spend(local, once!);
    return mine;
  };
  const locks = win.navigator.locks as LockManager | undefined;
  return {
    value,
    spent: !by,
    redeem: async () => Boolean(by) && (locks ? locks.request(once!.ticket, redeem) : redeem()),
  };
}

/** Writes the spent record of an item's id, then removes its ticket (in that order: see redeem). */
function spend(local: Storage, once: Ids): void {
  local.setItem(once.spent, JSON.stringify({ at: Date.now(), until: once.until }));
  local.removeItem(once.ticket);
}

/** The ticket or spent record at `key`, read loosely (no zod: this runs in the first-load chunk). */
function read(local: Storage, key: string): Ticket | undefined {
  const raw = local.getItem(key);
  let ticket: Partial<Ticket> | null = null;
  try {
    ticket = JSON.parse(raw ?? 'null') as Partial<Ticket> | null;
  } catch {
    // not JSON: not a ticket
  }
  return typeof ticket?.at === 'number' && typeof ticket.until === 'number'
    ? (ticket as Ticket)
    : undefined;
}

/** An item's `localStorage` keys, and until when they live. */
interface Ids {
  readonly ticket: string;
  readonly spent: string;
  readonly until: number;
}

/** The keys of the ticket and spent record an item names; undefined when it names no id. */
function ids(value: unknown): Ids | undefined {
  const { ticket: id, until } = (value ?? {}) as { ticket?: unknown; until?: unknown };
  if (typeof id !== 'string' || !id) return undefined;
  return {
    ticket: TICKET_PREFIX + id,
    spent: SPENT_PREFIX + id,
    until: typeof until === 'number' ? until : Date.now() + GRACE_MS,
  };
}

// ——— held landing codes

/*
 * A landing code held while the user signs in to the partner app (Hint InstantOn: the admin lands
 * on your activation page with `?code=`, often signed out). The exchange answered 401, so the code
 * waits in this tab's `sessionStorage` — never another tab's — for
 * `HELD_CODE_MAX_AGE_MS` at most from when it landed, and is sent again once: taking it removes it,
 * so a held code is never sent twice at the same time (another element, a reload, `resume()`), and
 * its ticket (above) keeps a window this tab opened, which starts with a copy of the tab's
 * storage, from sending it a second time.
 */
/** The `sessionStorage` item of `provider`'s held code. */
export const heldItem = (provider: ProviderId) => `${HELD_PREFIX}${provider}`;

/** Holds `code` (landed at `at`) for the user's sign-in; false, holding nothing, if storage is blocked. */
export function holdCode(win: Window, provider: ProviderId, code: string, at: number): boolean {
  const held = { v: 1, provider, code, at };
  return keepOnce(win, heldItem(provider), held, at + HELD_CODE_MAX_AGE_MS);
}

/**
 * Takes this tab's held code for `provider` (removed at once; the landing runner checks it, and it is
 * redeemed before sending). Undefined when there is none, it cannot be read, or another window that had a
 * copy of this tab's storage sent it already: nothing to finish here. One too old to send is
 * still returned, to be reported `expired`.
 */
export function takeHeldCode(win: Window, provider: ProviderId): TakenItem | undefined {
  try {
    win.sessionStorage.getItem(heldItem(provider));
  } catch {
    return undefined; // storage that cannot be read held nothing for anyone (a third-party frame)
  }
  const taken = takeOnce(win, heldItem(provider));
  if (!taken?.spent) return taken;
  const at = (taken.value as { at?: unknown } | null)?.at;
  return typeof at === 'number' && Date.now() - at > HELD_CODE_MAX_AGE_MS ? taken : undefined;
}
