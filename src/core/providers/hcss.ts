import type { ProviderPreset } from './types.js';

/**
 * HCSS identity: authorization code + PKCE + state. The token the partner backend gets carries a
 * `CompanyId` claim to store with the user.
 */
export const hcss = {
  id: 'hcss',
  label: 'HCSS',
  authorizeUrl: 'https://api.hcssapps.com/identity/connect/authorize',
  completion: 'code',
  pkce: 's256',
  defaultMode: 'popup',
  completionOnProviderOrigin: false,
  // IdentityServer: the issuer is the authorize URL minus /connect/authorize. HCSS's documented
  // callback carries no iss, so a missing one is accepted.
  issuer: { authorizeSuffix: '/connect/authorize' },
  requireIss: false,
} as const satisfies ProviderPreset;
