// Counts what flows leave behind, installed before anything else runs: listeners on window and
// document (added minus removed, per type), timers and intervals not yet fired or cleared, and
// BroadcastChannels not closed. `window.leaks()` reports; `window.leaks.reset()` starts over.
(() => {
  const listeners = new Map();
  const timers = new Set();
  const intervals = new Set();
  const channels = new Set();
  for (const [target, name] of [
    [window, 'window'],
    [document, 'document'],
  ]) {
    const add = target.addEventListener;
    const remove = target.removeEventListener;
    target.addEventListener = function (type, ...rest) {
      const key = `${name}:${type}`;
      listeners.set(key, (listeners.get(key) ?? 0) + 1);
      return add.call(this, type, ...rest);
    };
    target.removeEventListener = function (type, ...rest) {
      const key = `${name}:${type}`;
      listeners.set(key, (listeners.get(key) ?? 0) - 1);
      return remove.call(this, type, ...rest);
    };
  }
  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = window;
  window.setTimeout = (fn, ms, ...args) => {
    const id = st(
      (...a) => {
        timers.delete(id);
        if (typeof fn === 'function') fn(...a);
      },
      ms,
      ...args,
    );
    timers.add(id);
    return id;
  };
  window.clearTimeout = (id) => {
    timers.delete(id);
    ct(id);
  };
  window.setInterval = (fn, ms, ...args) => {
    const id = si(fn, ms, ...args);
    intervals.add(id);
    return id;
  };
  window.clearInterval = (id) => {
    intervals.delete(id);
    ci(id);
  };
  const BC = window.BroadcastChannel;
  window.BroadcastChannel = class extends BC {
    constructor(name) {
      super(name);
      channels.add(this);
    }
    close() {
      channels.delete(this);
      super.close();
    }
  };
  let base;
  const snapshot = () => ({
    listeners: Object.fromEntries([...listeners].filter(([, n]) => n !== 0)),
    timers: timers.size,
    intervals: intervals.size,
    channels: channels.size,
  });
  window.leaks = () => {
    const now = snapshot();
    const left = {
      listeners: {},
      timers: now.timers - base.timers,
      intervals: now.intervals - base.intervals,
      channels: now.channels - base.channels,
    };
    for (const [k, n] of Object.entries(now.listeners)) {
      const d = n - (base.listeners[k] ?? 0);
      if (d) left.listeners[k] = d;
    }
    return left;
  };
  window.leaks.reset = () => (base = snapshot());
  base = snapshot();
})();
