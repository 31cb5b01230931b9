import type { Expectation } from './completion.js';
import type { ResolvedConfig } from './config.js';
import { ConnectError } from './errors.js';

/** What the mix-up defence (RFC 9207) expects of a flow's answer. */
export type IssuerExpectation = Pick<Expectation, 'issuer' | 'requireIss'>;

/**
 * The issuer a code flow's answer must name, fixed before the popup opens: the `issuer` option,
 * else the preset's — a fixed one, or derived from `url`, the authorize URL in use (its origin
 * and path minus the preset's suffix: for IdentityServer `https://…/identity/connect/authorize`
 * → `https://…/identity`). A URL without that suffix derives none: then an `iss` is not compared,
 * unless `require-iss` asks for one (`invalid_config`, naming `issuer`).
 */
export function expectIssuer(
  config: Pick<ResolvedConfig, 'issuer' | 'requireIss' | 'preset'>,
  url: string,
): IssuerExpectation {
  const issuer = config.issuer ?? derive(config.preset.issuer, url);
  if (config.requireIss && issuer === undefined) {
    throw new ConnectError(
      'invalid_config',
      'require-iss needs issuer: the authorize URL in use gives no issuer to expect.',
    );
  }
  return issuer === undefined ? {} : { issuer, requireIss: config.requireIss };
}

function derive(rule: ResolvedConfig['preset']['issuer'], url: string): string | undefined {
  if (rule === undefined || typeof rule === 'string') return rule;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const { origin, pathname } = parsed;
  return pathname.endsWith(rule.authorizeSuffix)
    ? origin + pathname.slice(0, -rule.authorizeSuffix.length)
    : undefined;
}
