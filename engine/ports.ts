/**
 * What the shell (Electron main, the CLI, or a test) supplies to the engine. The engine never
 * imports electron; it receives these.
 */

/** Where secrets live: Electron safeStorage, environment variables (CLI), or memory (tests). */
export type SecretStore = {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Which backend is in use and whether it is actually secure (safeStorage may fall back to plain text). */
  describe(): { backend: string; secure: boolean; warning?: string };
};

/** Where engine events go (webContents.send in the app, stderr in the CLI, an array in tests). */
export type EventSink = (event: string, payload: unknown) => void;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
};

export type Clock = { now(): number };

/** Native dialog options the shell turns into Electron's showOpenDialog/showSaveDialog. */
export type FileDialogOptions = {
  title: string;
  filters: { name: string; extensions: string[] }[];
  defaultName?: string;
};

/**
 * The desktop around the window: native dialogs, the file manager, taskbar/dock progress and
 * notifications. Electron main supplies the real one; the e2e harness a scripted one.
 */
export type DesktopPort = {
  /** Resolves with the chosen path, or undefined when the admin cancelled. */
  openFile(options: FileDialogOptions): Promise<string | undefined>;
  saveFile(options: FileDialogOptions): Promise<string | undefined>;
  showInFolder(path: string): void;
  /** 0–1 for a determinate bar, -1 indeterminate… `null` removes it. */
  setProgress(fraction: number | null): void;
  /** A desktop notification (shown by the shell only while the window is not focused). */
  notify(title: string, body: string): void;
};

/** A desktop that does nothing: the CLI and tests that have no window. */
export const NO_DESKTOP: DesktopPort = {
  openFile: () => Promise.resolve(undefined),
  saveFile: () => Promise.resolve(undefined),
  showInFolder: () => undefined,
  setProgress: () => undefined,
  notify: () => undefined,
};
