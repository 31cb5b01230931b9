import { untilAborted } from './abort.js';
import { buildAuthorizeUrl, withEndpointState, withFlowState } from './authorize-url.js';
import type { Expectation } from './completion.js';
import type { ResolvedConfig } from './config.js';
import { ConnectError } from './errors.js';
import type { FetchLike } from './exchange.js';
import { expectIssuer } from './issuer.js';
import { createPkcePair } from './pkce.js';
import { createState } from './state.js';
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
 * Makes the URL to open and what must come back from it, fresh for every flow (and every reopen):
 * - built from the preset or `authorize-url` + `client-id`: our own `state` and PKCE pair;
 * - a full `authorize-url` (no `client-id`): the same, replacing any `state` / challenge it carries;
 * - from `resolveUrl` / `url-endpoint`: the partner backend's URL; the `state` it carries (or the
 *   endpoint's `state` field) is the one expected back, and it must differ from every earlier one.
 * Every URL is checked like any other (`https:` except loopback). A code flow expects the issuer
 * of the URL it opens (core/issuer: the mix-up defence).
 */
export async function prepareRequest(
  config: ResolvedConfig,
  context: PrepareContext,
): Promise<PreparedRequest> {
  const state = createState(context.crypto);
  const code = config.preset.completion === 'code';
  const endpoint = Boolean(config.resolveUrl || config.urlEndpoint);

  if (code && !endpoint) {
    if (!config.authorizeUrl) throw new ConnectError('invalid_config', 'Nothing to open.');
    const pkce = config.pkce ? await createPkcePair(context.crypto) : undefined;
    const url = config.buildUrl
      ? buildAuthorizeUrl({
          authorizeUrl: config.authorizeUrl,
          clientId: config.clientId ?? '',
          redirectUri: config.redirectUri,
          scope: config.scope,
          state,
          codeChallenge: pkce?.codeChallenge,
          extraParams: config.extraParams,
        })
      : withFlowState(config.authorizeUrl, state, pkce?.codeChallenge);
    return {
      url,
      expectation: {
        completion: 'code',
        state,
        codeVerifier: pkce?.codeVerifier,
        redirectUri: config.redirectUri,
        ...expectIssuer(config, url),
      },
    };
  }

  let raw: string;
  let endpointState: string | undefined;
  let flow: string | undefined;
  if (config.resolveUrl) {
    const signal = context.signal ?? new AbortController().signal;
    raw = await untilAborted(Promise.resolve(config.resolveUrl({ signal })), context.signal);
    if (typeof raw !== 'string') {
      throw new ConnectError('invalid_config', 'resolveUrl gave no URL.');
    }
  } else if (config.urlEndpoint) {
    // (a chunk of its own: a flow that opens a preset's URL never fetches it)
    const { fetchUrlFromEndpoint } = await import('./url-endpoint.js');
    const answer = await fetchUrlFromEndpoint({
      fetch: context.fetch,
      url: config.urlEndpoint,
      body: {
        provider: config.provider,
        ...(config.connectionId ? { connectionId: config.connectionId } : {}),
      },
      // the same credentials and headers as the exchange (and the server flow's polls): your
      // session, your CSRF header
      credentials: config.exchangeCredentials,
      headers: config.exchangeHeaders,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    raw = answer.url;
    endpointState = answer.state;
    flow = answer.flow;
  } else if (config.authorizeUrl) {
    raw = config.authorizeUrl;
  } else {
    throw new ConnectError('invalid_config', 'Nothing to open.');
  }
  const safe = parseSafeUrl(raw, context.pageUrl);
  if (!safe) {
    // (the URL is not repeated: it came from a backend, and the message reaches the page)
    throw new ConnectError(
      'invalid_config',
      'The URL to open must be https: (http: on localhost).',
    );
  }
  if (config.mode === 'server') {
    // the partner server owns state and PKCE; the element holds only the flow id
    if (!flow)
      throw new ConnectError('invalid_config', 'url-endpoint gave no flow (mode="server").');
    return { url: safe.toString(), expectation: { completion: 'server', flow } };
  }
  if (!code) {
    return {
      url: safe.toString(),
      expectation: { completion: 'status', redirectUri: config.redirectUri },
    };
  }
  const stated = endpointState
    ? { url: safe.toString(), state: endpointState }
    : withEndpointState(safe.toString(), state);
  if (stated.state !== state) expectFresh(stated.state);
  return {
    url: stated.url,
    expectation: {
      completion: 'code',
      state: stated.state,
      redirectUri: config.redirectUri,
      ...expectIssuer(config, stated.url),
    },
  };
}

/** The states partner backends handed out in this page: one that comes back is not fresh. */
const endpointStates = new Set<string>();

function expectFresh(state: string): void {
  if (endpointStates.has(state)) {
    throw new ConnectError(
      'invalid_config',
      'url-endpoint / resolveUrl gave a state it gave before: it must be fresh for every flow.',
    );
  }
  endpointStates.add(state);
  if (endpointStates.size > 64) endpointStates.delete(endpointStates.values().next().value!);
}
