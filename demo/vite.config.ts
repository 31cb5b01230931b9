import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defineConfig, type Plugin, type ViteDevServer } from 'vite';
import { createDemoBackend } from './backend.mjs';
import { startMockProviders, type MockProviders } from './mocks/index.mjs';
import { demoSettings, publicConfig, registerWithMocks, type DemoSettings } from './settings.mjs';

type Middleware = ReturnType<typeof createDemoBackend>;

/**
 * `npm start`, one process: the demo page on http://localhost:5173 (the partner app), each mock
 * provider on a port of its own on 127.0.0.1 (its own origin, another site), and the partner's
 * backend — `oauth-connect/server` from ../src/server, loaded through Vite (no build step) — under
 * /api/ on the page's origin. Provider URLs, client ids and secrets come from the environment
 * (demo/settings.mjs), defaulting to the mocks.
 */
function demo(): Plugin {
  let mocks: MockProviders | undefined;
  let settings: DemoSettings | undefined;
  return {
    name: 'oauth-connect-demo',
    async configureServer(server) {
      mocks = await startMockProviders();
      settings = demoSettings(process.env, mocks);
      const started = mocks;
      // for demo/screenshots.mjs, which runs this server in its own process: what the mocks issued
      (globalThis as Record<symbol, unknown>)[Symbol.for('oauth-connect.demo.mocks')] = started;
      server.httpServer?.once('close', () => void started.close());
      server.httpServer?.once('listening', () => {
        // after Vite's own banner
        setTimeout(() => announce(server, started, settings!), 50);
      });
      let backend: Promise<Middleware> | undefined;
      let origin: string | undefined;
      const load = () => {
        origin ??= pageOrigin(server);
        if (!backend) {
          registerWithMocks(started, settings!, origin);
          const entry = path.resolve(server.config.root, '../src/server/index.ts');
          backend = server.ssrLoadModule(entry).then((module) =>
            createDemoBackend({
              server: module as typeof import('../src/server/index.js'),
              settings: settings!,
              origin: origin!,
            }),
          );
        }
        return backend;
      };
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const canonical = new URL(pageOrigin(server)).host;
        if (req.headers.host !== canonical && req.method === 'GET') {
          // one origin for the page: its redirect URIs and session cookie live there
          res.writeHead(307, { location: `${pageOrigin(server)}${req.url ?? '/'}` }).end();
          return;
        }
        load().then(
          (handle) => handle(req, res, next),
          (error: unknown) => {
            server.config.logger.error(`demo backend: ${String(error)}`);
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(
              '{"error":"server_error","error_description":"The demo backend did not load."}',
            );
          },
        );
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler: () =>
        settings && [
          {
            tag: 'script',
            attrs: { type: 'application/json', id: 'demo-config' },
            children: JSON.stringify(publicConfig(settings)).replace(/</g, '\\u003c'),
            injectTo: 'head-prepend',
          },
        ],
    },
  };
}

/** The page's origin: localhost on the port Vite listens on. */
function pageOrigin(server: ViteDevServer): string {
  const address = server.httpServer?.address() as AddressInfo | null | undefined;
  return `http://localhost:${address?.port ?? server.config.server.port ?? 5173}`;
}

function announce(server: ViteDevServer, mocks: MockProviders, settings: DemoSettings): void {
  const { info } = server.config.logger;
  const line = (name: string, mock: { origin: string }, used: unknown) =>
    info(`  ➜  ${name.padEnd(10)} ${used ? mock.origin : `${mock.origin} (not used: set by env)`}`);
  info('\n  Mock providers (each on its own origin):');
  line('HCSS', mocks.hcss, settings.hcss['mock']);
  line('HealthTap', mocks.healthtap, settings.healthtap['mock']);
  line('b.well', mocks.bwell, settings.bwell['mock']);
  line('Hint', mocks.hint, settings.hint['mock']);
  info(`\n  Open ${pageOrigin(server)}/\n`);
}

export default defineConfig({
  root: 'demo',
  plugins: [demo()],
  server: { host: 'localhost', port: 5173, strictPort: false },
  // pre-bundled at start-up: a dependency found later reloads the page, and with it a running flow
  optimizeDeps: { include: ['lit', 'zod/mini'] },
  build: { outDir: 'dist' },
});
