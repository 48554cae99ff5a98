import type { DesktopPort, FileDialogOptions } from '../../engine/ports';

/**
 * The e2e stand-in for native dialogs and the taskbar: tests queue the path the admin "picks"
 * (or `undefined` for Cancel) and read back what the app asked the desktop to do.
 */
export type ScriptedDesktop = DesktopPort & {
  /** The next open dialog answers with this path. */
  willOpen(path: string | undefined): void;
  /** The next save dialog answers with this path. */
  willSave(path: string | undefined): void;
  dialogs: { kind: 'open' | 'save'; options: FileDialogOptions }[];
  shown: string[];
  progress: (number | null)[];
  notifications: { title: string; body: string }[];
};

export function createScriptedDesktop(): ScriptedDesktop {
  const opens: (string | undefined)[] = [];
  const saves: (string | undefined)[] = [];
  const desktop: ScriptedDesktop = {
    dialogs: [],
    shown: [],
    progress: [],
    notifications: [],
    willOpen: (path) => opens.push(path),
    willSave: (path) => saves.push(path),
    openFile(options) {
      desktop.dialogs.push({ kind: 'open', options });
      return Promise.resolve(opens.shift());
    },
    saveFile(options) {
      desktop.dialogs.push({ kind: 'save', options });
      return Promise.resolve(saves.shift());
    },
    showInFolder(path) {
      desktop.shown.push(path);
    },
    setProgress(fraction) {
      desktop.progress.push(fraction);
    },
    notify(title, body) {
      desktop.notifications.push({ title, body });
    },
  };
  return desktop;
}
