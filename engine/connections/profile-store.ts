import { join } from 'node:path';
import { z } from 'zod';
import { ConnectionProfileSchema, type ConnectionProfile } from '../../shared/connections/profile';
import { AppError } from '../../shared/errors/errors';
import { readJsonFile, writeFileAtomic } from '../files/atomic-file';

const FileSchema = z.object({ version: z.literal(1), profiles: z.array(ConnectionProfileSchema) });

/** File name of the saved profiles inside the data folder (no secrets in it). */
const CONNECTIONS_FILE = 'connections.json';

/** Reads and writes `connections.json`; writes are serialised and atomic. */
export function createProfileStore(dataDir: string) {
  const path = join(dataDir, CONNECTIONS_FILE);
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<ConnectionProfile[]> {
    const raw = await readJsonFile(path);
    if (raw === undefined) return [];
    const parsed = FileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError(
        'config',
        `The saved connections file ${path} is damaged and could not be read.`,
        {
          nextStep: 'Move the file aside and add the connections again.',
          raw: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'),
        },
      );
    }
    return parsed.data.profiles;
  }

  /** Runs `change` on the current list and saves the result, one change at a time. */
  function update<T>(
    change: (profiles: ConnectionProfile[]) => { profiles: ConnectionProfile[]; result: T },
  ): Promise<T> {
    const next = queue.then(async () => {
      const { profiles, result } = change(await read());
      await writeFileAtomic(path, JSON.stringify({ version: 1, profiles }, null, 2) + '\n');
      return result;
    });
    queue = next.catch(() => undefined);
    return next;
  }

  return { path, read, update };
}

export type ProfileStore = ReturnType<typeof createProfileStore>;
