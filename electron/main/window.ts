import { BrowserWindow, type Session } from 'electron';
import { contentSecurityPolicy } from '../engine/security/csp';
import {
  isAllowedNavigation,
  isPermissionAllowed,
  windowOpenDecision,
} from '../engine/security/navigation';

export type WindowPaths = {
  /** Absolute path of the built preload (`out/preload/index.cjs`). */
  preload: string;
  /** What the window shows: the built index.html as a file: URL, or the dev-server URL. */
  pageUrl: string;
  /** Set in development only. */
  devServerUrl?: string;
};

/** Session-wide guards: CSP header and permission decisions (all decided by pure functions). */
export function guardSession(session: Session, paths: WindowPaths): void {
  const csp = contentSecurityPolicy(
    paths.devServerUrl !== undefined ? { devServerUrl: paths.devServerUrl } : {},
  );
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    });
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, paths.pageUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, paths.pageUrl),
  );
}

/** Creates the app window with Electron's hardened defaults spelled out and every guard on. */
export function createMainWindow(paths: WindowPaths): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'SCIM Porter',
    backgroundColor: '#f7f8fa',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, paths.pageUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, paths.pageUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => windowOpenDecision());
  win.once('ready-to-show', () => {
    win.show();
  });
  void win.loadURL(paths.pageUrl);
  return win;
}
