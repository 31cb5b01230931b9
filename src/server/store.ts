/**
 * Where the server-completed flow keeps its pending flows and results between requests. Entries
 * expire with the flow; a result is taken once (`take` reads and deletes in one step).
 */
export interface FlowStore {
  /** Stores `value` under `key` for `ttlMs`. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /** Reads `key`, or undefined when it is missing or expired. */
  get(key: string): Promise<string | undefined>;
  /** Reads and deletes `key` at once: of two concurrent takers, one gets it. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
}

/**
 * In memory, for one process (tests, a single instance). Expired entries are swept at most every
 * few seconds; past `maxEntries` (default 100000) new flows are refused rather than letting memory
 * grow without bound.
 */
export function memoryStore({ maxEntries = 100_000 } = {}): FlowStore {
  const entries = new Map<string, { value: string; expires: number }>();
  let swept = 0;
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expires <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expires <= now) entries.delete(key);
  };
  return {
    async put(key, value, ttlMs) {
      if (Date.now() - swept > 5000) {
        swept = Date.now();
        sweep();
      }
      if (entries.size >= maxEntries && !entries.has(key)) {
        throw new Error('oauth-connect memoryStore is full');
      }
      entries.set(key, { value, expires: Date.now() + ttlMs });
    },
    async get(key) {
      return live(key)?.value;
    },
    async take(key) {
      const value = live(key)?.value;
      entries.delete(key);
      return value;
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

/** Sends one Redis command, e.g. node-redis `(args) => client.sendCommand(args)`. */
export type RedisSend = (args: string[]) => Promise<unknown>;

/**
 * A Redis store, for several instances behind a load balancer: bring your client. With node-redis,
 * `redisStore((args) => client.sendCommand(args))`; with ioredis,
 * `redisStore(([cmd, ...rest]) => client.call(cmd, ...rest))`. Uses `SET … PX` and `GETDEL`
 * (Redis ≥ 6.2); keys are prefixed with `prefix` (default `oauth-connect:`).
 */
export function redisStore(send: RedisSend, prefix = 'oauth-connect:'): FlowStore {
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    async put(key, value, ttlMs) {
      await send(['SET', prefix + key, value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
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
