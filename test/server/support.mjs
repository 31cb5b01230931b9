// Shared by the server tests: mock provider endpoints and a partner backend on node:http, and a
// real redis-server.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';

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

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** A real redis-server (Debian's), on a free loopback port, and a node-redis client of it. */
export async function startRedis() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oauth-connect-redis-'));
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: false } });
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      break;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    client,
    port,
    async close() {
      await client.quit().catch(() => undefined);
      redis.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
