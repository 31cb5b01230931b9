/**
 * Is this result ours? The one place that decides, for every path a result can arrive by. A result
 * that is not ours is ignored, silently: it neither ends nor fails the flow, and nothing is scrubbed
 * or exchanged for it. Only a result that is ours goes on to `judgeCallback` (a code still needs our
 * exact `state`, or the flow fails `unauthorized`).
 *
 * A popup flow (`popup`, `polling`) is checked per attempt: each Reopen is a new attempt with a new
 * popup, a new per-flow key and a new `state`, so the old window's late answer is never ours.
 *   1. Window message: `event.origin` is one of the allowed origins, AND `event.source` is this
 *      attempt's popup, AND (checked by the caller, in core/schemas) the payload passes the schema.
 *   2. Popup URL: read from this attempt's own popup once it is back on our origin, at the flow's
 *      `redirect_uri` (same origin and path) when it has one: another page of our origin on the
 *      way (a sign-in page of a provider hosted here, showing `?error=` for a mistyped password)
 *      is not the answer.
 *   3. BroadcastChannel or storage event (they reach every tab of the origin): it names this
 *      attempt's key — the per-flow secret the opener put in the popup tab's `sessionStorage`
 *      (into the `about:blank` popup, or into the copy a popup opened at a ready request starts
 *      with), which only that tab's callback page can read (a tab that another site
 *      navigated to the callback page has none; another tab's flow has another) — or, without a
 *      key, it carries this attempt's `state`. A stateless answer (a b.well `status_code`, an
 *      `error=` without state) with no key of ours is never ours: not "the only pending flow".
 *   3b. Server-completed (`mode="server"`): only the partner server's answer to this attempt's
 *      flow id (a per-flow secret the server minted and only this element holds) counts; nothing
 *      the browser delivers does (`judgeCallback` ignores it).
 *
 * An answer in this page's own URL is claimed by one element at most (`claimReturn`):
 *   4. Redirect return: this tab's pending flow (in `sessionStorage`, so bound to the tab) is for
 *      this element's provider, AND the URL's `state` equals the pending flow's, or the URL carries
 *      a stateless answer the pending flow can take (a `status_code` for a status flow, an `error`).
 *      Such a stateless answer is bound to the tab only (the provider's redirect carries nothing
 *      of ours): it carries no code, and its `error_description` is never shown (see redirect.ts).
 *      A code without a state, on the page the pending flow returns to (its `redirect_uri`, or the
 *      page it started on, where the callback page sends the answer), is that flow's answer with
 *      its state missing: taken to fail `unauthorized`, never exchanged. On any other page a
 *      stateless code is a landing code (5), or nobody's. On a page that is both (a Hint landing
 *      element beside the pending flow's element, on its return page), the first of them on the
 *      page takes it.
 *   5. Landing: a landing element, and a `code` (even one it cannot take) with no `state`: a URL
 *      carrying `state` is some flow's return, never a landing code.
 *   6. Orphan: a `state` that no pending flow of this tab matches (forged, replayed, or from
 *      cleared storage): the first element in `redirect` mode takes it to report `unauthorized`.
 *      It is never exchanged.
 */
import type { CallbackParams } from './callback-params.js';
import type { Mode, ProviderId } from './providers/types.js';
import { sameState } from './state.js';

/** What binds results to one attempt of a popup flow. */
export interface AttemptBinding {
  readonly allowedOrigins: readonly string[];
  /** The `redirect_uri` the provider answers at, when the flow has one. */
  readonly redirectUri?: string | undefined;
  /** The per-flow secret in the popup tab's sessionStorage. */
  readonly key: string;
  /** The `state` this attempt sent; undefined for status (b.well) flows. */
  readonly state?: string | undefined;
}

/** How a result reached the opener, with the facts the checks need. */
export type Arrival =
  | { readonly via: 'message'; readonly origin: string; readonly fromPopup: boolean }
  | { readonly via: 'popup-url'; readonly href: string }
  | { readonly via: 'server' }
  | {
      readonly via: 'broadcast';
      readonly key: string | undefined;
      readonly params: CallbackParams;
    };

/** Same origin and path (the query and fragment carry the answer). */
export function samePage(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

export function isOurs(arrival: Arrival, attempt: AttemptBinding): boolean {
  switch (arrival.via) {
    case 'message':
      return attempt.allowedOrigins.includes(arrival.origin) && arrival.fromPopup;
    case 'popup-url':
      return attempt.redirectUri === undefined || samePage(arrival.href, attempt.redirectUri);
    case 'server':
      return true;
    case 'broadcast':
      if (arrival.key !== undefined) return sameState(attempt.key, arrival.key);
      return attempt.state !== undefined && sameState(attempt.state, arrival.params.state);
  }
}

/** Which element may take an answer found in this page's URL. */
export interface Claimant {
  readonly provider: ProviderId;
  readonly mode: Mode;
}

/**
 * `redirect`: this element's pending flow's return; `landing`: this landing element's code;
 * `orphan`: a return nobody here asked for, to report as `unauthorized`; undefined: not this
 * element's (leave the URL alone).
 */
export type Claim = 'redirect' | 'landing' | 'orphan' | undefined;

/** What ownership needs to know of this tab's pending redirect flow. */
export interface PendingClaim {
  readonly provider: string;
  readonly completion: 'code' | 'status';
  readonly state?: string | undefined;
  /** Where the provider returns, and the page the flow started on. */
  readonly redirectUri?: string | undefined;
  readonly returnTo?: string | undefined;
}

/** `here`: this page's URL (a stateless code counts only on the page its flow returns to). */
export function claimReturn(
  params: CallbackParams,
  pending: PendingClaim | undefined,
  claimant: Claimant,
  here: string,
): Claim {
  // A code, even one that cannot be taken; a state, even a malformed one.
  const code = params.code !== undefined || params.withCode === true;
  const carriesState = params.state !== undefined || params.malformed === 'state';
  if (claimant.mode === 'landing') return code && !carriesState ? 'landing' : undefined;
  const matches = Boolean(pending?.state && sameState(pending.state, params.state));
  if (pending?.provider === claimant.provider) {
    if (matches) return 'redirect';
    const stateless =
      !carriesState &&
      (code
        ? pending.completion === 'code' &&
          pending.state !== undefined &&
          [pending.redirectUri, pending.returnTo].some((page) => page && samePage(page, here))
        : params.error !== undefined ||
          (params.status_code !== undefined && pending.completion === 'status'));
    if (stateless) return 'redirect';
  }
  if (carriesState && !matches && claimant.mode === 'redirect') return 'orphan';
  return undefined;
}
