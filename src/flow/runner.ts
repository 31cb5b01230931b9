import type { Completion } from '../core/completion.js';
import type { ResolvedConfig } from '../core/config.js';
import type { ConnectError } from '../core/errors.js';
import type { FetchLike } from '../core/exchange.js';
import type { PreparedRequest } from '../core/request.js';
import type { UrlAnswer } from './url-answer.js';

/** Where a running flow is; the element renders from it. */
export type FlowPhase = 'opening' | 'waiting' | 'severed' | 'exchanging' | 'redirecting';

/** What happened synchronously in the user's click (start-flow.ts), before the engine loaded. */
export interface Gesture {
  /** When (ms since epoch): the flow's deadline counts from here. */
  readonly at: number;
  /**
   * `popup` / `polling`: the window opened — at `ready.url`, or at about:blank to be sent on — or
   * null when the browser blocked it.
   */
  readonly popup?: Window | null | undefined;
  /** The request made before the click that the popup opened at (ready.ts). */
  readonly ready?: ReadyRequest | undefined;
  /** `landing`: the code taken from this page's URL, if it carried one. */
  readonly answer?: UrlAnswer | undefined;
}

/** A request made before the click (ready.ts), with the per-flow key its window carries. */
export interface ReadyRequest extends PreparedRequest {
  readonly key: string;
}

/** What a runner gets for one flow. */
export interface FlowRun {
  readonly config: ResolvedConfig;
  readonly window: Window;
  /**
   * Aborts at the flow's deadline (reason: a `timeout` ConnectError), on cancel, when the page is
   * restored from the back/forward cache, and when the flow settles: everything a runner sets up
   * hangs on it.
   */
  readonly signal: AbortSignal;
  /** `fetch` for the partner backend (the option, else the window's). */
  readonly fetch: FetchLike;
  /** A fresh request for one attempt: URL, `state`, PKCE pair (or the partner backend's URL). */
  prepare(): Promise<PreparedRequest>;
  phase(phase: FlowPhase): void;
}

/** A flow a runner started from the click. */
export interface Started {
  readonly completion: Promise<Completion>;
  /** Opens the sign-in window again (a new attempt); call it synchronously in a click. */
  reopen?(): boolean;
}

/** What an answer taken from this page's URL comes to. */
export interface Taken {
  /** The completion, or why the answer cannot complete the flow. */
  readonly outcome: Completion | ConnectError;
  /** Redirect mode: the page where the user started. */
  readonly returnTo?: string;
  /** When the flow it finishes must end (ms since epoch); default: its timeout from now. */
  readonly deadline?: number;
}

/**
 * One way of running a flow (a mode). The element and `connect()` pick a runner; they never
 * branch on the mode themselves.
 */
export interface Runner {
  /** Runs the flow the click started (see {@link Gesture}). */
  start(run: FlowRun, gesture: Gesture): Started;
  /** Judges an answer this mode's element took from this page's URL (url-answer.ts). */
  judge(answer: UrlAnswer, config: ResolvedConfig, now: number): Taken;
}
