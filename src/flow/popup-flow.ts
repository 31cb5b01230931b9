import type { CallbackParams } from '../core/callback-params.js';
import { judgeCallback, type Completion, type Expectation } from '../core/completion.js';
import type { ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import type { PreparedRequest } from '../core/request.js';
import { sameState } from '../core/state.js';
import { isOnlyPendingFlow, registerFlow } from './active-flows.js';
import { acknowledge, listenOnChannel, markConsumed } from './channel.js';
import { after, every, onAbort } from './lifetime.js';
import { listenForMessages } from './message-listener.js';
import { closePopup, isClosed, navigatePopup, openPopup } from './popup.js';
import { pollPopupUrl } from './url-poller.js';

/** A handle that reads closed sooner than this after navigating was severed by COOP, not closed. */
export const SEVERED_WITHIN_MS = 1500;
/** After a real close, how long a late result may still arrive before `cancelled`. */
export const CLOSE_GRACE_MS = 1000;
const CLOSE_CHECK_MS = 100;

export type PopupPhase = 'opening' | 'waiting' | 'severed';

export interface PopupFlowOptions {
  readonly window: Window;
  readonly config: ResolvedConfig;
  /** The popup, opened (about:blank) synchronously in the click. */
  readonly popup: Window;
  /** The URL to open and what to expect, computed after the popup opened. */
  readonly prepare: (signal: AbortSignal) => Promise<PreparedRequest>;
  readonly signal: AbortSignal;
  readonly onPhase?: ((phase: PopupPhase) => void) | undefined;
}

/**
 * One popup flow: navigates the popup, then waits for the first valid completion from any path
 * (postMessage from the popup, the BroadcastChannel / storage path, or reading the popup's URL),
 * or for the timeout, a real close, or an abort. Whatever ends it tears down every listener, timer,
 * interval and channel, and closes the popup.
 */
export class PopupFlow {
  readonly completion: Promise<Completion>;
  /** Aborted when the flow ends, whichever way: tears down everything the flow set up. */
  private readonly lifetime = new AbortController();
  private popup: Window | null;
  private url: string | undefined;
  private navigatedAt = 0;
  private closedSince = 0;
  private severed = false;

  constructor(private readonly options: PopupFlowOptions) {
    this.popup = options.popup;
    this.completion = this.run();
  }

  /**
   * Opens the provider page again (same request, same state) after a severed handle. Call it
   * synchronously from a click. Returns false if the popup was blocked or nothing is pending.
   */
  reopen(): boolean {
    if (!this.url || this.lifetime.signal.aborted) return false;
    const popup = openPopup(this.url, this.size, this.options.window);
    if (!popup) return false;
    closePopup(this.popup);
    this.popup = popup;
    this.navigatedAt = Date.now();
    this.closedSince = 0;
    this.severed = false;
    this.options.onPhase?.('waiting');
    return true;
  }

  private get size() {
    return { width: this.options.config.popupWidth, height: this.options.config.popupHeight };
  }

  private async run(): Promise<Completion> {
    const { config, window: win } = this.options;
    const signal = this.lifetime.signal;
    onAbort(this.options.signal, () => this.lifetime.abort(this.options.signal.reason));
    const token = registerFlow(signal);
    const startedAt = Date.now();
    let expectation: Expectation | undefined;

    try {
      return await new Promise<Completion>((resolve, reject) => {
        const settle = (outcome: Completion | ConnectError) => {
          if (signal.aborted) return;
          if (outcome instanceof ConnectError) reject(outcome);
          else resolve(outcome);
          this.lifetime.abort();
        };
        onAbort(signal, () => reject(new ConnectError('cancelled', 'The flow was cancelled.')));

        const consider = (params: CallbackParams, id: string | undefined, fromChannel: boolean) => {
          if (!expectation || signal.aborted) return;
          if (fromChannel && !this.ownsChannelMessage(params, expectation, token)) return;
          const verdict = judgeCallback(params, expectation);
          if (verdict.kind === 'ignore') return;
          if (id) {
            markConsumed(id);
            acknowledge(id);
          }
          settle(verdict.kind === 'success' ? verdict.completion : verdict.error);
        };

        listenForMessages({
          window: win,
          allowedOrigins: config.allowedOrigins,
          source: () => this.popup,
          onParams: (params, id) => consider(params, id, false),
          signal,
        });
        listenOnChannel({
          window: win,
          since: startedAt,
          onMessage: (params, id) => consider(params, id, true),
          signal,
        });
        pollPopupUrl({
          popup: () => this.popup,
          interval: config.pollInterval,
          onParams: (params) => consider(params, undefined, false),
          signal,
        });
        every(CLOSE_CHECK_MS, () => this.checkClosed(expectation !== undefined, settle), signal);
        after(
          config.timeout,
          () => settle(new ConnectError('timeout', `No answer within ${config.timeout} ms.`)),
          signal,
        );

        this.options.onPhase?.('opening');
        this.options.prepare(signal).then(
          (prepared) => {
            if (signal.aborted) return;
            if (isClosed(this.popup)) {
              settle(new ConnectError('cancelled', 'The popup was closed.'));
              return;
            }
            expectation = prepared.expectation;
            this.url = prepared.url;
            navigatePopup(this.popup as Window, prepared.url);
            this.navigatedAt = Date.now();
            this.options.onPhase?.('waiting');
          },
          (error: unknown) => settle(toConnectError(error)),
        );
      });
    } finally {
      this.lifetime.abort();
      closePopup(this.popup);
    }
  }

  /**
   * A channel message is ours when it carries our state; a stateless one only when this is the
   * single pending flow of the page (see CONTRACT: "bound to its flow by state").
   */
  private ownsChannelMessage(
    params: CallbackParams,
    expected: Expectation,
    token: symbol,
  ): boolean {
    if (expected.state !== undefined && params.state !== undefined) {
      return sameState(expected.state, params.state);
    }
    if (params.code) return false;
    return isOnlyPendingFlow(token);
  }

  private checkClosed(navigated: boolean, settle: (e: ConnectError) => void): void {
    if (this.severed || !isClosed(this.popup)) return;
    const now = Date.now();
    if (navigated && this.closedSince === 0 && now - this.navigatedAt < SEVERED_WITHIN_MS) {
      // Cross-Origin-Opener-Policy took the handle away; the user is still signing in.
      this.severed = true;
      this.options.onPhase?.('severed');
      return;
    }
    if (this.closedSince === 0) this.closedSince = now;
    if (now - this.closedSince >= CLOSE_GRACE_MS) {
      settle(
        new ConnectError('cancelled', 'The popup was closed before the connection completed.'),
      );
    }
  }
}
