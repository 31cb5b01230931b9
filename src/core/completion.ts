import type { CallbackParams } from './callback-params.js';
import { ConnectError, type FailureStatus } from './errors.js';
import { sameState } from './state.js';

/** What a successful code flow hands over (to the backend, or to `connected` without one). */
export interface CodeCompletion {
  readonly code: string;
  readonly state?: string;
  readonly codeVerifier?: string;
  readonly redirectUri?: string;
  /**
   * The issuer the answer named (RFC 9207 `iss`), passed on to the backend, which may know the
   * issuer when this page does not (`createExchangeHandler` checks it against a discovered one).
   */
  readonly iss?: string;
}

/** What a successful b.well flow hands over. */
export interface StatusCompletion {
  readonly status: 'success';
}

/** A server-completed flow: the partner server redeemed the code; this is what it answered. */
export interface ServerCompletion {
  readonly result: Readonly<Record<string, unknown>>;
}

export type Completion = CodeCompletion | StatusCompletion | ServerCompletion;

/** What the flow expects back, fixed before the popup opens. */
export interface Expectation {
  /** `server`: nothing the browser delivers counts; the partner server reports the outcome. */
  readonly completion: 'code' | 'status' | 'server';
  /** `server`: the flow id the partner server minted (a per-flow secret this element holds). */
  readonly flow?: string | undefined;
  /** The state sent; `undefined` only for stateless answers (Hint landing, b.well). */
  readonly state?: string | undefined;
  readonly codeVerifier?: string | undefined;
  readonly redirectUri?: string | undefined;
  /**
   * The issuer expected to answer (RFC 9207 `iss`): an answer naming another one is a mix-up,
   * `unauthorized`. Undefined: there is nothing to compare an `iss` with.
   */
  readonly issuer?: string | undefined;
  /** The provider always sends `iss`: an answer without one is `unauthorized` too. */
  readonly requireIss?: boolean | undefined;
}

export type Verdict =
  | { readonly kind: 'success'; readonly completion: Completion }
  | { readonly kind: 'failure'; readonly error: ConnectError }
  | { readonly kind: 'ignore'; readonly reason: string };

/** b.well `status_code` values, mapped one to one onto failure statuses. */
const STATUS_CODES: Readonly<Record<string, FailureStatus>> = {
  error: 'error',
  cancelled: 'cancelled',
  expired: 'expired',
  unauthorized: 'unauthorized',
};

/**
 * The protocol decision, pure: does this answer end the flow, and how?
 * - `error=` ends it (`access_denied` → `cancelled`, anything else → `error`) unless it carries a
 *   state that is not ours, or another issuer than ours (then it is forged: `unauthorized`);
 * - a `code` needs exactly our state, or it fails with `unauthorized` and is never exchanged;
 * - an `error=` or a `code` naming another issuer than the expected one, or none where the
 *   provider always names it, fails `unauthorized` (mix-up defence, RFC 9207 §2.4);
 * - a `status_code` counts only for a status (b.well) flow.
 */
export function judgeCallback(params: CallbackParams, expected: Expectation): Verdict {
  if (expected.completion === 'server') return { kind: 'ignore', reason: 'server-completed' };
  const stateMismatch =
    params.state !== undefined &&
    expected.state !== undefined &&
    !sameState(expected.state, params.state);

  const mixUp = issuerMismatch(params, expected);

  if (params.error) {
    if (stateMismatch) return unauthorized('The error response carried a state that is not ours.');
    if (mixUp) return unauthorized(mixUp, MIX_UP);
    const status: FailureStatus = params.error === 'access_denied' ? 'cancelled' : 'error';
    const message =
      params.error_description ||
      (status === 'cancelled' ? 'Access was denied.' : `The provider answered "${params.error}".`);
    return {
      kind: 'failure',
      error: new ConnectError(status, message, {
        error: params.error,
        ...(params.error_description ? { errorDescription: params.error_description } : {}),
      }),
    };
  }

  if (expected.completion === 'status') {
    if (!params.status_code) return { kind: 'ignore', reason: 'no status_code' };
    if (params.status_code === 'success') {
      return { kind: 'success', completion: { status: 'success' } };
    }
    const status = STATUS_CODES[params.status_code] ?? 'error';
    const message =
      params.status_code === 'error'
        ? 'The provider reported an error'
        : (STATUS_MESSAGES[status] ?? 'The connection was not completed (cancelled, or refused)');
    return {
      kind: 'failure',
      error: new ConnectError(status, `${message}.`, { error: params.status_code }),
    };
  }

  if (!params.code) return { kind: 'ignore', reason: 'no code' };
  if (expected.state !== undefined) {
    if (params.state === undefined) return unauthorized('The answer carried no state.');
    if (stateMismatch) return unauthorized('The answer carried a state that is not ours.');
  }
  if (mixUp) return unauthorized(mixUp, MIX_UP);
  return {
    kind: 'success',
    completion: {
      code: params.code,
      ...(expected.state !== undefined ? { state: expected.state } : {}),
      ...(expected.codeVerifier ? { codeVerifier: expected.codeVerifier } : {}),
      ...(expected.redirectUri ? { redirectUri: expected.redirectUri } : {}),
      ...(params.iss !== undefined ? { iss: params.iss } : {}),
    },
  };
}

/**
 * What is wrong with the answer's issuer, if anything (RFC 9207 §2.4: compared as strings, exactly).
 * A malformed answer is judged as the error it is: its `iss` was not taken (it may be the key that
 * was malformed), so a missing one proves nothing there.
 */
function issuerMismatch(params: CallbackParams, expected: Expectation): string | undefined {
  const { issuer } = expected;
  if (issuer === undefined) return undefined; // nothing to compare with
  if (params.iss !== undefined) {
    return params.iss === issuer
      ? undefined
      : "The answer came from another issuer than this flow's.";
  }
  if (expected.requireIss && params.malformed === undefined) {
    return 'The answer did not name its issuer (iss), which this provider always sends.';
  }
  return undefined;
}

const MIX_UP = 'possible mix-up attack';

function unauthorized(message: string, why = 'possible CSRF'): Verdict {
  return { kind: 'failure', error: new ConnectError('unauthorized', `${message} (${why})`) };
}

const STATUS_MESSAGES: Partial<Record<FailureStatus, string>> = {
  cancelled: 'The connection was cancelled',
  expired: 'The session expired before the connection completed',
  unauthorized: 'The provider rejected the request (CSRF check failed)',
};
