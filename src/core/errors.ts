/**
 * The closed set of failure statuses a flow can end with. They are the `status` of the `failed`
 * event and of {@link ConnectError}; b.well's own `status_code` values map onto them one to one.
 */
export const FAILURE_STATUSES = [
  'error',
  'cancelled',
  'expired',
  'unauthorized',
  'timeout',
  'blocked',
  'exchange_failed',
  'invalid_config',
] as const;

export type FailureStatus = (typeof FAILURE_STATUSES)[number];

/** Provider-reported details, carried through unchanged (RFC 6749 §4.1.2.1). */
export interface ProviderErrorDetails {
  readonly error?: string;
  readonly errorDescription?: string;
}

/**
 * The one error type of the library. `status` is stable and machine readable; `message` is for
 * people; `cause` holds the underlying error (a network `TypeError`, a zod issue list, …).
 */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
  readonly status: FailureStatus;
  /** The provider's `error` parameter, when the provider sent one. */
  readonly error: string | undefined;
  /** The provider's `error_description` parameter, when the provider sent one. */
  readonly errorDescription: string | undefined;
  /**
   * Landing mode: the backend answered the exchange 401 (the user is not signed in to your app
   * yet). The code is held in this tab (status `exchange_failed`); `resumeFlow()` / the element's
   * `resume()` sends it after the sign-in.
   */
  readonly signinRequired: boolean;

  constructor(
    status: FailureStatus,
    message: string,
    options: { cause?: unknown; signinRequired?: boolean } & ProviderErrorDetails = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.error = options.error;
    this.errorDescription = options.errorDescription;
    this.signinRequired = options.signinRequired === true;
  }
}

export function isConnectError(value: unknown): value is ConnectError {
  return value instanceof ConnectError;
}

/** Turns anything thrown into a ConnectError, keeping the original as `cause`. */
export function toConnectError(value: unknown, fallback: FailureStatus = 'error'): ConnectError {
  if (value instanceof ConnectError) return value;
  if (value instanceof DOMException && value.name === 'AbortError') {
    return new ConnectError('cancelled', 'The flow was cancelled.', { cause: value });
  }
  const message = value instanceof Error ? value.message : String(value);
  return new ConnectError(fallback, message || 'Unexpected error.', { cause: value });
}
