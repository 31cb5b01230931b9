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
 * For a URL made elsewhere (a partner backend, b.well's getOauthUrl, a full `authorize-url`): the
 * `state` it already carries is the one to expect back; a URL without one gets `fallbackState`.
 */
export function withState(
  urlString: string,
  fallbackState: string,
): { url: string; state: string } {
  const url = new URL(urlString);
  const existing = url.searchParams.get('state');
  if (existing) return { url: url.toString(), state: existing };
  url.searchParams.set('state', fallbackState);
  return { url: url.toString(), state: fallbackState };
}
