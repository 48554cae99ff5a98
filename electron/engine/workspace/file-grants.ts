import { resolve } from 'node:path';
import { AppError } from '../../../shared/errors/errors';

/**
 * Which files the renderer may name. In the app (`chosen`), only paths the admin picked in a
 * native dialog or dropped on the window (the preload reports those, the page cannot) are read or
 * written, so a compromised page cannot use the engine to read ~/.ssh or overwrite a file. The CLI
 * and tests that have no dialogs use `any`.
 */
export type FileGrants = {
  grant(path: string): void;
  /** Throws unless the path was chosen by the admin (always passes in `any` mode). */
  check(path: string): string;
};

export function createFileGrants(mode: 'any' | 'chosen'): FileGrants {
  const granted = new Set<string>();
  return {
    grant(path) {
      granted.add(resolve(path));
    },
    check(path) {
      const full = resolve(path);
      if (mode === 'chosen' && !granted.has(full)) {
        throw new AppError(
          'invalid_request',
          'SCIM Porter only opens and writes files you choose in a file dialog or drop on the window.',
          { nextStep: 'Choose the file again with the Open… or Save… button.' },
        );
      }
      return full;
    },
  };
}
