import { backendMessage, callBackend, type BackendRequest } from './backend.js';
import type { Completion } from './completion.js';
import { ConnectError } from './errors.js';
import type { ProviderId } from './providers/types.js';
import { exchangeResponseSchema } from './schemas/messages.js';

export type { FetchLike } from './backend.js';

export interface ExchangeRequest extends BackendRequest {
  readonly body: Readonly<Record<string, unknown>>;
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
export async function postExchange(request: ExchangeRequest): Promise<Record<string, unknown>> {
  const answer = await callBackend(request, request.body);
  if (!answer) throw new ConnectError('exchange_failed', 'The backend could not be reached.');
  const { response, json, text } = answer;
  if (!response.ok) {
    // the backend's own words (shown on screen beside the element's sentence: words/words.ts)
    const own = backendMessage(json);
    throw new ConnectError('exchange_failed', own ?? `The backend answered ${response.status}.`, {
      cause: { status: response.status, body: json ?? text.slice(0, 200) },
      ...(own ? { errorDescription: own } : {}),
    });
  }
  const parsed = exchangeResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConnectError('exchange_failed', 'The backend did not answer with a JSON object.', {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The HTTP status a backend answered, when `error` is an `exchange_failed` for a non-2xx answer. */
export function backendStatus(error: unknown): number | undefined {
  const cause = error instanceof ConnectError ? (error.cause as { status?: unknown }) : undefined;
  return typeof cause?.status === 'number' ? cause.status : undefined;
}
