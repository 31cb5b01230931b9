/**
 * `redisStore`: the flow store for several instances behind a load balancer, on one Redis. A flow
 * starts in one Lua script (`EVAL`: atomic, whatever the number of instances): the user's oldest
 * flows give way, the store's cap is checked, the entries are stored. The counts are two sorted
 * sets, each flow a member scored by its expiry: `user:<id>` (the user's flows) and `flows` (all).
 */
import { countOption } from './options.js';
import { StoreFullError, type FlowStore } from './store.js';

/** Sends one Redis command, e.g. node-redis `(args) => client.sendCommand(args)`. */
export type RedisSend = (args: string[]) => Promise<unknown>;

export interface RedisStoreOptions {
  /** Prefixed to every key; default `oauth-connect:`. */
  readonly prefix?: string;
  /**
   * Flows held at most, over all instances, pending or finished (each until it expires); default
   * 50000. Past it a new flow is refused: the handler answers 503 with `Retry-After`. Measured
   * with Redis 7.0 (`used_memory`, flows of distinct users; see
   * test/server/server-flow-limits.test.mjs): about 2.5 KB of Redis memory a flow, so about
   * 125 MB at the default cap, plus the answer `storeCredentials` returns, per finished flow.
   */
  readonly maxFlows?: number;
}

/**
 * KEYS: the user's set, the store's set, then the entries' keys. ARGV: now, ttl, maxPerUser,
 * maxFlows, the flow (its keys, space-separated), the prefix, then the entries' values.
 * Answers `{1, the flows that gave way (their keys, space-separated)…}`, or `{0, ms until the
 * oldest flow expires}` when the store is full.
 */
const START = `
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local perUser, maxFlows = tonumber(ARGV[3]), tonumber(ARGV[4])
local flow, prefix = ARGV[5], ARGV[6]
local user, all = KEYS[1], KEYS[2]
redis.call('ZREMRANGEBYSCORE', user, '-inf', now)
redis.call('ZREMRANGEBYSCORE', all, '-inf', now)
local over = redis.call('ZCARD', user) - perUser + 1
local gone = {1}
if over > 0 then
  for _, old in ipairs(redis.call('ZRANGE', user, 0, over - 1)) do
    for key in string.gmatch(old, '%S+') do redis.call('DEL', prefix .. key) end
    redis.call('ZREM', user, old)
    redis.call('ZREM', all, old)
    table.insert(gone, old)
  end
end
if redis.call('ZCARD', all) >= maxFlows then
  local oldest = redis.call('ZRANGE', all, 0, 0, 'WITHSCORES')
  return {0, math.max(0, tonumber(oldest[2]) - now)}
end
for i = 3, #KEYS do redis.call('SET', KEYS[i], ARGV[i + 4], 'PX', ttl) end
redis.call('ZADD', user, now + ttl, flow)
redis.call('ZADD', all, now + ttl, flow)
if redis.call('PTTL', user) < ttl then redis.call('PEXPIRE', user, ttl) end
return gone
`;

/** KEYS: the key, the key it needs. ARGV: the value, ttl. Sets it only while the other exists. */
const PUT_WHILE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/**
 * A Redis store: bring your client. With node-redis, `redisStore((args) =>
 * client.sendCommand(args))`; with ioredis, `redisStore(([cmd, ...rest]) => client.call(cmd,
 * ...rest))`. Uses `SET … PX`, `GETDEL` (Redis ≥ 6.2) and `EVAL`. With Redis Cluster, give a
 * prefix with a hash tag (`{oauth-connect}:`): a flow's start touches its keys and both counts in
 * one script, so they must share a slot. `options` may be the prefix alone (a string).
 */
export function redisStore(send: RedisSend, options: RedisStoreOptions | string = {}): FlowStore {
  const { prefix = 'oauth-connect:', ...rest } =
    typeof options === 'string' ? { prefix: options } : options;
  const maxFlows = countOption('maxFlows', rest.maxFlows, 50_000);
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const ms = (value: number) => String(Math.max(1, Math.ceil(value)));
  // Redis at its maxmemory (noeviction) refuses writes with an OOM error: the store is full
  const write = async (args: string[]) => {
    try {
      return await send(args);
    } catch (error) {
      if (/\bOOM\b/.test(String((error as Error | undefined)?.message ?? ''))) {
        throw new StoreFullError(1000);
      }
      throw error;
    }
  };
  return {
    async start(flow) {
      const entries = Object.entries(flow.entries);
      const answer = await write([
        'EVAL',
        START,
        String(2 + entries.length),
        `${prefix}user:${flow.user}`,
        `${prefix}flows`,
        ...entries.map(([key]) => prefix + key),
        String(Date.now()),
        ms(flow.ttlMs),
        String(flow.maxPerUser),
        String(maxFlows),
        flow.keys.join(' '),
        prefix,
        ...entries.map(([, value]) => value),
      ]);
      if (!Array.isArray(answer)) throw new Error('oauth-connect redisStore: unexpected answer');
      if (Number(answer[0]) !== 1) throw new StoreFullError(Number(answer[1]) || 0);
      return answer.slice(1).flatMap((old) => (typeof old === 'string' ? old.split(' ') : []));
    },
    async put(key, value, ttlMs, whileKey) {
      if (whileKey === undefined) {
        await write(['SET', prefix + key, value, 'PX', ms(ttlMs)]);
        return true;
      }
      const answer = await write([
        'EVAL',
        PUT_WHILE,
        '2',
        prefix + key,
        prefix + whileKey,
        value,
        ms(ttlMs),
      ]);
      return Number(answer) === 1;
    },
    async get(key) {
      return str(await send(['GET', prefix + key]));
    },
    async take(key) {
      return str(await send(['GETDEL', prefix + key]));
    },
    async delete(key) {
      await send(['DEL', prefix + key]);
    },
  };
}
