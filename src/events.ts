import type { FailureStatus } from './core/errors.js';
import type { ProviderId } from './core/providers/types.js';
import type { ConnectResult } from './flow/start-flow.js';

/** `connected` detail: the backend's JSON, or the completion itself without an exchange-url. */
export type ConnectedDetail = ConnectResult;

/** `failed` detail. `error` / `errorDescription` are the provider's own words, unchanged. */
export interface FailedDetail {
  readonly provider: ProviderId;
  readonly status: FailureStatus;
  readonly message: string;
  readonly error?: string;
  readonly errorDescription?: string;
}

/** Fired when the flow connected (and the backend exchange, if any, succeeded). */
export class ConnectedEvent extends CustomEvent<ConnectedDetail> {
  static readonly type = 'connected';
  constructor(detail: ConnectedDetail) {
    super(ConnectedEvent.type, { detail, bubbles: true, composed: true });
  }
}

/** Fired when the flow ended without a connection; `detail.status` says why. */
export class FailedEvent extends CustomEvent<FailedDetail> {
  static readonly type = 'failed';
  constructor(detail: FailedDetail) {
    super(FailedEvent.type, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    connected: ConnectedEvent;
    failed: FailedEvent;
  }
  // Both events bubble and are composed, so pages often listen on the document.
  interface DocumentEventMap {
    connected: ConnectedEvent;
    failed: FailedEvent;
  }
}
