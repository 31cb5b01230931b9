/** Opening, steering and closing the popup window. Nothing here awaits. */

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
  return popup;
}

/**
 * Writes the per-flow key into the `about:blank` popup's sessionStorage (same origin as us until it
 * navigates). The tab keeps it when it comes back to our origin, so its callback page can prove which
 * flow it belongs to. False when storage is blocked: then only `state` and the window binding count.
 */
export function giveKey(popup: Window, item: string, key: string): boolean {
  try {
    popup.sessionStorage.setItem(item, key);
    return true;
  } catch {
    return false;
  }
}

/** Sends an open popup on to `url` (replacing its about:blank entry). */
export function navigatePopup(popup: Window, url: string): void {
  try {
    popup.location.replace(url);
  } catch {
    popup.location.href = url;
  }
}

export function closePopup(popup: Window | null | undefined): void {
  try {
    if (popup && !popup.closed) popup.close();
  } catch {
    // a severed or cross-origin handle may refuse; nothing more we can do from here
  }
}

export function isClosed(popup: Window | null | undefined): boolean {
  try {
    return !popup || popup.closed;
  } catch {
    return true;
  }
}
