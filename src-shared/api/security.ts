/**
 * The Content-Security-Policy every host sends with the renderer, as a response header, and that
 * src-renderer/index.html carries in its meta tag (a test keeps the two identical).
 *
 * Why each source: Monaco needs inline styles (decorations and squiggles vanish without 'unsafe-inline');
 * Vite emits worker files, so workers are 'self' (blob: is kept for Monaco's fallback path); codicon.ttf is a
 * bundled font; `connect-src 'self'` covers the same-origin `ws://…/bridge` socket in browser mode.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
