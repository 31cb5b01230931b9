/**
 * The flow layer's shared types: what the click hands a runner, what a runner gives back, and the
 * handle `connect()` / the element hold. Types only (no code, so no import cycle through them).
 */
import type { CallbackParams } from '../core/callback-params.js';
import type { Completion } from '../core/completion.js';
import type { ConnectProgress, ResolvedConfig } from '../core/config.js';
import type { ConnectError, FailureStatus } from '../core/errors.js';
import type { FetchLike } from '../core/exchange.js';
import type { Claim } from '../core/ownership.js';
import type { ProviderId } from '../core/providers/types.js';
import type { PreparedRequest } from '../core/request.js';

/** What `connect()` resolves with; also the `connected` event's detail. */
export interface ConnectResult {
  readonly provider: ProviderId;
  /** Your exchange endpoint's JSON, or the completion itself without an exchange-url. */
  readonly result: Readonly<Record<string, unknown>>;
  /** Redirect mode: the page where the user started. */
  readonly returnTo?: string;
}

/** Where a running flow is; the element renders from it. */
export type FlowPhase = 'opening' | 'waiting' | 'severed' | 'exchanging' | 'redirecting';

export interface FlowContext {
  /** Aborting it cancels the flow (rejects with `cancelled`) and tears everything down. */
  readonly signal?: AbortSignal | undefined;
  readonly onPhase?: ((phase: FlowPhase) => void) | undefined;
  /** Each step of the flow, for your analytics (the element fires `connect-progress`). */
  readonly onProgress?: ((progress: ConnectProgress) => void) | undefined;
  readonly window?: Window | undefined;
}

/**
 * A step of a flow, in order: `opened` (the sign-in window, in the click) or `blocked` (the
 * browser refused it); `navigated` (on its way to the provider); `severed` (its handle reads
 * closed: the user closed it, or the browser took the handle away); `offer-shown` (Reopen /
 * Cancel, the user being back on the page); `reopened`; `answered` (the provider's answer came,
 * and counts); `exchanging` (sent to your backend); then `connected` or `failed`. Redirect and
 * landing flows have the steps that apply to them. (The type lives with the options, core/config.)
 */
export type ProgressPhase = ConnectProgress['phase'];
export type { ConnectProgress };

/** How a flow's parts report a step (api.ts makes it: the flow id, provider, mode and time). */
export type Report = (phase: ProgressPhase, status?: FailureStatus) => void;

/** What the engine gets of a flow's context: the caller's, and the flow's reporter. */
export interface RunContext extends FlowContext {
  readonly report?: Report | undefined;
}

/** A running flow. `result` rejects with a {@link ConnectError}. */
export interface FlowHandle {
  readonly provider: ProviderId;
  readonly result: Promise<ConnectResult>;
  /** Opens the sign-in window again after its handle read closed (call it in a click). */
  reopen(): boolean;
}

/** An item taken out of this tab's storage (storage/spend-once.ts `takeOnce`). */
export interface TakenItem {
  /** The item as stored (parsed JSON: the caller's schema checks it). */
  readonly value: unknown;
  /** Another window holding a copy of this tab's storage spent it first: never send it. */
  readonly spent: boolean;
  /**
   * Redeems the ticket before anything is sent: true when this window may send the item, false
   * when another window spent it meanwhile. Rejects when storage is blocked (with a ConnectError
   * saying so when it was blocked at the take): nothing is sent.
   */
  redeem(): Promise<boolean>;
}

/** What an element took from this page's URL (url-answer.ts; already scrubbed from the address bar). */
export interface UrlAnswer {
  readonly params: CallbackParams;
  readonly claim: NonNullable<Claim>;
  /** The page's URL as it was, answer included. */
  readonly href: string;
  /**
   * This tab's pending redirect flow as stored (unchecked: the runner validates it); undefined
   * when a window that had a copy of this tab's storage spent it first.
   */
  readonly pending: unknown;
  /** Redeems the pending flow before anything is sent (storage/spend-once.ts); false: spent elsewhere. */
  readonly redeem?: (() => Promise<boolean>) | undefined;
}

/** What a page holds for an element to finish (api.ts `resumeFlow`), taken in one task. */
export type Found =
  | { readonly answer: UrlAnswer; readonly held?: undefined }
  | { readonly answer?: undefined; readonly held: TakenItem | undefined };

/** What happened synchronously in the user's click (api.ts), before the runner loaded. */
export interface Gesture {
  /** When (ms since epoch): the flow's deadline counts from here. */
  readonly at: number;
  /**
   * `popup` / `polling` / `server`: the window opened — at `ready.url`, or at about:blank to be
   * sent on — or null when the browser blocked it.
   */
  readonly popup?: Window | null | undefined;
  /** The request made before the click that the popup opened at (ready.ts). */
  readonly ready?: ReadyRequest | undefined;
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
  /** Reports a step of the flow (its `connect-progress`); nothing once the flow has ended. */
  progress(phase: ProgressPhase): void;
}

/** A flow a runner started from the click. */
export interface Started {
  readonly completion: Promise<Completion>;
  /** Opens the sign-in window again (a new attempt); call it synchronously in a click. */
  reopen?(): boolean;
}

/** What a page's answer (or held code) comes to, judged by the runner that resumes it. */
export interface Taken {
  /** The completion, or why it cannot complete the flow. */
  readonly outcome: Completion | ConnectError;
  /** Redirect mode: the page where the user started. */
  readonly returnTo?: string;
  /** When the flow it finishes must end (ms since epoch); default: its timeout from now. */
  readonly deadline?: number;
  /** When the code was obtained (ms since epoch; a held code: when it landed). */
  readonly at?: number;
  /** Checked before anything is sent (a copy of this tab's storage may have spent it): throws if so. */
  readonly redeem?: () => Promise<void>;
}

/**
 * One way of running a flow (a mode), in a chunk of its own (modes/index.ts, the one mode table,
 * loads it). The element and `connect()` look the mode up; they never branch on it.
 */
export interface Runner {
  /**
   * A setup this mode can see will probably never be answered, though it is not invalid (a
   * `redirect-uri` on another origin than the page): the advice, with the fix. Warned on the
   * console as the flow starts, and named by its timeout.
   */
  advice?(config: ResolvedConfig, win: Window): string | undefined;
  /** Runs the flow the click started (see {@link Gesture}). */
  start(run: FlowRun, gesture: Gesture): Started;
  /** Judges what this page holds for the mode (a redirect return, a landing or held code). */
  resume?(found: Found, config: ResolvedConfig, now: number): Taken;
  /**
   * The partner backend refused the exchange (`error`): this mode's own consequence, if any
   * (landing: a 401 holds the code for the sign-in), as the error the flow ends with.
   */
  refused?(
    run: FlowRun,
    completion: Completion,
    error: unknown,
    at: number,
  ): ConnectError | undefined;
  /**
   * A resumed flow ended (a cancel, its element removed) before its completion was sent: this
   * mode may keep it for another try (landing: the code is held again).
   */
  unsent?(run: FlowRun, completion: Completion, at: number): void;
}
