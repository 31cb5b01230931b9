import type { ProviderPreset } from './types.js';

/**
 * Hint InstantOn: Hint redirects the practice admin to the partner's page with `?code=`; the page
 * hands the code to the partner backend, which calls `POST /api/oauth/tokens`.
 */
export const hint = {
  id: 'hint',
  label: 'Hint',
  completion: 'code',
  pkce: 'off',
  defaultMode: 'landing',
  completionOnProviderOrigin: false,
  requireIss: false,
} as const satisfies ProviderPreset;
