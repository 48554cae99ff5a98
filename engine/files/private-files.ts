import { chmod, mkdir } from 'node:fs/promises';

/**
 * Files the engine writes hold personal data (snapshots of the server, plans, reports, exports):
 * readable by the admin's own account only. Modes are ignored on Windows, where the profile
 * folder's ACL already keeps other users out.
 */
export const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `dir` (and missing parents) as 0700, and tightens it to 0700 if it already existed: only
 * for folders the engine owns inside the data folder (plans, snapshots, runs), never a folder the
 * admin chose.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (process.platform !== 'win32') await chmod(dir, PRIVATE_DIR_MODE);
}
