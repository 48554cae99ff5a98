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
