/**
 * Closing popups so that they go. A script's `close()` can be lost, and the window stays open at
 * the provider's page:
 * - Chromium drops a close made while the closed window is still young (opened some 20 ms
 *   before, loading its first page: 10 to 13 windows in 16 stayed open in a test, whether the next
 *   window opened in the same task or not; a cancel and a new start in one handler, a Reopen). Its
 *   handle then reads closed for good, and closing again does nothing. A window opened 150 ms
 *   before closed every time, even with another opening in the same task.
 * - WebKit drops a close made while the window's navigation to another site commits; its handle
 *   reads closed, then open again.
 * So a close asked for less than {@link OPEN_SETTLE_MS} after a window opened waits until then (at
 * most half a second when windows keep opening: a Reopen, a new start ending an old flow), and the
 * window is watched until it is gone — closed again whenever its handle reads open — for at most
 * {@link CLOSE_WATCH_MS} after the first close (a browser that refuses to close a window keeps it).
 * One timer watches them all, and stops when none is left; a page that is leaving closes them all
 * at once. A flow's close on cancel comes after a new start's open in the same handler (its
 * teardown runs a microtask later), so it waits too. Left, for Chromium (a close it dropped cannot
 * be made again): several windows opened within a few milliseconds (faster than a user clicks),
 * and a cancel with a new start in one handler (`abort(); connect()`) while the cancelled window
 * is still on its way to the provider: 0 windows of 16 stayed open on a quiet machine, but 2 of 17
 * once in a full three-engine test run.
 */

/** How long a close waits at most for its window's first navigation to commit. */
export const COMMIT_WAIT_MS = 4000;
/** How long a window is watched after its first close. */
export const CLOSE_WATCH_MS = 5000;
/** No close is made this soon after a window opened… */
export const OPEN_SETTLE_MS = 50;
/** …unless the close has waited this long (windows opening one after another). */
const LONGEST_WAIT_MS = 500;
const TICK_MS = 50;

interface Closing {
  /** When the close was asked for. */
  readonly asked: number;
  /** When it was first made (0: not yet). */
  made: number;
}

/** Windows to close. */
const closing = new Map<Window, Closing>();
let sweep: ReturnType<typeof setInterval> | undefined;
let openedAt = -Infinity;
const clock = () => performance.now();

/** Windows sent to a URL (popup.ts) that may still show the about:blank they opened at. */
const sent = new WeakSet<Window>();

/** A window was just opened (popup.ts): closes wait a little. */
export function noteOpened(): void {
  openedAt = clock();
}

/** A window was sent on to a URL (opened at it, or navigated): its close waits for the commit. */
export function noteSent(popup: Window): void {
  sent.add(popup);
}

/**
 * The window was sent on but still shows its initial about:blank: its first navigation has not
 * committed, and a close made now is what Chromium drops (the close goes to a page about to be
 * replaced). Once the location reads otherwise — another origin's (unreadable) or ours — it has.
 */
function committing(popup: Window): boolean {
  if (!sent.has(popup)) return false;
  try {
    if (popup.location.href === 'about:blank') return true;
  } catch {
    // another origin's page: committed
  }
  sent.delete(popup);
  return false;
}

/** A close can be made now: no window opened just before, and this one's navigation committed. */
function ready(popup: Window, entry: Closing, now: number): boolean {
  const settled = now - openedAt >= OPEN_SETTLE_MS || now - entry.asked >= LONGEST_WAIT_MS;
  return settled && (!committing(popup) || now - entry.asked >= COMMIT_WAIT_MS);
}

/**
 * Gone for good: closed, and its browsing context discarded (every engine then reads `parent`
 * null; Firefox may read it null for a moment while a new window starts loading another site).
 */
function gone(popup: Window): boolean {
  try {
    return popup.closed && popup.parent === null;
  } catch {
    return true;
  }
}

function tryClose(popup: Window): void {
  try {
    if (!popup.closed) popup.close();
  } catch {
    // a severed or cross-origin handle may refuse; nothing more we can do from here
  }
}

function tick(): void {
  const now = clock();
  for (const [win, entry] of closing) {
    if (gone(win) || (entry.made && now - entry.made > CLOSE_WATCH_MS)) {
      closing.delete(win);
    } else if (entry.made || ready(win, entry, now)) {
      entry.made ||= now;
      tryClose(win);
    }
  }
  if (!closing.size) {
    clearInterval(sweep);
    sweep = undefined;
  }
}

/**
 * Closes the popup: at once, unless a window has just opened (see above), and watched until it is
 * gone. `leaving`: the page is leaving (its timers will not run; it opens nothing after), so this
 * window and every close still waiting are made now.
 */
export function closePopup(popup: Window | null | undefined, leaving = false): void {
  const at = clock();
  if (leaving) {
    for (const [win, entry] of closing) {
      tryClose(win);
      entry.made ||= at;
    }
  }
  if (!popup || gone(popup)) return;
  const entry = closing.get(popup) ?? { asked: at, made: 0 };
  if (leaving || ready(popup, entry, at)) {
    tryClose(popup);
    entry.made ||= at;
  }
  closing.set(popup, entry);
  sweep ??= setInterval(tick, TICK_MS);
}
