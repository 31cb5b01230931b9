export interface AuthorizeParams {
  /** The provider's authorization endpoint. Existing query parameters are kept. */
  readonly authorizeUrl: string;
  readonly clientId: string;
  readonly redirectUri?: string | undefined;
  /** Space-separated scopes. */
  readonly scope?: string | undefined;
  readonly state: string;
  readonly codeChallenge?: string | undefined;
  /** Extra parameters a provider needs (e.g. `prompt`); they never override the ones above. */
  readonly extraParams?: Readonly<Record<string, string>> | undefined;
}

/** Builds an RFC 6749 §4.1.1 authorization request URL (`response_type=code`, optional PKCE). */
export function buildAuthorizeUrl(params: AuthorizeParams): string {
  const url = new URL(params.authorizeUrl);
  const q = url.searchParams;
  for (const [key, value] of Object.entries(params.extraParams ?? {})) q.set(key, value);
  q.set('response_type', 'code');
  q.set('client_id', params.clientId);
  if (params.redirectUri) q.set('redirect_uri', params.redirectUri);
  const scope = params.scope?.trim().split(/\s+/).filter(Boolean).join(' ');
  if (scope) q.set('scope', scope);
  q.set('state', params.state);
  if (params.codeChallenge) {
    q.set('code_challenge', params.codeChallenge);
    q.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

/**
 * The full-URL form of `authorize-url` (written once into the page, the same for every user and
 * flow): its `state` and PKCE challenge, if it carries any, are replaced by this flow's own. A fixed
 * `state` would be the expected state of every flow, and an attacker's code carrying it would be
 * exchanged for the victim (RFC 6749 §10.12; RFC 9700 §4.7).
 */
export function withFlowState(urlString: string, state: string, codeChallenge?: string): string {
  const url = new URL(urlString);
  const q = url.searchParams;
  q.set('state', state);
  if (codeChallenge) {
    q.set('code_challenge', codeChallenge);
    q.set('code_challenge_method', 'S256');
  } else {
    // a challenge written into the URL has a verifier nobody here knows
    q.delete('code_challenge');
    q.delete('code_challenge_method');
  }
  return url.toString();
}

/**
 * A URL made per flow by the partner backend (`url-endpoint`, `resolveUrl`): the `state` it carries
 * is the one to expect back (the backend owns and checks it); a URL without one gets ours.
 */
export function withEndpointState(
  urlString: string,
  ownState: string,
): { url: string; state: string } {
  const url = new URL(urlString);
  const existing = url.searchParams.get('state');
  if (existing) return { url: url.toString(), state: existing };
  url.searchParams.set('state', ownState);
  return { url: url.toString(), state: ownState };
}
