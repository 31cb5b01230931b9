/** The presets' ids: what the `provider` attribute names. */
export const PROVIDER_IDS = ['bwell', 'hcss', 'healthtap', 'hint', 'generic'] as const;
export type PresetId = (typeof PROVIDER_IDS)[number];

/**
 * A `generic` provider with a name of its own (`generic:acme`), so that one page and one server
 * half can hold several: the `generic` preset, its own client, sent by this name everywhere.
 */
export const NAMED_GENERIC = /^generic:[a-z0-9][a-z0-9_-]{0,63}$/;

/** A provider: a preset's id, or a named generic one. */
export type ProviderId = PresetId | `generic:${string}`;

/** The preset `id` runs on (a named generic one: `generic`); undefined for no provider at all. */
export function presetOf(id: string): PresetId | undefined {
  if ((PROVIDER_IDS as readonly string[]).includes(id)) return id as PresetId;
  return NAMED_GENERIC.test(id) ? 'generic' : undefined;
}

/** How a flow runs; see the README for when to pick which. */
export const MODES = ['popup', 'polling', 'redirect', 'landing', 'server'] as const;
export type Mode = (typeof MODES)[number];

/**
 * Everything that differs between providers, as data (no `if (provider === …)` in the flow).
 */
export interface ProviderPreset {
  readonly id: ProviderId;
  /** Human name, used in the default button label and announcements. */
  readonly label: string;
  /** The documented authorization endpoint, when the provider has a fixed one. */
  readonly authorizeUrl?: string;
  /**
   * `code`: an OAuth authorization code comes back with our `state`.
   * `status`: only a `status_code` comes back (b.well), there is no code to exchange.
   */
  readonly completion: 'code' | 'status';
  /** PKCE default (RFC 7636). */
  readonly pkce: 's256' | 'off';
  readonly defaultMode: Mode;
  /**
   * The completion page lives on the provider's own origin, which differs by environment: in
   * `popup` mode the partner must name it in `allowed-origins`.
   */
  readonly completionOnProviderOrigin: boolean;
  /**
   * The issuer its authorization responses name in `iss` (RFC 9207), the flow's expected issuer
   * unless the `issuer` option gives one: a fixed URL, or one derived from the authorize URL in use
   * (its origin and path minus `authorizeSuffix`: IdentityServer's `/connect/authorize`), so a
   * sandbox `authorize-url` expects its own issuer. None: an `iss` is accepted (nothing to compare).
   */
  readonly issuer?: string | { readonly authorizeSuffix: string };
  /** The provider always sends `iss` (its metadata's `authorization_response_iss_parameter_supported`). */
  readonly requireIss: boolean;
}
