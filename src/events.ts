import type { FailureStatus } from './core/errors.js';
import type { ProviderId } from './core/providers/types.js';
import type { ConnectProgress, ConnectResult } from './flow/api.js';

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

/** `disconnected` detail: your `disconnect-url`'s JSON answer (`{}` without one). */
export interface DisconnectedDetail {
  readonly provider: ProviderId;
  readonly result: Readonly<Record<string, unknown>>;
}

/**
 * `signin-required` detail (landing mode): your backend answered the exchange 401. The code is held
 * in this tab until the user has signed in; then the element on the page they return to, or
 * `resume()`, sends it.
 */
export interface SigninRequiredDetail {
  readonly provider: ProviderId;
}

/**
 * `connect-progress` detail: one step of a flow — `phase`, `flowId`, `provider`, `mode`, `at`
 * (`performance.now()` ms), and `status` on `failed`. Never a code, `state` or token.
 */
export type ProgressDetail = ConnectProgress;

/** Fired at each step of a flow, for your analytics (README: Progress). */
export class ConnectProgressEvent extends CustomEvent<ProgressDetail> {
  static readonly type = 'connect-progress';
  constructor(detail: ProgressDetail) {
    super(ConnectProgressEvent.type, { detail, bubbles: true, composed: true });
  }
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

/** Fired when `disconnect-url` answered 2xx (the status is fetched again). */
export class DisconnectedEvent extends CustomEvent<DisconnectedDetail> {
  static readonly type = 'disconnected';
  constructor(detail: DisconnectedDetail) {
    super(DisconnectedEvent.type, { detail, bubbles: true, composed: true });
  }
}

/**
 * Fired instead of `failed` when a landing exchange answered 401: show your sign-in; the held code
 * is sent after it (the element on the page the user returns to, or `resume()`).
 */
export class SigninRequiredEvent extends CustomEvent<SigninRequiredDetail> {
  static readonly type = 'signin-required';
  constructor(detail: SigninRequiredDetail) {
    super(SigninRequiredEvent.type, { detail, bubbles: true, composed: true });
  }
}

// Where the events are typed. Both bubble and are composed, so they reach the element's ancestors,
// the shadow roots it sits in, its document and the window, and partners listen there too
// (`window.addEventListener('failed', (e) => e.detail.status)`). They are declared on exactly those
// targets' maps: HTMLElementEventMap, ShadowRootEventMap, DocumentEventMap and WindowEventMap. Not
// GlobalEventHandlersEventMap, which would also type them on SVG and MathML elements.
// The names are unprefixed (the contract's, and `disconnected` / `signin-required` beside them), so
// the risk is someone else's event of the same name.
// These declarations are in scope only in a program that imports 'oauth-connect' or
// 'oauth-connect/react' (not '/callback' or '/server'), i.e. one that loads the element. There a
// `failed` dispatched by other code would be typed as ours (test `e instanceof FailedEvent` if the
// page has such events), and a library declaring another type for `connected` / `failed` in the
// same map is a compile-time conflict. HTMLElementEventMap already took that risk; the window and
// the document are where partners listen most, so they get the same types.
declare global {
  interface HTMLElementEventMap {
    connected: ConnectedEvent;
    failed: FailedEvent;
    disconnected: DisconnectedEvent;
    'signin-required': SigninRequiredEvent;
    'connect-progress': ConnectProgressEvent;
  }
  interface ShadowRootEventMap {
    connected: ConnectedEvent;
    failed: FailedEvent;
    disconnected: DisconnectedEvent;
    'signin-required': SigninRequiredEvent;
    'connect-progress': ConnectProgressEvent;
  }
  interface DocumentEventMap {
    connected: ConnectedEvent;
    failed: FailedEvent;
    disconnected: DisconnectedEvent;
    'signin-required': SigninRequiredEvent;
    'connect-progress': ConnectProgressEvent;
  }
  interface WindowEventMap {
    connected: ConnectedEvent;
    failed: FailedEvent;
    disconnected: DisconnectedEvent;
    'signin-required': SigninRequiredEvent;
    'connect-progress': ConnectProgressEvent;
  }
}
