/**
 * "Is this URL our own renderer page?" — the question behind sender checks and navigation
 * guards. `appPageUrl` is what the window loads: `app://scim-porter/index.html` (served from the
 * built renderer folder), or the dev-server URL in development (`file:` pages are still understood
 * for the harness).
 */
export function isOwnPage(url: string, appPageUrl: string): boolean {
  const target = parse(url);
  const app = parse(appPageUrl);
  if (!target || !app) return false;
  if (app.protocol === 'file:') {
    // file: URLs have an opaque origin; only the exact page we load counts (not its folder).
    return target.protocol === 'file:' && samePath(target.pathname, app.pathname);
  }
  if (app.protocol === 'app:') {
    // Our privileged scheme (app-protocol.ts): the whole origin is the app's own folder.
    return target.protocol === 'app:' && target.host === app.host && app.host !== '';
  }
  if (app.protocol !== 'http:' && app.protocol !== 'https:') return false;
  return target.origin === app.origin;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function samePath(a: string, b: string): boolean {
  // Windows drive letters may differ in case between what we load and what Chromium reports.
  return decodeURIComponent(a).toLowerCase() === decodeURIComponent(b).toLowerCase();
}
