/** Opening and steering the popup window (closing it: closer.ts). Nothing here awaits. */
import { FLOW_KEY_ITEM } from '../../core/protocol.js';
import { noteOpened, noteSent } from './closer.js';
import { lendItem } from '../storage/tab.js';
import type { ReadyRequest } from '../types.js';

export interface PopupSize {
  readonly width: number;
  readonly height: number;
}

/**
 * `window.open` features for a popup of `size`, no larger than the screen, centred on the opener's
 * window.
 */
export function popupFeatures(size: PopupSize, win: Window = window): string {
  const fit = (wanted: number, available: number | undefined) =>
    Math.round(Math.min(wanted, available || wanted));
  const width = fit(size.width, win.screen?.availWidth);
  const height = fit(size.height, win.screen?.availHeight);
  const outerLeft = win.screenX ?? 0;
  const outerTop = win.screenY ?? 0;
  const outerWidth = win.outerWidth || win.innerWidth || width;
  const outerHeight = win.outerHeight || win.innerHeight || height;
  const left = Math.max(0, Math.round(outerLeft + (outerWidth - width) / 2));
  const top = Math.max(0, Math.round(outerTop + (outerHeight - height) / 2));
  return `popup=yes,width=${width},height=${height},left=${left},top=${top},scrollbars=yes,resizable=yes`;
}

/**
 * Opens the popup. Must run synchronously inside the user's click (no `await` before it), or the
 * browser's popup blocker takes it. Returns `null` when it was blocked: no window, or one closed at
 * once (some blockers hand back a window that is already closed).
 */
export function openPopup(url: string, size: PopupSize, win: Window = window): Window | null {
  let popup: Window | null;
  try {
    popup = win.open(url, '_blank', popupFeatures(size, win));
  } catch {
    popup = null;
  }
  if (!popup || popup.closed) return null;
  noteOpened();
  if (url !== 'about:blank') noteSent(popup);
  return popup;
}

/**
 * Opens the sign-in window in the click: at a request made before the click, or at about:blank to
 * be sent on (navigatePopup) once the request is made. A window this page opens starts with a copy
 * of this tab's sessionStorage, so the ready request's per-flow key is put there for the moment of
 * the open (and this tab's own value put back): the window carries it to its callback page.
 */
export function openSignIn(size: PopupSize, win: Window, ready?: ReadyRequest): Window | null {
  if (!ready) return openPopup('about:blank', size, win);
  return lendItem(win, FLOW_KEY_ITEM, ready.key, () => openPopup(ready.url, size, win));
}

/** Sends an open popup on to `url` (replacing its about:blank entry). */
export function navigatePopup(popup: Window, url: string): void {
  noteSent(popup);
  try {
    popup.location.replace(url);
  } catch {
    popup.location.href = url;
  }
}

export function isClosed(popup: Window | null | undefined): boolean {
  try {
    return !popup || popup.closed;
  } catch {
    return true;
  }
}
