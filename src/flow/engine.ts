/**
 * The engine chunk, loaded with `import()` after the click opened what it must: runs a flow with
 * the runner of its mode, or finishes an answer found in this page's URL.
 */
import type { Completion } from '../core/completion.js';
import { untilAborted } from '../core/abort.js';
import type { ConnectOptions, ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import { backendStatus, exchangeBody, postExchange, type FetchLike } from '../core/exchange.js';
import { HELD_CODE_MAX_AGE_MS } from '../core/protocol.js';
import type { Mode } from '../core/providers/types.js';
import { prepareRequest } from '../core/request.js';
import { heldCodeSchema } from '../core/schemas.js';
import { holdCode } from './held-code.js';
import { landingRunner } from './landing.js';
import { after, listen, onAbort } from './lifetime.js';
import { popupRunner } from './popup-runner.js';
import { redirectRunner } from './redirect.js';
import type { FlowRun, Gesture, Runner } from './runner.js';
import type { ConnectResult, FlowContext, FlowHandle } from './start-flow.js';
import type { TakenItem } from './storage.js';
import type { UrlAnswer } from './url-answer.js';

export { prepareAhead, takeReady } from './ready.js';
export { claimAutostart } from './autostart.js';

/** One runner per mode. */
const runners: Readonly<Record<Mode, Runner>> = {
  popup: popupRunner,
  polling: popupRunner,
  redirect: redirectRunner,
  landing: landingRunner,
  server: popupRunner,
};

/** Runs a flow whose options were checked, and whose popup (if any) opened, in the click. */
export function runFlow(
  config: ResolvedConfig,
  options: ConnectOptions,
  context: FlowContext,
  win: Window,
  gesture: Gesture,
): FlowHandle {
  const run = flowRun(config, options, context, win, gesture.at + config.timeout);
  const started = runners[config.mode].start(run, gesture);
  return {
    provider: config.provider,
    result: run.settle(started.completion.then((completion) => finish(run, completion))),
    reopen: () => started.reopen?.() ?? false,
  };
}

/** Finishes an answer an element took from this page's URL (url-answer.ts) at `at`. */
export function finishAnswer(
  config: ResolvedConfig,
  options: ConnectOptions,
  context: FlowContext,
  win: Window,
  answer: UrlAnswer,
  at: number,
): FlowHandle {
  const taken = runners[config.mode].judge(answer, config, at);
  const run = flowRun(config, options, context, win, taken.deadline ?? at + config.timeout);
  const { outcome, returnTo } = taken;
  const result =
    outcome instanceof ConnectError
      ? Promise.reject(outcome)
      : redeemed(answer)
          .then(() => finish(run, outcome, at))
          .then((done) => (returnTo ? { ...done, returnTo } : done));
  return { provider: config.provider, result: run.settle(result), reopen: () => false };
}

/**
 * A redirect return's pending flow is redeemed (storage.ts) before anything is sent: one that a
 * window with a copy of this tab's storage spent meanwhile is as good as missing (`unauthorized`).
 */
async function redeemed(answer: UrlAnswer): Promise<void> {
  if (answer.redeem && !(await answer.redeem())) {
    throw new ConnectError(
      'unauthorized',
      'This connection was already finished in another window.',
    );
  }
}

/**
 * Landing mode: sends the code this tab held while the user signed in (held-code.ts; already
 * taken out of storage, so nothing else here sends it meanwhile), once its ticket is redeemed: a
 * window with a copy of this tab's storage that redeemed it in the same instant sent it, and this
 * flow ends `cancelled`, sending nothing. One older than HELD_CODE_MAX_AGE_MS from when it landed
 * is `expired`, and never sent.
 */
export function finishHeld(
  config: ResolvedConfig,
  options: ConnectOptions,
  context: FlowContext,
  win: Window,
  taken: TakenItem | undefined,
): FlowHandle {
  const run = flowRun(config, options, context, win, Date.now() + config.timeout);
  const parsed = heldCodeSchema.safeParse(taken?.value);
  const held = parsed.success && parsed.data.provider === config.provider ? parsed.data : undefined;
  const { label } = config.preset;
  const result =
    !taken || !held
      ? Promise.reject(new ConnectError('error', 'The held authorization code cannot be read.'))
      : Date.now() - held.at > HELD_CODE_MAX_AGE_MS
        ? Promise.reject(
            new ConnectError(
              'expired',
              `The ${label} activation waited too long for the sign-in; start it again from ${label}.`,
            ),
          )
        : taken.redeem().then((mine) => {
            if (!mine) {
              throw new ConnectError(
                'cancelled',
                `The ${label} activation was completed in another window.`,
              );
            }
            return finish(run, { code: held.code }, held.at);
          });
  return { provider: config.provider, result: run.settle(result), reopen: () => false };
}

interface ScopedRun extends FlowRun {
  /** Ends the flow with `promise`, or earlier with its deadline / cancel; then tears it all down. */
  settle(promise: Promise<ConnectResult>): Promise<ConnectResult>;
}

/**
 * A flow's own scope: an AbortController tied to the caller's signal, aborted at `deadline`
 * (`timeout`), when the page is restored from the back/forward cache with the flow unfinished
 * (`cancelled`: it can no longer finish), and when the flow settles.
 */
function flowRun(
  config: ResolvedConfig,
  options: ConnectOptions,
  context: FlowContext,
  win: Window,
  deadline: number,
): ScopedRun {
  const controller = new AbortController();
  const { signal } = controller;
  const forget = context.signal
    ? onAbort(context.signal, () => controller.abort(context.signal?.reason))
    : () => undefined;
  after(
    deadline - Date.now(),
    () => controller.abort(new ConnectError('timeout', `No answer within ${config.timeout} ms.`)),
    signal,
  );
  listen(
    win,
    'pageshow',
    (event) => {
      if (!event.persisted) return;
      controller.abort(
        new ConnectError('cancelled', 'The page was left before the connection completed.'),
      );
    },
    signal,
  );
  const fetch: FetchLike = options.fetch ?? ((input, init) => win.fetch(input, init));
  const end = () => {
    forget();
    controller.abort();
  };
  return {
    config,
    window: win,
    signal,
    fetch,
    prepare: () => prepareRequest(config, { fetch, signal, pageUrl: win.location.href }),
    phase: (phase) => {
      if (!signal.aborted) context.onPhase?.(phase);
    },
    settle: (promise) =>
      untilAborted(promise, signal).then(
        (result) => {
          end();
          return result;
        },
        (error: unknown) => {
          end();
          throw toConnectError(error);
        },
      ),
  };
}

/**
 * Hands the completion to the partner backend (`exchange-url`), within the flow's deadline. In
 * landing mode a 401 means the user is not signed in to the partner app yet: the code (landed at
 * `landedAt`) is held in this tab for the sign-in, and the flow ends `signinRequired`.
 */
async function finish(
  run: ScopedRun,
  completion: Completion,
  landedAt = Date.now(),
): Promise<ConnectResult> {
  const { config } = run;
  // server-completed: the partner server redeemed the code already; this is its answer
  if ('result' in completion) return { provider: config.provider, result: completion.result };
  if (!config.exchangeUrl) return { provider: config.provider, result: { ...completion } };
  run.phase('exchanging');
  try {
    const result = await postExchange({
      fetch: run.fetch,
      url: config.exchangeUrl,
      body: exchangeBody(config.provider, completion, { connectionId: config.connectionId }),
      credentials: config.exchangeCredentials,
      headers: config.exchangeHeaders,
      signal: run.signal,
    });
    return { provider: config.provider, result };
  } catch (error) {
    if (
      config.mode === 'landing' &&
      'code' in completion &&
      backendStatus(error) === 401 &&
      !run.signal.aborted &&
      Date.now() - landedAt <= HELD_CODE_MAX_AGE_MS
    ) {
      const { label } = config.preset;
      if (!holdCode(run.window, config.provider, completion.code, landedAt)) {
        throw new ConnectError(
          'exchange_failed',
          `Sign in, then start the ${label} activation again: this browser blocks the storage that would keep the code during the sign-in.`,
          { cause: error },
        );
      }
      throw new ConnectError('exchange_failed', `Sign in to finish connecting ${label}.`, {
        cause: error,
        signinRequired: true,
      });
    }
    throw error;
  }
}
