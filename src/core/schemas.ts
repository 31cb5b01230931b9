/**
 * Every trust boundary's schema, in one place (zod/mini keeps the browser bundle small).
 * Messages from other windows, channel messages, backend responses.
 */
import * as z from 'zod/mini';
import type { CallbackParams } from './callback-params.js';
import { CALLBACK_MESSAGE_TYPE } from './protocol.js';

const param = z.string().check(z.minLength(1), z.maxLength(4096));

/** The callback keys as another window may send them; unknown keys are dropped. */
export const callbackParamsSchema = z.object({
  code: z.optional(param),
  state: z.optional(param),
  error: z.optional(param),
  error_description: z.optional(z.string().check(z.maxLength(4096))),
  status_code: z.optional(param),
  /** The issuer that answered (RFC 9207), judged against the flow's (core/completion). */
  iss: z.optional(param),
  malformed: z.optional(param),
});

/** What `completeCallback()` sends (postMessage, BroadcastChannel, storage event). */
export const callbackMessageSchema = z.object({
  type: z.literal(CALLBACK_MESSAGE_TYPE),
  /** This delivery, so the opener can acknowledge it. */
  id: param,
  /** The per-flow key found in the popup tab's sessionStorage, if any. */
  key: z.optional(param),
  params: callbackParamsSchema,
});
export type CallbackMessage = z.infer<typeof callbackMessageSchema>;

/** b.well's completion page posts bare strings. */
const bwellMessageSchema = z.literal(['status-success', 'status-failure']);

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
  if (!envelope.success) return undefined;
  const params = clean(envelope.data.params);
  return params ? { id: envelope.data.id, key: envelope.data.key, params } : undefined;
}

function clean(params: z.infer<typeof callbackParamsSchema>): CallbackParams | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string' && v) out[k] = v;
  return out['code'] || out['error'] || out['status_code'] ? (out as CallbackParams) : undefined;
}

/** A backend's 2xx answer must be a JSON object. */
export const exchangeResponseSchema = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
);

/** `url-endpoint` answers `{ "url": "…" }` (optionally the `state` it put in it). */
export const urlEndpointResponseSchema = z.object({
  url: z.string().check(z.minLength(1)),
  state: z.optional(param),
  /** `mode="server"`: the flow id, to ask the server for the outcome. */
  flow: z.optional(param),
});

/** A `createServerFlow` answer to the element's `{ flow }` poll. */
export const serverResultSchema = z.object({
  status: z.literal(['pending', 'connected', 'failed', 'abandoned']),
  result: z.optional(exchangeResponseSchema),
  failure: z.optional(param),
  message: z.optional(z.string().check(z.maxLength(1000))),
  error: z.optional(param),
});

/** The pending redirect flow kept in sessionStorage (one per tab: a tab leaves for one provider). */
export const pendingFlowSchema = z.object({
  v: z.literal(2),
  provider: z.string(),
  completion: z.literal(['code', 'status']),
  state: z.optional(param),
  codeVerifier: z.optional(param),
  redirectUri: z.optional(z.string()),
  /** The issuer expected back (RFC 9207), and whether the answer must name it. */
  issuer: z.optional(param),
  requireIss: z.optional(z.boolean()),
  returnTo: z.string(),
  createdAt: z.number(),
  timeout: z.number(),
});
export type PendingFlow = z.infer<typeof pendingFlowSchema>;

/**
 * A `status-url` answer: the connection's health as the partner backend knows it (e.g. Hint's
 * integration record status and `integration_error_message`). Anything else is "status unknown",
 * never "connected".
 */
export const statusResponseSchema = z.object({
  connected: z.boolean(),
  name: z.optional(z.string().check(z.maxLength(200))),
  error: z.optional(z.string().check(z.maxLength(1000))),
  updatedAt: z.optional(z.string().check(z.maxLength(100))),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

/**
 * A landing code held in this tab's `sessionStorage` while the user signs in to the partner app
 * (the exchange answered 401): `at` is when it landed, so its age counts from there.
 */
export const heldCodeSchema = z.object({
  v: z.literal(1),
  provider: z.string(),
  code: param,
  at: z.number(),
});
export type HeldCode = z.infer<typeof heldCodeSchema>;
