/**
 * The plain items this library keeps in this tab's `sessionStorage` (the ones spent once — a held
 * code, the pending redirect flow — are spend-once.ts; the ones every window of the origin shares
 * are shared.ts): a flow's per-flow key lent to the window it opens, and the mark that this tab
 * autostarted. Each reader and writer is guarded: blocked or full storage is never an exception,
 * only a weaker binding (the flow's `state` still binds its answer). `callback.ts`, the redirect
 * page's own small entry, reads the same items by `core/protocol.ts`'s names.
 */
/** This tab keeps `item` in its sessionStorage (or storage cannot be read: it might). */
export function hasItem(win: Window, item: string): boolean {
  try {
    return win.sessionStorage.getItem(item) !== null;
  } catch {
    return true;
  }
}

/**
 * Runs `open` with `value` under `item` in this tab's sessionStorage for that moment, and puts
 * this tab's own value back after: a window opened then starts with a copy of the tab's storage,
 * so it carries the value away (a per-flow key, to its callback page).
 */
export function lendItem<T>(win: Window, item: string, value: string, open: () => T): T {
  let storage: Storage | undefined;
  let before: string | null = null;
  try {
    storage = win.sessionStorage;
    before = storage.getItem(item);
    storage.setItem(item, value);
  } catch {
    storage = undefined; // storage blocked: nothing lent, nothing to put back
  }
  try {
    return open();
  } finally {
    try {
      if (before === null) storage?.removeItem(item);
      else storage?.setItem(item, before);
    } catch {
      // nothing to put back
    }
  }
}

/**
 * Writes `value` under `item` into `popup`'s sessionStorage while it is `about:blank` (our origin
 * until it navigates); the tab keeps it when it comes back to our origin. False when blocked.
 */
export function giveItem(popup: Window, item: string, value: string): boolean {
  try {
    popup.sessionStorage.setItem(item, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * True when this tab had no `item` in its sessionStorage and now has (written with the time):
 * a mark made once per tab. False when it was there, or when storage is blocked (a mark that
 * cannot be written could not stop anything).
 */
export function markOnce(win: Window, item: string): boolean {
  try {
    if (win.sessionStorage.getItem(item) !== null) return false;
    win.sessionStorage.setItem(item, String(Date.now()));
    return win.sessionStorage.getItem(item) !== null;
  } catch {
    return false;
  }
}
