import {
  parseCallbackUrl,
  stripCallbackParams,
  type CallbackParams,
} from '../core/callback-params.js';

/**
 * Takes an answer from this page's own URL (a redirect return, a landing code) for the element
 * `claim` says owns it (core/ownership). Only a claimed answer is scrubbed from the address bar,
 * with `history.replaceState`, synchronously and before any await, so neither a re-render, a second
 * element nor a reload can take it again; an answer that is not this element's is left untouched.
 */
export function takeFromUrl<C extends string>(
  win: Window,
  claim: (params: CallbackParams) => C | undefined,
): { readonly params: CallbackParams; readonly claim: C; readonly href: string } | undefined {
  const href = win.location.href;
  const params = parseCallbackUrl(href);
  if (!params) return undefined;
  const claimed = claim(params);
  if (claimed === undefined) return undefined;
  win.history.replaceState(win.history.state, '', stripCallbackParams(href));
  return { params, claim: claimed, href };
}
