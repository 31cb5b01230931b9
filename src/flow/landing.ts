import { ConnectError } from '../core/errors.js';
import type { ResolvedConfig } from '../core/config.js';
import { parseSafeUrl } from '../core/url-safety.js';
import type { FlowRun, Gesture, Runner, Started, Taken } from './runner.js';
import type { UrlAnswer } from './url-answer.js';

/**
 * Landing mode (Hint InstantOn): the provider sent the user to this page with `?code=` (and no
 * `state`: Hint's redirect carries none). There is nothing to click: the code was taken from the
 * URL (and scrubbed) on the first load, or when the flow was started.
 */
export const landingRunner: Runner = {
  start(run: FlowRun, { answer }: Gesture): Started {
    const outcome = answer
      ? judgeLanding(answer, run.config).outcome
      : new ConnectError('error', "There is no authorization code in this page's URL.");
    return {
      completion:
        outcome instanceof ConnectError ? Promise.reject(outcome) : Promise.resolve(outcome),
    };
  },
  judge: judgeLanding,
};

/**
 * A landing code: taken unless it cannot be (repeated, empty, over 4 KB: `error`), or landed where
 * it should not — a page that is not `https:`, or a path other than `landing-path` (`invalid_config`;
 * Hint: "validate the redirect target").
 */
function judgeLanding({ params, href }: UrlAnswer, config: ResolvedConfig): Taken {
  if (!parseSafeUrl(href)) {
    return {
      outcome: new ConnectError('invalid_config', 'A code may only land on an https: page.'),
    };
  }
  if (config.landingPath && new URL(href).pathname !== config.landingPath) {
    return {
      outcome: new ConnectError(
        'invalid_config',
        `The code landed on an unexpected path (expected ${config.landingPath}).`,
      ),
    };
  }
  if (!params.code) {
    return {
      outcome: new ConnectError('error', params.error_description ?? 'The code cannot be taken.', {
        error: params.error ?? 'invalid_request',
      }),
    };
  }
  return { outcome: { code: params.code } };
}
