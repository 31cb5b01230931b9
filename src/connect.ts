// The framework-free API (the element uses it too); the implementation lives in the flow layer.
export { connect, preloadFlow, resumeFlow, startFlow } from './flow/start-flow.js';
export type { ConnectResult, FlowContext, FlowHandle, FlowPhase } from './flow/start-flow.js';
