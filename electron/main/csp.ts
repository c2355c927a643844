/**
 * The renderer's Content-Security-Policy. Scripts only from the app itself; images only from the app
 * and the `facet:` media protocol; no network at all (Facet is local-first). Vite's dev server needs a
 * websocket for hot reload, so development adds exactly that origin.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  const connect = dev ? `'self' ws://${dev.host}` : `'self'`;
  return [
    `default-src 'none'`,
    `script-src 'self'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' facet: data:`,
    `font-src 'self'`,
    `connect-src ${connect}`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
    `object-src 'none'`,
  ].join('; ');
}
