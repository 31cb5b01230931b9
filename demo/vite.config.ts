import { defineConfig, type Plugin } from 'vite';

/**
 * The demo: the page on http://localhost:5173, mock providers reached as http://127.0.0.1:5173
 * (another origin: different host), and a demo exchange backend under /api/.
 */
function demoBackend(): Plugin {
  return {
    name: 'oauth-connect-demo-backend',
    configureServer(server) {
      server.middlewares.use('/api/', (req, res) => {
        let raw = '';
        req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        req.on('end', () => {
          const url = new URL(req.url ?? '/', 'http://x');
          res.setHeader('content-type', 'application/json');
          let body: Record<string, unknown>;
          try {
            body = JSON.parse(raw || '{}') as Record<string, unknown>;
          } catch {
            res.statusCode = 400;
            res.end(JSON.stringify({ error: 'invalid_request' }));
            return;
          }
          if (url.pathname === '/bwell-url') {
            const other = String(req.headers['x-provider-origin'] ?? '');
            res.end(
              JSON.stringify({
                url: `${other}/mock/bwell.html?target=${encodeURIComponent(String(req.headers.origin ?? ''))}`,
              }),
            );
            return;
          }
          // A real backend would call the provider's token endpoint here (with its client secret).
          const code = typeof body['code'] === 'string' ? body['code'] : undefined;
          if (code?.startsWith('bad')) {
            res.statusCode = 400;
            res.end(
              JSON.stringify({
                error: 'invalid_grant',
                error_description: 'This code was already used.',
              }),
            );
            return;
          }
          const result =
            body['provider'] === 'hint'
              ? { status: 'connected', practice: { id: 'pra-demo', name: "Joe's Practice" } }
              : body['provider'] === 'hcss'
                ? { connected: true, companyId: 'company-demo-42' }
                : { connected: true, provider: body['provider'] };
          res.end(JSON.stringify(result));
        });
      });
    },
  };
}

export default defineConfig({
  root: 'demo',
  plugins: [demoBackend()],
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
});
