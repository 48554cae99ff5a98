/**
 * The application menu as data: labels, accelerators, roles and the `app:menu` command each item
 * sends. `electron/main/menu.ts` only turns this into `Menu.buildFromTemplate`, replacing every
 * `command` with a click handler that sends `app:menu { command }` to the window.
 */
import type { MENU_COMMANDS } from '../../../shared/ipc/contract';

export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Electron menu roles this app uses (all exist in Electron's `MenuItemConstructorOptions`). */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front'
  | 'window'
  | 'help';

export type MenuItemSpec =
  /** Sends `app:menu { command }` to the window. */
  | { label: string; accelerator?: string; command: MenuCommand }
  /** A built-in Electron behaviour (Electron supplies label and accelerator unless given). */
  | { role: MenuRole; label?: string; accelerator?: string }
  | { type: 'separator' }
  /** Shown greyed out, for information only (e.g. the version in Help on macOS). */
  | { label: string; enabled: false }
  | MenuSpec;

export type MenuSpec = { label: string; role?: MenuRole; submenu: MenuItemSpec[] };

export type MenuContext = {
  /** `process.platform`. */
  platform: NodeJS.Platform;
  /** `app.isPackaged`: reload and developer tools only appear when false. */
  isPackaged: boolean;
  /** `app.name` (the macOS app menu's title). */
  appName: string;
  version: string;
};

/** The five screens, in the order (and with the Ctrl/Cmd+digit) the sidebar shows them. */
export const NAVIGATION: readonly { label: string; command: MenuCommand; accelerator: string }[] = [
  { label: 'Connections', command: 'go-connections', accelerator: 'CmdOrCtrl+1' },
  { label: 'Import', command: 'go-import', accelerator: 'CmdOrCtrl+2' },
  { label: 'Export', command: 'go-export', accelerator: 'CmdOrCtrl+3' },
  { label: 'Sweep', command: 'go-sweep', accelerator: 'CmdOrCtrl+4' },
  { label: 'Runs', command: 'go-runs', accelerator: 'CmdOrCtrl+5' },
];

const OPEN_CSV: { label: string; command: MenuCommand; accelerator: string } = {
  label: 'Open CSV…',
  command: 'open-csv',
  accelerator: 'CmdOrCtrl+O',
};

const SEPARATOR: MenuItemSpec = { type: 'separator' };

/**
 * The whole menu bar. macOS gets the app menu (About, Services, Hide, Quit) first and keeps the
 * window when the last one closes; Windows and Linux put Quit in File and About in Help.
 * An Edit menu is included everywhere: on macOS, without its roles Cmd+C/V/X/A do nothing in
 * text fields.
 */
export function buildMenuTemplate(ctx: MenuContext): MenuSpec[] {
  const mac = ctx.platform === 'darwin';
  const menus: MenuSpec[] = [];

  if (mac) {
    menus.push({
      label: ctx.appName,
      submenu: [
        { role: 'about', label: `About ${ctx.appName}` },
        SEPARATOR,
        { role: 'services' },
        SEPARATOR,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        SEPARATOR,
        { role: 'quit' },
      ],
    });
  }

  menus.push({
    label: mac ? 'File' : '&File',
    submenu: [
      { label: OPEN_CSV.label, accelerator: OPEN_CSV.accelerator, command: OPEN_CSV.command },
      SEPARATOR,
      mac
        ? { role: 'close' }
        : { role: 'quit', label: ctx.platform === 'win32' ? 'E&xit' : '&Quit' },
    ],
  });

  menus.push({
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      SEPARATOR,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      SEPARATOR,
      { role: 'selectAll' },
    ],
  });

  const developer: MenuItemSpec[] = ctx.isPackaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, SEPARATOR];
  menus.push({
    label: mac ? 'View' : '&View',
    submenu: [
      ...NAVIGATION.map((n) => ({
        label: n.label,
        accelerator: n.accelerator,
        command: n.command,
      })),
      SEPARATOR,
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      SEPARATOR,
      { role: 'togglefullscreen' },
    ],
  });

  menus.push({
    label: mac ? 'Window' : '&Window',
    role: 'window',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, SEPARATOR, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });

  menus.push({
    label: mac ? 'Help' : '&Help',
    role: 'help',
    submenu: mac
      ? // About lives in the app menu on macOS; Help still shows which version this is.
        [{ label: `${ctx.appName} ${ctx.version}`, enabled: false }]
      : [{ role: 'about', label: `&About ${ctx.appName}` }],
  });

  return menus;
}

/** What `app.setAboutPanelOptions` shows for the About item (native panel or message box). */
export function aboutPanel(ctx: Pick<MenuContext, 'appName' | 'version'>): {
  applicationName: string;
  applicationVersion: string;
  version: string;
  copyright: string;
} {
  return {
    applicationName: ctx.appName,
    applicationVersion: ctx.version,
    // macOS shows `version` in brackets after applicationVersion; the build number is the same.
    version: ctx.version,
    copyright: 'Moves people in and out of any SCIM 2.0 service provider.',
  };
}

/** Every item that sends a command, flattened (for tests and checks). */
export function commandItems(
  menus: readonly MenuItemSpec[],
): { label: string; accelerator?: string; command: MenuCommand }[] {
  const out: { label: string; accelerator?: string; command: MenuCommand }[] = [];
  for (const item of menus) {
    if ('submenu' in item) out.push(...commandItems(item.submenu));
    else if ('command' in item) out.push(item);
  }
  return out;
}

/** Every role used, flattened (for tests and checks). */
export function roles(menus: readonly MenuItemSpec[]): MenuRole[] {
  const out: MenuRole[] = [];
  for (const item of menus) {
    if ('role' in item && item.role !== undefined) out.push(item.role);
    if ('submenu' in item) out.push(...roles(item.submenu));
  }
  return out;
}
