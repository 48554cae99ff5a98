import { BrowserWindow, nativeTheme, screen, type Rectangle, type Session } from 'electron';
import { contentSecurityPolicy } from './policy/csp';
import { isAllowedNavigation, windowOpenDecision } from './policy/navigation';
import { permissionDecision } from './policy/permissions';
import { windowBackground } from './policy/theme';
import {
  fitWindowState,
  MIN_SIZE,
  type WindowState,
  type WindowStateSaver,
} from './policy/window-state';

export type WindowPaths = {
  /** Absolute path of the built preload (`out/preload/index.cjs`). */
  preload: string;
  /** What the window shows: `app://scim-porter/index.html`, or the dev-server URL (unpackaged only). */
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
    callback(
      permissionDecision(
        { permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame },
        paths.pageUrl,
      ),
    );
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionDecision(
      {
        permission,
        requestingUrl: details.requestingUrl,
        requestingOrigin,
        isMainFrame: details.isMainFrame,
      },
      paths.pageUrl,
    ),
  );
  // WebHID / Web Serial / WebUSB devices: never.
  session.setDevicePermissionHandler(() => false);
}

/** The work areas of the connected displays, primary first (call after `app` is ready). */
function displayWorkAreas(): Rectangle[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map(
    (d) => d.workArea,
  );
}

function captureState(win: BrowserWindow): WindowState {
  const { x, y, width, height } = win.getNormalBounds();
  return { x, y, width, height, maximized: win.isMaximized() };
}

/**
 * Creates the app window with Electron's hardened defaults spelled out and every guard on, at the
 * remembered size and position (fitted to today's displays), and keeps that memory up to date.
 */
export function createMainWindow(
  paths: WindowPaths,
  memory: { saved: WindowState | undefined; saver: WindowStateSaver },
): BrowserWindow {
  const state = fitWindowState(memory.saved, displayWorkAreas());
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'SCIM Porter',
    // The page's own background, so there is no white flash before its CSS loads.
    backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors),
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

  const onThemeUpdated = (): void => {
    if (!win.isDestroyed())
      win.setBackgroundColor(windowBackground(nativeTheme.shouldUseDarkColors));
  };
  nativeTheme.on('updated', onThemeUpdated);

  const remember = (): void => {
    if (!win.isDestroyed()) memory.saver.schedule(captureState(win));
  };
  win.on('resize', remember);
  win.on('move', remember);
  win.on('maximize', remember);
  win.on('unmaximize', remember);
  win.on('close', () => {
    void memory.saver.flush(captureState(win));
  });
  win.on('closed', () => {
    nativeTheme.removeListener('updated', onThemeUpdated);
  });

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(paths.pageUrl);
  return win;
}
