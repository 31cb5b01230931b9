/**
 * `oauth-connect/connect`: the framework-free API without the element (no Lit), for pages that run
 * flows from their own buttons. Importing it defines nothing and touches no DOM, so it also imports
 * in Node and in edge / worker runtimes (where `connect()` rejects with `invalid_config`).
 */
export { connect, preloadFlow, resumeFlow, startFlow } from './flow/api.js';
export type {
  ConnectProgress,
  ConnectResult,
  FlowContext,
  FlowHandle,
  FlowPhase,
  ProgressPhase,
} from './flow/api.js';
export type { ConnectOptions } from './core/config.js';
export { ConnectError, FAILURE_STATUSES, isConnectError } from './core/errors.js';
export type { FailureStatus } from './core/errors.js';
export {
  bwell,
  generic,
  hcss,
  healthtap,
  hint,
  providers,
  MODES,
  PROVIDER_IDS,
} from './core/providers/index.js';
export type { Mode, ProviderId, ProviderPreset } from './core/providers/index.js';
export type { CodeCompletion, Completion, StatusCompletion } from './core/completion.js';
