/**
 * The mix-up defence on the server-completed flow's redirect
 * ([RFC 9207](https://www.rfc-editor.org/rfc/rfc9207),
 * [RFC 9700 §4.4](https://www.rfc-editor.org/rfc/rfc9700#section-4.4)): a client that talks to
 * several authorization servers must know which one answered, or an attacker's server can have a
 * code of an honest one sent to it. An authorization response (a code or an error) that carries
 * `iss` must carry the provider's expected issuer, compared as a simple string (RFC 9207 §2.4).
 */
import { configError } from './options.js';
import { AUTHORIZE, type GenericProvider } from './providers.js';

/** What the redirect's `iss` must be, for one provider. */
export interface IssuerCheck {
  /** The expected issuer; undefined when none is known (then a given `iss` is not compared). */
  readonly issuer: string | undefined;
  /** An answer without `iss` fails too. */
  readonly required: boolean;
}

type CodeProvider = keyof typeof AUTHORIZE;

/**
 * The provider's expected issuer: its `issuer` option, else the one its authorize URL gives (HCSS:
 * IdentityServer's URL minus `/connect/authorize`). Throws at start-up when `requireIss` has none,
 * and (fail-closed) when a provider that derives its issuer has an authorize URL that does not end
 * in its suffix exactly (HCSS: `…/connect/authorize/`, `…/Connect/Authorize`): the issuer is not
 * guessed, nor the check silently switched off — give `issuer`.
 */
export function expectedIssuer(
  kind: CodeProvider,
  config: Pick<GenericProvider, 'issuer' | 'requireIss' | 'authorizeUrl'>,
  name: string = kind,
): IssuerCheck {
  const preset = AUTHORIZE[kind];
  const authorizeUrl = config.authorizeUrl ?? preset.url;
  const issuer = config.issuer ?? derive(authorizeUrl, preset.issuerSuffix);
  if (config.requireIss === true && issuer === undefined) {
    throw configError(`${name}.requireIss needs ${name}.issuer (its authorizeUrl gives none).`);
  }
  if (config.issuer === undefined && preset.issuerSuffix && authorizeUrl && !issuer) {
    throw configError(
      `${name}.authorizeUrl does not end in ${preset.issuerSuffix} (exactly, no trailing slash), ` +
        `so its issuer cannot be derived: give ${name}.issuer (got ${JSON.stringify(authorizeUrl)}).`,
    );
  }
  return { issuer, required: config.requireIss === true };
}

/** Why the redirect's `iss` is refused, or undefined when it is acceptable. */
export function issuerRefusal(check: IssuerCheck, query: URLSearchParams): string | undefined {
  const given = query.getAll('iss');
  if (given.length === 0) {
    return check.required ? 'The sign-in answer did not say which server sent it.' : undefined;
  }
  if (given.length > 1 || (check.issuer !== undefined && given[0] !== check.issuer)) {
    return 'The sign-in answer came from another server than this provider.';
  }
  return undefined;
}

function derive(url: string | undefined, suffix: string | undefined): string | undefined {
  if (!url || !suffix) return undefined;
  const { origin, pathname } = new URL(url);
  return pathname.endsWith(suffix) ? origin + pathname.slice(0, -suffix.length) : undefined;
}
