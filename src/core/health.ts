/**
 * Connection health, from the partner backend's `status-url`, and the `disconnect-url` request:
 * pure (fetch and signal passed in). The status answer is validated (core/schemas); whatever is not
 * a valid answer — a network error, a non-2xx, a body that is not JSON, a wrong shape — is
 * `unknown`, never `connected`.
 */
import { untilAborted } from './abort.js';
import { ConnectError } from './errors.js';
import type { FetchLike } from './exchange.js';
import type { ProviderId } from './providers/types.js';
import { statusResponseSchema } from './schemas.js';

/** What the element shows of a connection (see the README's "Connection health"). */
export type Health =
  | { readonly kind: 'connected'; readonly name?: string; readonly updatedAt?: string }
  | { readonly kind: 'disconnected'; readonly updatedAt?: string }
  /** The integration reports a problem (its `error` text, shown as it is, with Reconnect). */
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly name?: string;
      readonly updatedAt?: string;
    }
  /** No valid answer: the reason is for developers (the element says "status unknown"). */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface BackendRequest {
  readonly fetch: FetchLike;
  readonly url: string;
  readonly credentials?: RequestCredentials;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborting it rejects with its reason (the caller's timeout or cancel). */
  readonly signal?: AbortSignal;
}

const unknown = (reason: string): Health => ({ kind: 'unknown', reason });

/**
 * `GET status-url` → `{ connected, name?, error?, updatedAt? }`. Resolves with the health (never
 * rejects for a bad answer); rejects only with `signal.reason` when the signal aborts.
 */
export function readHealth(request: BackendRequest): Promise<Health> {
  return untilAborted(health(request), request.signal);
}

async function health(request: BackendRequest): Promise<Health> {
  let response: Response;
  try {
    response = await request.fetch(request.url, {
      method: 'GET',
      credentials: request.credentials ?? 'same-origin',
      headers: { Accept: 'application/json', ...request.headers },
      cache: 'no-store',
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch {
    return unknown('The status endpoint could not be reached.');
  }
  if (!response.ok) return unknown(`The status endpoint answered ${response.status}.`);
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch {
    return unknown('The status endpoint did not answer JSON.');
  }
  const parsed = statusResponseSchema.safeParse(json);
  if (!parsed.success) return unknown('The status endpoint answered an unexpected shape.');
  const { connected, name, error, updatedAt } = parsed.data;
  const extra = {
    ...(name?.trim() ? { name: name.trim() } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
  if (error?.trim()) return { kind: 'error', message: error.trim(), ...extra };
  return connected
    ? { kind: 'connected', ...extra }
    : { kind: 'disconnected', ...(updatedAt ? { updatedAt } : {}) };
}

/**
 * `POST disconnect-url` with JSON `{ provider }`. Any 2xx counts (a JSON object body is the
 * result, else `{}`); anything else rejects with `exchange_failed`, carrying the backend's words.
 */
export function postDisconnect(
  request: BackendRequest & { readonly provider: ProviderId },
): Promise<Record<string, unknown>> {
  return untilAborted(disconnect(request), request.signal);
}

async function disconnect(
  request: BackendRequest & { readonly provider: ProviderId },
): Promise<Record<string, unknown>> {
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
      body: JSON.stringify({ provider: request.provider }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (cause) {
    throw new ConnectError('exchange_failed', 'The backend could not be reached.', { cause });
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const record =
    typeof json === 'object' && json !== null && !Array.isArray(json)
      ? (json as Record<string, unknown>)
      : undefined;
  if (!response.ok) {
    const words = ['error_description', 'message', 'error']
      .map((key) => record?.[key])
      .find((value): value is string => typeof value === 'string' && value.trim() !== '');
    throw new ConnectError(
      'exchange_failed',
      words?.slice(0, 500) ?? `The backend answered ${response.status}.`,
      { cause: { status: response.status } },
    );
  }
  return record ?? {};
}
