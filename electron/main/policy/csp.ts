/**
 * The renderer's Content-Security-Policy. The page talks to main only through the preload, so
 * it needs nothing beyond its own scripts and styles: no inline script, no eval, no remote
 * origins. `renderer/index.html` carries the same policy as a meta tag (minus directives that
 * only work as a header), so it also holds where no header is set (file: loads, the harness).
 */
export function contentSecurityPolicy(options: { devServerUrl?: string } = {}): string {
  const connect = ["'self'"];
  if (options.devServerUrl !== undefined) {
    // Vite's hot reload talks over a websocket to the dev server.
    const dev = new URL(options.devServerUrl);
    connect.push(`ws://${dev.host}`);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
