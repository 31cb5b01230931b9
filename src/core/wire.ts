/**
 * The wire format shared by the callback page (src/callback.ts) and its opener (flow/window/
 * channel.ts), written once: the messages, and how one rides a storage event where
 * BroadcastChannel is missing. Free of zod (the callback entry stays tiny); the opener checks what
 * arrives with core/schemas/messages.ts.
 */
import {
  ACK_MESSAGE_TYPE,
  CALLBACK_MESSAGE_TYPE,
  DISMISS_MESSAGE_TYPE,
  MESSAGE_PREFIX,
} from './protocol.js';

/** The callback page's message: the answer, this delivery's id and the flow's key if it has one. */
export const callbackMessage = <P>(id: string, params: P, key?: string) => ({
  type: CALLBACK_MESSAGE_TYPE,
  id,
  ...(key ? { key } : {}),
  params,
});

/** The opener took delivery `id`. */
export const ackMessage = (id: string) => ({ type: ACK_MESSAGE_TYPE, id });

/** The flow ended without this popup's answer. */
export const DISMISS_MESSAGE = { type: DISMISS_MESSAGE_TYPE } as const;

/**
 * A message on channel `channel` where BroadcastChannel is missing: the `localStorage` item (name,
 * value) whose storage event carries it to the origin's other pages; written, then removed at once.
 */
export const carrierItem = (id: string, channel: string, data: unknown): [string, string] => [
  MESSAGE_PREFIX + id,
  JSON.stringify({ channel, data }),
];

/** What a storage event's item carries for `channel` (see carrierItem), else undefined. */
export function carried(item: string | null, value: string | null, channel: string): unknown {
  if (!item?.startsWith(MESSAGE_PREFIX) || !value) return undefined;
  try {
    const posted = JSON.parse(value) as { channel?: unknown; data?: unknown } | null;
    return posted?.channel === channel ? posted.data : undefined;
  } catch {
    return undefined; // not JSON: not ours
  }
}
