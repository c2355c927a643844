/**
 * Which frames may call the API: only the top frame of our own renderer — the dev server in
 * development, the packaged index.html otherwise. An iframe or a page that somehow navigated away is
 * refused, even though navigation is already blocked in window.ts.
 */
export function isTrustedRendererUrl(frameUrl: string | undefined, rendererUrl: string): boolean {
  if (!frameUrl) return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return frame.protocol === 'file:' && frame.pathname === app.pathname;
  return frame.origin === app.origin;
}
