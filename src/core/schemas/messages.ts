/**
 * The schemas of every trust boundary live in this folder, one file per boundary, so that a flow
 * fetches only those it crosses (zod/mini, and only its object, string, optional, literal, number
 * and boolean: what any browser chunk uses of zod lands in the chunk every flow fetches). This one:
 * what every flow reads — messages from other windows, channel messages, the exchange's answer.
 * Sizes are checked by limits.ts.
 */
import * as z from 'zod/mini';
import type { CallbackParams } from '../callback-params.js';
import { CALLBACK_MESSAGE_TYPE } from '../protocol.js';
import { PARAM, withinLimits } from './limits.js';

const text = z.string();

/** The callback keys as another window may send them; unknown keys are dropped. */
export const callbackParamsSchema = /* @__PURE__ */ z.object({
  code: z.optional(text),
  state: z.optional(text),
  error: z.optional(text),
  error_description: z.optional(text),
  status_code: z.optional(text),
  /** The issuer that answered (RFC 9207), judged against the flow's (core/completion). */
  iss: z.optional(text),
  malformed: z.optional(text),
});

/** Every key at most 4 KB, and not empty (a description may be). */
const PARAMS_LIMITS = {
  code: PARAM,
  state: PARAM,
  error: PARAM,
  error_description: [0, 4096],
  status_code: PARAM,
  iss: PARAM,
  malformed: PARAM,
} as const;

/** What `completeCallback()` sends (postMessage, BroadcastChannel, storage event). */
export const callbackMessageSchema = /* @__PURE__ */ z.object({
  type: z.literal(CALLBACK_MESSAGE_TYPE),
  /** This delivery, so the opener can acknowledge it. */
  id: text,
  /** The per-flow key found in the popup tab's sessionStorage, if any. */
  key: z.optional(text),
  params: callbackParamsSchema,
});
export type CallbackMessage = z.infer<typeof callbackMessageSchema>;

/** b.well's completion page posts bare strings. */
const bwellMessageSchema = /* @__PURE__ */ z.literal(['status-success', 'status-failure']);

/** A message as the flow reads it: the answer, and the delivery id and key of our envelope. */
export interface ParsedMessage {
  readonly params: CallbackParams;
  readonly id?: string | undefined;
  readonly key?: string | undefined;
}

/**
 * Reads a `message` event's data from an allowed origin and our popup: our callback envelope,
 * b.well's strings, or a bare params object. Anything else → undefined (ignored silently).
 */
export function parseWindowMessage(data: unknown): ParsedMessage | undefined {
  const envelope = parseChannelMessage(data);
  if (envelope) return envelope;
  const bwell = bwellMessageSchema.safeParse(data);
  if (bwell.success) {
    // `status-failure` says no why (a cancel, or an error): its own code, worded as such
    return { params: { status_code: bwell.data === 'status-success' ? 'success' : bwell.data } };
  }
  if (typeof data === 'object' && data !== null && !('type' in data)) {
    const bare = callbackParamsSchema.safeParse(data);
    const params = bare.success ? clean(bare.data) : undefined;
    if (params) return { params };
  }
  return undefined;
}

/** A channel / storage message: only our envelope counts there. */
export function parseChannelMessage(data: unknown): ParsedMessage | undefined {
  const envelope = callbackMessageSchema.safeParse(data);
  if (!envelope.success || !withinLimits(envelope.data, { id: PARAM, key: PARAM })) {
    return undefined;
  }
  const params = clean(envelope.data.params);
  return params ? { id: envelope.data.id, key: envelope.data.key, params } : undefined;
}

/** The answer's keys that carry something; undefined when one is oversized, or none is an answer. */
function clean(params: z.infer<typeof callbackParamsSchema>): CallbackParams | undefined {
  if (!withinLimits(params, PARAMS_LIMITS)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && v) out[k] = v;
  return out['code'] || out['error'] || out['status_code'] ? (out as CallbackParams) : undefined;
}

/**
 * A backend's 2xx answer must be a JSON object (not an array); its keys are the partner's, kept
 * as they are.
 */
export const exchangeResponseSchema = /* @__PURE__ */ z.looseObject({});
