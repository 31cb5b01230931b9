/**
 * `oauth-connect/callback`: the helper for the page that serves as `redirect_uri`.
 * It imports neither Lit nor zod, so the callback page stays tiny.
 */
import { parseCallbackUrl, type CallbackParams } from './core/callback-params.js';
import {
  ACK_MESSAGE_TYPE,
  channelName,
  DISMISSED_PREFIX,
  DISMISS_MESSAGE_TYPE,
  FLOW_KEY_ITEM,
  PENDING_ITEM,
} from './core/protocol.js';
import { callbackMessage, carried, carrierItem } from './core/wire.js';

export interface CompleteCallbackOptions {
  /**
   * The opener's origin, the only one the result is posted to. Default: this page's origin, as the
   * opener and its redirect_uri normally share one. `'*'` throws a TypeError (nothing is sent): it
   * would hand the code to whatever page opened this window.
   */
  readonly targetOrigin?: string;
  /** The URL to read (default: `location.href`). */
  readonly url?: string;
  /**
   * Close this window once the opener took the result, or dismissed it (its flow had ended).
   * Default true. It never closes otherwise: in a webview the opener may still be reading its URL.
   */
  readonly closeOnAck?: boolean;
  /**
   * When this page is the `redirect_uri` of a full-page redirect flow (not a popup), send the user
   * back to the page they started on with the answer, where `<oauth-connect>` finishes it
   * (default true).
   */
  readonly resumeRedirect?: boolean;
}

/** How the opener answered: took the result, dismissed it, or nobody answered before `dispose()`. */
export type CallbackAnswer = 'acknowledged' | 'dismissed' | 'disposed';

export interface CallbackDelivery {
  /** What the URL carried, or undefined when it carried no result (nothing was sent). */
  readonly params: CallbackParams | undefined;
  /**
   * The paths the result was sent on. When the opener took it (`'opener'`), the channel path
   * follows a task later (so the opener's handler runs first): read it after a `setTimeout`.
   */
  readonly via: readonly ('opener' | 'channel' | 'storage' | 'redirect')[];
  /** Resolves true when the opener acknowledged the result. */
  readonly acknowledged: Promise<boolean>;
  /** Resolves with the opener's answer. */
  readonly answer: Promise<CallbackAnswer>;
  /** Stops waiting for an answer (closes the channel). */
  dispose(): void;
}

/**
 * Reads `code`, `state`, `error`, `error_description`, `status_code` and `iss` from this page's
 * query and fragment and delivers them to the flow that opened this window:
 * - by `postMessage` to the opener, with an explicit target origin (the opener checks that the
 *   message comes from its own popup);
 * - over the BroadcastChannel of its flow, named by the per-flow key the opener left in this tab's
 *   `sessionStorage` — the path that survives Cross-Origin-Opener-Policy. Without a key (a tab
 *   this library did not open), an answer carrying a `state` goes on the shared channel, where only
 *   the flow with that state takes it; a stateless one goes nowhere else: nobody could prove it theirs.
 * It closes itself when the opener acknowledges or dismisses it (its flow had ended), never
 * otherwise. The URL is left as it is: in a webview the opener may be polling it.
 */
export function completeCallback(options: CompleteCallbackOptions = {}): CallbackDelivery {
  if (options.targetOrigin === '*') throw new TypeError('targetOrigin must not be "*".');
  const params = parseCallbackUrl(options.url ?? location.href);
  const via: CallbackDelivery['via'][number][] = [];
  let resolveAnswer: (answer: CallbackAnswer) => void = () => undefined;
  const answer = new Promise<CallbackAnswer>((resolve) => (resolveAnswer = resolve));
  let answered = false;
  const end = (result: CallbackAnswer) => {
    if (answered) return;
    answered = true;
    resolveAnswer(result);
    if (result !== 'disposed' && options.closeOnAck !== false) window.close();
  };
  const delivery = {
    params,
    via,
    answer,
    acknowledged: answer.then((a) => a === 'acknowledged'),
    dispose: () => end('disposed'),
  };
  if (!params) {
    end('disposed');
    return delivery;
  }

  // matches the opener's acknowledgement to this message (not a secret: it can only close this page)
  const id = crypto.randomUUID?.() ?? String(Math.random());
  const envelope = callbackMessage(id, params);
  const onAnswer = (data: { type?: unknown; id?: unknown } | null) => {
    if (data?.type === DISMISS_MESSAGE_TYPE) end('dismissed');
    else if (data?.type === ACK_MESSAGE_TYPE && data.id === id) end('acknowledged');
  };
  // The opener first: the fast path, before anything touches storage.
  try {
    const opener = window.opener as Window | null;
    const targetOrigin = options.targetOrigin ?? location.origin;
    // An opener of another origin than the target never gets the message: only count one that can.
    if (opener && !opener.closed && (targetOrigin !== location.origin || opener.location.href)) {
      opener.postMessage(envelope, targetOrigin);
      via.push('opener');
      // its answer may come straight back, before the channel below exists
      const fromOpener = ({ source, origin, data }: MessageEvent) => {
        if (source === opener && origin === location.origin) onAnswer(data as AnswerData);
      };
      addEventListener('message', fromOpener);
      void answer.then(() => removeEventListener('message', fromOpener));
    }
  } catch {
    // a severed or cross-origin opener: the channel below still reaches it
  }

  // Then the path that survives COOP, which needs this tab's key. When the opener has the message,
  // in a task of its own: the popup and the opener share one renderer thread, and the opener's
  // message handler (which starts the exchange) runs first; storage reads are slow the first time.
  const rest = () => {
    const key = takeFlowKey(); // taken even when answered (or disposed) already: it is spent
    if (!answered) deliverOnChannel({ params, id, key, via, answer, end, onAnswer, options });
  };
  if (via.length) setTimeout(rest);
  else rest();
  return delivery;
}

interface Delivering {
  readonly params: CallbackParams;
  /** This delivery's id (the opener's acknowledgement names it). */
  readonly id: string;
  /** This tab's per-flow key, if the opener left one. */
  readonly key: string | undefined;
  readonly via: CallbackDelivery['via'][number][];
  readonly answer: Promise<CallbackAnswer>;
  readonly end: (answer: CallbackAnswer) => void;
  readonly onAnswer: (data: AnswerData) => void;
  readonly options: CompleteCallbackOptions;
}

/** What the opener answers with: an acknowledgement (of one message id) or a dismissal. */
type AnswerData = { type?: unknown; id?: unknown } | null;

/** Delivery over the flow's channel (its key from this tab's sessionStorage), and its answer. */
function deliverOnChannel(delivering: Delivering): void {
  const { params, id, key, via, answer, end, onAnswer, options } = delivering;
  const message = callbackMessage(id, params, key);
  const name = key || params.state ? channelName(key) : undefined;
  const broadcast = typeof BroadcastChannel === 'function';

  let channel: BroadcastChannel | undefined;
  // Where BroadcastChannel is missing, answers come as storage events; a dismissal marks the key.
  const onStorage = ({ key: item, newValue }: StorageEvent) => {
    if (!newValue) return;
    if (key && item === DISMISSED_PREFIX + key) end('dismissed');
    else if (!broadcast && name) onAnswer(carried(item, newValue, name) as AnswerData);
  };
  void answer.then(() => {
    channel?.close();
    removeEventListener('storage', onStorage);
  });

  if (name && broadcast) {
    channel = new BroadcastChannel(name);
    channel.onmessage = ({ data }: MessageEvent) => onAnswer(data as AnswerData);
    channel.postMessage(message);
    via.push('channel');
  } else if (name) {
    // No BroadcastChannel: a storage event reaches same-origin pages; the item goes at once.
    const [item, value] = carrierItem(id, name, message);
    try {
      localStorage.setItem(item, value);
      localStorage.removeItem(item);
      via.push('storage');
    } catch {
      // storage disabled: the other paths remain
    }
  }
  if (name) addEventListener('storage', onStorage);

  if (key) {
    // A flow that ended without this answer (cancelled, timed out, reopened) marked its key: close.
    // Read after delivering, off the critical path; reading also subscribes WebKit to later marks.
    setTimeout(() => {
      try {
        if (localStorage.getItem(DISMISSED_PREFIX + key)) end('dismissed');
      } catch {
        // storage blocked: the channel still carries a dismissal
      }
    });
  } else if (!via.includes('opener') && options.resumeRedirect !== false) {
    resumeRedirect(params, via);
  }
}

/** This tab's per-flow key, read once and removed (undefined when missing or storage is blocked). */
function takeFlowKey(): string | undefined {
  try {
    const value = sessionStorage.getItem(FLOW_KEY_ITEM) ?? undefined;
    sessionStorage.removeItem(FLOW_KEY_ITEM);
    return value;
  } catch {
    return undefined;
  }
}

/**
 * Not a popup of ours and no opener: this page may be the `redirect_uri` of a full-page redirect
 * flow of this tab. When the tab's pending flow matches the answer (same `state`, or a stateless
 * answer for it), send the user back to where they started, where `<oauth-connect>` checks and
 * finishes it; otherwise do nothing.
 */
function resumeRedirect(params: CallbackParams, via: CallbackDelivery['via'][number][]): void {
  let pending: { returnTo?: unknown; state?: unknown } | null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING_ITEM) ?? 'null') as typeof pending;
  } catch {
    return;
  }
  if (typeof pending?.returnTo !== 'string') return;
  if (params.state !== undefined && params.state !== pending.state) return;
  const target = new URL(pending.returnTo, location.href);
  if (target.origin !== location.origin) return;
  // the answer's own keys (a malformed one carries its error, never `malformed` / `withCode`)
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && key !== 'malformed') target.searchParams.set(key, value);
  }
  via.push('redirect');
  location.replace(target.toString());
}

export type { CallbackParams };
