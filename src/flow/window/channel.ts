/**
 * The opener's side of the callback page's second path, for when Cross-Origin-Opener-Policy has
 * severed `window.opener`: a BroadcastChannel (same origin by construction) named by the flow's
 * key, or the shared one; where BroadcastChannel is missing, same-origin `storage` events.
 * Which messages count is decided in core/ownership, not here.
 */
import { DISMISSED_PREFIX } from '../../core/protocol.js';
import { ackMessage, carried, carrierItem, DISMISS_MESSAGE } from '../../core/wire.js';
import { parseChannelMessage, type ParsedMessage } from '../../core/schemas/messages.js';
import { onAbort } from '../../core/abort.js';
import { listen } from './listen.js';
import { markUntil, relayItem } from '../storage/shared.js';

const hasBroadcastChannel = () => typeof BroadcastChannel === 'function';

/** Delivers our callback envelopes posted on channel `name` until `signal` aborts. */
export function listenOnChannel(
  win: Window,
  name: string,
  onMessage: (message: ParsedMessage) => void,
  signal: AbortSignal,
): void {
  if (signal.aborted) return;
  const deliver = (data: unknown) => {
    const message = parseChannelMessage(data);
    if (message) onMessage(message);
  };
  if (hasBroadcastChannel()) {
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent) => deliver(event.data);
    onAbort(signal, () => {
      channel.onmessage = null;
      channel.close();
    });
    return;
  }
  listen(
    win,
    'storage',
    (event) => {
      const data = carried(event.key, event.newValue, name);
      if (data !== undefined) deliver(data);
    },
    signal,
  );
}

/** Posts `data` on channel `name` (a storage event where BroadcastChannel is missing). */
function postOnChannel(win: Window, name: string, data: unknown): void {
  if (hasBroadcastChannel()) {
    const channel = new BroadcastChannel(name);
    channel.postMessage(data);
    channel.close();
    return;
  }
  relayItem(win, ...carrierItem(Math.random().toString(36).slice(2), name, data));
}

/**
 * Tells the callback page that its result was taken, so it may close itself: on the channel it
 * listens on (`on`), and to the window itself — the callback page opens its channel a task after
 * posting to its opener, so an early acknowledgement may come before it. Only to our own origin.
 */
export function acknowledge(
  win: Window,
  reply: { readonly on: string; readonly id: string },
  popup: Window,
): void {
  const ack = ackMessage(reply.id);
  postOnChannel(win, reply.on, ack);
  try {
    popup.postMessage(ack, win.location.origin);
  } catch {
    // a closed or severed window: the channel carries it
  }
}

/** How long a dismissal is remembered: a late answer after that holds an expired code anyway. */
const DISMISSED_FOR_MS = 60 * 60 * 1000;

/**
 * The flow that owns `key` ended without its result (cancel, timeout, reopen, the page leaving):
 * a callback page of that key that is open now closes at once, and one that opens later (the user
 * finishing in a window the opener could no longer close) closes itself as soon as it has read the
 * mark; what it delivered meanwhile went only to its flow's channel, where nobody listens any more.
 * The mark holds no code and no state; expired marks are pruned on each write.
 */
export function dismiss(win: Window, name: string, key: string): void {
  postOnChannel(win, name, DISMISS_MESSAGE);
  markUntil(win, DISMISSED_PREFIX, DISMISSED_PREFIX + key, Date.now() + DISMISSED_FOR_MS);
}
