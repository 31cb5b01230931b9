// The pure core: no window, no document; runs in Node too.
export * from './authorize-url.js';
export * from './callback-params.js';
export * from './completion.js';
export * from './config.js';
export * from './errors.js';
export * from './exchange.js';
export * from './pkce.js';
export * from './providers/index.js';
export * from './request.js';
export * from './state.js';
export * from './url-endpoint.js';
export * from './url-safety.js';
