/**
 * The engine chunk, loaded with `import()` after the click opened what it must: runs a flow with
 * the runner of its mode, or finishes an answer found in this page's URL.
 */
import type { Completion } from '../core/completion.js';
import { untilAborted } from '../core/abort.js';
import type { ConnectOptions, ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import { exchangeBody, postExchange, type FetchLike } from '../core/exchange.js';
import type { Mode } from '../core/providers/types.js';
import { prepareRequest } from '../core/request.js';
import { landingRunner } from './landing.js';
import { after, listen, onAbort } from './lifetime.js';
import { popupRunner } from './popup-runner.js';
import { redirectRunner } from './redirect.js';
import type { FlowRun, Gesture, Runner } from './runner.js';
import type { ConnectResult, FlowContext, FlowHandle } from './start-flow.js';
import type { UrlAnswer } from './url-answer.js';

export { prepareAhead, takeReady } from './ready.js';

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
      : finish(run, outcome).then((done) => (returnTo ? { ...done, returnTo } : done));
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

/** Hands the completion to the partner backend (`exchange-url`), within the flow's deadline. */
async function finish(run: ScopedRun, completion: Completion): Promise<ConnectResult> {
  const { config } = run;
  // server-completed: the partner server redeemed the code already; this is its answer
  if ('result' in completion) return { provider: config.provider, result: completion.result };
  if (!config.exchangeUrl) return { provider: config.provider, result: { ...completion } };
  run.phase('exchanging');
  const result = await postExchange({
    fetch: run.fetch,
    url: config.exchangeUrl,
    body: exchangeBody(config.provider, completion, { connectionId: config.connectionId }),
    credentials: config.exchangeCredentials,
    headers: config.exchangeHeaders,
    signal: run.signal,
  });
  return { provider: config.provider, result };
}
