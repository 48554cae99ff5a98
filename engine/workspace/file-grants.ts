import { resolve } from 'node:path';
import { AppError } from '../../shared/errors/errors';

/** What a grant allows: reading a file the admin opened, or writing where the admin saved. */
export type FileAccess = 'read' | 'write';

/**
 * Which files the renderer may name, and for what. In the app (`chosen`), only paths the admin
 * picked in a native dialog or dropped on the window (the preload reports those, the page cannot)
 * are used, and only for the purpose of that choice: a file opened (or dropped) may be read, never
 * overwritten; a save destination may be written, never read back. So a compromised page can
 * neither read ~/.ssh nor overwrite the CSV it was given. The CLI and tests without dialogs use
 * `any`.
 */
export type FileGrants = {
  grant(path: string, access: FileAccess): void;
  /** Throws unless the path was granted for `access` (always passes in `any` mode). */
  check(path: string, access: FileAccess): string;
  /** True when the path was granted for any purpose (e.g. to reveal it in the file manager). */
  isGranted(path: string): boolean;
};

const REFUSED: Record<FileAccess, { message: string; nextStep: string }> = {
  read: {
    message:
      'SCIM Porter only reads files you open in a file dialog or drop on the window, and this file was not opened that way.',
    nextStep: 'Open the file again with the Open… button, or drop it on the window.',
  },
  write: {
    message:
      'SCIM Porter only writes where you choose in a Save dialog, and this file was not chosen as a place to save.',
    nextStep: 'Choose where to save with the Save… button.',
  },
};

export function createFileGrants(mode: 'any' | 'chosen'): FileGrants {
  const granted = new Map<string, Set<FileAccess>>();
  return {
    grant(path, access) {
      const full = resolve(path);
      const set = granted.get(full) ?? new Set<FileAccess>();
      set.add(access);
      granted.set(full, set);
    },
    check(path, access) {
      const full = resolve(path);
      if (mode === 'chosen' && granted.get(full)?.has(access) !== true) {
        const { message, nextStep } = REFUSED[access];
        throw new AppError('invalid_request', message, { nextStep });
      }
      return full;
    },
    isGranted(path) {
      return mode === 'any' || granted.has(resolve(path));
    },
  };
}
