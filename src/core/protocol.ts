/**
 * Names shared by the callback page and its opener, and the items this library keeps, in one place
 * (kept free of zod so the callback entry stays tiny). The messages themselves: core/wire.ts.
 */
export const CALLBACK_MESSAGE_TYPE = 'oauth-connect:callback';
/** The opener took the result: the callback page may close itself. */
export const ACK_MESSAGE_TYPE = 'oauth-connect:ack';
/** The flow that opened this popup has ended without this result: close, deliver nothing more. */
export const DISMISS_MESSAGE_TYPE = 'oauth-connect:dismiss';

/**
 * The prefix of every name below: the shared BroadcastChannel is called exactly this. (The names
 * below are written out, not built from it: a bundler drops a literal nobody uses, not a template.)
 */
export const CHANNEL_NAME = 'oauth-connect';

/**
 * The BroadcastChannel of one flow: named by its per-flow key, so only that flow listens on it.
 * Without a key (a page that is not one of our popups), the shared channel, where only answers
 * carrying a flow's `state` can count.
 */
export const channelName = (key?: string): string =>
  key ? `${CHANNEL_NAME}:${key}` : CHANNEL_NAME;

/**
 * `sessionStorage` item holding the per-flow key, written by the opener into the `about:blank`
 * popup before it leaves for the provider, or — for a popup opened at a request made ahead — into
 * the opener's own `sessionStorage` for the moment of `window.open`, which the popup starts with a
 * copy of (the opener's own value is put back at once). Session storage belongs to the tab, so the callback page
 * that this popup later shows finds it (through Cross-Origin-Opener-Policy too), and a tab that any
 * other site navigated to the callback page does not.
 */
export const FLOW_KEY_ITEM = 'oauth-connect:flow';

/** `sessionStorage` item holding this tab's pending redirect flow (one per tab). */
export const PENDING_ITEM = 'oauth-connect:pending';

/** `localStorage` items marking a flow key as dismissed (its flow ended without its result). */
export const DISMISSED_PREFIX = 'oauth-connect:dismissed:';

/** `localStorage` items carrying a message where BroadcastChannel is missing (removed at once). */
export const MESSAGE_PREFIX = 'oauth-connect:message:';

/**
 * `sessionStorage` item prefix (+ provider) holding a landing code while the user signs in to the
 * partner app: this tab only, for {@link HELD_CODE_MAX_AGE_MS} at most, removed when taken.
 */
export const HELD_PREFIX = 'oauth-connect:held:';

/**
 * `localStorage` item prefix (+ a random id) of a live ticket: one per `sessionStorage` item that
 * must be spent once (a held code, a pending redirect flow), shared by every window of the origin
 * and never copied, so a window holding a copy of this tab's storage cannot spend it again
 * (flow/storage/spend-once.ts). It carries times only, never a code.
 */
export const TICKET_PREFIX = 'oauth-connect:ticket:';

/**
 * `localStorage` item prefix (+ the same id) of a spent record: written when a window redeems an
 * item's ticket, before anything is sent, so that a ticket gone because something on the origin
 * cleared `localStorage` is not taken for one spent elsewhere (flow/storage/spend-once.ts). Times only.
 */
export const SPENT_PREFIX = 'oauth-connect:spent:';

/** How long a held landing code may wait for the user's sign-in (Hint's codes live 10 minutes). */
export const HELD_CODE_MAX_AGE_MS = 10 * 60_000;

/**
 * `sessionStorage` item prefix (+ provider) marking that `autostart` has started a flow in this
 * tab: it never starts another there (a return, a failed return, a reload, Back: no loop).
 */
export const AUTOSTART_PREFIX = 'oauth-connect:autostart:';
