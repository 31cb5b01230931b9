/**
 * The framework-free API, as light as the first load can be: what must happen synchronously in
 * the user's click (checking the options, opening the popup) happens here; the flow itself — zod,
 * PKCE, the runners, the exchange — is the engine chunk, loaded with `import()` (and preloaded by
 * the element on hover or focus, or by `preloadFlow()`).
 */
import { modeOf, resolveConfig, type ConnectOptions, type ResolvedConfig } from '../core/config.js';
import { ConnectError, toConnectError } from '../core/errors.js';
import { MODES, type Mode, type ProviderId } from '../core/providers/types.js';
import { takeHeldCode } from './held-code.js';
import { closePopup } from './closer.js';
import { onAbort } from './lifetime.js';
import { openSignIn } from './popup.js';
import type { FlowPhase, Gesture } from './runner.js';
import { takeAnswer } from './url-answer.js';

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

type Engine = typeof import('./engine.js');
let engine: Promise<Engine> | undefined;
/** The engine, once loaded: what the click can use synchronously. */
let loaded: Engine | undefined;

/** Loads the engine chunk (once; again after a failed load). */
function loadEngine(): Promise<Engine> {
  return (engine ??= import('./engine.js').then(
    (e) => (loaded = e),
    (error: unknown) => {
      engine = undefined;
      throw error;
    },
  ));
}

/**
 * Loads the flow engine ahead of the click — call it on hover, focus or idle to save the wait.
 * Given the options of the flow to come, it also makes that flow's request (`state`, PKCE) ahead,
 * so the click opens the popup at the provider's URL at once. Resolves when that is done; an
 * invalid option is not an error here (the click reports it).
 */
export async function preloadFlow(options?: ConnectOptions): Promise<void> {
  const win = hostWindow({});
  if (!win) return; // server-side rendering: nothing to load
  const e = await loadEngine();
  if (!options) return;
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options, win.location.href);
  } catch {
    return;
  }
  await e.prepareAhead(config);
}

/**
 * What each mode does synchronously in the click, before any await: `popup`, `polling` and `server`
 * open the popup (at a request made ahead, else about:blank, sent on once the engine has the URL);
 * `landing` takes the code from the URL.
 */
const GESTURES: Readonly<Record<Mode, (config: ResolvedConfig, win: Window) => Gesture>> = {
  popup: open,
  polling: open,
  redirect: () => ({ at: Date.now() }),
  server: open,
  landing: (config, win) => ({
    at: Date.now(),
    answer: takeAnswer(win, { provider: config.provider, mode: 'landing' }),
  }),
};

function open(config: ResolvedConfig, win: Window): Gesture {
  const size = { width: config.popupWidth, height: config.popupHeight };
  const ready = loaded?.takeReady(config);
  return { at: Date.now(), popup: openSignIn(size, win, ready), ready };
}

/**
 * Starts a flow. Call it synchronously inside the user's click: the options are checked and the
 * popup opens before anything is awaited, so popup blockers let it through; an invalid option opens
 * nothing.
 */
export function startFlow(options: ConnectOptions, context: FlowContext = {}): FlowHandle {
  const win = hostWindow(context);
  if (!win) {
    return failedHandle(
      providerOf(options),
      new ConnectError(
        'invalid_config',
        "connect() runs in a browser, in the user's click: there is no window here (server-side rendering?).",
      ),
    );
  }
  let config: ResolvedConfig;
  try {
    config = resolveConfig(options, win.location.href);
  } catch (error) {
    return failedHandle(providerOf(options), error);
  }
  if (context.signal?.aborted) {
    // ended before it began: nothing opens
    return failedHandle(config.provider, toConnectError(context.signal.reason, 'cancelled'));
  }
  const gesture = GESTURES[config.mode](config, win);
  return fromEngine(win, config.provider, gesture.popup, context.signal, (e) =>
    e.runFlow(config, options, context, win, gesture),
  );
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
 * (core/ownership) — this tab's redirect return for its provider, or a landing code — taking it
 * from the URL synchronously. Returns undefined, touching nothing, when the URL carries nothing of
 * its own; the engine chunk is loaded only when there is something to finish.
 */
export function resumeFlow(
  options: ConnectOptions,
  context: FlowContext = {},
): FlowHandle | undefined {
  const win = hostWindow(context);
  if (!win) return undefined; // server-side rendering: no URL to finish
  const provider = providerOf(options);
  const mode = modeOf(options) ?? 'popup';
  if (!(MODES as readonly string[]).includes(mode)) return undefined;
  const answer = takeAnswer(win, { provider, mode });
  // landing: a code in the URL supersedes one held for the sign-in; without one, the held code
  const held = mode === 'landing' ? takeHeldCode(win, provider) : undefined;
  if (!answer && held === undefined) return undefined;
  const at = Date.now();
  let config: ResolvedConfig;
  try {
    // only what finishing needs is checked: the page returned to need not be able to start a flow
    config = resolveConfig(options, win.location.href, { resume: true });
  } catch (error) {
    return failedHandle(provider, error);
  }
  return fromEngine(win, provider, undefined, context.signal, (e) =>
    answer
      ? e.finishAnswer(config, options, context, win, answer, at)
      : e.finishHeld(config, options, context, win, held),
  );
}

/**
 * `autostart` (redirect mode only): starts the flow without a click, once per tab and provider
 * (flow/autostart.ts), when no redirect flow of this tab is pending. Resolves with the flow's
 * handle, or undefined when this tab autostarted before (or outside a browser). Another mode is
 * `invalid_config` (a popup without a click would be blocked), and nothing opens.
 */
export async function autostartFlow(
  options: ConnectOptions,
  context: FlowContext = {},
): Promise<FlowHandle | undefined> {
  const win = hostWindow(context);
  if (!win) return undefined;
  if (modeOf(options) !== 'redirect') {
    return failedHandle(
      providerOf(options),
      new ConnectError(
        'invalid_config',
        'autostart needs mode="redirect" (a popup needs a click).',
      ),
    );
  }
  const e = await loadEngine();
  if (context.signal?.aborted || !e.claimAutostart(win, providerOf(options))) return undefined;
  return startFlow(options, context);
}

/**
 * A handle whose flow runs in the engine chunk, once loaded. Until then the popup opened in the
 * click is this function's: closed if the engine cannot load, if the page leaves first, or as soon
 * as the flow's signal aborts (already aborted, aborted in the click's own task, or while the chunk
 * loads: the element removed, `cancel()`) — the engine then ends the flow `cancelled` at once.
 */
function fromEngine(
  win: Window,
  provider: ProviderId,
  popup: Window | null | undefined,
  signal: AbortSignal | undefined,
  run: (engine: Engine) => FlowHandle,
): FlowHandle {
  let reopen: () => boolean = () => false;
  const leave = () => closePopup(popup, true); // the page leaves: now, its timers will not run
  const forget = popup && signal ? onAbort(signal, () => closePopup(popup)) : () => undefined;
  if (popup) win.addEventListener('pagehide', leave);
  const handOver = () => {
    forget();
    win.removeEventListener('pagehide', leave);
  };
  const result = loadEngine().then(
    (engine) => {
      handOver();
      const handle = run(engine);
      reopen = handle.reopen;
      return handle.result;
    },
    (error: unknown) => {
      handOver();
      closePopup(popup); // the engine could not load: nothing will use the popup
      throw toConnectError(error);
    },
  );
  return { provider, result, reopen: () => reopen() };
}

/** The window flows run in: the context's, else the global one; none outside a browser. */
function hostWindow(context: FlowContext): Window | undefined {
  if (context.window) return context.window;
  // (Deno has a `window` but no document: no browser either)
  return typeof window === 'undefined' || typeof document === 'undefined' ? undefined : window;
}

function providerOf(options: ConnectOptions): ProviderId {
  return options.provider ?? 'generic';
}

function failedHandle(provider: ProviderId, error: unknown): FlowHandle {
  return { provider, result: Promise.reject(toConnectError(error)), reopen: () => false };
}
