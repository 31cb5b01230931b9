import type { CallbackParams } from '../core/callback-params.js';
import { ACK_MESSAGE_TYPE, CHANNEL_NAME } from '../core/protocol.js';
import { parseChannelMessage } from '../core/schemas.js';
import { listen, onAbort } from './lifetime.js';

export interface ChannelListenerOptions {
  readonly window: Window;
  readonly onMessage: (params: CallbackParams, id: string) => void;
  readonly signal: AbortSignal;
}

/**
 * The second path from the callback page, for when Cross-Origin-Opener-Policy has severed
 * `window.opener`: a `BroadcastChannel` (same origin by construction) and, where that is missing,
 * same-origin `storage` events. The caller binds each message to its flow by `state`.
 */
export function listenOnChannel(options: ChannelListenerOptions): void {
  const { signal } = options;
  if (signal.aborted) return;
  if (typeof BroadcastChannel === 'function') {
    const channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (event: MessageEvent) => {
      const parsed = parseChannelMessage(event.data);
      if (parsed) options.onMessage(parsed.params, parsed.id);
    };
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
      let data: unknown;
      try {
        data = JSON.parse(event.newValue);
      } catch {
        return;
      }
      const parsed = parseChannelMessage(data);
      if (parsed) options.onMessage(parsed.params, parsed.id);
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
