/**
 * Counts what flows leave behind: listeners on window and document (per event type), intervals,
 * timers of the flows' own lengths, and BroadcastChannels. `restore()` puts the originals back.
 */
export function trackLeaks() {
  const listeners = new Map<string, number>();
  const intervals = new Set<number>();
  const timeouts = new Set<number>();
  const channels = new Set<BroadcastChannel>();
  const restores: (() => void)[] = [];

  const patch = <T extends object, K extends keyof T>(
    target: T,
    name: K,
    make: (original: T[K]) => T[K],
  ) => {
    const original = target[name];
    target[name] = make(original);
    restores.push(() => (target[name] = original));
  };
  for (const [target, prefix] of [
    [window, 'window'],
    [document, 'document'],
  ] as const) {
    patch(
      target as EventTarget,
      'addEventListener',
      (add) =>
        function (this: EventTarget, type: string, ...rest: unknown[]) {
          listeners.set(`${prefix}:${type}`, (listeners.get(`${prefix}:${type}`) ?? 0) + 1);
          return (add as (...a: unknown[]) => void).call(this, type, ...rest);
        } as EventTarget['addEventListener'],
    );
    patch(
      target as EventTarget,
      'removeEventListener',
      (remove) =>
        function (this: EventTarget, type: string, ...rest: unknown[]) {
          listeners.set(`${prefix}:${type}`, (listeners.get(`${prefix}:${type}`) ?? 0) - 1);
          return (remove as (...a: unknown[]) => void).call(this, type, ...rest);
        } as EventTarget['removeEventListener'],
    );
  }
  patch(
    window,
    'setInterval',
    (set) =>
      ((fn: TimerHandler, ms?: number) => {
        const id = set(fn, ms);
        intervals.add(id);
        return id;
      }) as typeof window.setInterval,
  );
  patch(
    window,
    'clearInterval',
    (clear) =>
      ((id?: number) => {
        if (id !== undefined) intervals.delete(id);
        clear(id);
      }) as typeof window.clearInterval,
  );
  patch(
    window,
    'setTimeout',
    (set) =>
      ((fn: TimerHandler, ms?: number) => {
        const id = set(() => {
          timeouts.delete(id);
          (fn as () => void)();
        }, ms);
        if ((ms ?? 0) > 50) timeouts.add(id); // the flows' own timers are long; test helpers short
        return id;
      }) as typeof window.setTimeout,
  );
  patch(
    window,
    'clearTimeout',
    (clear) =>
      ((id?: number) => {
        if (id !== undefined) timeouts.delete(id);
        clear(id);
      }) as typeof window.clearTimeout,
  );
  patch(
    window,
    'BroadcastChannel',
    (BC) =>
      class extends BC {
        constructor(name: string) {
          super(name);
          channels.add(this);
        }
        override close() {
          channels.delete(this);
          super.close();
        }
      },
  );

  return {
    /** Listener types still attached more often than detached, with their counts. */
    listenersLeft: () => [...listeners].filter(([, n]) => n !== 0),
    /** Every type seen at all (to show the spies did see the flows). */
    listenerTypes: () => [...listeners.keys()],
    intervals,
    timeouts,
    channels,
    restore: () => restores.reverse().forEach((undo) => undo()),
  };
}
