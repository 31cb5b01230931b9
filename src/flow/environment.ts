/**
 * Heuristics for in-app browsers and webviews, where popups are unreliable and a full-page
 * redirect is the better fallback.
 */
const WEBVIEW_PATTERNS = [
  /; wv\)/i, // Android WebView
  /\bFBA[NV]\//, // Facebook
  /\bInstagram\b/,
  /\bLine\//,
  /\bTwitter\b/i,
  /\bLinkedInApp\b/i,
  /\bMicroMessenger\b/i,
];

export function isEmbeddedBrowser(userAgent: string): boolean {
  if (WEBVIEW_PATTERNS.some((p) => p.test(userAgent))) return true;
  // iOS WKWebView: AppleWebKit + Mobile but no "Safari/" token
  return (
    /\b(iPhone|iPad|iPod)\b/.test(userAgent) &&
    /AppleWebKit/.test(userAgent) &&
    !/Safari\//.test(userAgent)
  );
}
