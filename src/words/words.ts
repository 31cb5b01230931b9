/**
 * The element's words in its language (CONTRACT "Words on screen"): the element's `lang`, else the
 * nearest ancestor's — across shadow roots — else the document's; English when that is none the
 * element speaks. English ships in the element (words/en.ts); another language is a chunk loaded
 * on first use (the element renders English until then, a moment). A partner's `messages` override
 * any string of any language.
 */
import type { ConnectError, FailureStatus } from '../core/errors.js';
import { en, type Words } from './en.js';

export type { Words };

/** The languages beyond English, by primary subtag, each a chunk of its own. */
const TABLES: Readonly<Record<string, () => Promise<Words>>> = {
  es: () => import('./es.js').then((m) => m.es),
};
const loaded = new Map<string, Words>();
const loading = new Map<string, Promise<unknown>>();
/** Languages whose chunk did not load: English for the page's lifetime (no render loop). */
const failed = new Set<string>();

/** The language `el` is in (a BCP 47 tag as written, or ''). */
export function langOf(el: Element): string {
  for (let n: Node | null = el; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    const lang = n instanceof Element ? n.getAttribute('lang') : null;
    if (lang !== null) return lang;
  }
  return '';
}

/**
 * The words for `lang`, `messages` over them. A language not loaded yet: English now, and
 * `onLoad` once it is (then ask again).
 */
export function wordsFor(
  lang: string,
  messages: Readonly<Partial<Record<keyof Words, unknown>>> | undefined,
  onLoad: () => void,
): Words {
  const code = lang.trim().toLowerCase().split('-')[0] ?? '';
  let base: Words = en;
  const load = Object.hasOwn(TABLES, code) ? TABLES[code] : undefined;
  if (load && !failed.has(code)) {
    const table = loaded.get(code);
    if (table) base = table;
    else {
      let pending = loading.get(code);
      if (!pending) {
        pending = load().then(
          (words) => void loaded.set(code, words),
          (error: unknown) => {
            failed.add(code); // (a chunk gone after a deploy: a reload brings it back)
            console.warn(
              `oauth-connect: the "${code}" words did not load; English instead.`,
              error,
            );
          },
        );
        loading.set(code, pending);
      }
      void pending.then(() => loaded.has(code) && onLoad());
    }
  }
  if (!messages) return base;
  const words: Record<string, string> = { ...base };
  for (const key of Object.keys(en)) {
    const value = messages[key as keyof Words];
    if (typeof value === 'string') words[key] = value;
  }
  return words as Words;
}

/** `template` with its `{name}` placeholders filled (one left as it is when not given). */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}

const FAILURES: Readonly<Record<FailureStatus, keyof Words>> = {
  cancelled: 'cancelled',
  blocked: 'blocked',
  timeout: 'timeout',
  expired: 'expired',
  unauthorized: 'unauthorized',
  exchange_failed: 'exchangeFailed',
  invalid_config: 'invalidConfig',
  error: 'error',
};

/**
 * What a failure says on screen: its status's sentence, then the provider's (or your backend's)
 * own description when there is one — or, for a setup mistake, which only a developer sees, what
 * is wrong. The `failed` event carries the full developer message either way.
 */
export function failureText(words: Words, error: ConnectError): string {
  const sentence = words[FAILURES[error.status] ?? 'error'];
  const detail = error.status === 'invalid_config' ? error.message : error.errorDescription;
  return detail ? `${sentence} ${detail}` : sentence;
}

/** The connected elements, re-rendered when a `lang` changes anywhere above them. */
const followers = new Set<Element & { requestUpdate(): void }>();
let observer: MutationObserver | undefined;
/** The trees observed: the document, and every shadow root an element sits in (or above it). */
const observed = new Set<Node>();

/**
 * Re-renders `host` whenever a `lang` attribute is set, changed or removed on it or above it: in
 * the document, and in each shadow tree it sits in (a document observer does not see into those).
 * One observer for every element. Returns the unfollow.
 */
export function followLang(host: Element & { requestUpdate(): void }): () => void {
  if (typeof MutationObserver === 'undefined') return () => undefined; // (no DOM: nothing changes)
  followers.add(host);
  observer ??= new MutationObserver(() => followers.forEach((h) => h.requestUpdate()));
  const watch = (tree: Node) => {
    if (observed.has(tree)) return;
    observed.add(tree);
    observer!.observe(tree, { subtree: true, attributes: true, attributeFilter: ['lang'] });
  };
  watch(host.ownerDocument.documentElement);
  for (let root = host.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode()) {
    watch(root);
  }
  return () => {
    followers.delete(host);
    if (!followers.size) {
      observer?.disconnect();
      observer = undefined;
      observed.clear();
    }
  };
}
