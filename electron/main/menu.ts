import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import {
  aboutPanel,
  buildMenuTemplate,
  type MenuItemSpec,
  type MenuRole,
} from './policy/menu-template';
import type { EventSink } from '../../engine/ports';

// Compile-time proof that every role the engine names is an Electron role.
type ElectronRole = NonNullable<MenuItemConstructorOptions['role']>;
const asRole = (role: MenuRole): ElectronRole => role;

function toElectron(item: MenuItemSpec, emit: EventSink): MenuItemConstructorOptions {
  if ('submenu' in item) {
    return {
      label: item.label,
      ...(item.role !== undefined ? { role: asRole(item.role) } : {}),
      submenu: item.submenu.map((i) => toElectron(i, emit)),
    };
  }
  if ('command' in item) {
    const { command } = item;
    return {
      label: item.label,
      ...(item.accelerator !== undefined ? { accelerator: item.accelerator } : {}),
      click: () => {
        emit('app:menu', { command });
      },
    };
  }
  if ('role' in item) return { ...item, role: asRole(item.role) };
  if ('type' in item) return { type: 'separator' };
  return { label: item.label, enabled: false };
}

/** Installs the application menu; its commands reach the window through `emit` ('app:menu'). */
export function installAppMenu(emit: EventSink): void {
  const ctx = {
    platform: process.platform,
    isPackaged: app.isPackaged,
    appName: app.name,
    version: app.getVersion(),
  };
  app.setAboutPanelOptions(aboutPanel(ctx));
  const template = buildMenuTemplate(ctx).map((m) => toElectron(m, emit));
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
