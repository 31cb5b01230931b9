/**
 * `oauth-connect/server`: the server half, for Node ≥ 20 and any runtime with web `Request` /
 * `Response` (Hono, Workers, Deno, Bun). It imports no Lit and no browser code.
 */
export { createExchangeHandler } from './handler.js';
export type {
  ExchangeHandlerOptions,
  ProviderName,
  ServerProviders,
  StoreCredentialsArgs,
} from './handler.js';
export { toNodeListener } from './node.js';
export type { NodeRequest, NodeResponse } from './node.js';
export type {
  GenericProvider,
  HcssProvider,
  HealthtapProvider,
  HintProvider,
} from './providers.js';
export type { BwellProvider } from './bwell.js';
export type { TokenResponse } from './tokens.js';
