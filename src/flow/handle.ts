/**
 * A flow's handle as the API hands it out (api.ts, and url-answer.ts for a page's answer): the
 * window flows run in, a handle that failed before it began, one whose flow runs in a runner chunk
 * once loaded, and one whose steps are reported (`onProgress`).
 */
import { modeOf, type ConnectOptions } from '../core/config.js';
import { toConnectError } from '../core/errors.js';
import { MODES, type Mode, type ProviderId } from '../core/providers/types.js';
import type { Lazy, RunnerModule } from './modes/index.js';
import type { FlowContext, FlowHandle, Report } from './types.js';
import { closePopup } from './window/closer.js';
import { onAbort } from '../core/abort.js';

/** The options' mode (popup when unset); undefined for one that is none. */
export function knownMode(options: ConnectOptions): Mode | undefined {
  const mode = modeOf(options) ?? 'popup';
  return (MODES as readonly string[]).includes(mode) ? mode : undefined;
}

/**
 * A handle whose flow runs in a runner chunk, once loaded. Until then the popup opened in the
 * click is this function's: closed if the chunk cannot load, if the page leaves first, or as soon
 * as the flow's signal aborts (already aborted, aborted in the click's own task, or while the chunk
 * loads: the element removed, `cancel()`) — the runner then ends the flow `cancelled` at once.
 */
export function fromChunk<M extends RunnerModule>(
  win: Window,
  provider: ProviderId,
  chunk: Lazy<M>,
  popup: Window | null | undefined,
  signal: AbortSignal | undefined,
  run: (module: M) => FlowHandle,
): FlowHandle {
  let reopen: () => boolean = () => false;
  const leave = () => closePopup(popup, true); // the page leaves: now, its timers will not run
  const forget = popup && signal ? onAbort(signal, () => closePopup(popup)) : () => undefined;
  if (popup) win.addEventListener('pagehide', leave);
  const handOver = () => {
    forget();
    win.removeEventListener('pagehide', leave);
  };
  const result = chunk.load().then(
    (module) => {
      handOver();
      const handle = run(module);
      reopen = handle.reopen;
      return handle.result;
    },
    (error: unknown) => {
      handOver();
      closePopup(popup); // the chunk could not load: nothing will use the popup
      throw toConnectError(error);
    },
  );
  return { provider, result, reopen: () => reopen() };
}

/** The window flows run in: the context's, else the global one; none outside a browser. */
export function hostWindow(context: FlowContext): Window | undefined {
  if (context.window) return context.window;
  // (Deno has a `window` but no document: no browser either)
  return typeof window === 'undefined' || typeof document === 'undefined' ? undefined : window;
}

export function providerOf(options: ConnectOptions): ProviderId {
  return options.provider ?? 'generic';
}

export function failedHandle(provider: ProviderId, error: unknown): FlowHandle {
  return { provider, result: Promise.reject(toConnectError(error)), reopen: () => false };
}

/**
 * The reporter of one flow's steps (`onProgress`: the context's, else the options'), with the
 * flow's id, provider, mode and time filled in; undefined when nobody listens. A listener that
 * throws does not end the flow (its error goes to the console).
 */
export function reporter(options: ConnectOptions, context: FlowContext): Report | undefined {
  const listener = context.onProgress ?? options.onProgress;
  if (typeof listener !== 'function') return undefined;
  const flowId = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  const provider = providerOf(options);
  const mode = knownMode(options) ?? 'popup';
  return (phase, status) => {
    try {
      listener({ phase, flowId, provider, mode, at: performance.now(), ...(status && { status }) });
    } catch (error) {
      console.error('oauth-connect: an onProgress listener threw:', error);
    }
  };
}

/** The handle, its end reported (`connected` or `failed`, with the failure's status). */
export function reported(handle: FlowHandle, report: Report | undefined): FlowHandle {
  if (!report) return handle;
  const result = handle.result.then(
    (done) => {
      report('connected');
      return done;
    },
    (error: unknown) => {
      report('failed', toConnectError(error).status);
      throw error;
    },
  );
  return { ...handle, result };
}
