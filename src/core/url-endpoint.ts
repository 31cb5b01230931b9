import { callBackend, type BackendRequest } from './backend.js';
import { ConnectError } from './errors.js';
import { parseUrlEndpointResponse } from './schemas/answers.js';

/**
 * Asks the partner backend for the URL to open (`POST url-endpoint` with
 * `{ provider, connectionId? }` → `{ "url": "…" }`).
 */
export async function fetchUrlFromEndpoint(
  request: BackendRequest & { readonly body: Readonly<Record<string, unknown>> },
): Promise<{ url: string; state?: string | undefined; flow?: string | undefined }> {
  const answer = await callBackend(request, request.body);
  if (!answer) throw new ConnectError('error', 'The URL endpoint could not be reached.');
  const { response, json } = answer;
  if (!response.ok) {
    throw new ConnectError('error', `The URL endpoint answered ${response.status}.`);
  }
  const parsed = parseUrlEndpointResponse(json);
  if (!parsed) {
    throw new ConnectError('invalid_config', 'The URL endpoint did not answer { "url": "…" }.');
  }
  return parsed;
}
