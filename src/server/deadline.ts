/**
 * The abort signal of one call to a provider: the outbound side's `timeout`, or, when the side
 * has one deadline for all its calls (outbound.ts `withDeadline`), what is left of it — so that
 * a discovery that took most of the time leaves the revocation only the rest.
 */
export function callSignal(out: {
  readonly timeout: number;
  readonly deadline?: number | undefined;
}): AbortSignal {
  const ms = out.deadline === undefined ? out.timeout : out.deadline - Date.now();
  return AbortSignal.timeout(Math.max(0, Math.min(out.timeout, ms)));
}
