import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, nativeTheme, protocol, session } from 'electron';
import { startEngineHost, type EngineHost } from '../../engine/host/engine-host';
import { createLogger } from '../../engine/log/logger';
import {
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  choosePage,
  serveAppRequest,
} from './policy/app-protocol';
import { contentSecurityPolicy } from './policy/csp';
import {
  createWindowStateSaver,
  loadWindowState,
  type WindowState,
  type WindowStateSaver,
} from './policy/window-state';
import { createElectronDesktop } from './desktop';
import { forkUtilityEngine } from './engine-process';
import { createWindowEventSink, registerIpc } from './ipc';
import { installAppMenu } from './menu';
import { createSafeStorageSecretStore } from './secret-store';
import { createMainWindow, guardSession, type WindowPaths } from './window';

// The built page, served as app://scim-porter/… from this folder (inside the asar when packaged).
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const paths: WindowPaths = {
  preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
  // electron-vite sets ELECTRON_RENDERER_URL under `electron-vite dev`; a packaged app ignores it.
  ...choosePage({
    isPackaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
  }),
};
// The engine runs in its own process (a utilityProcess), so planning never blocks the window.
const engineEntry = fileURLToPath(new URL('./engine.js', import.meta.url));

let mainWindow: BrowserWindow | undefined;
let engine: EngineHost | undefined;
let windowState: { saved: WindowState | undefined; saver: WindowStateSaver } | undefined;

function openWindow(): void {
  if (!windowState) return;
  // A window reopened later (macOS dock click) comes back where the last one was.
  mainWindow = createMainWindow(paths, {
    saved: windowState.saver.latest() ?? windowState.saved,
    saver: windowState.saver,
  });
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  const logger = createLogger({ level: 'info', sink: process.stderr });
  const emit = createWindowEventSink(() => mainWindow);
  engine = startEngineHost({
    spawn: () => forkUtilityEngine(engineEntry),
    start: {
      dataDir,
      // The page may only name files the admin chose in a dialog or dropped on the window.
      fileAccess: 'chosen',
      sandbox: { enabled: true },
      logLevel: 'info',
    },
    ports: {
      desktop: createElectronDesktop(() => mainWindow),
      secrets: await createSafeStorageSecretStore(dataDir),
    },
    emit,
    logger,
  });
  await engine.ready();
  const csp = contentSecurityPolicy();
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, rendererDir, csp));
  guardSession(session.defaultSession, paths);
  registerIpc(
    ipcMain,
    engine,
    (event) => mainWindow !== undefined && event.sender === mainWindow.webContents,
    paths.pageUrl,
    (path) => {
      engine?.grant(path);
    },
  );
  // The renderer follows prefers-color-scheme, which follows the OS while this is 'system'.
  nativeTheme.themeSource = 'system';
  installAppMenu(emit);
  windowState = {
    saved: await loadWindowState(dataDir),
    saver: createWindowStateSaver({
      dataDir,
      onError: (e) => {
        logger.log('warn', 'could not save the window size and position', {
          error: e instanceof Error ? e.message : String(e),
        });
      },
    }),
  };
  openWindow();
}

// Every renderer sandboxed, including any we never meant to create (must precede 'ready').
app.enableSandbox();
// app:// behaves like https for the page ('self', fetch, modules); must also precede 'ready'.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  // Guards for any webContents, including ones we never meant to create.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => {
      e.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !engine) return;
    // Let the engine process stop the sandbox and flush state before the app goes away.
    event.preventDefault();
    disposed = true;
    void Promise.allSettled([engine.dispose(), windowState?.saver.flush()]).then(() => {
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      process.stderr.write(
        `SCIM Porter failed to start: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      app.exit(1);
    });
}
