import { parseCallbackUrl } from '../core/callback-params.js';
import type { Completion } from '../core/completion.js';
import { modeOf, resolveConfig, type ConnectOptions, type ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import { exchangeBody, postExchange, type FetchLike } from '../core/exchange.js';
import type { ProviderId } from '../core/providers/types.js';
import { prepareRequest } from '../core/request.js';
import { isEmbeddedBrowser } from './environment.js';
import { takeLandingCode } from './landing.js';
import { onAbort } from './lifetime.js';
import { openPopup } from './popup.js';
import { PopupFlow } from './popup-flow.js';
import {
  hasPendingFlow,
  judgeRedirectReturn,
  leaveForProvider,
  takeRedirectReturn,
} from './redirect.js';

/** What `connect()` resolves with; also the `connected` event's detail. */
export interface ConnectResult {
  readonly provider: ProviderId;
  /** Your exchange endpoint's JSON, or the completion itself without an exchange-url. */
  readonly result: Readonly<Record<string, unknown>>;
  /** Redirect mode: the page where the user started the flow. */
  readonly returnTo?: string;
}

/** Where a running flow is; the element renders from it. */
export type FlowPhase = 'opening' | 'waiting' | 'severed' | 'exchanging' | 'redirecting';

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
  /** After COOP severed the popup: open it again (call synchronously in a click). */
  reopen(): boolean;
}

/**
 * Starts a flow. Call it synchronously inside the user's click: the popup opens before anything
 * is awaited, so popup blockers let it through.
 */
export function startFlow(options: ConnectOptions, context: FlowContext = {}): FlowHandle {
  const win = context.window ?? window;
  const provider = (options.provider ?? 'generic') as ProviderId;
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options, win.location.href);
  } catch (error) {
    return failedHandle(provider, error);
  }
  const { signal, settle } = flowScope(context);
  const fetchFn = fetchOf(options, win);
  const prepare = (s: AbortSignal) =>
    prepareRequest(config, { fetch: fetchFn, signal: s, pageUrl: win.location.href });
  const finish = (completion: Completion) =>
    finishFlow(config, completion, fetchFn, signal, context.onPhase);

  if (config.mode === 'landing') {
    let completion: Completion | undefined;
    try {
      completion = takeLandingCode(win, config); // scrubs the URL synchronously
    } catch (error) {
      return failedHandle(config.provider, error);
    }
    if (!completion) {
      return failedHandle(
        config.provider,
        new ConnectError('error', "There is no authorization code in this page's URL."),
      );
    }
    return { provider: config.provider, result: settle(finish(completion)), reopen: () => false };
  }

  const redirect = (): FlowHandle => ({
    provider: config.provider,
    result: settle(
      (async () => {
        context.onPhase?.('redirecting');
        const prepared = await prepare(signal);
        leaveForProvider(win, config, prepared);
        // The page is leaving; this promise only settles if the flow is cancelled meanwhile.
        return new Promise<ConnectResult>((_, reject) =>
          onAbort(signal, () => reject(new ConnectError('cancelled', 'The flow was cancelled.'))),
        );
      })(),
    ),
    reopen: () => false,
  });
  if (config.mode === 'redirect') return redirect();

  const size = { width: config.popupWidth, height: config.popupHeight };
  const popup = openPopup('about:blank', size, win);
  if (!popup) {
    const useRedirect =
      config.fallback === 'redirect' ||
      (config.fallback === 'auto' && isEmbeddedBrowser(win.navigator.userAgent));
    if (useRedirect) return redirect();
    return failedHandle(
      config.provider,
      new ConnectError(
        'blocked',
        'The popup was blocked. Allow popups for this site and try again.',
      ),
    );
  }
  const flow = new PopupFlow({
    window: win,
    config,
    popup,
    prepare,
    signal,
    onPhase: context.onPhase,
  });
  return {
    provider: config.provider,
    result: settle(flow.completion.then(finish)),
    reopen: () => flow.reopen(),
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
 * On page load: finishes a flow that came back to this page — a redirect-mode return (for a
 * provider with a pending flow in this tab, or any return when `mode` is `redirect`) or a landing
 * code (`mode: 'landing'`). Returns undefined when this page carries nothing to finish.
 */
export function resumeFlow(
  options: ConnectOptions,
  context: FlowContext = {},
): FlowHandle | undefined {
  const win = context.window ?? window;
  const provider = (options.provider ?? 'generic') as ProviderId;
  const mode = modeOf(options);
  if (mode === 'landing') {
    const params = parseCallbackUrl(win.location.href);
    return params?.code || params?.error ? startFlow({ ...options, mode }, context) : undefined;
  }
  if (mode !== 'redirect' && !hasPendingFlow(win, provider)) return undefined;
  const taken = takeRedirectReturn(win, provider);
  if (!taken) return undefined;
  let config: ResolvedConfig;
  try {
    // only what finishing needs is checked: the page returned to need not be able to start a flow
    config = resolveConfig({ ...options, mode: 'redirect' }, win.location.href, { resume: true });
  } catch (error) {
    return failedHandle(provider, error);
  }
  const { signal, settle } = flowScope(context);
  const result = settle(
    (async () => {
      const { completion, returnTo } = judgeRedirectReturn(taken);
      const done = await finishFlow(
        config,
        completion,
        fetchOf(options, win),
        signal,
        context.onPhase,
      );
      return { ...done, returnTo };
    })(),
  );
  return { provider, result, reopen: () => false };
}

/** A flow's own AbortController, tied to the caller's signal and aborted when the flow settles. */
function flowScope(context: FlowContext) {
  const controller = new AbortController();
  const forget = context.signal
    ? onAbort(context.signal, () => controller.abort(context.signal?.reason))
    : () => undefined;
  const end = () => {
    forget();
    controller.abort();
  };
  const settle = (promise: Promise<ConnectResult>): Promise<ConnectResult> =>
    promise.then(
      (result) => {
        end();
        return result;
      },
      (error: unknown) => {
        end();
        throw toConnectError(error);
      },
    );
  return { signal: controller.signal, settle };
}

function fetchOf(options: ConnectOptions, win: Window): FetchLike {
  return options.fetch ?? ((input, init) => win.fetch(input, init));
}

async function finishFlow(
  config: ResolvedConfig,
  completion: Completion,
  fetchFn: FetchLike,
  signal: AbortSignal,
  onPhase: ((phase: FlowPhase) => void) | undefined,
): Promise<ConnectResult> {
  if (!config.exchangeUrl) {
    return { provider: config.provider, result: { ...completion } };
  }
  onPhase?.('exchanging');
  const result = await postExchange({
    fetch: fetchFn,
    url: config.exchangeUrl,
    body: exchangeBody(config.provider, completion, { connectionId: config.connectionId }),
    credentials: config.exchangeCredentials,
    headers: config.exchangeHeaders,
    signal,
  });
  return { provider: config.provider, result };
}

function failedHandle(provider: ProviderId, error: unknown): FlowHandle {
  const result = Promise.reject(toConnectError(error));
  return { provider, result, reopen: () => false };
}
