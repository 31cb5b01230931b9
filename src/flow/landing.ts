import { ConnectError } from '../core/errors.js';
import { claimReturn } from '../core/ownership.js';
import { parseSafeUrl } from '../core/url-safety.js';
import type { FlowRun, ReturnClaimant, Runner, Started, Taken } from './runner.js';
import { takeFromUrl } from './url-answer.js';

/**
 * Landing mode (Hint InstantOn): the provider sent the user to this page with `?code=` (and no
 * `state`: Hint's redirect carries none). There is nothing to click; starting it takes the code.
 */
export const landingRunner: Runner = {
  start(run: FlowRun): Started {
    const { provider, landingPath } = run.config;
    const taken = takeLandingCode(run.window, { provider, mode: 'landing', landingPath });
    const outcome =
      taken?.outcome ??
      new ConnectError('error', "There is no authorization code in this page's URL.");
    return {
      completion:
        outcome instanceof ConnectError ? Promise.reject(outcome) : Promise.resolve(outcome),
    };
  },
  resume: takeLandingCode,
};

/**
 * Takes a stateless `?code=` from this page's URL (a URL carrying `state` is some flow's return,
 * never a landing code), scrubbing it at once. A code it cannot take (repeated, empty, over 4 KB)
 * fails with `error`, and is scrubbed all the same. A code on a path other than `landingPath`, or on a
 * page that is not `https:`, fails with `invalid_config` (Hint: "validate the redirect target").
 */
export function takeLandingCode(win: Window, claimant: ReturnClaimant): Taken | undefined {
  const { landingPath } = claimant;
  const taken = takeFromUrl(win, (params) => claimReturn(params, undefined, claimant));
  if (!taken) return undefined;
  const { params, href } = taken;
  if (!parseSafeUrl(href)) {
    return {
      outcome: new ConnectError(
        'invalid_config',
        'An authorization code may only land on an https: page.',
      ),
    };
  }
  if (landingPath && new URL(href).pathname !== landingPath) {
    return {
      outcome: new ConnectError(
        'invalid_config',
        `The code landed on an unexpected path (expected ${landingPath}).`,
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
