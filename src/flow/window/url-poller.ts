import { parseCallbackUrl, type CallbackParams } from '../../core/callback-params.js';
import { every } from '../../core/deadline.js';

export interface UrlPollerOptions {
  readonly popup: () => Window | null;
  readonly interval: number;
  /** A callback in the popup's URL; `href`: where it was read (ownership checks the page). */
  readonly onParams: (params: CallbackParams, href: string) => void;
  readonly signal: AbortSignal;
}

/**
 * Reads the popup's URL every `interval` ms. While it shows the provider (another origin) reading
 * throws a SecurityError, which is expected and ignored; once it is back on our origin with a
 * callback in its query or fragment, that counts, even if the page runs no script.
 */
export function pollPopupUrl(options: UrlPollerOptions): void {
  every(
    options.interval,
    () => {
      const popup = options.popup();
      if (!popup) return;
      let href: string;
      try {
        if (popup.closed) return;
        href = popup.location.href;
      } catch {
        return; // cross-origin: the provider's page
      }
      if (!href || href === 'about:blank') return;
      const params = parseCallbackUrl(href);
      if (params) options.onParams(params, href);
    },
    options.signal,
  );
}
