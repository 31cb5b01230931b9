import { bwell } from './bwell.js';
import { generic } from './generic.js';
import { hcss } from './hcss.js';
import { healthtap } from './healthtap.js';
import { hint } from './hint.js';
import type { ProviderId, ProviderPreset } from './types.js';

export type { Mode, ProviderId, ProviderPreset } from './types.js';
export { MODES, PROVIDER_IDS } from './types.js';
export { bwell, generic, hcss, healthtap, hint };

/** The built-in presets, by id. */
export const providers: Readonly<Record<ProviderId, ProviderPreset>> = {
  bwell,
  generic,
  hcss,
  healthtap,
  hint,
};
