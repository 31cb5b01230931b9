/**
 * A listener on the page's window or document tied to an AbortSignal, so aborting a flow's
 * controller removes it (timers, waits and deadlines: core/deadline.ts).
 */
import { onAbort } from '../../core/abort.js';

type Events<T> = T extends Window ? WindowEventMap : T extends Document ? DocumentEventMap : never;

export function listen<T extends Window | Document, K extends keyof Events<T> & string>(
  target: T,
  type: K,
  handler: (event: Events<T>[K]) => void,
  signal: AbortSignal,
): void {
  if (signal.aborted) return;
  const listener = handler as unknown as EventListener;
  target.addEventListener(type, listener);
  onAbort(signal, () => target.removeEventListener(type, listener));
}
