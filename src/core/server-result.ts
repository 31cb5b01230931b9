/**
 * The element's side of the server-completed flow (`mode="server"`): asks the partner server for
 * its flow's outcome, `POST url-endpoint { flow }`, again and again (the server holds each request
 * open until the outcome is there, or answers `pending`). Pure: `fetch` and the signal come in.
 */
import { wait } from './deadline.js';
import { callBackend, type BackendRequest } from './backend.js';
import type { ServerCompletion } from './completion.js';
import { ConnectError, FAILURE_STATUSES, type FailureStatus } from './errors.js';
import { parseServerResult } from './schemas/answers.js';

/** `url` is the `createServerFlow` route (the element's `url-endpoint`). */
export interface ServerPoll extends BackendRequest {
  readonly flow: string;
  /** Aborts the poll (the flow ended). */
  readonly signal: AbortSignal;
}

/** Resolves with what the server answered for a connected flow, or rejects with its failure. */
export async function pollServerResult(poll: ServerPoll): Promise<ServerCompletion> {
  for (let failures = 0; ;) {
    const asked = Date.now();
    const reply = await callBackend(poll, { flow: poll.flow });
    if (!reply || reply.response.status >= 500) {
      // the network blinked (a phone between networks), or a proxy or a deploy answered 5xx: ask
      // again, a little later each time (the flow's deadline still ends it)
      await wait(Math.min(5000, 250 * ++failures), poll.signal);
      continue;
    }
    failures = 0;
    const answer = parseServerResult(reply.json);
    if (!reply.response.ok || !answer) {
      throw new ConnectError(
        'error',
        `The server answered ${reply.response.status} to the flow poll.`,
      );
    }
    const { status, result, failure, message, error } = answer;
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
  // best effort: the flow expires on the server anyway
  callBackend(poll, { flow: poll.flow, abandon: true }, { keepalive: true }).catch(() => undefined);
}
