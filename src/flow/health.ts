/**
 * Connection health (`status-url`, `disconnect-url`): the element's controller and its requests,
 * in the chunk loaded with `import()` only by an element with a `status-url` (with the view,
 * src/health-view.ts). The requests carry their timeout, over core/health.
 */
import { ConnectError, toConnectError } from '../core/errors.js';
import { postDisconnect, readHealth, type Health } from '../core/health.js';
import type { ProviderId } from '../core/providers/types.js';
import { parseSafeUrl } from '../core/url-safety.js';
import type { ControllerHost } from './flow-controller.js';
import { deadlineScope } from '../core/deadline.js';

/** What the status and disconnect requests need (the element's properties). */
export interface HealthOptions {
  readonly provider: ProviderId;
  readonly statusUrl?: string | undefined;
  readonly disconnectUrl?: string | undefined;
  /** The exchange's: `exchange-credentials`, `exchangeHeaders`. */
  readonly credentials?: RequestCredentials | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** ms (default 5000). */
  readonly timeout?: number | undefined;
}

/**
 * The element's view of the connection: `off` without a `status-url`; `checking` while the status
 * request runs; then what it answered. `busy` while a disconnect runs; `problem` when one failed.
 */
export type HealthState =
  | { readonly kind: 'off' }
  | { readonly kind: 'checking' }
  | (Health & { readonly busy?: boolean; readonly problem?: string | undefined });

/**
 * Reactive controller for connection health (in the chunk loaded only for a `status-url`, with
 * health.ts and the view, src/health-view.ts): one status request at a time (a newer one, a
 * disconnect, or the element leaving the page aborts it), its answer validated in core.
 */
export class HealthController {
  state: HealthState = { kind: 'off' };
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ControllerHost,
    private readonly onDisconnected: (result: Record<string, unknown>) => void,
  ) {
    host.addController(this);
  }

  /** Fetches the status again (`off` without a status URL). Resolves when it is shown. */
  refresh(options: HealthOptions): Promise<void> {
    const abort = this.renew();
    if (!options.statusUrl) return Promise.resolve(this.show(abort, { kind: 'off' }));
    this.show(abort, { kind: 'checking' });
    return checkHealth(options, abort.signal, window).then(
      (health) => this.show(abort, health),
      (error: unknown) => {
        if (!abort.signal.aborted) this.show(abort, { kind: 'unknown', reason: String(error) });
      },
    );
  }

  /**
   * POSTs to `disconnect-url`; on success tells the host (its `disconnected` event) and fetches the
   * status again. Rejects with a ConnectError (then the status shows the problem).
   */
  disconnect(options: HealthOptions): Promise<void> {
    const before = this.state;
    const abort = this.renew();
    if (before.kind !== 'off' && before.kind !== 'checking') {
      this.show(abort, { ...before, busy: true, problem: undefined }, false);
    }
    return requestDisconnect(options, abort.signal, window).then(
      (result) => {
        this.onDisconnected(result);
        return this.refresh(options);
      },
      (error: unknown) => {
        const failure = toConnectError(error);
        if (this.abort !== abort) throw failure; // replaced, or the element left
        // what is true now, with the problem beside it
        return this.refresh(options).then(() => {
          const now = this.state;
          if (now.kind !== 'off' && now.kind !== 'checking') {
            this.state = { ...now, problem: failure.message };
            this.host.requestUpdate();
          }
          throw failure;
        });
      },
    );
  }

  hostDisconnected(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.state = { kind: 'off' };
  }

  /** Aborts the request in flight; the new one's controller. */
  private renew(): AbortController {
    this.abort?.abort();
    return (this.abort = new AbortController());
  }

  /** Shows `state` if `abort`'s request is still the current one (`done`: it has answered). */
  private show(abort: AbortController, state: HealthState, done = state.kind !== 'checking'): void {
    if (this.abort !== abort) return;
    if (done) this.abort = undefined;
    this.state = state;
    this.host.requestUpdate();
  }
}

/** ms before the status (or disconnect) request counts as unanswered. */
export const HEALTH_TIMEOUT_MS = 5000;

const CREDENTIALS: readonly string[] = ['same-origin', 'include', 'omit'];

/** The request's shared part, or why it cannot be made (an unsafe URL, bad credentials). */
function request(url: string | undefined, name: string, options: HealthOptions, win: Window) {
  const safe = url ? parseSafeUrl(url, win.location.href) : undefined;
  if (!safe) return `${name} must be https: (http: on localhost).`;
  // (NaN, 0 or less would time out at once; a longer wait than a timer can make is clamped)
  if (!((options.timeout ?? HEALTH_TIMEOUT_MS) >= 1)) return 'status-timeout must be a number ≥ 1.';
  const credentials = options.credentials ?? 'same-origin';
  if (!CREDENTIALS.includes(credentials)) {
    return `exchange-credentials must be one of: ${CREDENTIALS.join(', ')}.`;
  }
  return {
    url: safe.toString(),
    credentials,
    headers: { ...options.headers },
    fetch: (input: string, init: RequestInit) => win.fetch(input, init),
  };
}

/**
 * Runs `work` with a signal that aborts with `signal` (the caller's cancel), or with a `timeout`
 * ConnectError after the health timeout; the timer goes when `work` settles.
 */
async function withTimeout<T>(
  options: HealthOptions,
  signal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const ms = options.timeout ?? HEALTH_TIMEOUT_MS;
  const scope = deadlineScope(
    signal,
    ms,
    () => new ConnectError('timeout', `No answer within ${ms} ms.`),
  );
  try {
    return await work(scope.signal);
  } finally {
    scope.abort();
  }
}

/**
 * The connection's health: never rejects for a bad or missing answer (that is `unknown`); rejects
 * only when `signal` aborts (the element went away, or a newer request replaced this one).
 */
export async function checkHealth(
  options: HealthOptions,
  signal: AbortSignal,
  win: Window,
): Promise<Health> {
  const base = request(options.statusUrl, 'status-url', options, win);
  if (typeof base === 'string') return { kind: 'unknown', reason: base };
  try {
    return await withTimeout(options, signal, (scoped) => readHealth({ ...base, signal: scoped }));
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** POSTs `{ provider }` to `disconnect-url`; rejects with a ConnectError. */
export function requestDisconnect(
  options: HealthOptions,
  signal: AbortSignal,
  win: Window,
): Promise<Record<string, unknown>> {
  const base = request(options.disconnectUrl, 'disconnect-url', options, win);
  if (typeof base === 'string') return Promise.reject(new ConnectError('invalid_config', base));
  return withTimeout(options, signal, (scoped) =>
    postDisconnect({ ...base, provider: options.provider, signal: scoped }),
  );
}
