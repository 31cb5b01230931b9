/** Shared helpers for browser tests. */
import type { OAuthConnect } from '../../src/index.js';

export interface Origins {
  readonly provider: string;
  readonly stranger: string;
}

let cached: Origins | undefined;
export async function origins(): Promise<Origins> {
  cached ??= (await (await fetch('/__origins')).json()) as Origins;
  return cached;
}

export const callbackUrl = () => `${location.origin}/test/fixtures/callback.html`;
export const plainCallbackUrl = () => `${location.origin}/test/fixtures/plain-callback.html`;

let counter = 0;
/** A unique id per test, to keep the backend mock's logs apart. */
export const uid = () => `t${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface LoggedRequest {
  readonly path: string;
  readonly method: string;
  readonly body: Record<string, unknown>;
  readonly contentType: string;
  /** The `X-CSRF` header it carried. */
  readonly csrf: string;
}

export async function backendLog(t: string): Promise<LoggedRequest[]> {
  return (await (await fetch(`/api/log?t=${t}`)).json()) as LoggedRequest[];
}

export const exchangeUrl = (t: string, respond = 'ok') => `/api/exchange?t=${t}&respond=${respond}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` (which may ask the backend: a promise) every 20 ms until it holds. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeout = 5000,
  what = 'condition',
) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Waits until the sign-in window `win` has left about:blank (another origin's page reads as
 * unreadable): its flow has sent it to the provider and is waiting for the answer.
 */
export function atProvider(win: Window, timeout = 5000) {
  const left = () => {
    try {
      return win.location.href !== 'about:blank';
    } catch {
      return true;
    }
  };
  return until(left, timeout, 'the sign-in window at the provider');
}

/**
 * The user closes the sign-in window they see: once it shows the provider's page (another origin,
 * its location unreadable), not while it still shows about:blank. A script's close made while the
 * window's first navigation is pending can be lost in WebKit (see src/flow/closer.ts).
 */
export async function userCloses(win: Window) {
  await atProvider(win);
  win.close();
  await until(() => win.closed && win.parent === null, 3000, 'the sign-in window gone');
}

/**
 * The user looks back at this page (a click on it): it loses focus to the sign-in window, then
 * gets it back. Headless browsers never move focus themselves, so a test plays it (call it once
 * the flow is running: its watch starts with the flow). A return is what shows the Reopen / Cancel
 * offer at once when the handle reads closed; without one it shows a few seconds later.
 */
export function userReturns(win: Window = window) {
  win.dispatchEvent(new FocusEvent('blur'));
  win.dispatchEvent(new FocusEvent('focus'));
}

/** Records every window.open call and the windows it returned; restore() puts it back. */
export function spyOnOpen() {
  const original = window.open;
  const calls: { url: string | URL | undefined; features: string; win: Window | null }[] = [];
  window.open = function (this: Window, ...args: Parameters<typeof window.open>) {
    const win = original.apply(this, args);
    calls.push({ url: args[0], features: args[2] ?? '', win });
    return win;
  } as typeof window.open;
  return {
    calls,
    get last() {
      return calls[calls.length - 1]?.win ?? null;
    },
    restore() {
      window.open = original;
      for (const c of calls) {
        try {
          if (c.win && !c.win.closed) c.win.close();
        } catch {
          /* ignore */
        }
      }
    },
  };
}

/**
 * A window.open spy for every test of the file (mocha hooks): the windows a test opened are closed
 * after it.
 */
export function useOpenSpy() {
  let current: ReturnType<typeof spyOnOpen> | undefined;
  beforeEach(() => (current = spyOnOpen()));
  afterEach(() => current?.restore());
  return {
    get calls() {
      return current!.calls;
    },
    get last() {
      return current!.last;
    },
  };
}

/** Settles a promise into { ok, value | error } so a test can assert on either. */
export async function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: { status?: string; message: string } }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error: error as { status?: string; message: string } };
  }
}

export interface FrameMessage {
  readonly type: string;
  readonly detail: Record<string, unknown>;
}

/**
 * Loads a partner-app fixture page in an iframe (so it can navigate away and back without taking
 * the test page along) and collects what it reports with postMessage to this origin.
 */
export function openFrameApp(src: string) {
  const messages: FrameMessage[] = [];
  const onMessage = (e: MessageEvent) => {
    if (e.origin === location.origin && e.source === frame.contentWindow && e.data?.type) {
      messages.push(e.data as FrameMessage);
    }
  };
  window.addEventListener('message', onMessage);
  const frame = document.createElement('iframe');
  frame.src = src;
  document.body.append(frame);
  const readyCount = () => messages.filter((m) => m.type === 'ready').length;
  const outcome = () => messages.find((m) => m.type === 'connected' || m.type === 'failed');
  return {
    frame,
    messages,
    readyCount,
    /** Waits until the page has loaded `n` times (each load reports "ready"). */
    loaded: (n = 1) => until(() => readyCount() >= n, 10000, `page load #${n}`),
    /** Waits for the connected / failed event the page reports. */
    async result(timeout = 10000): Promise<FrameMessage> {
      await until(() => outcome() !== undefined, timeout, 'the connected / failed event');
      return outcome()!;
    },
    outcome,
    /**
     * The URLs of the requests the page now loaded has sent (redirect-app.html records them),
     * once each of them has been answered or has failed: none is on its way any more.
     */
    async sent(timeout = 5000): Promise<string[]> {
      const before = messages.length;
      const answered = () => messages.slice(before).find((m) => m.type === 'requests');
      frame.contentWindow!.postMessage({ type: 'requests?' }, location.origin);
      await until(() => answered() !== undefined, timeout, "the page's requests");
      return answered()!.detail['urls'] as string[];
    },
    dispose() {
      window.removeEventListener('message', onMessage);
      frame.remove();
    },
  };
}

/**
 * Configures the partner-app fixture (the element's properties, from its own URL) and returns
 * that URL.
 */
export function redirectApp(config: (appUrl: string) => Record<string, unknown>): string {
  const url = `${location.origin}/test/fixtures/redirect-app.html`;
  sessionStorage.setItem('redirect-app-cfg', JSON.stringify(config(url)));
  return url;
}

/** What a fixture page of ours reported on a test BroadcastChannel of its own. */
export interface Report {
  readonly [key: string]: unknown;
}

/** Collects the reports posted on the test channel `name` (callback-report.html, flow-app.html). */
export function reports(name: string) {
  const received: Report[] = [];
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event: MessageEvent<Report>) => received.push(event.data);
  const matching = (match: Report) =>
    received.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v));
  return {
    received,
    matching,
    /** Waits for a report whose fields include `match`, and returns it. */
    async next(match: Report, timeout = 8000): Promise<Report> {
      await until(() => matching(match).length > 0, timeout, `a report ${JSON.stringify(match)}`);
      return matching(match)[0]!;
    },
    close: () => channel.close(),
  };
}

/** The exchange requests (not the url-endpoint ones) the backend mock saw for test `t`. */
export async function exchanges(t: string): Promise<LoggedRequest[]> {
  return (await backendLog(t)).filter((l) => l.path === '/api/exchange');
}

/** The callback page that reports (channel 'test-callback-report') how its opener answered. */
export const reportCallbackUrl = (query = '') =>
  `${location.origin}/test/fixtures/callback-report.html${query ? `?${query}` : ''}`;

/** The backend mock's status endpoint for test `t` (servers.mjs lists the `respond` modes). */
export const statusUrl = (t: string, respond = 'connected', extra = '') =>
  `/api/status?t=${t}&respond=${respond}${extra}`;

export const disconnectUrl = (t: string, respond = 'ok') =>
  `/api/disconnect?t=${t}&respond=${respond}`;

/** The backend mock's requests of test `t` to `path`. */
export async function requests(t: string, path: string): Promise<LoggedRequest[]> {
  return (await backendLog(t)).filter((l) => l.path === path);
}

/**
 * Records the requests this page makes with `window.fetch` (the library calls it late-bound, as
 * `win.fetch`), from the hooks of the tests of a file. `settled()` waits until each of them has
 * been answered or has failed: the backend mock logs a request before it answers it, so once they
 * have all settled its log holds every request this page sent so far — no request can still be on
 * its way.
 */
export function useFetchLog() {
  const sent: { url: string; done: Promise<unknown> }[] = [];
  let original: typeof window.fetch | undefined;
  beforeEach(() => {
    sent.length = 0;
    const fetch = (original = window.fetch);
    window.fetch = function (this: Window, ...args: Parameters<typeof window.fetch>) {
      const response = fetch.apply(this, args);
      const url = args[0] instanceof Request ? args[0].url : String(args[0]);
      sent.push({ url, done: response.catch(() => undefined) });
      return response;
    } as typeof window.fetch;
  });
  afterEach(() => {
    if (original) window.fetch = original;
  });
  return {
    /** The URLs this page fetched (in this test) that contain `part`. */
    to: (part: string) => sent.filter((s) => s.url.includes(part)).map((s) => s.url),
    async settled() {
      for (let seen = -1; seen !== sent.length;) {
        seen = sent.length;
        await Promise.all(sent.map((s) => s.done));
      }
    },
  };
}

/**
 * Waits until `el` has looked at what this page holds for it (its URL, a held code) and found
 * nothing to finish: `resume()` hands back the look the element began when it connected (or makes
 * one), and resolves undefined only when nothing was found; and no flow of it runs or ran (its
 * status region is empty: it announces every phase and outcome).
 */
export async function foundNothing(el: OAuthConnect) {
  const found = await el.resume();
  if (found !== undefined)
    throw new Error(`the element finished something: ${JSON.stringify(found)}`);
  await el.updateComplete;
  const status = el.shadowRoot?.querySelector('[part="status"]')?.textContent?.trim();
  if (status !== '') throw new Error(`the element is not idle: "${status}"`);
}

/** Every window `win.open` returns from now on (a frame's page: its popups, to close after). */
export function recordOpens(win: Window): (Window | null)[] {
  const opened: (Window | null)[] = [];
  const open = win.open.bind(win);
  win.open = ((...args: Parameters<Window['open']>) => {
    const popup = open(...args);
    opened.push(popup);
    return popup;
  }) as Window['open'];
  return opened;
}
