import { untilAborted } from './abort.js';
import { ConnectError } from './errors.js';
import type { FetchLike } from './exchange.js';
import { urlEndpointResponseSchema } from './schemas.js';

/**
 * Asks the partner backend for the URL to open (`POST url-endpoint` with
 * `{ provider, connectionId? }` → `{ "url": "…" }`).
 */
export function fetchUrlFromEndpoint(
  request: EndpointRequest,
): Promise<{ url: string; state?: string | undefined; flow?: string | undefined }> {
  return untilAborted(ask(request), request.signal);
}

interface EndpointRequest {
  readonly fetch: FetchLike;
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly credentials?: RequestCredentials;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

async function ask(
  request: EndpointRequest,
): Promise<{ url: string; state?: string | undefined; flow?: string | undefined }> {
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
    throw new ConnectError('error', 'The URL endpoint could not be reached.', { cause });
  }
  if (!response.ok) {
    throw new ConnectError('error', `The URL endpoint answered ${response.status}.`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = urlEndpointResponseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConnectError('invalid_config', 'The URL endpoint did not answer { "url": "…" }.', {
      cause: parsed.error,
    });
  }
  return parsed.data;
}
