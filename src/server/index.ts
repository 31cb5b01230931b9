/**
 * `oauth-connect/server`: the server half, for Node ≥ 20 and any runtime with web `Request` /
 * `Response` (Hono, Workers, Deno, Bun). It imports no Lit and no browser code.
 */
export { createExchangeHandler } from './handler.js';
export type { ExchangeHandlerOptions, StoreCredentialsArgs } from './handler.js';
export type { ProviderName, ServerProviders } from './providers.js';
export { toNodeListener } from './node.js';
export { createTokenClient } from './token-client.js';
export type {
  RefreshResult,
  RevokeResult,
  TokenClient,
  TokenClientOptions,
  TokenFailure,
  TokenFailureReason,
} from './token-client.js';
export { createDisconnectHandler } from './disconnect.js';
export type {
  CredentialsArgs,
  DisconnectHandlerOptions,
  Revocation,
  StoredCredentials,
} from './disconnect.js';
export type { FailureReason } from './oauth.js';
export { createServerFlow } from './server-flow.js';
export type { ServerFlowOptions, SessionUser } from './server-flow.js';
export { memoryStore, StoreFullError } from './store.js';
export type { FlowStart, FlowStore, MemoryStoreOptions } from './store.js';
export { redisStore } from './redis-store.js';
export type { RedisSend, RedisStoreOptions } from './redis-store.js';
export type { NodeRequest, NodeResponse } from './node.js';
export type {
  GenericProvider,
  HcssProvider,
  HealthtapProvider,
  HintProvider,
} from './providers.js';
export type { BwellProvider } from './bwell.js';
export type { TokenResponse } from './tokens.js';
