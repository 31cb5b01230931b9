/**
 * Every trust boundary's schema, in one place (zod/mini keeps the browser bundle small).
 * Messages from other windows, channel messages, backend responses.
 */
import * as z from 'zod/mini';
import type { CallbackParams } from './callback-params.js';
import { ACK_MESSAGE_TYPE, CALLBACK_MESSAGE_TYPE } from './protocol.js';

const param = z.string().check(z.minLength(1), z.maxLength(4096));

/** The callback keys as another window may send them; unknown keys are dropped. */
export const callbackParamsSchema = z.object({
  code: z.optional(param),
  state: z.optional(param),
  error: z.optional(param),
  error_description: z.optional(z.string().check(z.maxLength(4096))),
  status_code: z.optional(param),
});

export { ACK_MESSAGE_TYPE, CALLBACK_MESSAGE_TYPE, CHANNEL_NAME } from './protocol.js';

/** What `completeCallback()` sends (postMessage, BroadcastChannel, storage event). */
export const callbackMessageSchema = z.object({
  type: z.literal(CALLBACK_MESSAGE_TYPE),
  id: param,
  /** When the callback page sent it (ms since epoch): a flow ignores answers older than itself. */
  at: z.optional(z.number()),
  params: callbackParamsSchema,
});
export type CallbackMessage = z.infer<typeof callbackMessageSchema>;

/** The opener's acknowledgement, letting the callback page close itself. */
export const ackMessageSchema = z.object({ type: z.literal(ACK_MESSAGE_TYPE), id: param });
export type AckMessage = z.infer<typeof ackMessageSchema>;

/** b.well's completion page posts bare strings. */
const bwellMessageSchema = z.enum(['status-success', 'status-failure']);

/**
 * Reads a `message` event's data from an allowed origin and our popup: our callback envelope,
 * b.well's strings, or a bare params object. Anything else → undefined (ignored silently).
 */
export function parseWindowMessage(data: unknown): CallbackParams | undefined {
  const envelope = callbackMessageSchema.safeParse(data);
  if (envelope.success) return clean(envelope.data.params);
  const bwell = bwellMessageSchema.safeParse(data);
  if (bwell.success) {
    return { status_code: bwell.data === 'status-success' ? 'success' : 'error' };
  }
  if (typeof data === 'object' && data !== null && !('type' in data)) {
    const bare = callbackParamsSchema.safeParse(data);
    if (bare.success) return clean(bare.data);
  }
  return undefined;
}

/** A channel / storage message: only our envelope counts there. */
export function parseChannelMessage(
  data: unknown,
): { id: string; at: number | undefined; params: CallbackParams } | undefined {
  const envelope = callbackMessageSchema.safeParse(data);
  if (!envelope.success) return undefined;
  const params = clean(envelope.data.params);
  return params ? { id: envelope.data.id, at: envelope.data.at, params } : undefined;
}

function clean(params: z.infer<typeof callbackParamsSchema>): CallbackParams | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && v) out[k] = v;
  return out['code'] || out['error'] || out['status_code'] ? (out as CallbackParams) : undefined;
}

/** A backend's 2xx answer must be a JSON object. */
export const exchangeResponseSchema = z.record(z.string(), z.unknown());

/** `url-endpoint` answers `{ "url": "…" }` (optionally the `state` it put in it). */
export const urlEndpointResponseSchema = z.object({
  url: z.string().check(z.minLength(1)),
  state: z.optional(param),
});

/** The pending redirect flow kept in sessionStorage. */
export const pendingFlowSchema = z.object({
  v: z.literal(1),
  provider: z.string(),
  completion: z.enum(['code', 'status']),
  state: z.optional(param),
  codeVerifier: z.optional(param),
  redirectUri: z.optional(z.string()),
  returnTo: z.string(),
  createdAt: z.number(),
  timeout: z.number(),
});
export type PendingFlow = z.infer<typeof pendingFlowSchema>;
