/**
 * What the partner backend answers beyond the exchange (core/schemas/messages.ts has that): the
 * URL to open, a server-completed flow's outcome, the connection's health. Sizes: limits.ts.
 */
import * as z from 'zod/mini';
import { ofKinds, PARAM, withinLimits } from './limits.js';
import { exchangeResponseSchema } from './messages.js';

/** `url-endpoint` answers `{ "url": "…" }` (optionally the `state` it put in it). */
const urlEndpointResponseSchema = /* @__PURE__ */ z.object({
  url: z.string(),
  state: z.optional(z.string()),
  /** `mode="server"`: the flow id, to ask the server for the outcome. */
  flow: z.optional(z.string()),
});
export type UrlEndpointResponse = z.infer<typeof urlEndpointResponseSchema>;

/** A `url-endpoint` answer, or undefined. */
export function parseUrlEndpointResponse(json: unknown): UrlEndpointResponse | undefined {
  const parsed = urlEndpointResponseSchema.safeParse(json);
  return parsed.success &&
    withinLimits(parsed.data, { url: [1, Infinity], state: PARAM, flow: PARAM })
    ? parsed.data
    : undefined;
}

/** A `createServerFlow` answer to the element's `{ flow }` poll. */
const serverResultSchema = /* @__PURE__ */ z.object({
  status: z.literal(['pending', 'connected', 'failed', 'abandoned']),
  result: z.optional(exchangeResponseSchema),
  failure: z.optional(z.string()),
  message: z.optional(z.string()),
  error: z.optional(z.string()),
});
export type ServerResultResponse = z.infer<typeof serverResultSchema>;

/** A `createServerFlow` poll answer, or undefined. */
export function parseServerResult(json: unknown): ServerResultResponse | undefined {
  const parsed = serverResultSchema.safeParse(json);
  return parsed.success &&
    withinLimits(parsed.data, { failure: PARAM, message: [0, 1000], error: PARAM })
    ? parsed.data
    : undefined;
}

/**
 * A `status-url` answer: the connection's health as the partner backend knows it (e.g. Hint's
 * integration record status and `integration_error_message`). Anything else is "status unknown",
 * never "connected".
 */
const statusResponseSchema = /* @__PURE__ */ z.object({
  connected: z.unknown(), // (a boolean: checked after the shape, limits.ts)
  name: z.optional(z.string()),
  error: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
});
export type StatusResponse = Omit<z.infer<typeof statusResponseSchema>, 'connected'> & {
  readonly connected: boolean;
};

/** A `status-url` answer, or undefined. */
export function parseStatusResponse(json: unknown): StatusResponse | undefined {
  const parsed = statusResponseSchema.safeParse(json);
  return parsed.success &&
    ofKinds(parsed.data, { connected: 'boolean' }) &&
    withinLimits(parsed.data, { name: [0, 200], error: [0, 1000], updatedAt: [0, 100] })
    ? (parsed.data as StatusResponse)
    : undefined;
}
