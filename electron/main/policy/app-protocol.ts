import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The window's own origin. The page is served from the app's `out/renderer` folder (inside the
 * asar when packaged) over this custom scheme rather than `file://`: a file: page shares its
 * "origin" with every file on disk, while `app://scim-porter` is an origin of its own that the
 * sender, navigation and permission checks can name exactly. Registered privileged (standard,
 * secure) before the app is ready, so `'self'` in the CSP, fetch and ES modules work as on https.
 */
export const APP_SCHEME = 'app';
const APP_HOST = 'scim-porter';
const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** What `protocol.registerSchemesAsPrivileged` is given (before 'ready'). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/**
 * Which page the window loads. `ELECTRON_RENDERER_URL` (electron-vite's dev server) counts only
 * when the app is not packaged: a packaged app always shows its own page, whatever the environment
 * says, so a variable set by another program cannot point the window (and its preload) elsewhere.
 */
export function choosePage(options: { isPackaged: boolean; devServerUrl: string | undefined }): {
  pageUrl: string;
  devServerUrl?: string;
} {
  if (!options.isPackaged && options.devServerUrl !== undefined && options.devServerUrl !== '') {
    return { pageUrl: options.devServerUrl, devServerUrl: options.devServerUrl };
  }
  return { pageUrl: APP_PAGE_URL };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file inside `rendererDir` an `app://` request names, or undefined: another host, a path that
 * climbs out of the folder (`..`, encoded or not), a NUL byte, or a URL that does not parse.
 */
export function appRequestPath(url: string, rendererDir: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    return undefined;
  }
  return file;
}

/**
 * Answers one `app://` request: the file with its content type and the app's CSP, or 404. The
 * shell passes this to `protocol.handle`; nothing outside `rendererDir` is ever read.
 */
export async function serveAppRequest(
  url: string,
  rendererDir: string,
  csp: string,
): Promise<Response> {
  const file = appRequestPath(url, rendererDir);
  if (file === undefined) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
