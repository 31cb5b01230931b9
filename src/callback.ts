/**
 * `oauth-connect/callback`: the helper for the page that serves as `redirect_uri`.
 * It imports neither Lit nor zod, so the callback page stays tiny.
 */
import { parseCallbackUrl, type CallbackParams } from './core/callback-params.js';
import { ACK_MESSAGE_TYPE, CALLBACK_MESSAGE_TYPE, CHANNEL_NAME } from './core/protocol.js';
import { randomToken } from './core/random.js';

export interface CompleteCallbackOptions {
  /**
   * The opener's origin, the only one the result is posted to (never `'*'`). Default: this page's
   * origin, as the opener and its redirect_uri normally share one.
   */
  readonly targetOrigin?: string;
  /** The URL to read (default: `location.href`). */
  readonly url?: string;
  /** Close this window once the opener acknowledges (default true). It never closes unacknowledged. */
  readonly closeOnAck?: boolean;
  /**
   * When this page has no opener and its tab holds a pending redirect-mode flow (and no opener
   * acknowledged within 1.5 s), send the user back to the page they started on with the answer,
   * where `<oauth-connect>` finishes it (default true).
   */
  readonly resumeRedirect?: boolean;
}

export interface CallbackDelivery {
  /** What the URL carried, or undefined when it carried no result (nothing was sent). */
  readonly params: CallbackParams | undefined;
  /** The paths the result was sent on. */
  readonly via: readonly ('opener' | 'channel' | 'storage')[];
  /** Resolves true when the opener acknowledged the result. */
  readonly acknowledged: Promise<boolean>;
  /** Stops waiting for the acknowledgement (closes the channel). */
  dispose(): void;
}

/**
 * Reads `code`, `state`, `error`, `error_description` and `status_code` from this page's query
 * and fragment and delivers them to the window that opened the flow: by `postMessage` to the
 * opener with an explicit target origin, and over a `BroadcastChannel` (plus a same-origin storage
 * event) for when Cross-Origin-Opener-Policy has severed `window.opener`. Once the opener
 * acknowledges, the page closes itself. The URL is left as it is: in a webview the opener may be
 * polling it.
 */
export function completeCallback(options: CompleteCallbackOptions = {}): CallbackDelivery {
  const params = parseCallbackUrl(options.url ?? location.href);
  if (!params) {
    return { params, via: [], acknowledged: Promise.resolve(false), dispose: () => undefined };
  }
  const id = randomToken(16);
  const message = { type: CALLBACK_MESSAGE_TYPE, id, at: Date.now(), params };
  const targetOrigin = options.targetOrigin ?? location.origin;
  const via: ('opener' | 'channel' | 'storage')[] = [];

  let channel: BroadcastChannel | undefined;
  let resolveAck: (value: boolean) => void = () => undefined;
  const acknowledged = new Promise<boolean>((resolve) => (resolveAck = resolve));
  const dispose = () => {
    if (channel) {
      channel.onmessage = null;
      channel.close();
      channel = undefined;
    }
    resolveAck(false);
  };

  if (typeof BroadcastChannel === 'function') {
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (
        typeof data === 'object' &&
        data !== null &&
        (data as { type?: unknown }).type === ACK_MESSAGE_TYPE &&
        (data as { id?: unknown }).id === id
      ) {
        resolveAck(true);
        dispose();
        if (options.closeOnAck !== false) window.close();
      }
    };
  }

  try {
    const opener = window.opener as Window | null;
    if (opener && !opener.closed) {
      opener.postMessage(message, targetOrigin);
      via.push('opener');
    }
  } catch {
    // a severed or cross-origin opener: the channel below still reaches it
  }
  if (channel) {
    channel.postMessage(message);
    via.push('channel');
  }
  try {
    // A storage event reaches same-origin documents even without BroadcastChannel; the item is
    // removed at once, so the result is never kept in storage.
    const key = `${CHANNEL_NAME}:${id}`;
    localStorage.setItem(key, JSON.stringify(message));
    localStorage.removeItem(key);
    via.push('storage');
  } catch {
    // storage disabled: the other paths remain
  }
  if (!via.includes('opener') && options.resumeRedirect !== false)
    resumeRedirectLater(params, acknowledged);
  return { params, via, acknowledged, dispose };
}

/** How long an unopened callback page waits for an opener's acknowledgement before resuming. */
const REDIRECT_RESUME_AFTER_MS = 1500;

/**
 * This page may be the redirect_uri of a full-page redirect flow (redirect mode, or a blocked
 * popup's fallback): then nobody acknowledges, and the tab holds a pending flow. Send the user back
 * to the page they started on, with the answer, where `<oauth-connect>` checks and finishes it.
 */
function resumeRedirectLater(params: CallbackParams, acknowledged: Promise<boolean>): void {
  let returnTo: string | undefined;
  try {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i);
      if (!key?.startsWith(`${CHANNEL_NAME}:pending:`)) continue;
      const pending = JSON.parse(sessionStorage.getItem(key) ?? 'null') as {
        returnTo?: unknown;
      } | null;
      if (typeof pending?.returnTo === 'string') returnTo = pending.returnTo;
    }
  } catch {
    return;
  }
  if (!returnTo) return;
  const target = new URL(returnTo, location.href);
  if (target.origin !== location.origin) return;
  let acked = false;
  void acknowledged.then((value) => (acked = value));
  setTimeout(() => {
    if (acked) return;
    for (const [key, value] of Object.entries(params))
      target.searchParams.set(key, value as string);
    location.replace(target.toString());
  }, REDIRECT_RESUME_AFTER_MS);
}

export type { CallbackParams };
