import { modeOf, OPTION_KEYS, type ConnectOptions } from '../core/config.js';
import { toConnectError, type ConnectError } from '../core/errors.js';
import type { ConnectProgress, ConnectResult, FlowHandle, FlowPhase } from './types.js';
import { autostartFlow, mayResume, preloadFlow, resumeFlow, startFlow } from './api.js';
import { MODE_TABLE } from './modes/index.js';

/** The element's view of a flow. */
export type ControllerState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly phase: FlowPhase }
  | { readonly kind: 'connected'; readonly result: ConnectResult }
  | { readonly kind: 'failed'; readonly error: ConnectError }
  /** Landing: the backend answered 401; the code is held in this tab until `resume()`. */
  | { readonly kind: 'signin-required' };

/** What the view shows, derived from the state: the element renders it and nothing else. */
export interface FlowView {
  /** A flow runs: the button is busy. */
  readonly busy: boolean;
  /** A click can start a flow (not in landing mode: the code arrives in the URL). */
  readonly clickable: boolean;
  /** The popup's handle reads closed while the flow listens on: the Reopen / Cancel offer. */
  readonly severed: boolean;
  /** Landing mode: the held code waits for the user's sign-in. */
  readonly signin: boolean;
  readonly connected: boolean;
  /** Where the running flow is (while one runs). */
  readonly phase: FlowPhase | undefined;
  /** The last flow's failure (after a failure only); the element words it (words/). */
  readonly failure: ConnectError | undefined;
}

/** The subset of Lit's ReactiveControllerHost the controllers need (no Lit import in the flow layer). */
export interface ControllerHost {
  addController(controller: { hostConnected?(): void; hostDisconnected?(): void }): void;
  requestUpdate(): void;
}

/**
 * The element as the flow controller sees it: a controller host with the element's properties —
 * every option of {@link ConnectOptions} plus its own `disabled` and `autostart` switches.
 */
export interface FlowHost extends ControllerHost, Omit<ConnectOptions, 'fetch'> {
  readonly updateComplete: Promise<unknown>;
  readonly isConnected: boolean;
  readonly disabled: boolean;
  readonly autostart: boolean;
}

export interface FlowControllerCallbacks {
  readonly onConnected: (result: ConnectResult) => void;
  readonly onFailed: (error: ConnectError) => void;
  readonly onSigninRequired: () => void;
  /** Each step of a flow (`connect-progress`). */
  readonly onProgress?: (progress: ConnectProgress) => void;
}

const ignore = () => undefined;

/**
 * Reactive controller: one flow at a time (idle → running(opening → waiting [→ severed] →
 * exchanging) → connected | failed), reusable afterwards. It owns the flow's options (a snapshot
 * of the host's properties, taken when a flow starts), finishes what the page's URL holds for the
 * host when it is connected, and gives the view its state. Disconnecting the host cancels the flow.
 */
export class FlowController {
  state: ControllerState = { kind: 'idle' };
  private handle: FlowHandle | undefined;
  private running: Promise<ConnectResult> | undefined;
  private abort: AbortController | undefined;
  private autostarting: AbortController | undefined;
  private resuming: AbortController | undefined;
  private looking: Promise<ConnectResult | undefined> | undefined;
  private connected = false;

  constructor(
    private readonly host: FlowHost,
    private readonly callbacks: FlowControllerCallbacks,
  ) {
    host.addController(this);
  }

  /** The options of a flow: the host's properties as they are now. */
  options(): ConnectOptions {
    const options: Record<string, unknown> = {};
    for (const key of OPTION_KEYS) options[key] = this.host[key];
    return options as ConnectOptions;
  }

  get view(): FlowView {
    const { state } = this;
    return {
      busy: state.kind === 'running',
      clickable: MODE_TABLE[modeOf(this.host) ?? 'popup']?.clickable ?? true,
      severed: state.kind === 'running' && state.phase === 'severed',
      signin: state.kind === 'signin-required',
      connected: state.kind === 'connected',
      phase: state.kind === 'running' ? state.phase : undefined,
      failure: state.kind === 'failed' ? state.error : undefined,
    };
  }

  /**
   * Starts a flow, or returns the running one's promise (nothing new opens). While the page is
   * being looked at for an answer (the button is busy), a start waits for the look: the flow it
   * resumes, if any, is the one started; else a flow starts then.
   */
  start(): Promise<ConnectResult> {
    if (this.running) return this.running;
    if (this.looking) return this.looking.then((result) => result ?? this.start());
    this.autostarting?.abort();
    const abort = new AbortController();
    return this.track(abort, startFlow(this.options(), this.context(abort)));
  }

  /**
   * Finishes a redirect return or a landing code of this host found in this page's URL (or the
   * code held for the sign-in); resolves undefined when there is nothing to finish or a flow runs.
   * A page with nothing that could be one is told so at once; otherwise the host is busy while
   * the page is looked at (api.ts `resumeFlow`: a chunk loads), and a second call gets the first
   * one's promise. `cancel()` (or the host's removal) ends the look: nothing is taken.
   */
  resume(): Promise<ConnectResult | undefined> {
    if (this.running) return Promise.resolve(undefined);
    if (this.looking) return this.looking;
    const options = this.options();
    if (!mayResume(options)) {
      this.noSignin();
      return Promise.resolve(undefined);
    }
    this.autostarting?.abort();
    const abort = (this.resuming = new AbortController());
    const before = this.state;
    this.state = { kind: 'running', phase: 'opening' };
    this.host.requestUpdate();
    const context = this.contextOf(abort);
    const found = resumeFlow(options, context).catch((error: unknown): FlowHandle => ({
      provider: options.provider ?? 'generic',
      result: Promise.reject(toConnectError(error)),
      reopen: () => false,
    }));
    const looking = found.then((handle) => {
      this.resuming = this.looking = undefined;
      if (handle && !abort.signal.aborted) return this.track(abort, handle);
      // nothing of its own (or the look was ended): as before the look
      this.state = before;
      this.host.requestUpdate();
      this.noSignin();
      return undefined;
    });
    return (this.looking = looking);
  }

  /** No held code any more (a window with a copy of this tab's storage sent it): no sign-in notice. */
  private noSignin(): void {
    if (this.state.kind === 'signin-required') this.end({ kind: 'idle' });
  }

  /** Loads the engine and makes the request ahead, when a click looks likely (not when disabled). */
  preload(): void {
    if (!this.host.disabled) preloadFlow(this.options()).catch(ignore);
  }

  /**
   * `autostart` (set, and not disabled): starts the flow without a click, once per tab
   * (modes/redirect.ts).
   */
  autostart(): void {
    const { host } = this;
    if (!host.autostart || host.disabled || !host.isConnected) return;
    if (this.running || this.looking || this.autostarting) return;
    const abort = (this.autostarting = new AbortController());
    const context = this.contextOf(abort);
    void autostartFlow(this.options(), context)
      .catch(ignore) // the engine did not load: the button is still there
      .then((handle) => {
        if (this.autostarting === abort) this.autostarting = undefined;
        if (handle && !abort.signal.aborted) this.track(abort, handle).catch(ignore);
      });
  }

  /**
   * The connection was ended elsewhere (Disconnect): the last flow's `connected` is no longer
   * what the view says. A running flow is left alone.
   */
  forget(): void {
    if (!this.running && this.state.kind === 'connected') this.end({ kind: 'idle' });
  }

  /** Opens the severed popup again; call synchronously in a click. */
  reopen(): boolean {
    return this.handle?.reopen() ?? false;
  }

  cancel(): void {
    this.autostarting?.abort();
    this.resuming?.abort();
    this.abort?.abort();
  }

  /**
   * A redirect return or a landing code in this page's URL is finished as soon as the host's
   * properties are in (after its update), exactly once: the URL is scrubbed when taken. With
   * nothing to finish, `autostart` may start a flow.
   */
  hostConnected(): void {
    this.connected = true;
    void this.host.updateComplete.then(() => {
      if (!this.host.isConnected) return;
      const look = this.resume();
      const ended = this.resuming?.signal; // (cancel() or the host's removal during the look)
      look.then((result) => {
        if (result === undefined && !ended?.aborted) this.autostart();
      }, ignore);
    });
  }

  /**
   * A host that is only moved (disconnected and connected again in the same task) keeps its flow;
   * a removed one ends it (its window closed, nothing sent) and fires no event for it.
   */
  hostDisconnected(): void {
    this.connected = false;
    setTimeout(() => {
      if (!this.connected) this.cancel();
    });
  }

  /** A step of this host's flow, told to the host while it is in the page. */
  private readonly onProgress = (progress: ConnectProgress): void => {
    if (this.host.isConnected) this.callbacks.onProgress?.(progress);
  };

  /** The context of the flow `abort` ends: its phases and steps, told while it is this host's. */
  private contextOf(abort: AbortController) {
    return {
      signal: abort.signal,
      onPhase: (phase: FlowPhase) => this.onPhase(abort, phase),
      onProgress: this.onProgress,
    };
  }

  private context(abort: AbortController) {
    this.abort = abort;
    return this.contextOf(abort);
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
        if (this.host.isConnected) this.callbacks.onConnected(result);
        return result;
      },
      (error: unknown) => {
        const failure = toConnectError(error);
        const signin = failure.signinRequired;
        this.end(signin ? { kind: 'signin-required' } : { kind: 'failed', error: failure });
        // A removed host fires nothing: nobody listens any more, and a framework's handler must
        // not run for a component that is gone (its removal ended the flow).
        if (!this.host.isConnected) throw failure;
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
