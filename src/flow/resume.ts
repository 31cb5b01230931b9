/**
 * Resuming a flow from what a page held — a redirect return, a landing code — rather than starting
 * one: the redirect and landing runners' part of the engine (a popup flow never fetches it).
 */
import type { ConnectOptions, ResolvedConfig } from '../core/config.js';
import { ConnectError } from '../core/errors.js';
import { finish, flowRun } from './engine.js';
import type { FlowHandle, Found, RunContext, Runner } from './types.js';

/**
 * Finishes what this page held for an element (api.ts `resumeFlow`, url-answer.ts): an answer taken from its URL
 * at `at`, or a held code, judged by the runner that resumes it; redeemed (a copy of this tab's
 * storage in another window may have spent it) before anything is sent.
 */
export function resumeFlow(
  runner: Runner,
  config: ResolvedConfig,
  options: ConnectOptions,
  context: RunContext,
  win: Window,
  found: Found,
  at: number,
): FlowHandle {
  const taken = runner.resume
    ? runner.resume(found, config, at)
    : { outcome: new ConnectError('error', 'Nothing here can be finished.') };
  const run = flowRun(config, options, context, win, taken.deadline ?? at + config.timeout);
  run.progress('answered'); // (what the page held is the answer)
  const { outcome, returnTo } = taken;
  const result =
    outcome instanceof ConnectError
      ? Promise.reject(outcome)
      : (taken.redeem?.() ?? Promise.resolve())
          .then(() => finish(runner, run, outcome, taken.at ?? at))
          .then((done) => (returnTo ? { ...done, returnTo } : done));
  const settled = run.settle(result).catch((error: unknown) => {
    // ended (a cancel, the element removed) before its code was sent: the runner may keep it
    if (!(outcome instanceof ConnectError) && !run.sent())
      runner.unsent?.(run, outcome, taken.at ?? at);
    throw error;
  });
  return { provider: config.provider, result: settled, reopen: () => false };
}
