/**
 * Where the server-completed flow keeps its flows between requests. A flow is started with
 * `start` (its entries, counted against its user and the store), and its entries expire with it;
 * a pending flow is taken once (`take` reads and deletes in one step).
 *
 * Two bounds keep one user from taking what others need (OWASP API4:2023):
 * - per user: a user holds at most `maxPerUser` flows; one more, and the user's oldest gives way
 *   (its entries are deleted, so its redirect is refused): a user who starts flows and finishes
 *   none only ever replaces their own;
 * - per store: past its cap a store refuses new flows with a {@link StoreFullError} (the handler
 *   answers 503 with `Retry-After`), rather than letting memory grow without bound.
 */
import { countOption } from './options.js';

/** A flow to start: its entries now, and every key it may come to hold. */
export interface FlowStart {
  /** Whose flow it is (the signed-in user's id). */
  readonly user: string;
  /** The entries to store (key → value), each for `ttlMs`. */
  readonly entries: Readonly<Record<string, string>>;
  /**
   * Every key of the flow: its entries' and those it writes later (its result), and any it only
   * names (never written: its cookie, `cookie:<name>`, answered back when the flow gives way). All
   * are deleted when the flow gives way. No key holds a space.
   */
  readonly keys: readonly string[];
  /** ms the flow lives. */
  readonly ttlMs: number;
  /** The user's flows at most: one more, and the oldest of them gives way first. */
  readonly maxPerUser: number;
}

export interface FlowStore {
  /**
   * Starts a flow, in one atomic step: the user's oldest flows give way until the user holds
   * fewer than `maxPerUser`; then, unless the store holds its cap (a {@link StoreFullError}, and
   * nothing stored), the flow's entries are stored and the flow is counted. Answers the keys
   * (`FlowStart.keys`) of the user's flows that gave way, or nothing.
   */
  start(flow: FlowStart): Promise<readonly string[] | void>;
  /**
   * Stores `value` under `key` for `ttlMs` (a started flow's result) — with `whileKey`, in one
   * atomic step and only while `whileKey` exists (the flow's owner entry: a flow that gave way, or
   * was abandoned, while its result was on its way gets none, so no result outlives the count of
   * its flow). Answers whether it stored.
   */
  put(key: string, value: string, ttlMs: number, whileKey?: string): Promise<boolean>;
  /** Reads `key`, or undefined when it is missing or expired. */
  get(key: string): Promise<string | undefined>;
  /** Reads and deletes `key` at once: of two concurrent takers, one gets it. */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
}

/** The store holds as many flows as it may: try again in `retryAfterMs`. */
export class StoreFullError extends Error {
  override readonly name = 'StoreFullError';
  constructor(
    /** ms until the store's oldest flow expires (a hint for `Retry-After`). */
    readonly retryAfterMs: number,
  ) {
    super('oauth-connect: the flow store is full');
  }
}

export interface MemoryStoreOptions {
  /**
   * Flows held at most, pending or finished (each until it expires, `timeout` after its start);
   * default 10000. Past it a new flow is refused: the handler answers 503 with `Retry-After`.
   * Memory at the cap, measured (Node 20, x64: V8 heap after GC, flows of distinct users; see
   * test/server/server-flow-limits.test.mjs): about 2 KB a flow (1.9 to 2.2 KB), so about 20 MB
   * at the default cap. The answer `storeCredentials` returns is kept too, until the flow
   * expires: count its size on top.
   */
  readonly maxFlows?: number;
}

interface Entry {
  readonly value: string;
  readonly expires: number;
}

interface Flow {
  readonly user: string;
  readonly keys: readonly string[];
  readonly expires: number;
}

/**
 * In memory, for one process (tests, a single instance). Expired flows and entries are swept as
 * new flows start (the oldest first) and fully at most every few seconds.
 */
export function memoryStore(options: MemoryStoreOptions = {}): FlowStore {
  const maxFlows = countOption('maxFlows', options.maxFlows, 10_000);
  const entries = new Map<string, Entry>();
  const flows = new Map<number, Flow>(); // in start order
  const users = new Map<string, number[]>(); // each user's flows, oldest first
  let started = 0;
  let swept = 0;

  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expires <= Date.now()) entries.delete(key);
    return entries.get(key);
  };
  /** A flow ends (expired, or gave way): its entries go, and it no longer counts. */
  const drop = (id: number) => {
    const flow = flows.get(id);
    if (!flow) return;
    flows.delete(id);
    for (const key of flow.keys) entries.delete(key);
    const mine = users.get(flow.user);
    const at = mine?.indexOf(id) ?? -1;
    if (mine && at >= 0) mine.splice(at, 1);
    if (mine?.length === 0) users.delete(flow.user);
  };
  const sweep = (now: number) => {
    // flows expire in start order when they share a timeout: the oldest first, until a live one
    for (const [id, flow] of flows) {
      if (flow.expires > now) break;
      drop(id);
    }
    if (now - swept <= 5000) return;
    swept = now;
    for (const [id, flow] of flows) if (flow.expires <= now) drop(id);
    for (const [key, entry] of entries) if (entry.expires <= now) entries.delete(key);
  };

  return {
    async start(flow) {
      const now = Date.now();
      sweep(now);
      const mine = users.get(flow.user) ?? [];
      const gone: string[] = [];
      while (mine.length >= flow.maxPerUser) {
        gone.push(...(flows.get(mine[0]!)?.keys ?? []));
        drop(mine[0]!);
      }
      if (flows.size >= maxFlows) {
        const oldest = flows.values().next().value;
        throw new StoreFullError(Math.max(0, (oldest?.expires ?? now) - now));
      }
      const expires = now + flow.ttlMs;
      for (const [key, value] of Object.entries(flow.entries)) entries.set(key, { value, expires });
      const id = ++started;
      flows.set(id, { user: flow.user, keys: [...flow.keys], expires });
      mine.push(id);
      users.set(flow.user, mine);
      return gone;
    },
    async put(key, value, ttlMs, whileKey) {
      if (whileKey !== undefined) {
        // a flow's result: only while its flow counts (its owner entry lives), so at most one a
        // counted flow, deleted with it
        if (!live(whileKey)) return false;
      } else if (entries.size >= maxFlows * 3 && !entries.has(key)) {
        // beyond three entries a flow (pending, owner, result) something else writes here
        sweep(Date.now());
        if (entries.size >= maxFlows * 3) throw new StoreFullError(1000);
      }
      entries.set(key, { value, expires: Date.now() + ttlMs });
      return true;
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
