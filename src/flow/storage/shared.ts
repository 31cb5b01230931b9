/**
 * The plain items this library keeps in the origin's `localStorage`, which every window of the
 * origin shares (this tab's own items: tab.ts; those spent once: spend-once.ts): a value relayed
 * to the other windows by a `storage` event, and the marks that a flow was dismissed. Guarded:
 * blocked storage is never an exception. `callback.ts` reads the same items by
 * `core/protocol.ts`'s names.
 */

/** Tells the origin's other windows `value` by a `storage` event (written and removed at once). */
export function relayItem(win: Window, item: string, value: string): void {
  try {
    win.localStorage.setItem(item, value);
    win.localStorage.removeItem(item);
  } catch {
    // storage blocked: nothing relayed
  }
}

/**
 * Marks `item` (shared by every window of the origin) until `until` (ms since epoch), and prunes
 * the marks under `prefix` whose time has passed.
 */
export function markUntil(win: Window, prefix: string, item: string, until: number): void {
  try {
    const store = win.localStorage;
    const now = Date.now();
    for (let i = store.length - 1; i >= 0; i--) {
      const key = store.key(i);
      if (key?.startsWith(prefix) && Number(store.getItem(key)) < now) store.removeItem(key);
    }
    store.setItem(item, String(until));
  } catch {
    // storage blocked: not marked
  }
}
