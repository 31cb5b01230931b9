// Shared by the server tests: mock provider endpoints and a partner backend on node:http.
import http from 'node:http';

export async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

/** A mock token endpoint: records requests, answers `reply(entry)` → [status, body] (0: hang). */
export async function mockProvider(reply) {
  const seen = [];
  const server = await listen((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, raw };
      seen.push(entry);
      const [status, body] = await reply(entry);
      if (status === 0) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  return { ...server, seen };
}
