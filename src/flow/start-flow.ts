import type { Completion } from '../core/completion.js';
import { untilAborted } from '../core/abort.js';
import { modeOf, resolveConfig, type ConnectOptions, type ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import { exchangeBody, postExchange, type FetchLike } from '../core/exchange.js';
import type { Mode, ProviderId } from '../core/providers/types.js';
import { prepareRequest } from '../core/request.js';
import { landingRunner } from './landing.js';
import { after, listen, onAbort } from './lifetime.js';
import { popupRunner } from './popup-runner.js';
import { redirectRunner } from './redirect.js';
import type { FlowPhase, FlowRun, Runner, Taken } from './runner.js';

export type { FlowPhase } from './runner.js';

/** What `connect()` resolves with; also the `connected` event's detail. */
export interface ConnectResult {
  readonly provider: ProviderId;
  /** Your exchange endpoint's JSON, or the completion itself without an exchange-url. */
  readonly result: Readonly<Record<string, unknown>>;
  /** Redirect mode: the page where the user started. */
  readonly returnTo?: string;
}

export interface FlowContext {
  /** Aborting it cancels the flow (rejects with `cancelled`) and tears everything down. */
  readonly signal?: AbortSignal | undefined;
  readonly onPhase?: ((phase: FlowPhase) => void) | undefined;
  readonly window?: Window | undefined;
}

/** A running flow. `result` rejects with a {@link ConnectError}. */
export interface FlowHandle {
  readonly provider: ProviderId;
  readonly result: Promise<ConnectResult>;
  /** Opens the sign-in window again after its handle read closed (call it in a click). */
  reopen(): boolean;
}

/** One runner per mode. */
const runners: Readonly<Record<Mode, Runner>> = {
  popup: popupRunner,
  polling: popupRunner,
  redirect: redirectRunner,
  landing: landingRunner,
};

/**
 * Starts a flow. Call it synchronously inside the user's click: the popup opens before anything
 * is awaited, so popup blockers let it through.
 */
export function startFlow(options: ConnectOptions, context: FlowContext = {}): FlowHandle {
  const win = context.window ?? window;
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options, win.location.href);
  } catch (error) {
    return failedHandle(providerOf(options), error);
  }
  const run = flowRun(config, options, context, win, Date.now() + config.timeout);
  const started = runners[config.mode].start(run);
  return {
    provider: config.provider,
    result: run.settle(started.completion.then((completion) => finish(run, completion))),
    reopen: () => started.reopen?.() ?? false,
  };
}

/**
 * Framework-free API: runs one flow and resolves with the `connected` detail, or rejects with a
 * {@link ConnectError}. Call it synchronously from a click handler.
 */
export function connect(options: ConnectOptions, signal?: AbortSignal): Promise<ConnectResult> {
  return startFlow(options, { signal }).result;
}

/**
 * On page load: finishes a flow whose answer is in this page's URL and belongs to this element
 * (core/ownership) — this tab's redirect return for its provider, or a landing code. Returns
 * undefined, touching nothing, when the URL carries nothing of its own.
 */
export function resumeFlow(
  options: ConnectOptions,
  context: FlowContext = {},
): FlowHandle | undefined {
  const win = context.window ?? window;
  const provider = providerOf(options);
  const mode = modeOf(options) ?? 'popup';
  const taken: Taken | undefined = runners[mode]?.resume(win, {
    provider,
    mode,
    landingPath: options.landingPath,
  });
  if (!taken) return undefined;
  let config: ResolvedConfig;
  try {
    // only what finishing needs is checked: the page returned to need not be able to start a flow
    config = resolveConfig(options, win.location.href, { resume: true });
  } catch (error) {
    return failedHandle(provider, error);
  }
  const run = flowRun(config, options, context, win, taken.deadline ?? Date.now() + config.timeout);
  const { outcome, returnTo } = taken;
  const result =
    outcome instanceof ConnectError
      ? Promise.reject(outcome)
      : finish(run, outcome).then((done) => (returnTo ? { ...done, returnTo } : done));
  return { provider, result: run.settle(result), reopen: () => false };
}

interface ScopedRun extends FlowRun {
  readonly fetch: FetchLike;
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

function providerOf(options: ConnectOptions): ProviderId {
  return options.provider ?? 'generic';
}

function failedHandle(provider: ProviderId, error: unknown): FlowHandle {
  return { provider, result: Promise.reject(toConnectError(error)), reopen: () => false };
}
