/**
 * `mode="server"`: the server-completed flow. The same popup as a popup flow (popup.ts), but its
 * outcome comes from the partner server (`createServerFlow`), long-polled with the flow id its
 * request carries — so Cross-Origin-Opener-Policy, storage partitioning and webviews that open
 * tabs cannot lose it.
 */
import { abandonServerFlow, pollServerResult } from '../../core/server-result.js';
import type { FlowRun, Gesture, Runner, Started } from '../types.js';
import { blocked, PopupFlow, type ServerOutcome } from './popup.js';

export { runFlow } from '../engine.js';

/** The partner server's route for `flow` (the element's `url-endpoint`). */
function route({ config, fetch }: FlowRun, flow: string) {
  return {
    fetch,
    url: config.urlEndpoint ?? '',
    flow,
    credentials: config.exchangeCredentials,
    headers: config.exchangeHeaders,
  };
}

const outcome: ServerOutcome = {
  wait: (run, flow, signal) => pollServerResult({ ...route(run, flow), signal }),
  abandon: (run, flow) => abandonServerFlow(route(run, flow)),
};

export const runner: Runner = {
  start: (run: FlowRun, gesture: Gesture): Started =>
    gesture.popup
      ? new PopupFlow(run, gesture.popup, gesture.ready, outcome)
      : blocked(run, gesture),
};
