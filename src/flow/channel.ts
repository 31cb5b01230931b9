import type { CallbackParams } from '../core/callback-params.js';
import { ACK_MESSAGE_TYPE, CHANNEL_NAME } from '../core/protocol.js';
import { parseChannelMessage } from '../core/schemas.js';
import { listen, onAbort } from './lifetime.js';

export interface ChannelListenerOptions {
  readonly window: Window;
  readonly onMessage: (params: CallbackParams, id: string) => void;
  /** Answers sent before this time (ms since epoch) belong to an earlier flow. */
  readonly since: number;
  readonly signal: AbortSignal;
}

/** Callback message ids already taken by a flow of this page (by any path): never taken twice. */
const consumed = new Set<string>();

export function markConsumed(id: string): void {
  consumed.add(id);
  if (consumed.size > 100) consumed.delete(consumed.values().next().value as string);
}

/**
 * The second path from the callback page, for when Cross-Origin-Opener-Policy has severed
 * `window.opener`: a `BroadcastChannel` (same origin by construction) and, where that is missing,
 * same-origin `storage` events. The caller binds each message to its flow by `state`.
 */
export function listenOnChannel(options: ChannelListenerOptions): void {
  const { signal } = options;
  if (signal.aborted) return;
  const deliver = (data: unknown) => {
    const parsed = parseChannelMessage(data);
    if (!parsed || consumed.has(parsed.id)) return;
    // A genuine answer is sent after its flow began (the flow made its state); one sent before
    // belongs to an earlier flow, e.g. a storage event delivered late.
    if (parsed.at !== undefined && parsed.at < options.since) return;
    options.onMessage(parsed.params, parsed.id);
  };
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (event: MessageEvent) => deliver(event.data);
    onAbort(signal, () => {
      channel.onmessage = null;
      channel.close();
    });
  }
  listen(
    options.window,
    'storage',
    (event) => {
      if (!event.key?.startsWith(`${CHANNEL_NAME}:`) || !event.newValue) return;
      try {
        deliver(JSON.parse(event.newValue));
      } catch {
        // not JSON: not ours
      }
    },
    signal,
  );
}

/** Tells the callback page that its result arrived, so it may close itself. */
export function acknowledge(id: string): void {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.postMessage({ type: ACK_MESSAGE_TYPE, id });
  channel.close();
}
