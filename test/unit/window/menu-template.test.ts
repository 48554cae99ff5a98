import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../../../shared/ipc/contract';
import {
  aboutPanel,
  buildMenuTemplate,
  commandItems,
  NAVIGATION,
  roles,
  type MenuContext,
  type MenuItemSpec,
} from '../../../electron/main/policy/menu-template';

const base: MenuContext = {
  platform: 'linux',
  isPackaged: true,
  appName: 'SCIM Porter',
  version: '1.2.3',
};
const platforms = ['darwin', 'win32', 'linux'] as const;

function labels(menus: readonly MenuItemSpec[]): string[] {
  return menus.map((m) => ('label' in m ? (m.label ?? '').replace('&', '') : '?'));
}

describe('buildMenuTemplate', () => {
  it.each(platforms)('sends every menu command exactly once on %s', (platform) => {
    const items = commandItems(buildMenuTemplate({ ...base, platform }));
    expect(items.map((i) => i.command).sort()).toEqual([...MENU_COMMANDS].sort());
  });

  it.each(platforms)('puts the five screens on Ctrl/Cmd+1…5 in the View menu on %s', (platform) => {
    const menus = buildMenuTemplate({ ...base, platform });
    const view = menus.find((m) => m.label.replace('&', '') === 'View');
    expect(view).toBeDefined();
    const nav = commandItems(view?.submenu ?? []).filter((i) => i.command.startsWith('go-'));
    expect(nav).toEqual([
      { label: 'Connections', accelerator: 'CmdOrCtrl+1', command: 'go-connections' },
      { label: 'Import', accelerator: 'CmdOrCtrl+2', command: 'go-import' },
      { label: 'Export', accelerator: 'CmdOrCtrl+3', command: 'go-export' },
      { label: 'Sweep', accelerator: 'CmdOrCtrl+4', command: 'go-sweep' },
      { label: 'Runs', accelerator: 'CmdOrCtrl+5', command: 'go-runs' },
    ]);
  });

  it('matches the sidebar order and shortcuts (NAVIGATION)', () => {
    expect(NAVIGATION.map((n) => n.accelerator)).toEqual(
      [1, 2, 3, 4, 5].map((d) => `CmdOrCtrl+${d}`),
    );
  });

  it('offers Open CSV… on Ctrl/Cmd+O in the File menu', () => {
    const file = buildMenuTemplate(base).find((m) => m.label === '&File');
    expect(commandItems(file?.submenu ?? [])).toEqual([
      { label: 'Open CSV…', accelerator: 'CmdOrCtrl+O', command: 'open-csv' },
    ]);
  });

  it('uses no accelerator twice', () => {
    for (const platform of platforms) {
      const accelerators = commandItems(buildMenuTemplate({ ...base, platform })).map(
        (i) => i.accelerator,
      );
      expect(new Set(accelerators).size).toBe(accelerators.length);
    }
  });

  it('follows the macOS convention: app menu first with About, Hide and Quit', () => {
    const menus = buildMenuTemplate({ ...base, platform: 'darwin' });
    expect(labels(menus)).toEqual(['SCIM Porter', 'File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles([menus[0]!])).toEqual([
      'about',
      'services',
      'hide',
      'hideOthers',
      'unhide',
      'quit',
    ]);
    // File closes the window rather than quitting; Help does not repeat About.
    expect(roles([menus[1]!])).toEqual(['close']);
    expect(roles([menus[5]!])).toEqual(['help']);
    expect(menus[5]!.submenu).toEqual([{ label: 'SCIM Porter 1.2.3', enabled: false }]);
    expect(roles(menus)).toContain('front');
    expect(roles(menus)).toContain('pasteAndMatchStyle');
  });

  it.each(['win32', 'linux'] as const)('puts Quit in File and About in Help on %s', (platform) => {
    const menus = buildMenuTemplate({ ...base, platform });
    expect(labels(menus)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles([menus[0]!])).toEqual(['quit']);
    expect(roles([menus[4]!])).toEqual(['help', 'about']);
    expect(roles(menus)).not.toContain('services');
  });

  it('labels Quit "Exit" on Windows', () => {
    const file = buildMenuTemplate({ ...base, platform: 'win32' })[0]!;
    expect(file.submenu.at(-1)).toEqual({ role: 'quit', label: 'E&xit' });
  });

  it.each(platforms)('has an Edit menu on %s so copy and paste work in text fields', (platform) => {
    const edit = buildMenuTemplate({ ...base, platform }).find(
      (m) => m.label.replace('&', '') === 'Edit',
    );
    expect(roles(edit?.submenu ?? [])).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']),
    );
  });

  it('shows zoom and full screen always, reload and developer tools only when not packaged', () => {
    const always = ['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen'];
    const dev = ['reload', 'forceReload', 'toggleDevTools'];
    for (const platform of platforms) {
      const packaged = roles(buildMenuTemplate({ ...base, platform, isPackaged: true }));
      const unpackaged = roles(buildMenuTemplate({ ...base, platform, isPackaged: false }));
      expect(packaged).toEqual(expect.arrayContaining(always));
      for (const r of dev) expect(packaged).not.toContain(r);
      expect(unpackaged).toEqual(expect.arrayContaining([...always, ...dev]));
    }
  });

  it('never has two separators in a row, nor one at either end of a menu', () => {
    for (const platform of platforms) {
      for (const isPackaged of [true, false]) {
        for (const menu of buildMenuTemplate({ ...base, platform, isPackaged })) {
          const kinds = menu.submenu.map((i) => ('type' in i ? 'sep' : 'item'));
          expect(kinds[0]).toBe('item');
          expect(kinds.at(-1)).toBe('item');
          expect(kinds.join(',')).not.toContain('sep,sep');
        }
      }
    }
  });
});

describe('aboutPanel', () => {
  it('names the app and its version', () => {
    expect(aboutPanel(base)).toMatchObject({
      applicationName: 'SCIM Porter',
      applicationVersion: '1.2.3',
    });
  });
});
