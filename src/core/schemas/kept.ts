/**
 * What this library keeps in the browser's storage (flow/storage/spend-once.ts) and reads back:
 * storage any script of the origin can write, so it is a trust boundary too. Sizes: limits.ts.
 */
import * as z from 'zod/mini';
import { ofKinds, PARAM, withinLimits } from './limits.js';

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
  // (kinds checked after the shape: limits.ts)
  requireIss: z.optional(z.unknown()),
  returnTo: z.string(),
  createdAt: z.unknown(),
  timeout: z.unknown(),
});
export type PendingFlow = Omit<
  z.infer<typeof pendingFlowSchema>,
  'requireIss' | 'createdAt' | 'timeout'
> & {
  readonly requireIss?: boolean | undefined;
  readonly createdAt: number;
  readonly timeout: number;
};

/** This tab's pending redirect flow as read back, or undefined when it is not one. */
export function parsePendingFlow(value: unknown): PendingFlow | undefined {
  const parsed = pendingFlowSchema.safeParse(value);
  return parsed.success &&
    ofKinds(parsed.data, { createdAt: 'number', timeout: 'number', requireIss: 'boolean?' }) &&
    withinLimits(parsed.data, { state: PARAM, codeVerifier: PARAM, issuer: PARAM })
    ? (parsed.data as PendingFlow)
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
  at: z.unknown(), // (a finite number: checked after the shape)
});
export type HeldCode = Omit<z.infer<typeof heldCodeSchema>, 'at'> & { readonly at: number };

/** A held landing code as read back, or undefined when it is not one. */
export function parseHeldCode(value: unknown): HeldCode | undefined {
  const parsed = heldCodeSchema.safeParse(value);
  return parsed.success &&
    ofKinds(parsed.data, { at: 'number' }) &&
    withinLimits(parsed.data, { code: PARAM })
    ? (parsed.data as HeldCode)
    : undefined;
}
