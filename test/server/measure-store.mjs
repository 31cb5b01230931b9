// Measures the memory a flow store holds at its cap: `node --expose-gc measure-store.mjs memory N`
// (V8 heap after GC) or `node measure-store.mjs redis N <port>` (Redis `used_memory`). N flows of
// N distinct users (the most a store holds: each user has an index of their own) are started
// through createServerFlow, the store's cap being N; prints { perFlow, full } as JSON, `full`
// the status of one start more (503). Run by server-flow-limits.test.mjs.
import { createClient } from '@redis/client';
import { createServerFlow, memoryStore, redisStore } from '../../dist/server.js';

const [kind, count, port] = process.argv.slice(2);
const N = Number(count);
let measure;
let store;
let done = async () => undefined;
if (kind === 'memory') {
  store = memoryStore({ maxFlows: N + 1 });
  measure = async () => {
    globalThis.gc();
    globalThis.gc();
    return process.memoryUsage().heapUsed;
  };
} else {
  const client = createClient({ socket: { host: '127.0.0.1', port: Number(port) } });
  await client.connect();
  const send = (args) => client.sendCommand(args);
  store = redisStore(send, { prefix: `measure-${Math.random()}:`, maxFlows: N + 1 });
  measure = async () => Number(/used_memory:(\d+)/.exec(await send(['INFO', 'memory']))[1]);
  done = () => client.quit();
}
const handler = createServerFlow({
  providers: {
    generic: {
      authorizeUrl: 'https://id.example/authorize',
      tokenUrl: 'https://id.example/token',
      clientId: 'partner-client-id',
      scope: 'openid profile',
      redirectUris: [],
    },
  },
  redirectUri: 'https://app.example.com/oauth/server',
  store,
  session: (request) => request.headers.get('x-user'),
});
const start = (user) =>
  handler(
    new Request('https://app.example.com/oauth/server', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user': user },
      body: JSON.stringify({ provider: 'generic' }),
    }),
  );

await start('warm-up'); // the first flow: the store's own structures, and the code's
const before = await measure();
for (let started = 0; started < N; started += 100) {
  await Promise.all(
    Array.from({ length: Math.min(100, N - started) }, async () => {
      const r = await start(crypto.randomUUID()); // a user id as many apps have them
      if (r.status !== 200) throw new Error(`a start answered ${r.status}`);
    }),
  );
}
const after = await measure();
const full = (await start('one-more')).status;
await done();
process.stdout.write(JSON.stringify({ perFlow: Math.round((after - before) / N), full }));
