/**
 * The element's side of the server-completed flow (`mode="server"`): asks the partner server for
 * its flow's outcome, `POST url-endpoint { flow }`, again and again (the server holds each request
 * open until the outcome is there, or answers `pending`). Pure: `fetch` and the signal come in.
 */
import type { ServerCompletion } from './completion.js';
import { ConnectError, FAILURE_STATUSES, type FailureStatus } from './errors.js';
import type { FetchLike } from './exchange.js';
import { serverResultSchema } from './schemas.js';

export interface ServerPoll {
  readonly fetch: FetchLike;
  /** The `createServerFlow` route (the element's `url-endpoint`). */
  readonly url: string;
  readonly flow: string;
  readonly credentials: RequestCredentials;
  readonly headers: Readonly<Record<string, string>>;
  /** Aborts the poll (the flow ended). */
  readonly signal: AbortSignal;
}

/** Resolves with what the server answered for a connected flow, or rejects with its failure. */
export async function pollServerResult(poll: ServerPoll): Promise<ServerCompletion> {
  for (let failures = 0; ;) {
    const asked = Date.now();
    let response: Response | undefined;
    try {
      response = await poll.fetch(poll.url, request(poll, { flow: poll.flow }));
    } catch {
      if (poll.signal.aborted) throw poll.signal.reason;
    }
    if (!response || response.status >= 500) {
      // the network blinked (a phone between networks), or a proxy or a deploy answered 5xx: ask
      // again, a little later each time (the flow's deadline still ends it)
      await wait(Math.min(5000, 250 * ++failures), poll.signal);
      continue;
    }
    failures = 0;
    const answer = serverResultSchema.safeParse(await response.json().catch(() => undefined));
    if (!response.ok || !answer.success) {
      throw new ConnectError('error', `The server answered ${response.status} to the flow poll.`);
    }
    const { status, result, failure, message, error } = answer.data;
    if (status === 'connected') return { result: result ?? { connected: true } };
    if (status === 'pending') {
      // a server that answers at once (no long-poll) is asked at most twice a second
      await wait(Math.max(0, 500 - (Date.now() - asked)), poll.signal);
      continue;
    }
    const known = (FAILURE_STATUSES as readonly string[]).includes(failure ?? '');
    throw new ConnectError(
      known ? (failure as FailureStatus) : 'error',
      message ?? 'The connection did not complete.',
      error ? { error } : {},
    );
  }
}

/** Tells the server the element gave its flow up: a later redirect for it is refused. */
export function abandonServerFlow(poll: Omit<ServerPoll, 'signal'>): void {
  void poll
    .fetch(poll.url, { ...request(poll, { flow: poll.flow, abandon: true }), keepalive: true })
    .catch(
      () => undefined, // best effort: the flow expires on the server anyway
    );
}

function request(
  poll: Omit<ServerPoll, 'signal'> & { signal?: AbortSignal },
  body: Record<string, unknown>,
): RequestInit {
  return {
    method: 'POST',
    credentials: poll.credentials,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...poll.headers },
    body: JSON.stringify(body),
    ...(poll.signal ? { signal: poll.signal } : {}),
  };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const id = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(id);
      reject(signal.reason as unknown);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}
