/**
 * One flow inside one scope: start → answer → exchange → outcome, whatever the mode. Shared by
 * every runner chunk (each imports it); the mode's own part is its runner (modes/). Resuming what
 * a page held (a redirect return, a landing code) is resume.ts, which only those runners fetch.
 */
import { onAbort, untilAborted } from '../core/abort.js';
import { after } from '../core/deadline.js';
import type { Completion } from '../core/completion.js';
import type { ConnectOptions, ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import { exchangeBody, postExchange, type FetchLike } from '../core/exchange.js';
import { prepareRequest } from '../core/request.js';
import type {
  ConnectResult,
  RunContext,
  FlowPhase,
  ProgressPhase,
  FlowHandle,
  FlowRun,
  Gesture,
  Runner,
} from './types.js';
import { listen } from './window/listen.js';

/** The steps (`connect-progress`) a phase of the flow is. */
const STEPS: Partial<Record<FlowPhase, ProgressPhase>> = {
  waiting: 'navigated',
  redirecting: 'navigated',
  severed: 'offer-shown',
  exchanging: 'exchanging',
};

/** Runs a flow whose options were checked, and whose popup (if any) opened, in the click. */
export function runFlow(
  runner: Runner,
  config: ResolvedConfig,
  options: ConnectOptions,
  context: RunContext,
  win: Window,
  gesture: Gesture,
): FlowHandle {
  const advice = runner.advice?.(config, win);
  const run = flowRun(config, options, context, win, gesture.at + config.timeout, advice);
  const started = runner.start(run, gesture);
  return {
    provider: config.provider,
    result: run.settle(started.completion.then((completion) => finish(runner, run, completion))),
    reopen: () => started.reopen?.() ?? false,
  };
}

export interface ScopedRun extends FlowRun {
  /** Ends the flow with `promise`, or earlier with its deadline / cancel; then tears it all down. */
  settle(promise: Promise<ConnectResult>): Promise<ConnectResult>;
  /** Its completion went to the partner backend (the exchange started). */
  sent(): boolean;
}

/**
 * A flow's own scope: an AbortController tied to the caller's signal, aborted at `deadline`
 * (`timeout`, its message naming the runner's `advice` when it has one), when the page is restored from the back/forward cache with the flow unfinished
 * (`cancelled`: it can no longer finish), and when the flow settles.
 */
export function flowRun(
  config: ResolvedConfig,
  options: ConnectOptions,
  context: RunContext,
  win: Window,
  deadline: number,
  advice?: string,
): ScopedRun {
  const controller = new AbortController();
  const { signal } = controller;
  // A cancel (the element removed, cancel(), the caller's signal) ends the flow — unless its code
  // is already on its way to the partner backend: that cannot be taken back, so the flow ends with
  // the backend's answer (connected, or a refusal a runner may make more of: landing holds its code
  // again on a 401), never a false `cancelled`. Its deadline still ends it.
  let exchanging = false;
  const forget = context.signal
    ? onAbort(context.signal, () => {
        if (!exchanging) controller.abort(context.signal?.reason);
      })
    : () => undefined;
  after(
    deadline - Date.now(),
    () => {
      const why = `No answer within ${config.timeout} ms.`;
      controller.abort(
        new ConnectError('timeout', advice ? `${why} Possible cause: ${advice}` : why),
      );
    },
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
      exchanging ||= phase === 'exchanging';
      if (signal.aborted) return;
      context.onPhase?.(phase);
      const step = STEPS[phase];
      if (step) context.report?.(step);
    },
    progress: (step) => {
      if (!signal.aborted) context.report?.(step);
    },
    sent: () => exchanging,
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
 * Hands the completion to the partner backend (`exchange-url`), within the flow's deadline; a
 * refusal is the runner's to make more of (landing: a 401 holds the code for the sign-in).
 */
export async function finish(
  runner: Runner,
  run: ScopedRun,
  completion: Completion,
  at = Date.now(),
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
    throw (!run.signal.aborted && runner.refused?.(run, completion, error, at)) || error;
  }
}
