import { join } from 'node:path';

/** The folder Electron's `app.getPath('userData')` uses for this app, so the CLI and the app share profiles. */
const APP_FOLDER_NAME = 'SCIM Porter';

/**
 * Resolves the data folder: `SCIM_PORTER_DATA_DIR` wins; otherwise the same place Electron puts
 * userData for an app named "SCIM Porter" on each platform.
 */
export function resolveDataDir(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  home: string,
): string {
  const explicit = env['SCIM_PORTER_DATA_DIR'];
  if (explicit) return explicit;
  if (platform === 'win32') {
    return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  }
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), APP_FOLDER_NAME);
}
