/**
 * The framework-free API, as light as the first load can be: what must happen synchronously in
 * the user's click (checking the options, the mode's gesture: opening the popup) happens here; the
 * flow itself — zod, PKCE, the exchange — is the runner chunk of its mode (modes/index.ts), loaded
 * with `import()` (and preloaded by the element on hover or focus, or by `preloadFlow()`).
 */
import { resolveConfig, type ConnectOptions, type ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import type { ProviderId } from '../core/providers/types.js';
import { ANSWERS, MODE_TABLE, type Chunk } from './modes/index.js';
import { HELD_PREFIX, PENDING_ITEM } from '../core/protocol.js';
import { hasItem } from './storage/tab.js';
import type { ConnectResult, FlowContext, FlowHandle } from './types.js';
import {
  failedHandle,
  fromChunk,
  hostWindow,
  knownMode,
  providerOf,
  reported,
  reporter,
} from './handle.js';

export type {
  ConnectProgress,
  ConnectResult,
  FlowContext,
  FlowHandle,
  FlowPhase,
  ProgressPhase,
} from './types.js';

/** The runner chunk of the options' mode (popup when unset or unknown). */
function chunkOf(options: ConnectOptions | undefined): Chunk {
  return MODE_TABLE[knownMode(options ?? {}) ?? 'popup'].runner;
}

/**
 * Loads the flow's runner chunk ahead of the click — call it on hover, focus or idle to save the
 * wait. Given the options of the flow to come, it also makes that flow's request (`state`, PKCE)
 * ahead, so the click opens the popup at the provider's URL at once. Resolves when that is done;
 * an invalid option is not an error here (the click reports it).
 */
export async function preloadFlow(options?: ConnectOptions): Promise<void> {
  const win = hostWindow({});
  if (!win) return; // server-side rendering: nothing to load
  const module = await chunkOf(options).load();
  if (!options) return;
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options, win.location.href);
  } catch {
    return;
  }
  await module.prepareAhead?.(config);
}

/**
 * Starts a flow. Call it synchronously inside the user's click: the options are checked and the
 * popup opens before anything is awaited, so popup blockers let it through; an invalid option opens
 * nothing, and neither does a signal that is already aborted.
 */
export function startFlow(options: ConnectOptions, context: FlowContext = {}): FlowHandle {
  const report = reporter(options, context);
  const win = hostWindow(context);
  if (!win) {
    const error = new ConnectError(
      'invalid_config',
      "connect() runs in a browser, in the user's click: there is no window here (server-side rendering?).",
    );
    return reported(failedHandle(providerOf(options), error), report);
  }
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options, win.location.href);
  } catch (error) {
    return reported(failedHandle(providerOf(options), error), report);
  }
  if (context.signal?.aborted) {
    // ended before it began: nothing opens
    const error = toConnectError(context.signal.reason, 'cancelled');
    return reported(failedHandle(config.provider, error), report);
  }
  const mode = MODE_TABLE[config.mode];
  const gesture = mode.gesture(config, win);
  if (gesture.popup !== undefined) report?.(gesture.popup ? 'opened' : 'blocked');
  const run = { ...context, report };
  const handle = fromChunk(win, config.provider, mode.runner, gesture.popup, context.signal, (m) =>
    m.runFlow(m.runner, config, options, run, win, gesture),
  );
  return reported(handle, report);
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
 * (core/ownership) — this tab's redirect return for its provider, or a landing code — or (landing)
 * the code this tab held for the user's sign-in. Resolves undefined, touching nothing, when there
 * is nothing of its own. A page with nothing that could be an answer or a kept item (most pages)
 * is told so synchronously, and loads nothing; otherwise the small chunk that takes answers
 * (url-answer.ts) loads, and takes this element's answer from the URL in one task — scrubbed from
 * the address bar, its ticket claimed — before the promise resolves; the runner chunk that
 * finishes it is loaded only then.
 */
export function resumeFlow(
  options: ConnectOptions,
  context: FlowContext = {},
): Promise<FlowHandle | undefined> {
  const win = hostWindow(context);
  const mode = knownMode(options); // (as mayResume reads it: an unknown provider's is popup)
  if (!win || !mode || !mayResume(options, context)) return Promise.resolve(undefined);
  const provider = providerOf(options);
  const holds = MODE_TABLE[mode].holds === true;
  return ANSWERS.load().then(
    ({ resumeAnswer }) => resumeAnswer(win, options, context, mode, holds),
    (error: unknown) => {
      // The chunk did not load, so nobody can tell whose the page's answer is: it is reported
      // only where it is surely this element's — a landing element's code, this tab's pending
      // redirect flow of the same mode — never for a `?code=` or `?error=` that may be the
      // partner's own. The URL keeps it, for the next load.
      const own = holds || (MODE_TABLE[mode].returns === true && hasItem(win, PENDING_ITEM));
      if (own && !context.signal?.aborted) {
        return reported(failedHandle(provider, error), reporter(options, context));
      }
      console.warn('oauth-connect: the page could not be checked for an answer:', error);
      return undefined;
    },
  );
}

/**
 * Synchronously: might this page hold something `resumeFlow(options)` would finish (an answer
 * in its URL, a kept item)? False on nearly every page load, which then loads nothing more.
 */
export function mayResume(options: ConnectOptions, context: FlowContext = {}): boolean {
  const win = hostWindow(context);
  const mode = knownMode(options);
  if (!win || !mode) return false;
  return mayHold(win, providerOf(options), MODE_TABLE[mode].holds === true);
}

/**
 * `autostart` (redirect mode only): starts the flow without a click, once per tab and provider
 * (modes/redirect.ts), when no redirect flow of this tab is pending. Resolves with the flow's
 * handle, or undefined when this tab autostarted before (or outside a browser). Another mode is
 * `invalid_config` (a popup without a click would be blocked), and nothing opens.
 */
export async function autostartFlow(
  options: ConnectOptions,
  context: FlowContext = {},
): Promise<FlowHandle | undefined> {
  const win = hostWindow(context);
  if (!win) return undefined;
  const mode = knownMode(options);
  if (!mode || MODE_TABLE[mode].autostarts !== true) {
    return failedHandle(
      providerOf(options),
      new ConnectError(
        'invalid_config',
        'autostart needs mode="redirect" (a popup needs a click).',
      ),
    );
  }
  const module = await MODE_TABLE[mode].runner.load();
  if (context.signal?.aborted || !module.claimAutostart?.(win, providerOf(options))) {
    return undefined;
  }
  return startFlow(options, context);
}

/**
 * Might this page hold something to finish: an answer in its URL (a key a callback carries), this
 * tab's pending redirect flow, or (`holds`) a code held for `provider`'s sign-in? Synchronous and
 * cheap, so that the page of nearly every load, which holds none, loads nothing more. Storage that
 * cannot be read might hold something: url-answer.ts judges it.
 */
function mayHold(win: Window, provider: ProviderId, holds: boolean): boolean {
  const { search, hash } = new URL(win.location.href);
  const keys = [new URLSearchParams(search), new URLSearchParams(hash.slice(1))];
  // (core/callback-params: the keys that make a URL an answer at all)
  if (keys.some((k) => k.has('code') || k.has('error') || k.has('status_code'))) return true;
  return hasItem(win, PENDING_ITEM) || (holds && hasItem(win, HELD_PREFIX + provider));
}
