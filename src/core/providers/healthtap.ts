import type { ProviderPreset } from './types.js';

/** HealthTap "Tap-in": authorization code; a denial comes back as `error=access_denied`. */
export const healthtap = {
  id: 'healthtap',
  label: 'HealthTap',
  authorizeUrl: 'https://developers.healthtap.com/oauth/authorize',
  completion: 'code',
  pkce: 'off',
  defaultMode: 'popup',
  completionOnProviderOrigin: false,
  requireIss: false,
} as const satisfies ProviderPreset;
