import type { ProviderPreset } from './types.js';

/** Any OAuth 2.0 provider with the authorization code grant; PKCE S256 by default. */
export const generic = {
  id: 'generic',
  label: 'account',
  completion: 'code',
  pkce: 's256',
  defaultMode: 'popup',
  completionOnProviderOrigin: false,
  requireIss: false,
} as const satisfies ProviderPreset;
