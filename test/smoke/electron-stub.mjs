// A recording stand-in for the parts of Electron that electron/main uses. It decides nothing:
// it records what main asked for on globalThis.__electronStub so boot-main.mjs can check it.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userData = mkdtempSync(join(tmpdir(), 'scim-porter-smoke-'));

const stub = {
  userData,
  calls: [],
  windows: [],
  handlers: new Map(),
  session: { headers: undefined, permissionRequest: undefined, permissionCheck: undefined },
  /** What Menu.setApplicationMenu received: the template given to Menu.buildFromTemplate. */
  menuTemplate: undefined,
  aboutPanel: undefined,
  /** Every utility process main forked, oldest first (each a real Node child process). */
  utilityProcesses: [],
  /** True once whenReady() resolved (privileged schemes must be registered before). */
  ready: false,
  /** protocol.registerSchemesAsPrivileged calls: the schemes, and whether the app was ready. */
  privilegedSchemes: [],
  /** protocol.handle handlers by scheme. */
  protocolHandlers: new Map(),
};
globalThis.__electronStub = stub;

class StubApp extends EventEmitter {
  name = 'SCIM Porter';
  // The smoke's second run plays a packaged app (which must ignore ELECTRON_RENDERER_URL).
  isPackaged = process.env.SMOKE_PACKAGED === '1';
  getVersion() {
    return '0.1.0';
  }
  setAboutPanelOptions(options) {
    stub.aboutPanel = options;
  }
  enableSandbox() {
    stub.calls.push(['enableSandbox']);
  }
  requestSingleInstanceLock() {
    stub.calls.push(['requestSingleInstanceLock']);
    return true;
  }
  whenReady() {
    return Promise.resolve().then(() => {
      stub.ready = true;
    });
  }
  getPath(name) {
    stub.calls.push(['getPath', name]);
    if (name !== 'userData') throw new Error(`stub: unexpected getPath(${name})`);
    return userData;
  }
  quit() {
    stub.calls.push(['quit']);
    this.emit('will-quit', { preventDefault() {} });
  }
  exit(code) {
    stub.calls.push(['exit', code]);
    stub.exited = code;
  }
}
export const app = new StubApp();

class StubWebContents extends EventEmitter {
  constructor() {
    super();
    this.sent = [];
    this.windowOpenHandler = undefined;
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  send(channel, payload) {
    this.sent.push([channel, payload]);
  }
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return stub.windows;
  }
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new StubWebContents();
    this.loaded = undefined;
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 80,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    this.maximized = false;
    this.destroyed = false;
    this.backgroundColor = options.backgroundColor;
    stub.windows.push(this);
    stub.calls.push(['BrowserWindow', options.webPreferences?.preload]);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) {
    this.loaded = url;
    stub.calls.push(['loadURL', url]);
    return Promise.resolve();
  }
  loadFile(path) {
    this.loaded = path;
    stub.calls.push(['loadFile', path]);
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  /** Test helper: what a user's drag or resize does (then Electron emits 'resize'/'move'). */
  setBounds(bounds) {
    this.bounds = { ...this.bounds, ...bounds };
  }
  isMaximized() {
    return this.maximized;
  }
  maximize() {
    this.maximized = true;
    this.emit('maximize');
  }
  setProgressBar(value) {
    stub.calls.push(['setProgressBar', value]);
  }
  setBackgroundColor(color) {
    this.backgroundColor = color;
  }
  close() {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    stub.windows.splice(stub.windows.indexOf(this), 1);
    this.emit('closed');
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {}
}

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    stub.privilegedSchemes.push({ schemes, beforeReady: !stub.ready });
  },
  handle(scheme, handler) {
    if (stub.protocolHandlers.has(scheme)) throw new Error(`stub: second handler for ${scheme}`);
    stub.protocolHandlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handle(channel, handler) {
    if (stub.handlers.has(channel)) throw new Error(`stub: second handler for ${channel}`);
    stub.handlers.set(channel, handler);
  },
};

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(handler) {
        stub.session.headers = handler;
      },
    },
    setPermissionRequestHandler(handler) {
      stub.session.permissionRequest = handler;
    },
    setPermissionCheckHandler(handler) {
      stub.session.permissionCheck = handler;
    },
    setDevicePermissionHandler(handler) {
      stub.session.devicePermission = handler;
    },
  },
};

// As on a Linux desktop with a keyring: encryption available through libsecret. The smoke's
// second run sets SMOKE_SAFE_STORAGE_BACKEND=basic_text: a desktop without one, where Electron
// still reports encryption as available but uses a hard-coded key.
const backend = process.env.SMOKE_SAFE_STORAGE_BACKEND ?? 'gnome_libsecret';
export const safeStorage = {
  isAsyncEncryptionAvailable: () => Promise.resolve(true),
  getSelectedStorageBackend: () => backend,
  encryptStringAsync: (plain) =>
    Promise.resolve(Buffer.from(`enc:${Buffer.from(plain, 'utf8').toString('base64')}`)),
  decryptStringAsync: (buf) =>
    Promise.resolve({
      result: Buffer.from(buf.toString().slice(4), 'base64').toString('utf8'),
      shouldReEncrypt: false,
    }),
};

// A utility process is a real separate process here too: the module (the built engine bundle)
// runs under plain Node — without the electron stub, so an `electron` import there would fail —
// with `process.parentPort` provided as Electron provides it.
class StubUtilityProcess extends EventEmitter {
  constructor(modulePath, args, options) {
    super();
    this.exitCode = undefined;
    this.child = fork(modulePath, args ?? [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--import', new URL('./utility-parent-port.mjs', import.meta.url).href],
      env: options?.env ?? process.env,
      ...(options?.cwd ? { cwd: options.cwd } : {}),
    });
    this.child.on('spawn', () => this.emit('spawn'));
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code, signal) => {
      this.exitCode = code ?? 128;
      this.signal = signal;
      this.emit('exit', this.exitCode);
    });
  }
  get pid() {
    return this.exitCode === undefined ? this.child.pid : undefined;
  }
  postMessage(message) {
    // Like Electron, a message to a process that has gone is dropped, not thrown.
    if (this.child.connected) this.child.send(message);
  }
  kill() {
    return this.child.kill();
  }
}
export const utilityProcess = {
  fork(modulePath, args, options) {
    stub.calls.push(['utilityProcess.fork', modulePath, options?.serviceName]);
    const child = new StubUtilityProcess(modulePath, args, options);
    stub.utilityProcesses.push(child);
    return child;
  },
};

export const Menu = {
  buildFromTemplate(template) {
    return { template };
  },
  setApplicationMenu(menu) {
    stub.menuTemplate = menu?.template;
  },
};

// Two displays, the primary one with a taskbar at the bottom.
const displays = [
  {
    id: 1,
    bounds: { x: 0, y: 0, width: 1920, height: 1080 },
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
  },
  {
    id: 2,
    bounds: { x: 1920, y: 0, width: 1280, height: 1024 },
    workArea: { x: 1920, y: 0, width: 1280, height: 1024 },
  },
];
export const screen = {
  getPrimaryDisplay: () => displays[0],
  getAllDisplays: () => displays,
};

class StubNativeTheme extends EventEmitter {
  themeSource = 'system';
  shouldUseDarkColors = true;
}
export const nativeTheme = new StubNativeTheme();

export const contextBridge = { exposeInMainWorld() {} };
export const ipcRenderer = { invoke() {}, on() {}, removeListener() {} };
export const webUtils = { getPathForFile: () => '' };
export const dialog = {
  showOpenDialog: (...args) => {
    stub.calls.push(['showOpenDialog', args.at(-1)?.title]);
    return Promise.resolve({ canceled: true, filePaths: [] });
  },
  showSaveDialog: (...args) => {
    stub.calls.push(['showSaveDialog', args.at(-1)?.title]);
    return Promise.resolve({ canceled: true });
  },
};
export const shell = { showItemInFolder: (p) => stub.calls.push(['showItemInFolder', p]) };
export class Notification {
  static isSupported() {
    return true;
  }
  constructor(options) {
    this.options = options;
  }
  show() {
    stub.calls.push(['notify', this.options.title]);
  }
}
export default {
  app,
  Menu,
  screen,
  nativeTheme,
  BrowserWindow,
  ipcMain,
  session,
  safeStorage,
  contextBridge,
  ipcRenderer,
  webUtils,
  dialog,
  shell,
  Notification,
  utilityProcess,
};
