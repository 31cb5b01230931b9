import { parseCallbackUrl, stripCallbackParams } from '../core/callback-params.js';
import { judgeCallback, type CodeCompletion } from '../core/completion.js';
import type { ResolvedConfig } from '../core/config.js';
import { ConnectError } from '../core/errors.js';
import { parseSafeUrl } from '../core/url-safety.js';

/**
 * Landing mode (Hint InstantOn): the provider sent the user here with `?code=`. Takes the code
 * from the URL and scrubs it from the address bar with `history.replaceState` at once, before any
 * await, so neither a re-render, a second element, nor a reload can exchange it again.
 * Returns undefined when the URL carries no answer (a plain visit).
 */
export function takeLandingCode(win: Window, config: ResolvedConfig): CodeCompletion | undefined {
  const href = win.location.href;
  const params = parseCallbackUrl(href);
  if (!params || (!params.code && !params.error)) return undefined;
  win.history.replaceState(win.history.state, '', stripCallbackParams(href));

  if (!parseSafeUrl(href)) {
    throw new ConnectError(
      'invalid_config',
      'An authorization code may only land on an https: page.',
    );
  }
  if (config.landingPath && new URL(href).pathname !== config.landingPath) {
    throw new ConnectError(
      'invalid_config',
      `The code landed on an unexpected path (expected ${config.landingPath}).`,
    );
  }
  const verdict = judgeCallback(params, { completion: 'code' });
  if (verdict.kind === 'failure') throw verdict.error;
  if (verdict.kind === 'ignore' || !('code' in verdict.completion)) return undefined;
  return { code: verdict.completion.code };
}
