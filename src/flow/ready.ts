/**
 * Requests made before the click, so that the click opens the popup at the provider's URL itself
 * instead of at `about:blank` sent on after an await (one navigation, not two). Only for URLs we
 * build (our `state` and PKCE pair); never for one a backend hands out (`url-endpoint`,
 * `resolveUrl`: it may be single-use or short-lived). Each is used once: taking it removes it, and
 * a flow that takes one makes the next one.
 */
import type { ResolvedConfig } from '../core/config.js';
import { randomToken } from '../core/random.js';
import { prepareRequest } from '../core/request.js';
import type { ReadyRequest } from './types.js';

/** A ready request older than this is dropped (it holds a PKCE verifier; nothing lives forever). */
const MAX_AGE_MS = 10 * 60_000;
const MAX_READY = 8;

const ready = new Map<string, { readonly request: ReadyRequest; readonly at: number }>();

/**
 * What the request depends on, or undefined when it cannot be made ahead. (Only the popup runner's
 * chunk asks, for a popup or polling flow; a server flow's URL comes from its `url-endpoint`.)
 */
function signature(config: ResolvedConfig): string | undefined {
  if (config.preset.completion !== 'code' || config.resolveUrl || config.urlEndpoint) return;
  if (!config.authorizeUrl) return;
  const { authorizeUrl, buildUrl, clientId, redirectUri, scope, pkce, extraParams } = config;
  // and what it expects back: the issuer (the provider's preset derives one, or the option's)
  const { provider, issuer, requireIss } = config;
  return JSON.stringify([
    ...[authorizeUrl, buildUrl, clientId, redirectUri, scope, pkce, extraParams],
    ...[provider, issuer, requireIss],
  ]);
}

const making = new Map<string, Promise<void>>();

/**
 * Makes a request for `config` in the background, unless one is ready or on its way. Resolves
 * when there is one (or none can be made); never rejects.
 */
export function prepareAhead(config: ResolvedConfig): Promise<void> {
  const sig = signature(config);
  if (!sig) return Promise.resolve();
  const found = ready.get(sig);
  if (found && fresh(found)) return Promise.resolve();
  ready.delete(sig); // a stale one goes (with its verifier); a new one is made
  let made = making.get(sig);
  if (!made) {
    made = prepareRequest(config, {
      fetch: () => Promise.reject(new Error('not used for a URL we build')),
      pageUrl: '',
    }).then(
      (request) => {
        making.delete(sig);
        ready.set(sig, { request: { ...request, key: randomToken(32) }, at: Date.now() });
        if (ready.size > MAX_READY) ready.delete(ready.keys().next().value!);
      },
      () => void making.delete(sig),
    );
    making.set(sig, made);
  }
  return made;
}

/** The ready request for `config`, taken (never handed out twice), if there is a fresh one. */
export function takeReady(config: ResolvedConfig): ReadyRequest | undefined {
  const sig = signature(config);
  const found = sig === undefined ? undefined : ready.get(sig);
  if (!found) return undefined;
  ready.delete(sig!);
  return fresh(found) ? found.request : undefined;
}

const fresh = (entry: { readonly at: number }) => Date.now() - entry.at < MAX_AGE_MS;
