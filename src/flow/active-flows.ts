/**
 * The flows pending in this page. A message that carries no state (a b.well `status_code`, a
 * stateless `error=`) can only be tied to a flow by being the only candidate: it is taken by the one
 * pending flow of its kind, and by nobody when several are pending.
 */
const active = new Set<symbol>();

export function registerFlow(signal: AbortSignal): symbol {
  const token = Symbol('oauth-connect flow');
  active.add(token);
  signal.addEventListener('abort', () => active.delete(token), { once: true });
  return token;
}

export function isOnlyPendingFlow(token: symbol): boolean {
  return active.size === 1 && active.has(token);
}
