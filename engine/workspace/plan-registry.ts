import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors/errors';
import type { PlanInfo } from '../../shared/ipc/schemas/plan';
import { describeEdits } from '../apply/plan-integrity';
import { openPlan, type PlanReader } from '../plan/plan-file';
import { ensurePrivateDir } from '../files/private-files';

/** Plans kept open at once; older ones are closed and re-opened on demand. */
const OPEN_READERS = 4;

export type PlanRegistry = {
  /** A fresh file path in the app's plans folder for a new plan. */
  newPlanFile(): Promise<string>;
  /** Registers (and indexes) a plan file; the same file keeps its id. */
  register(file: string): Promise<PlanInfo>;
  info(planId: string): Promise<PlanInfo>;
  reader(planId: string): Promise<PlanReader>;
  fileOf(planId: string): string;
  closeAll(): void;
};

function toInfo(planId: string, file: string, reader: PlanReader): PlanInfo {
  const source = reader.header.source;
  const edited = describeEdits(reader);
  return {
    planId,
    file,
    resourceType: reader.header.resourceType,
    mode: reader.header.mode,
    target:
      source.kind === 'server'
        ? {
            baseUrl: source.baseUrl,
            ...(source.connection ? { connection: source.connection } : {}),
          }
        : {},
    counts: reader.counts,
    rows: reader.count,
    summary: reader.summary,
    ...(edited !== undefined ? { edited } : {}),
  };
}

/**
 * The plans the UI works with, by id: the renderer never sees more than a window of rows, and
 * never names a file to read except through a dialog (`plan:open`).
 */
export function createPlanRegistry(dataDir: string): PlanRegistry {
  const files = new Map<string, string>();
  const ids = new Map<string, string>();
  const readers = new Map<string, PlanReader>();

  async function reader(planId: string): Promise<PlanReader> {
    const open = readers.get(planId);
    if (open) {
      // Most recently used last.
      readers.delete(planId);
      readers.set(planId, open);
      return open;
    }
    const r = await openPlan(fileOf(planId));
    readers.set(planId, r);
    while (readers.size > OPEN_READERS) {
      const [oldest, old] = readers.entries().next().value as [string, PlanReader];
      old.close();
      readers.delete(oldest);
    }
    return r;
  }

  function fileOf(planId: string): string {
    const file = files.get(planId);
    if (!file) {
      throw new AppError('not_found', 'That plan is no longer open.', {
        nextStep: 'Build the plan again, or open its file from the Runs screen.',
      });
    }
    return file;
  }

  return {
    async newPlanFile() {
      const dir = join(dataDir, 'plans');
      await ensurePrivateDir(dir);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return join(dir, `plan-${stamp}-${randomUUID().slice(0, 8)}.jsonl`);
    },
    async register(fileIn) {
      const file = resolve(fileIn);
      let planId = ids.get(file);
      if (planId) {
        // Re-read: the file may have been rewritten under the same name.
        readers.get(planId)?.close();
        readers.delete(planId);
      } else {
        planId = randomUUID();
        ids.set(file, planId);
        files.set(planId, file);
      }
      return toInfo(planId, file, await reader(planId));
    },
    async info(planId) {
      return toInfo(planId, fileOf(planId), await reader(planId));
    },
    reader,
    fileOf,
    closeAll() {
      for (const r of readers.values()) r.close();
      readers.clear();
    },
  };
}
