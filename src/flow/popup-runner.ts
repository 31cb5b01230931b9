import { ConnectError } from '../core/errors.js';
import { isEmbeddedBrowser } from './environment.js';
import { PopupFlow } from './popup-flow.js';
import { redirectRunner } from './redirect.js';
import type { FlowRun, Gesture, Runner, Started } from './runner.js';

/**
 * `popup` and `polling` modes: one runner. The popup opened (about:blank) synchronously in the
 * click (start-flow.ts); every path to its answer is live in both modes — messages from the popup, the per-flow
 * channel, and reading the popup's URL every `poll-interval`. `polling` differs in what it needs:
 * no `allowed-origins` for b.well, whose custom redirect URL brings `status_code` back to your
 * origin, where it is read. A blocked popup continues as a redirect where `fallback` says so; the
 * page it returns to resumes it like any redirect return.
 */
export const popupRunner: Runner = {
  start(run: FlowRun, gesture: Gesture): Started {
    const { config, window: win } = run;
    if (gesture.popup) return new PopupFlow(run, gesture.popup, gesture.ready);
    const useRedirect =
      config.fallback === 'redirect' ||
      (config.fallback === 'auto' && isEmbeddedBrowser(win.navigator.userAgent));
    if (useRedirect) return redirectRunner.start(run, gesture);
    return {
      completion: Promise.reject(
        new ConnectError(
          'blocked',
          'The popup was blocked. Allow popups for this site and try again.',
        ),
      ),
    };
  },
  // a blocked popup may have continued as a redirect: its return is judged like any other
  judge: redirectRunner.judge,
};
