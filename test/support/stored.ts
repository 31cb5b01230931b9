/**
 * Items kept as the library keeps them (src/flow/storage.ts): in this tab's sessionStorage, with
 * the ticket in localStorage through which one window spends them (and then its spent record).
 */
import { keepOnce } from '../../src/flow/storage/spend-once.js';

export const PENDING = 'oauth-connect:pending';
export const HELD = 'oauth-connect:held:hint';
export const TICKET_PREFIX = 'oauth-connect:ticket:';
export const SPENT_PREFIX = 'oauth-connect:spent:';

/** A pending redirect flow of this tab, as redirect mode writes it before leaving. */
export function keepPending(pending: Record<string, unknown>): void {
  const { createdAt, timeout } = pending;
  const deadline =
    typeof createdAt === 'number' && typeof timeout === 'number'
      ? createdAt + timeout
      : Date.now() + 300_000;
  if (!keepOnce(window, PENDING, pending, deadline)) throw new Error('storage blocked');
}

/** A landing code held for the sign-in (`at`: when it landed), as a 401 leaves it. */
export function keepHeld(held: { provider: string; code: string; at: number }): void {
  if (!keepOnce(window, HELD, { v: 1, ...held }, held.at + 10 * 60_000)) {
    throw new Error('storage blocked');
  }
}

/** This origin's tickets (localStorage), by key. */
export const tickets = (): Record<string, string> => stored(TICKET_PREFIX);

/** This origin's spent records (localStorage), by key. */
export const spentRecords = (): Record<string, string> => stored(SPENT_PREFIX);

function stored(prefix: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)!;
    if (key.startsWith(prefix)) found[key] = localStorage.getItem(key)!;
  }
  return found;
}
