import { listen } from './listen.js';

export interface Presence {
  /** When the user came back to this page after something took them away; 0 while they are not back. */
  backSince(): number;
  /** The user left this page (blur, hidden) and has not come back: something else is in front. */
  away(): boolean;
}

/**
 * Watches whether the user is back on this page after the popup took them away: a `blur` or a
 * hidden `visibilitychange` (a popup that opened as a tab) first, then `focus` or visible again.
 * Leaving again (back to the sign-in window) resets it. This is how a browser shows that a person
 * closed the sign-in window or walked away from it; headless browsers never move focus.
 */
export function watchPresence(win: Window, signal: AbortSignal): Presence {
  // The watch starts with the flow's runner, which may load after the click: a blur the popup's
  // opening caused may have come and gone already (then this page has no focus now).
  let away = !hasFocus(win);
  let backAt = 0;
  const leave = () => {
    away = true;
    backAt = 0;
  };
  const back = () => {
    if (!away) return;
    away = false;
    backAt = Date.now();
  };
  listen(win, 'blur', leave, signal);
  listen(win, 'focus', back, signal);
  listen(
    win.document,
    'visibilitychange',
    () => (win.document.visibilityState === 'hidden' ? leave() : back()),
    signal,
  );
  return { backSince: () => backAt, away: () => away };
}

function hasFocus(win: Window): boolean {
  try {
    return win.document.hasFocus();
  } catch {
    return true; // no sign either way
  }
}
