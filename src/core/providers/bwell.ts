import type { ProviderPreset } from './types.js';

/**
 * b.well health.network: the URL to open comes from `getOauthUrl(connectionId)` (via
 * `url-endpoint` or `resolveUrl`); completion is a `status_code` or a `status-success` /
 * `status-failure` message from b.well's completion page.
 */
export const bwell = {
  id: 'bwell',
  label: 'b.well',
  completion: 'status',
  pkce: 'off',
  defaultMode: 'popup',
  completionOnProviderOrigin: true,
  requireIss: false,
} as const satisfies ProviderPreset;
