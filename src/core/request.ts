import { buildAuthorizeUrl, withState } from './authorize-url.js';
import type { Expectation } from './completion.js';
import type { ResolvedConfig } from './config.js';
import { ConnectError } from './errors.js';
import type { FetchLike } from './exchange.js';
import { createPkcePair } from './pkce.js';
import { createState } from './state.js';
import { fetchUrlFromEndpoint } from './url-endpoint.js';
import { parseSafeUrl } from './url-safety.js';

/** The URL to open and what must come back from it. */
export interface PreparedRequest {
  readonly url: string;
  readonly expectation: Expectation;
}

export interface PrepareContext {
  readonly fetch: FetchLike;
  readonly signal?: AbortSignal;
  readonly crypto?: Crypto;
  /** Base for relative URLs returned by an endpoint. */
  readonly pageUrl: string;
}

/**
 * Makes a fresh state (and PKCE pair), then the URL to open: built from the preset, or obtained
 * from `resolveUrl` / `url-endpoint` / a full `authorize-url`. A URL obtained that way is checked
 * like any other (`https:` except loopback) and, for a code flow, must carry (or gets) our state.
 */
export async function prepareRequest(
  config: ResolvedConfig,
  context: PrepareContext,
): Promise<PreparedRequest> {
  const state = createState(context.crypto);
  const code = config.preset.completion === 'code';

  if (config.buildUrl && config.authorizeUrl && config.clientId) {
    const pkce = config.pkce ? await createPkcePair(context.crypto) : undefined;
    return {
      url: buildAuthorizeUrl({
        authorizeUrl: config.authorizeUrl,
        clientId: config.clientId,
        redirectUri: config.redirectUri,
        scope: config.scope,
        state,
        codeChallenge: pkce?.codeChallenge,
        extraParams: config.extraParams,
      }),
      expectation: {
        completion: 'code',
        state,
        codeVerifier: pkce?.codeVerifier,
        redirectUri: config.redirectUri,
      },
    };
  }

  let raw: string;
  let endpointState: string | undefined;
  if (config.resolveUrl) {
    raw = await config.resolveUrl();
    if (typeof raw !== 'string')
      throw new ConnectError('invalid_config', 'resolveUrl gave no URL.');
  } else if (config.urlEndpoint) {
    const answer = await fetchUrlFromEndpoint({
      fetch: context.fetch,
      url: config.urlEndpoint,
      body: {
        provider: config.provider,
        ...(config.connectionId ? { connectionId: config.connectionId } : {}),
      },
      ...(context.signal ? { signal: context.signal } : {}),
    });
    raw = answer.url;
    endpointState = answer.state;
  } else if (config.authorizeUrl) {
    raw = config.authorizeUrl;
  } else {
    throw new ConnectError('invalid_config', 'Nothing to open.');
  }
  const safe = parseSafeUrl(raw, context.pageUrl);
  if (!safe) {
    throw new ConnectError('invalid_config', `Refusing to open an unsafe URL: "${raw}".`);
  }
  if (!code) {
    return {
      url: safe.toString(),
      expectation: { completion: 'status', redirectUri: config.redirectUri },
    };
  }
  const stated = endpointState
    ? { url: safe.toString(), state: endpointState }
    : withState(safe.toString(), state);
  return {
    url: stated.url,
    expectation: { completion: 'code', state: stated.state, redirectUri: config.redirectUri },
  };
}
