import { dialog, Notification, shell, type BrowserWindow } from 'electron';
import type { DesktopPort } from '../../engine/ports';
import { taskbarProgressValue } from './policy/taskbar';

/** The engine's DesktopPort on Electron: native dialogs, taskbar/dock progress, notifications. */
export function createElectronDesktop(getWindow: () => BrowserWindow | undefined): DesktopPort {
  return {
    async openFile(options) {
      const win = getWindow();
      const props: 'openFile'[] = ['openFile'];
      const result = win
        ? await dialog.showOpenDialog(win, {
            title: options.title,
            filters: options.filters,
            properties: props,
          })
        : await dialog.showOpenDialog({
            title: options.title,
            filters: options.filters,
            properties: props,
          });
      return result.canceled ? undefined : result.filePaths[0];
    },
    async saveFile(options) {
      const win = getWindow();
      const base = {
        title: options.title,
        filters: options.filters,
        ...(options.defaultName !== undefined ? { defaultPath: options.defaultName } : {}),
      };
      const result = win
        ? await dialog.showSaveDialog(win, base)
        : await dialog.showSaveDialog(base);
      return result.canceled ? undefined : result.filePath;
    },
    showInFolder(path) {
      shell.showItemInFolder(path);
    },
    setProgress(fraction) {
      const win = getWindow();
      if (win && !win.isDestroyed()) win.setProgressBar(taskbarProgressValue(fraction));
    },
    notify(title, body) {
      const win = getWindow();
      // Only when the admin is looking elsewhere; the window shows the outcome itself.
      if (win?.isFocused() || !Notification.isSupported()) return;
      new Notification({ title, body }).show();
    },
  };
}
