/**
 * Saves the store as JSON Lines (a header line, then one record per line) and loads it back.
 * Saves are atomic (temp file + rename, so a crash never leaves half a file) and debounced.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from './attribute-resolver';
import type { SandboxStore, StoredRecord } from './store';

const FILE = 'sandbox.jsonl';
const FORMAT = 1;

/** One record line: short keys keep 100k-user files smaller. */
type PersistedLine = {
  t: StoredRecord['type'];
  i: string;
  s: number;
  c: string;
  m: string;
  r: number;
  d: Record<string, unknown>;
};

/** The data file inside `dataDir`. */
function dataFile(dataDir: string): string {
  return join(dataDir, FILE);
}

/** Writes every record to `dataDir` atomically. */
async function saveStore(store: SandboxStore, dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const target = dataFile(dataDir);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  const handle = await open(temp, 'w');
  try {
    let chunk = `${JSON.stringify({ format: FORMAT, revision: store.revision() })}\n`;
    for (const r of store.records()) {
      chunk += `${JSON.stringify({ t: r.type, i: r.id, s: r.seq, c: r.created, m: r.lastModified, r: r.rev, d: r.data })}\n`;
      if (chunk.length > 1 << 20) {
        await handle.write(chunk);
        chunk = '';
      }
    }
    await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Loads `dataDir` into an empty store. Returns false when there is no data file yet. */
export async function loadStore(store: SandboxStore, dataDir: string): Promise<boolean> {
  let buf: Buffer;
  try {
    buf = await readFile(dataFile(dataDir));
  } catch (e) {
    if (isRecord(e) && e.code === 'ENOENT') {
      return false;
    }
    throw e;
  }
  // Scan the bytes for newlines and decode one line at a time: for a 100 MB file this is about
  // three times faster than decoding the whole file to one string and splitting it.
  let start = 0;
  let first = true;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end === -1) {
      end = buf.length;
    }
    if (end > start) {
      const parsed: unknown = JSON.parse(buf.toString('utf8', start, end));
      if (first) {
        if (!isRecord(parsed) || parsed.format !== FORMAT) {
          throw new Error(`${dataFile(dataDir)} is not a sandbox data file this version can read.`);
        }
        first = false;
      } else {
        const o = parsed as PersistedLine;
        store.insertTrusted({
          type: o.t,
          id: o.i,
          seq: o.s,
          created: o.c,
          lastModified: o.m,
          rev: o.r,
          data: o.d,
        });
      }
    }
    start = end + 1;
  }
  return true;
}

/** Debounced saver: `schedule()` after changes, `flush()` on close. */
export type Saver = { schedule(): void; flush(): Promise<void> };

/** Creates a saver for a store; errors are reported through `onError`, never thrown at the caller. */
export function createSaver(
  store: SandboxStore,
  dataDir: string,
  delayMs: number,
  onError: (e: unknown) => void,
): Saver {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;

  const save = async (): Promise<void> => {
    if (running !== undefined) {
      await running;
    }
    if (!dirty) {
      return;
    }
    dirty = false;
    running = saveStore(store, dataDir).catch(onError);
    await running;
    running = undefined;
  };
  return {
    schedule: () => {
      dirty = true;
      if (timer === undefined) {
        timer = setTimeout(() => {
          timer = undefined;
          void save();
        }, delayMs);
      }
    },
    flush: async () => {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      await save();
      if (running !== undefined) {
        await running;
      }
    },
  };
}
