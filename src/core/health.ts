/**
 * Connection health, from the partner backend's `status-url`, and the `disconnect-url` request:
 * pure (fetch and signal passed in). The status answer is validated (core/schemas); whatever is not
 * a valid answer — a network error, a non-2xx, a body that is not JSON, a wrong shape — is
 * `unknown`, never `connected`.
 */
import { backendMessage, callBackend, jsonObject, type BackendRequest } from './backend.js';
import { ConnectError } from './errors.js';
import type { ProviderId } from './providers/types.js';
import { parseStatusResponse } from './schemas/answers.js';

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

export type { BackendRequest } from './backend.js';

const unknown = (reason: string): Health => ({ kind: 'unknown', reason });

/**
 * `GET status-url` → `{ connected, name?, error?, updatedAt? }`. Resolves with the health (never
 * rejects for a bad answer); rejects only with `signal.reason` when the signal aborts.
 */
export async function readHealth(request: BackendRequest): Promise<Health> {
  const answer = await callBackend(request);
  if (!answer) return unknown('The status endpoint could not be reached.');
  const { response, json } = answer;
  if (!response.ok) return unknown(`The status endpoint answered ${response.status}.`);
  if (json === undefined) return unknown('The status endpoint did not answer JSON.');
  const parsed = parseStatusResponse(json);
  if (!parsed) return unknown('The status endpoint answered an unexpected shape.');
  const { connected, name, error, updatedAt } = parsed;
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
export async function postDisconnect(
  request: BackendRequest & { readonly provider: ProviderId },
): Promise<Record<string, unknown>> {
  const answer = await callBackend(request, { provider: request.provider });
  if (!answer) throw new ConnectError('exchange_failed', 'The backend could not be reached.');
  const { response, json } = answer;
  if (!response.ok) {
    throw new ConnectError(
      'exchange_failed',
      backendMessage(json) ?? `The backend answered ${response.status}.`,
      { cause: { status: response.status } },
    );
  }
  return jsonObject(json) ?? {};
}
