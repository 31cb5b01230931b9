/**
 * The one mode table: for each mode, what happens synchronously in the user's click (its gesture),
 * whether a click can start it at all, and its runner — a chunk of its own, imported only when a
 * flow of that mode runs (or is preloaded), so a popup flow fetches no redirect, landing or server
 * code. The element and `connect()` look a mode up here; they never branch on it.
 */
import type { ResolvedConfig } from '../../core/config.js';
import type { Mode, ProviderId } from '../../core/providers/types.js';
import type { Gesture, ReadyRequest, Runner } from '../types.js';
import { openSignIn } from '../window/popup-window.js';

type Engine = typeof import('../engine.js');
type Resume = typeof import('../resume.js');

/**
 * A runner chunk: its runner with the engine that runs it (engine.ts, shared by every chunk), and
 * what its mode needs in the click (popup flows: the requests made ahead of it) or before it.
 */
export interface RunnerModule {
  readonly runner: Runner;
  readonly runFlow: Engine['runFlow'];
  /** Redirect mode: may this tab autostart `provider` now (the mark is then written)? */
  readonly claimAutostart?: (win: Window, provider: ProviderId) => boolean;
  /** Makes the request of a flow to come ahead of the click (ready.ts). */
  readonly prepareAhead?: (config: ResolvedConfig) => Promise<void>;
  /** The request made ahead for `config`, taken (used once), if one is ready. */
  readonly takeReady?: (config: ResolvedConfig) => ReadyRequest | undefined;
}

/** A chunk, imported once (again after a failed load). */
export interface Lazy<T> {
  load(): Promise<T>;
  /** The chunk once loaded: what the click can use synchronously. */
  readonly now: T | undefined;
}

/** A runner chunk. */
export type Chunk = Lazy<RunnerModule>;

/** A runner chunk that also resumes what a page held (redirect, landing: resume.ts). */
export interface ResumerModule extends RunnerModule {
  readonly resumeFlow: Resume['resumeFlow'];
}

function chunk<T>(importer: () => Promise<T>): Lazy<T> {
  let module: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    load: () =>
      (loading ??= importer().then(
        (m: T) => (module = m),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      )),
    get now() {
      return module;
    },
  };
}

export interface ModeEntry {
  /** What the click does before anything is awaited: open the popup. */
  readonly gesture: (config: ResolvedConfig, win: Window) => Gesture;
  /** A click can start it (landing cannot: the code arrives in the page's URL). */
  readonly clickable: boolean;
  /** Its element finishes a code this tab held for the user's sign-in (storage/spend-once.ts). */
  readonly holds?: boolean;
  /** Its flows leave the page and come back to it: this tab keeps the pending flow meanwhile. */
  readonly returns?: boolean;
  /** `autostart` may start it without a click, once per tab (its chunk's `claimAutostart`). */
  readonly autostarts?: boolean;
  readonly runner: Chunk;
}

const popup: Chunk = chunk(() => import('./popup.js'));
const server: Chunk = chunk(() => import('./server.js'));
const redirect: Lazy<ResumerModule> = chunk(() => import('./redirect.js'));
const landing: Lazy<ResumerModule> = chunk(() => import('./landing.js'));

/**
 * What takes an answer from this page's URL, or a held code (url-answer.ts): loaded only by a page
 * that might hold one (api.ts `resumeFlow`), never by a popup flow.
 */
export const ANSWERS = chunk(() => import('../url-answer.js'));

/** `popup`, `polling`, `server`: the window opens in the click, at a request made ahead if any. */
const open =
  (runner: Chunk) =>
  (config: ResolvedConfig, win: Window): Gesture => {
    const size = { width: config.popupWidth, height: config.popupHeight };
    const ready = runner.now?.takeReady?.(config);
    return { at: Date.now(), popup: openSignIn(size, win, ready), ready };
  };

export const MODE_TABLE: Readonly<Record<Mode, ModeEntry>> = {
  popup: { gesture: open(popup), clickable: true, runner: popup },
  polling: { gesture: open(popup), clickable: true, runner: popup },
  server: { gesture: open(server), clickable: true, runner: server },
  redirect: {
    gesture: () => ({ at: Date.now() }),
    clickable: true,
    returns: true,
    autostarts: true,
    runner: redirect,
  },
  landing: {
    // (the runner takes the code from the page's URL: landing.ts)
    gesture: () => ({ at: Date.now() }),
    clickable: false,
    holds: true,
    runner: landing,
  },
};

/**
 * What finishes an answer found in this page's URL, by how it was claimed (core/ownership): a
 * redirect return (redirect mode, or a popup that was blocked and continued as a redirect), a
 * landing code, or an orphan (a return no flow of this tab asked for: the redirect runner fails
 * it). A held code is the landing runner's.
 */
export const RESUMERS = { redirect, orphan: redirect, landing } as const;
