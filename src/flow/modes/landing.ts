/**
 * Landing mode (Hint InstantOn): the provider sent the user to this page with `?code=` (and no
 * `state`: Hint's redirect carries none). There is nothing to click: the code is taken from the
 * URL (and scrubbed) on the first load (api.ts `resumeFlow`), or when the flow is started. When the partner backend
 * answers 401 (the user is not signed in to the partner app yet), the code is held in this tab
 * (storage/spend-once.ts) for the sign-in, and sent once `resume()` is called after it.
 */
import type { Completion } from '../../core/completion.js';
import type { ResolvedConfig } from '../../core/config.js';
import { ConnectError } from '../../core/errors.js';
import { backendStatus } from '../../core/exchange.js';
import { HELD_CODE_MAX_AGE_MS } from '../../core/protocol.js';
import { parseHeldCode } from '../../core/schemas/kept.js';
import { parseSafeUrl } from '../../core/url-safety.js';
import { holdCode } from '../storage/spend-once.js';
import { takeAnswer } from '../url-answer.js';
import type { FlowRun, Found, Runner, Started, TakenItem, Taken, UrlAnswer } from '../types.js';

export { runFlow } from '../engine.js';
export { resumeFlow } from '../resume.js';

export const runner: Runner = {
  start(run: FlowRun): Started {
    const { window: win, config } = run;
    const answer = takeAnswer(win, { provider: config.provider, mode: 'landing' });
    const outcome = answer
      ? judgeLanding(answer, run.config).outcome
      : new ConnectError('error', "There is no authorization code in this page's URL.");
    return {
      completion:
        outcome instanceof ConnectError ? Promise.reject(outcome) : Promise.resolve(outcome),
    };
  },

  resume: ({ answer, held }: Found, config: ResolvedConfig): Taken =>
    answer ? judgeLanding(answer, config) : judgeHeld(held, config),

  /** Ended before the code was sent (its element removed): held again, for the next element. */
  unsent(run: FlowRun, completion: Completion, at: number) {
    if (!('code' in completion) || Date.now() - at > HELD_CODE_MAX_AGE_MS) return;
    holdCode(run.window, run.config.provider, completion.code, at);
  },

  /**
   * A 401 means the user is not signed in to the partner app yet: the code (landed at `at`) is
   * held in this tab for the sign-in, and the flow ends `signinRequired`.
   */
  refused(run: FlowRun, completion: Completion, error: unknown, at: number) {
    const { config } = run;
    if (!('code' in completion) || backendStatus(error) !== 401) return undefined;
    if (Date.now() - at > HELD_CODE_MAX_AGE_MS) return undefined;
    const { label } = config.preset;
    if (!holdCode(run.window, config.provider, completion.code, at)) {
      return new ConnectError(
        'exchange_failed',
        `Sign in, then start the ${label} activation again: this browser blocks the storage that would keep the code during the sign-in.`,
        { cause: error },
      );
    }
    return new ConnectError('exchange_failed', `Sign in to finish connecting ${label}.`, {
      cause: error,
      signinRequired: true,
    });
  },
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

/**
 * The code this tab held while the user signed in (already taken out of storage, so nothing else
 * here sends it meanwhile), sent once its ticket is redeemed: a window with a copy of this tab's
 * storage that redeemed it in the same instant sent it, and this flow ends `cancelled`, sending
 * nothing. One older than HELD_CODE_MAX_AGE_MS from when it landed is `expired`, never sent.
 */
function judgeHeld(taken: TakenItem | undefined, config: ResolvedConfig): Taken {
  const parsed = parseHeldCode(taken?.value);
  const held = parsed?.provider === config.provider ? parsed : undefined;
  const { label } = config.preset;
  if (!taken || !held) {
    return { outcome: new ConnectError('error', 'The held authorization code cannot be read.') };
  }
  if (Date.now() - held.at > HELD_CODE_MAX_AGE_MS) {
    return {
      outcome: new ConnectError(
        'expired',
        `The ${label} activation waited too long for the sign-in; start it again from ${label}.`,
      ),
    };
  }
  return {
    outcome: { code: held.code },
    at: held.at,
    redeem: () =>
      taken.redeem().then((mine) => {
        if (!mine) {
          throw new ConnectError(
            'cancelled',
            `The ${label} activation was completed in another window.`,
          );
        }
      }),
  };
}
