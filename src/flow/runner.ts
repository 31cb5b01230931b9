import type { Completion } from '../core/completion.js';
import type { ResolvedConfig } from '../core/config.js';
import type { ConnectError } from '../core/errors.js';
import type { Claimant } from '../core/ownership.js';
import type { PreparedRequest } from '../core/request.js';

/** Where a running flow is; the element renders from it. */
export type FlowPhase = 'opening' | 'waiting' | 'severed' | 'exchanging' | 'redirecting';

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

/** An answer a runner took from this page's URL (already scrubbed). */
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
  /** From the click: opens what must open synchronously in the gesture, then waits. */
  start(run: FlowRun): Started;
  /**
   * On page load: takes the answer in this page's URL that belongs to `claimant` (scrubbing it
   * synchronously), or returns undefined and touches nothing.
   */
  resume(win: Window, claimant: ReturnClaimant): Taken | undefined;
}

/** The element asking for an answer in this page's URL. */
export interface ReturnClaimant extends Claimant {
  /** Landing mode: the only path a code may land on. */
  readonly landingPath?: string | undefined;
}
