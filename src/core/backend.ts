/**
 * One request to the partner backend — the exchange, `url-endpoint`, `status-url`,
 * `disconnect-url` and the server flow's poll all go through here. Pure: `fetch` and the signal
 * come in. What an answer means is the caller's to judge.
 */
import { untilAborted } from './abort.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface BackendRequest {
  readonly fetch: FetchLike;
  readonly url: string;
  /** `same-origin` by default: the partner's session cookie ties the request to its user. */
  readonly credentials?: RequestCredentials | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Aborting it rejects with its reason (the flow's deadline, a cancel, the caller's timeout). */
  readonly signal?: AbortSignal | undefined;
}

export interface BackendAnswer {
  readonly response: Response;
  /** The body as JSON; undefined when it is empty or not JSON. */
  readonly json: unknown;
  /** The body as text ('' when it could not be read). */
  readonly text: string;
}

/**
 * POSTs `body` as JSON (or, without a body, GETs, never from the HTTP cache) and reads the answer.
 * Resolves undefined when no answer came (a network error, a CORS refusal); rejects only with the
 * signal's reason once it aborts.
 */
export function callBackend(
  request: BackendRequest,
  body?: unknown,
  extra: RequestInit = {},
): Promise<BackendAnswer | undefined> {
  return untilAborted(call(request, body, extra), request.signal);
}

async function call(
  request: BackendRequest,
  body: unknown,
  extra: RequestInit,
): Promise<BackendAnswer | undefined> {
  const { signal } = request;
  let response: Response;
  try {
    response = await request.fetch(request.url, {
      credentials: request.credentials ?? 'same-origin',
      ...(body === undefined
        ? {
            method: 'GET',
            cache: 'no-store',
            headers: { Accept: 'application/json', ...request.headers },
          }
        : {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Accept: 'application/json',
              ...request.headers,
            },
            body: JSON.stringify(body),
          }),
      ...(signal ? { signal } : {}),
      ...extra,
    });
  } catch {
    if (signal?.aborted) throw signal.reason;
    return undefined;
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { response, json, text };
}

/** A JSON object, or undefined. */
export function jsonObject(json: unknown): Record<string, unknown> | undefined {
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>)
    : undefined;
}

/** `error_description`, `message` or `error` from a JSON error body, if it is a string. */
export function backendMessage(json: unknown): string | undefined {
  const record = jsonObject(json);
  for (const key of ['error_description', 'message', 'error']) {
    const value = record?.[key];
    if (typeof value === 'string' && value.trim()) return value.slice(0, 500);
  }
  return undefined;
}
