import { OAuthConnect } from './oauth-connect.js';

// Idempotent: importing the package twice (two bundles, HMR) must not throw.
if (!customElements.get('oauth-connect')) customElements.define('oauth-connect', OAuthConnect);

export { OAuthConnect };
export { connect, preloadFlow, resumeFlow, startFlow } from './connect.js';
export type {
  ConnectProgress,
  ConnectResult,
  FlowContext,
  FlowHandle,
  FlowPhase,
  ProgressPhase,
} from './connect.js';
export type { ConnectOptions } from './core/config.js';
export type { HealthState } from './flow/health.js';
export { ConnectError, FAILURE_STATUSES, isConnectError } from './connect.js';
export type { FailureStatus } from './connect.js';
export {
  bwell,
  generic,
  hcss,
  healthtap,
  hint,
  providers,
  MODES,
  PROVIDER_IDS,
} from './connect.js';
export type { Mode, ProviderId, ProviderPreset } from './connect.js';
export type { CodeCompletion, Completion, StatusCompletion } from './connect.js';
export {
  ConnectedEvent,
  ConnectProgressEvent,
  DisconnectedEvent,
  FailedEvent,
  SigninRequiredEvent,
} from './events.js';
export type {
  ConnectedDetail,
  DisconnectedDetail,
  FailedDetail,
  SigninRequiredDetail,
  ProgressDetail,
} from './events.js';
