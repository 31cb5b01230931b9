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
  if (load) {
    const table = loaded.get(code);
    if (table) base = table;
    else {
      let pending = loading.get(code);
      if (!pending) {
        pending = load().then(
          (words) => void loaded.set(code, words),
          () => void loading.delete(code), // (asked again at the next render)
        );
        loading.set(code, pending);
      }
      void pending.then(onLoad);
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

/** The connected elements, re-rendered when a `lang` changes anywhere in the document. */
const followers = new Set<{ requestUpdate(): void }>();
let observer: MutationObserver | undefined;

/**
 * Re-renders `host` whenever a `lang` attribute is set, changed or removed in the document (its
 * own, an ancestor's, the root's: one observer for every element). Returns the unfollow.
 */
export function followLang(host: { requestUpdate(): void }): () => void {
  if (typeof MutationObserver === 'undefined') return () => undefined; // (no DOM: nothing changes)
  followers.add(host);
  if (!observer) {
    observer = new MutationObserver(() => followers.forEach((h) => h.requestUpdate()));
    observer.observe(document.documentElement, {
      subtree: true,
      attributes: true,
      attributeFilter: ['lang'],
    });
  }
  return () => {
    followers.delete(host);
    if (!followers.size) {
      observer?.disconnect();
      observer = undefined;
    }
  };
}
