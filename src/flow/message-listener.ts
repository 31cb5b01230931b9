import type { CallbackParams } from '../core/callback-params.js';
import { parseWindowMessage } from '../core/schemas.js';
import { listen } from './lifetime.js';

export interface MessageListenerOptions {
  readonly window: Window;
  /** Exact origins (scheme://host:port) whose messages count. */
  readonly allowedOrigins: readonly string[];
  /** The popup of this flow: only its messages count (`event.source`). */
  readonly source: () => Window | null;
  readonly onParams: (params: CallbackParams, messageId: string | undefined) => void;
  readonly signal: AbortSignal;
}

/**
 * Listens for `message` events. One counts only if its origin is allowed AND it comes from our
 * popup AND its payload passes the schema; anything else is ignored silently (pages receive plenty
 * of unrelated messages, and a forged one must not end the flow).
 */
export function listenForMessages(options: MessageListenerOptions): void {
  if (!options.allowedOrigins.length) return;
  listen(
    options.window,
    'message',
    (event) => {
      if (!options.allowedOrigins.includes(event.origin)) return;
      const popup = options.source();
      if (!popup || event.source !== popup) return;
      const params = parseWindowMessage(event.data);
      if (!params) return;
      const data: unknown = event.data;
      const id =
        typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'string'
          ? data.id
          : undefined;
      options.onParams(params, id);
    },
    options.signal,
  );
}
