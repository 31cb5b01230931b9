/**
 * Calls to providers: every one has a timeout, and every failure becomes an {@link HttpError}:
 * a provider that refuses is 400 with its own `error` / `error_description`; one that is down or
 * answers nonsense is 502; one that does not answer in time is 504.
 */
import { z } from 'zod';
import { callSignal } from './deadline.js';
import { HttpError } from './errors.js';
import { MetadataCache } from './oauth.js';

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface Outbound {
  readonly fetch: Fetch;
  /** ms before a provider call is abandoned (504). */
  readonly timeout: number;
  /**
   * When set (ms since the epoch), one deadline for every call made with this side, whatever
   * their number (discovery, then revocation): each call gets what is left of it, not a
   * `timeout` of its own. See {@link withDeadline}.
   */
  readonly deadline?: number | undefined;
  /** Discovered authorization server metadata, per issuer (oauth.ts). */
  readonly metadata: MetadataCache;
}

/** The outbound side of one handler: its fetch, its timeout, its own metadata cache. */
export function outbound(fetchFn: Fetch | undefined, timeout: number): Outbound {
  return {
    fetch: fetchFn ?? ((input, init) => fetch(input, init)),
    timeout,
    metadata: new MetadataCache(),
  };
}

/**
 * The same side (its fetch, its metadata cache) with one deadline, `timeout` from now, for all
 * the calls of one request (the Disconnect handler: its answer must come within `timeout`).
 */
export function withDeadline(out: Outbound): Outbound {
  return { ...out, deadline: Date.now() + out.timeout };
}

const providerError = z.object({
  error: z.string().max(200),
  error_description: z.string().max(1000).optional(),
});

/** POSTs to a provider and returns its JSON answer, checked by `schema`. */
export async function callProvider<T>(
  out: Outbound,
  name: string,
  url: string,
  init: RequestInit,
  schema: z.ZodType<T>,
): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await out.fetch(url, {
      ...init,
      method: 'POST',
      redirect: 'error',
      signal: callSignal(out),
    });
    text = await response.text();
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    throw timedOut
      ? new HttpError(504, 'temporarily_unavailable', `${name} did not answer in time.`)
      : new HttpError(502, 'temporarily_unavailable', `${name} could not be reached.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const refusal = providerError.safeParse(body);
    // the provider refused this server's own client credentials: the partner's configuration is
    // wrong, not the user's doing; the details are for the server's logs, not the page
    if (
      response.status === 401 ||
      (refusal.success && ['invalid_client', 'unauthorized_client'].includes(refusal.data.error))
    ) {
      throw new HttpError(502, 'server_error', `${name} refused this server's client credentials.`);
    }
    if (response.status >= 400 && response.status < 500 && refusal.success) {
      throw new HttpError(
        400,
        refusal.data.error,
        refusal.data.error_description ?? `${name} refused the request.`,
      );
    }
    throw new HttpError(502, 'server_error', `${name} answered ${response.status}.`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new HttpError(502, 'server_error', `${name} answered something unexpected.`);
  }
  return parsed.data;
}

/** `Authorization: Basic` for a client id and secret (RFC 6749 §2.3.1: form-encoded first). */
export function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${btoa(`${enc(id)}:${enc(secret)}`)}`;
}
