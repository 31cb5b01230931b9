import type { ConnectOptions } from '../core/config.js';
import { toConnectError, type ConnectError } from '../core/errors.js';
import type { ConnectResult, FlowHandle, FlowPhase } from './start-flow.js';
import { autostartFlow, resumeFlow, startFlow } from './start-flow.js';

/** The element's view of a flow. */
export type ControllerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly phase: FlowPhase }
  | { readonly kind: 'connected'; readonly result: ConnectResult }
  | { readonly kind: 'failed'; readonly error: ConnectError }
  /** Landing: the backend answered 401; the code is held in this tab until `resume()`. */
  | { readonly kind: 'signin-required' };

/** The subset of Lit's ReactiveControllerHost this needs (no Lit import in the flow layer). */
export interface ControllerHost {
  addController(controller: { hostConnected?(): void; hostDisconnected?(): void }): void;
  requestUpdate(): void;
}

export interface FlowControllerCallbacks {
  readonly onConnected: (result: ConnectResult) => void;
  readonly onFailed: (error: ConnectError) => void;
  readonly onSigninRequired: () => void;
}

/**
 * Reactive controller: one flow at a time (idle → running(opening → waiting [→ severed] →
 * exchanging) → connected | failed), reusable afterwards. Disconnecting the host cancels it.
 */
export class FlowController {
  state: ControllerState = { kind: 'idle' };
  private handle: FlowHandle | undefined;
  private running: Promise<ConnectResult> | undefined;
  private abort: AbortController | undefined;

  constructor(
    private readonly host: ControllerHost,
    private readonly callbacks: FlowControllerCallbacks,
  ) {
    host.addController(this);
  }

  /** Starts a flow, or returns the running one's promise (nothing new opens). */
  start(options: ConnectOptions): Promise<ConnectResult> {
    if (this.running) return this.running;
    this.autostarting?.abort();
    const abort = new AbortController();
    return this.track(abort, startFlow(options, this.context(abort)));
  }

  /** Finishes a redirect return or a landing code of this element found in this page's URL. */
  resume(options: ConnectOptions): Promise<ConnectResult> | undefined {
    if (this.running) return undefined;
    this.autostarting?.abort();
    const abort = new AbortController();
    const handle = resumeFlow(options, this.context(abort));
    if (handle) return this.track(abort, handle);
    this.abort = undefined;
    return undefined;
  }

  /** `autostart`: starts the flow without a click, once per tab (flow/autostart.ts). */
  autostart(options: ConnectOptions): void {
    if (this.running || this.autostarting) return;
    const abort = (this.autostarting = new AbortController());
    const context = { signal: abort.signal, onPhase: (p: FlowPhase) => this.onPhase(abort, p) };
    void autostartFlow(options, context)
      .catch(() => undefined) // the engine did not load: the button is still there
      .then((handle) => {
        if (this.autostarting === abort) this.autostarting = undefined;
        if (handle && !abort.signal.aborted) this.track(abort, handle).catch(() => undefined);
      });
  }

  private autostarting: AbortController | undefined;

  /** Opens the severed popup again; call synchronously in a click. */
  reopen(): boolean {
    return this.handle?.reopen() ?? false;
  }

  cancel(): void {
    this.autostarting?.abort();
    this.abort?.abort();
  }

  hostConnected(): void {
    this.connected = true;
  }

  /** A host that is only moved (disconnected and connected again in the same task) keeps its flow. */
  hostDisconnected(): void {
    this.connected = false;
    setTimeout(() => {
      if (!this.connected) this.cancel();
    });
  }

  private connected = false;

  private context(abort: AbortController) {
    this.abort = abort;
    return { signal: abort.signal, onPhase: (phase: FlowPhase) => this.onPhase(abort, phase) };
  }

  /** Re-renders only for phases the view shows (`exchanging` changes nothing on screen). */
  private onPhase(abort: AbortController, phase: FlowPhase): void {
    if (this.abort !== abort) return;
    const before = this.state.kind === 'running' ? this.state.phase : undefined;
    this.state = { kind: 'running', phase };
    if ((before === 'severed') !== (phase === 'severed')) this.host.requestUpdate();
  }

  private track(abort: AbortController, handle: FlowHandle): Promise<ConnectResult> {
    this.abort = abort;
    this.handle = handle;
    if (this.state.kind !== 'running') this.state = { kind: 'running', phase: 'opening' };
    this.host.requestUpdate();
    const running = handle.result.then(
      (result) => {
        this.end({ kind: 'connected', result });
        this.callbacks.onConnected(result);
        return result;
      },
      (error: unknown) => {
        const failure = toConnectError(error);
        const signin = failure.signinRequired;
        this.end(signin ? { kind: 'signin-required' } : { kind: 'failed', error: failure });
        if (signin) this.callbacks.onSigninRequired();
        else this.callbacks.onFailed(failure);
        throw failure;
      },
    );
    this.running = running;
    return running;
  }

  private end(state: ControllerState): void {
    this.running = undefined;
    this.handle = undefined;
    this.abort = undefined;
    this.state = state;
    this.host.requestUpdate();
  }
}
