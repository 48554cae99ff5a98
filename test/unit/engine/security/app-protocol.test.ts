import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_PAGE_URL,
  appRequestPath,
  choosePage,
  serveAppRequest,
} from '../../../../electron/main/policy/app-protocol';
import { isPermissionAllowed } from '../../../../electron/main/policy/navigation';
import { isOwnPage } from '../../../../electron/main/policy/own-page';
import { isTrustedSender } from '../../../../electron/main/policy/sender';
import { permissionDecision } from '../../../../electron/main/policy/permissions';

let root: string;
let renderer: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scim-porter-app-'));
  renderer = join(root, 'renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<div id="root"></div>');
  await writeFile(join(renderer, 'assets', 'a.js'), 'export {};');
  await writeFile(join(root, 'secret.txt'), 'not for the page');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('which page the window loads', () => {
  it('a packaged app ignores ELECTRON_RENDERER_URL and loads app://scim-porter/index.html', () => {
    expect(choosePage({ isPackaged: true, devServerUrl: 'http://evil.example/' })).toEqual({
      pageUrl: APP_PAGE_URL,
    });
    expect(choosePage({ isPackaged: false, devServerUrl: undefined })).toEqual({
      pageUrl: 'app://scim-porter/index.html',
    });
  });
  it('only an unpackaged app (electron-vite dev) follows the dev server', () => {
    expect(choosePage({ isPackaged: false, devServerUrl: 'http://localhost:5173/' })).toEqual({
      pageUrl: 'http://localhost:5173/',
      devServerUrl: 'http://localhost:5173/',
    });
  });
});

describe('app:// serves the renderer folder and nothing else', () => {
  it('maps app URLs into the folder', () => {
    expect(appRequestPath('app://scim-porter/index.html', renderer)).toBe(
      join(renderer, 'index.html'),
    );
    expect(appRequestPath('app://scim-porter/', renderer)).toBe(join(renderer, 'index.html'));
    expect(appRequestPath('app://scim-porter/assets/a.js?v=1#x', renderer)).toBe(
      join(renderer, 'assets', 'a.js'),
    );
  });
  it.each([
    'app://scim-porter/..%2fsecret.txt',
    'app://scim-porter/assets/..%2f..%2fsecret.txt',
    'app://scim-porter/..%5csecret.txt',
    'app://scim-porter/a%00.js',
    'app://scim-porter/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s', async (url) => {
    expect(appRequestPath(url, renderer)).toBeUndefined();
    expect((await serveAppRequest(url, renderer, "default-src 'none'")).status).toBe(404);
  });
  it('a dot-dot the URL parser collapses stays inside the folder', async () => {
    expect(appRequestPath('app://scim-porter/%2e%2e/secret.txt', renderer)).toBe(
      join(renderer, 'secret.txt'),
    );
    expect(
      (await serveAppRequest('app://scim-porter/%2e%2e/secret.txt', renderer, '')).status,
    ).toBe(404);
  });
  it('answers with the content type and the CSP', async () => {
    const page = await serveAppRequest(APP_PAGE_URL, renderer, "default-src 'none'");
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(await page.text()).toBe('<div id="root"></div>');
    const js = await serveAppRequest('app://scim-porter/assets/a.js', renderer, '');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await serveAppRequest('app://scim-porter/missing.js', renderer, '')).status).toBe(404);
  });
});

describe('sender, navigation and permission checks on the app:// origin', () => {
  it('trust app://scim-porter pages only', () => {
    expect(isOwnPage('app://scim-porter/index.html#/runs', APP_PAGE_URL)).toBe(true);
    expect(isOwnPage('app://scim-porter/other.html', APP_PAGE_URL)).toBe(true);
    expect(isOwnPage('app://evil/index.html', APP_PAGE_URL)).toBe(false);
    expect(isOwnPage('file:///opt/app/out/renderer/index.html', APP_PAGE_URL)).toBe(false);
    expect(isOwnPage('https://scim-porter/index.html', APP_PAGE_URL)).toBe(false);
    const sender = { frameUrl: APP_PAGE_URL, isTopFrame: true, isOurWindow: true };
    expect(isTrustedSender(sender, APP_PAGE_URL)).toBe(true);
    expect(isTrustedSender({ ...sender, frameUrl: 'app://evil/' }, APP_PAGE_URL)).toBe(false);
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_PAGE_URL, APP_PAGE_URL)).toBe(true);
    expect(
      permissionDecision(
        {
          permission: 'clipboard-sanitized-write',
          requestingUrl: undefined,
          requestingOrigin: 'app://scim-porter',
          isMainFrame: true,
        },
        APP_PAGE_URL,
      ),
    ).toBe(true);
  });
});
