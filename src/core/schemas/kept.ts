/**
 * What this library keeps in the browser's storage (flow/storage.ts) and reads back: storage any
 * script of the origin can write, so it is a trust boundary too. Sizes: limits.ts.
 */
import * as z from 'zod/mini';
import { PARAM, withinLimits } from './limits.js';

/** The pending redirect flow kept in sessionStorage (one per tab: a tab leaves for one provider). */
const pendingFlowSchema = /* @__PURE__ */ z.object({
  v: z.literal(2),
  provider: z.string(),
  completion: z.literal(['code', 'status']),
  state: z.optional(z.string()),
  codeVerifier: z.optional(z.string()),
  redirectUri: z.optional(z.string()),
  /** The issuer expected back (RFC 9207), and whether the answer must name it. */
  issuer: z.optional(z.string()),
  requireIss: z.optional(z.boolean()),
  returnTo: z.string(),
  createdAt: z.number(),
  timeout: z.number(),
});
export type PendingFlow = z.infer<typeof pendingFlowSchema>;

/** This tab's pending redirect flow as read back, or undefined when it is not one. */
export function parsePendingFlow(value: unknown): PendingFlow | undefined {
  const parsed = pendingFlowSchema.safeParse(value);
  return parsed.success &&
    withinLimits(parsed.data, { state: PARAM, codeVerifier: PARAM, issuer: PARAM })
    ? parsed.data
    : undefined;
}

/**
 * A landing code held in this tab's `sessionStorage` while the user signs in to the partner app
 * (the exchange answered 401): `at` is when it landed, so its age counts from there.
 */
const heldCodeSchema = /* @__PURE__ */ z.object({
  v: z.literal(1),
  provider: z.string(),
  code: z.string(),
  at: z.number(),
});
export type HeldCode = z.infer<typeof heldCodeSchema>;

/** A held landing code as read back, or undefined when it is not one. */
export function parseHeldCode(value: unknown): HeldCode | undefined {
  const parsed = heldCodeSchema.safeParse(value);
  return parsed.success && withinLimits(parsed.data, { code: PARAM }) ? parsed.data : undefined;
}
