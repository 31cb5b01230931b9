import { toConnectError } from '../core/errors.js';
import type { Health } from '../core/health.js';
import type { ProviderId } from '../core/providers/types.js';
import type { ControllerHost } from './flow-controller.js';
import { checkHealth, requestDisconnect } from './health.js';

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
