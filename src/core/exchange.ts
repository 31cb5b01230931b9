import { untilAborted } from './abort.js';
import type { Completion } from './completion.js';
import { ConnectError } from './errors.js';
import type { ProviderId } from './providers/types.js';
import { exchangeResponseSchema } from './schemas.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ExchangeRequest {
  readonly fetch: FetchLike;
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** `same-origin` by default: the partner's session cookie ties the code to its user. */
  readonly credentials?: RequestCredentials;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** The JSON body sent to the partner backend (see the README's "Exchange"). */
export function exchangeBody(
  provider: ProviderId,
  completion: Completion,
  extra: { connectionId?: string | undefined } = {},
): Record<string, unknown> {
  if ('status' in completion) {
    return {
      provider,
      status: completion.status,
      ...(extra.connectionId ? { connectionId: extra.connectionId } : {}),
    };
  }
  return { provider, ...completion };
}

/**
 * POSTs JSON to the partner backend. A 2xx JSON object is the result; anything else (non-2xx,
 * a body that is not a JSON object, a network failure) is `exchange_failed`, carrying the backend's
 * own message when it sent one.
 */
export function postExchange(request: ExchangeRequest): Promise<Record<string, unknown>> {
  return untilAborted(exchange(request), request.signal);
}

async function exchange(request: ExchangeRequest): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await request.fetch(request.url, {
      method: 'POST',
      credentials: request.credentials ?? 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...request.headers,
      },
      body: JSON.stringify(request.body),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (cause) {
    if (request.signal?.aborted) throw request.signal.reason;
    throw new ConnectError('exchange_failed', 'The backend could not be reached.', { cause });
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    throw new ConnectError(
      'exchange_failed',
      backendMessage(json) ?? `The backend answered ${response.status}.`,
      { cause: { status: response.status, body: json ?? text.slice(0, 200) } },
    );
  }
  const parsed = exchangeResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConnectError('exchange_failed', 'The backend did not answer with a JSON object.', {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** `error_description`, `message` or `error` from a JSON error body, if it is a string. */
function backendMessage(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  for (const key of ['error_description', 'message', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.slice(0, 500);
  }
  return undefined;
}

/** The HTTP status a backend answered, when `error` is an `exchange_failed` for a non-2xx answer. */
export function backendStatus(error: unknown): number | undefined {
  const cause = error instanceof ConnectError ? (error.cause as { status?: unknown }) : undefined;
  return typeof cause?.status === 'number' ? cause.status : undefined;
}
