import {
  parseCallbackUrl,
  stripCallbackParams,
  type CallbackParams,
} from '../core/callback-params.js';
import { judgeCallback, type Completion } from '../core/completion.js';
import type { ResolvedConfig } from '../core/config.js';
import { ConnectError } from '../core/errors.js';
import type { PreparedRequest } from '../core/request.js';
import { pendingFlowSchema, type PendingFlow } from '../core/schemas.js';

const pendingKey = (provider: string) => `oauth-connect:pending:${provider}`;

function storage(win: Window): Storage | undefined {
  try {
    return win.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * Full-page redirect: keeps the pending flow (provider, state, verifier, return URL, created-at) in
 * `sessionStorage` (this tab only, gone with it) and leaves for the provider.
 */
export function leaveForProvider(
  win: Window,
  config: ResolvedConfig,
  prepared: PreparedRequest,
): void {
  const store = storage(win);
  if (!store) {
    throw new ConnectError(
      'invalid_config',
      'Redirect mode needs sessionStorage, which is blocked.',
    );
  }
  const pending: PendingFlow = {
    v: 1,
    provider: config.provider,
    completion: prepared.expectation.completion,
    ...(prepared.expectation.state ? { state: prepared.expectation.state } : {}),
    ...(prepared.expectation.codeVerifier
      ? { codeVerifier: prepared.expectation.codeVerifier }
      : {}),
    ...(prepared.expectation.redirectUri ? { redirectUri: prepared.expectation.redirectUri } : {}),
    returnTo: win.location.href,
    createdAt: Date.now(),
    timeout: config.timeout,
  };
  store.setItem(pendingKey(config.provider), JSON.stringify(pending));
  win.location.assign(prepared.url);
}

/** The answer found on a page the provider returned to, taken (and scrubbed) synchronously. */
export interface RedirectReturn {
  readonly params: CallbackParams;
  readonly pending: PendingFlow | undefined;
}

/** Whether this tab holds a pending redirect flow for `provider`. */
export function hasPendingFlow(win: Window, provider: string): boolean {
  return Boolean(storage(win)?.getItem(pendingKey(provider)));
}

/**
 * Takes the provider's answer from this page's URL and the pending flow from storage, scrubbing
 * both at once (before any await), so a reload or a second element can never replay them.
 */
export function takeRedirectReturn(
  win: Window,
  provider: string,
  now = Date.now(),
): RedirectReturn | undefined {
  const params = parseCallbackUrl(win.location.href);
  if (!params) {
    dropExpiredPendingFlow(win, provider, now);
    return undefined;
  }
  win.history.replaceState(win.history.state, '', stripCallbackParams(win.location.href));
  const store = storage(win);
  const raw = store?.getItem(pendingKey(provider)) ?? null;
  store?.removeItem(pendingKey(provider));
  let pending: PendingFlow | undefined;
  if (raw) {
    try {
      const parsed = pendingFlowSchema.safeParse(JSON.parse(raw));
      if (parsed.success && parsed.data.provider === provider) pending = parsed.data;
    } catch {
      pending = undefined;
    }
  }
  return { params, pending };
}

/**
 * Judges a redirect return: no pending flow → `unauthorized` (an answer nobody asked for in this
 * tab); one older than its timeout → `expired`; otherwise the usual state check.
 */
export function judgeRedirectReturn(
  taken: RedirectReturn,
  now = Date.now(),
): { completion: Completion; returnTo: string } {
  const { pending, params } = taken;
  if (!pending) {
    throw new ConnectError(
      'unauthorized',
      'No connection was started from this browser tab (possible CSRF).',
    );
  }
  if (now - pending.createdAt > pending.timeout) {
    throw new ConnectError('expired', 'The connection took too long; please start again.');
  }
  const verdict = judgeCallback(params, {
    completion: pending.completion,
    state: pending.state,
    codeVerifier: pending.codeVerifier,
    redirectUri: pending.redirectUri,
  });
  if (verdict.kind === 'failure') throw verdict.error;
  if (verdict.kind === 'ignore') {
    throw new ConnectError('error', 'The provider returned without a result.');
  }
  return { completion: verdict.completion, returnTo: pending.returnTo };
}

/**
 * On a page without an answer: forgets a pending flow that can no longer finish (older than its
 * timeout, or unreadable). The user abandoned it; its verifier has no business staying in storage.
 */
function dropExpiredPendingFlow(win: Window, provider: string, now: number): void {
  const store = storage(win);
  const raw = store?.getItem(pendingKey(provider));
  if (!raw) return;
  try {
    const parsed = pendingFlowSchema.safeParse(JSON.parse(raw));
    if (parsed.success && now - parsed.data.createdAt <= parsed.data.timeout) return;
  } catch {
    // unreadable: drop it
  }
  store?.removeItem(pendingKey(provider));
}
