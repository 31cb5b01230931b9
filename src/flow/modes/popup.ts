/**
 * `popup` and `polling` modes: one runner. The popup opened (about:blank, or at a request made
 * ahead) synchronously in the click (modes/index.ts); every path to its answer is live in both
 * modes — messages from the popup, the per-flow channel, and reading the popup's URL every
 * `poll-interval`. `polling` differs in what it needs: no `allowed-origins` for b.well, whose
 * custom redirect URL brings `status_code` back to your origin, where it is read. A blocked popup
 * continues as a redirect where `fallback` says so (that runner is loaded then); the page it
 * returns to resumes it like any redirect return. `server` mode runs the same flow (server.ts).
 */
import type { CallbackParams } from '../../core/callback-params.js';
import { judgeCallback, type Completion, type Expectation } from '../../core/completion.js';
import { ConnectError, toConnectError } from '../../core/errors.js';
import { isOurs, type Arrival } from '../../core/ownership.js';
import { channelName, FLOW_KEY_ITEM } from '../../core/protocol.js';
import { randomToken } from '../../core/random.js';
import type { ResolvedConfig } from '../../core/config.js';
import type { PreparedRequest } from '../../core/request.js';
import { parseWindowMessage, type ParsedMessage } from '../../core/schemas/messages.js';
import { prepareAhead, takeReady } from '../ready.js';
import type { FlowRun, Gesture, ReadyRequest, Runner, Started } from '../types.js';
import { acknowledge, dismiss, listenOnChannel } from '../window/channel.js';
import { closePopup } from '../window/closer.js';
import { childController, onAbort } from '../../core/abort.js';
import { after, every } from '../../core/deadline.js';
import { listen } from '../window/listen.js';
import { isClosed, navigatePopup, openSignIn } from '../window/popup-window.js';
import { giveItem } from '../storage/tab.js';
import { watchPresence, type Presence } from '../window/presence.js';
import { pollPopupUrl } from '../window/url-poller.js';

export { runFlow } from '../engine.js';
export { prepareAhead, takeReady } from '../ready.js';

export const runner: Runner = {
  advice: crossOriginCallback,
  start(run: FlowRun, gesture: Gesture): Started {
    const advice = crossOriginCallback(run.config, run.window);
    if (advice) console.warn(`oauth-connect: ${advice}`);
    return gesture.popup ? new PopupFlow(run, gesture.popup, gesture.ready) : blocked(run, gesture);
  },
};

/**
 * A `redirect-uri` on another origin than this page (`localhost` and `127.0.0.1` are two): its
 * callback page posts to its own origin unless told otherwise, so the answer never reaches this
 * page, and its URL cannot be read here either. Not invalid (a callback page told
 * `targetOrigin` answers), but the usual cause of a flow that waits until its timeout.
 */
function crossOriginCallback(config: ResolvedConfig, win: Window): string | undefined {
  if (!config.redirectUri) return undefined;
  const callback = new URL(config.redirectUri).origin;
  const page = win.location.origin;
  if (callback === page) return undefined;
  return (
    `redirect-uri is on ${callback}, this page on ${page}: unless its callback page calls ` +
    `completeCallback({ targetOrigin: '${page}' }), no answer reaches this page (or serve both ` +
    'from one origin).'
  );
}

/**
 * The popup was blocked: the flow continues as a redirect where `fallback` says so (inside an
 * in-app browser or webview for `auto`), else it fails `blocked`.
 */
export function blocked(run: FlowRun, gesture: Gesture): Started {
  const { config, window: win } = run;
  const useRedirect =
    config.fallback === 'redirect' ||
    (config.fallback === 'auto' && isEmbeddedBrowser(win.navigator.userAgent));
  const completion = useRedirect
    ? import('./redirect.js').then((m) => m.runner.start(run, gesture).completion)
    : Promise.reject(
        new ConnectError(
          'blocked',
          'The popup was blocked. Allow popups for this site and try again.',
        ),
      );
  return { completion };
}

/**
 * Where the outcome of a server-completed flow comes from (server.ts): the partner server, asked
 * with the flow id its request carries; nothing the browser delivers counts for such a flow.
 */
export interface ServerOutcome {
  /** The partner server's outcome for `flow`, until `signal` aborts. */
  wait(run: FlowRun, flow: string, signal: AbortSignal): Promise<Completion>;
  /** The flow was given up: the partner server refuses its redirect. */
  abandon(run: FlowRun, flow: string): void;
}

/**
 * With no sign of where the user is (no blur seen: headless, some webviews), the Reopen / Cancel
 * offer shows this long after the handle read closed. While this page is known to be behind the
 * sign-in window (blurred, or hidden, since the popup opened) it waits for the user's return.
 */
export const OFFER_AFTER_MS = 3000;
const CLOSE_CHECK_MS = 100;
/**
 * After the answer: the sign-in window is acknowledged and closed when the exchange has answered, or
 * after this long, whichever comes first. The popup and this page share one renderer thread: closing
 * a window while the exchange's response comes in delays `connected`.
 */
const RELEASE_MS = 250;

/** One sign-in window and what binds its answer: a new one for every Reopen. */
interface Attempt {
  readonly key: string;
  readonly popup: Window;
  /** Its own listeners (the channel named by its key). */
  readonly scope: AbortController;
  expectation?: Expectation;
  /** Sent to the provider: from then on, a closed handle is not proof of a cancel. */
  navigated: boolean;
  /** Its answer was taken: nothing to dismiss. */
  taken: boolean;
  /** The taken answer's acknowledgement (the callback page then closes itself): sent on release. */
  reply?: { readonly on: string; readonly id: string };
}

/**
 * Flows showing the Reopen / Cancel offer: starting a new flow for the same provider ends them (the
 * user started again); another provider's flow leaves them be (another element, a sign-in of its
 * own that may still be live).
 */
const offering = new Set<PopupFlow>();

/**
 * A popup flow (`popup` and `polling` modes): navigates the popup opened in the click, then waits
 * for the first answer that is ours (core/ownership) from any path — postMessage from the popup, the
 * per-flow BroadcastChannel (or storage event), reading the popup's URL — or for the flow's
 * deadline, a proven cancel, or an abort.
 *
 * Closing is not cancelling until proven: Cross-Origin-Opener-Policy can make the handle read
 * closed on any page of the flow while the user is still signing in, and a user back on this page
 * is no proof either (a click on it sends a live popup behind it). So a closed handle after the
 * popup left for the provider never ends the flow: the Reopen / Cancel offer shows once the user
 * can see this page — on their return (focus, visible again), or {@link OFFER_AFTER_MS} after the
 * handle read closed when nothing says the sign-in window is in front — and the flow keeps
 * listening; it fails `cancelled` only on Cancel, a new start, or its timeout. A handle closed
 * before it was navigated is a plain cancel.
 */
export class PopupFlow implements Started {
  readonly completion: Promise<Completion>;
  private readonly lifetime: AbortController;
  private readonly presence: Presence;
  private attempt: Attempt;
  private closedAt = 0;
  /** The flow has its outcome: nothing else is taken. */
  private ended = false;
  private settle: (outcome: Completion | ConnectError) => void = () => undefined;

  constructor(
    private readonly run: FlowRun,
    popup: Window,
    ready?: ReadyRequest,
    private readonly server?: ServerOutcome,
  ) {
    for (const flow of offering) {
      if (flow.run.config.provider !== run.config.provider) continue;
      flow.settle(new ConnectError('cancelled', 'A new connection was started.'));
    }
    this.lifetime = childController(run.signal);
    const signal = this.lifetime.signal;
    let reject: (error: unknown) => void = () => undefined;
    this.completion = new Promise<Completion>((resolve, fail) => {
      reject = fail;
      this.settle = (outcome) => {
        if (this.ended || signal.aborted) return;
        this.ended = true;
        if (outcome instanceof ConnectError) {
          reject(outcome);
          this.lifetime.abort();
        } else {
          // released (acknowledged, closed) when the flow ends after its exchange, or RELEASE_MS
          resolve(outcome);
          after(RELEASE_MS, () => this.lifetime.abort(), signal);
        }
      };
    });
    this.presence = watchPresence(run.window, signal);
    this.attempt = this.begin(popup, ready);
    this.listen(signal);
    // Whatever ends the flow (its answer, the deadline, a cancel) ends the attempt too — at once
    // when the flow ended before it got here (a cancel while the engine loaded).
    onAbort(signal, () => {
      offering.delete(this);
      this.retire(this.attempt);
      reject(toConnectError(run.signal.reason ?? new ConnectError('cancelled', 'Cancelled.')));
    });
  }

  /**
   * Opens the sign-in window again, as a new attempt (new popup, key, `state` and PKCE pair): the
   * old window's answer is dismissed. Call it synchronously in a click. False if it was blocked.
   */
  reopen(): boolean {
    if (this.ended || this.lifetime.signal.aborted) return false;
    const { config, window: win } = this.run;
    const ready = takeReady(config);
    const popup = openSignIn({ width: config.popupWidth, height: config.popupHeight }, win, ready);
    if (!popup) return false;
    this.retire(this.attempt);
    offering.delete(this);
    this.closedAt = 0;
    this.run.progress('reopened');
    this.attempt = this.begin(popup, ready);
    return true;
  }

  /** Listeners that live as long as the flow: messages, URL reads, close checks, leaving the page. */
  private listen(signal: AbortSignal): void {
    const { config, window: win } = this.run;
    listen(
      win,
      'message',
      (event) => {
        const arrival: Arrival = {
          via: 'message',
          origin: event.origin,
          fromPopup: event.source !== null && event.source === this.attempt.popup,
        };
        if (!this.owns(arrival)) return;
        const message = parseWindowMessage(event.data);
        // the callback page posts to its opener before it reads its key: it listens on its key's
        // channel, which is this attempt's
        if (message) this.consider(message, channelName(this.attempt.key));
      },
      signal,
    );
    pollPopupUrl({
      popup: () => this.attempt.popup,
      interval: config.pollInterval,
      onParams: (params: CallbackParams, href: string) => {
        if (this.owns({ via: 'popup-url', href })) this.consider({ params }, '');
      },
      signal,
    });
    every(CLOSE_CHECK_MS, () => this.checkClosed(), signal);
    listen(
      win,
      'pagehide',
      () => {
        // the page leaves: its window closes now (no timer fires later), and a flow with its
        // answer releases it
        closePopup(this.attempt.popup, true);
        if (this.ended) this.lifetime.abort();
        else {
          this.settle(
            new ConnectError('cancelled', 'The page was left before the connection completed.'),
          );
        }
      },
      signal,
    );
  }

  /**
   * Starts an attempt in `popup`: opened at `ready` (its key carried in the window's sessionStorage),
   * or at about:blank, given a key and sent on once a fresh request is made. Either way the next
   * attempt's (or flow's) request is made ahead.
   */
  private begin(popup: Window, ready?: ReadyRequest): Attempt {
    const { window: win, config } = this.run;
    const attempt: Attempt = {
      key: ready?.key ?? randomToken(32),
      popup,
      scope: childController(this.lifetime.signal),
      navigated: false,
      taken: false,
    };
    if (attempt.scope.signal.aborted) return attempt; // the flow ended already: retired at once
    if (!ready) giveItem(popup, FLOW_KEY_ITEM, attempt.key);
    const onBroadcast = (message: ParsedMessage) => {
      if (this.owns({ via: 'broadcast', key: message.key, params: message.params }, attempt)) {
        this.consider(message, channelName(message.key), attempt);
      }
    };
    listenOnChannel(win, channelName(attempt.key), onBroadcast, attempt.scope.signal);
    if (config.preset.completion === 'code') {
      // a callback page that could not read its key still proves itself with our state
      listenOnChannel(win, channelName(), onBroadcast, attempt.scope.signal);
    }
    if (ready) {
      this.sent(attempt, ready);
    } else {
      this.run.phase('opening');
      this.run.prepare().then(
        (prepared) => {
          if (attempt.scope.signal.aborted) return;
          if (isClosed(popup)) {
            this.settle(new ConnectError('cancelled', 'The sign-in window was closed.'));
            return;
          }
          navigatePopup(popup, prepared.url);
          this.sent(attempt, prepared);
        },
        (error: unknown) => {
          if (!attempt.scope.signal.aborted) this.settle(toConnectError(error));
        },
      );
    }
    void prepareAhead(config);
    return attempt;
  }

  /** The attempt's window is on its way to the provider with `request`. */
  private sent(attempt: Attempt, request: PreparedRequest): void {
    attempt.expectation = request.expectation;
    attempt.navigated = true;
    this.run.phase('waiting');
    if (request.expectation.flow) this.awaitServer(attempt, request.expectation.flow);
  }

  /** `mode="server"`: the outcome comes from the partner server, asked with the flow id. */
  private awaitServer(attempt: Attempt, flow: string): void {
    this.server?.wait(this.run, flow, attempt.scope.signal).then(
      (completion) => {
        if (!this.owns({ via: 'server' }, attempt)) return;
        attempt.taken = true;
        this.run.progress('answered');
        this.settle(completion);
      },
      (error: unknown) => {
        if (this.owns({ via: 'server' }, attempt)) this.settle(toConnectError(error));
      },
    );
  }

  private owns(arrival: Arrival, attempt = this.attempt): boolean {
    const { expectation, key } = attempt;
    if (attempt !== this.attempt || !expectation) return false;
    return isOurs(arrival, {
      allowedOrigins: this.run.config.allowedOrigins,
      redirectUri: expectation.redirectUri,
      key,
      state: expectation.state,
    });
  }

  /**
   * An answer that is ours: judged; the first that decides anything ends the flow, and is
   * acknowledged on `replyOn`, the channel its callback page listens on, when the attempt is
   * released (retire).
   */
  private consider(message: ParsedMessage, replyOn: string, attempt = this.attempt): void {
    if (!attempt.expectation || this.ended || this.lifetime.signal.aborted) return;
    const verdict = judgeCallback(message.params, attempt.expectation);
    if (verdict.kind === 'ignore') return;
    attempt.taken = true;
    if (message.id) attempt.reply = { on: replyOn, id: message.id };
    this.run.progress('answered');
    this.settle(verdict.kind === 'success' ? verdict.completion : verdict.error);
  }

  /**
   * Ends an attempt: its listeners, its window, and a dismissal of its answer if one may still come
   * (a severed handle cannot close its window; an in-app browser may refuse to).
   */
  private retire(attempt: Attempt): void {
    attempt.scope.abort();
    if (attempt.reply) acknowledge(this.run.window, attempt.reply, attempt.popup);
    closePopup(attempt.popup);
    if (attempt.navigated && !attempt.taken) {
      dismiss(this.run.window, channelName(attempt.key), attempt.key);
      const flow = attempt.expectation?.flow;
      if (flow) this.server?.abandon(this.run, flow); // its redirect will be refused
    }
  }

  private checkClosed(): void {
    if (this.ended) return; // the answer is in: its window's handle no longer matters
    const { popup, navigated } = this.attempt;
    if (!isClosed(popup)) {
      this.closedAt = 0;
      return;
    }
    if (!navigated) {
      this.settle(new ConnectError('cancelled', 'The sign-in window was closed.'));
      return;
    }
    const now = Date.now();
    // The user closed it, or the browser took the handle away (COOP): not proof of a cancel.
    if (!this.closedAt) this.run.progress('severed');
    this.closedAt ||= now;
    if (offering.has(this)) return;
    const back = this.presence.backSince() > 0;
    const unseen = !back && this.presence.away();
    if (back || (!unseen && now - this.closedAt >= OFFER_AFTER_MS)) {
      offering.add(this);
      this.run.phase('severed');
    }
  }
}

/**
 * Heuristics for in-app browsers and webviews, where popups are unreliable and a full-page
 * redirect is the better fallback.
 */
const WEBVIEW_PATTERNS = [
  /; wv\)/i, // Android WebView
  /\bFBA[NV]\//, // Facebook
  /\bInstagram\b/,
  /\bLine\//,
  /\bTwitter\b/i,
  /\bLinkedInApp\b/i,
  /\bMicroMessenger\b/i,
];

export function isEmbeddedBrowser(userAgent: string): boolean {
  if (WEBVIEW_PATTERNS.some((p) => p.test(userAgent))) return true;
  // iOS WKWebView: AppleWebKit + Mobile but no "Safari/" token
  return (
    /\b(iPhone|iPad|iPod)\b/.test(userAgent) &&
    /AppleWebKit/.test(userAgent) &&
    !/Safari\//.test(userAgent)
  );
}
