import { bwell } from './bwell.js';
import { generic } from './generic.js';
import { hcss } from './hcss.js';
import { healthtap } from './healthtap.js';
import { hint } from './hint.js';
import type { PresetId, ProviderPreset } from './types.js';

export type { Mode, PresetId, ProviderId, ProviderPreset } from './types.js';
export { MODES, NAMED_GENERIC, PROVIDER_IDS, presetOf } from './types.js';
export { bwell, generic, hcss, healthtap, hint };

/** The built-in presets, by id. */
export const providers: Readonly<Record<PresetId, ProviderPreset>> = {
  bwell,
  generic,
  hcss,
  healthtap,
  hint,
};
