/**
 * Cleaning up the data folder: which plan files (`plans/`) and snapshots (`snapshots/`) older than
 * a cutoff can go, and which of them stay and why. Runs (`runs/`) are never touched here.
 *
 * A plan stays while a run that uses it is unfinished or can still be resumed or undone, and
 * anything a running job works on (or may be writing: newer than its start) stays too.
 *
 * The preview's id is the cutoff plus a digest of exactly the files it listed (name, size,
 * time). The cleanup recomputes the selection for that cutoff and deletes only when the digest is
 * the same, so it removes exactly what the admin saw, or nothing.
 */
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../../shared/errors/errors';
import { CHANGING_ACTIONS } from '../../shared/import/types';
import type { CleanupKind, CleanupPreview, CleanupResult } from '../../shared/ipc/schemas/data';
import type { RunRecord } from '../apply/run-store';

const CLEANUP_FOLDERS: Record<CleanupKind, string> = {
  plan: 'plans',
  snapshot: 'snapshots',
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** What can hold a file back, besides its age. */
export type CleanupGuards = {
  runs: readonly RunRecord[];
  /** True when a running job works on this subject (a plan file). */
  activeFor(subject: string): boolean;
  /** Start (ms) of the oldest job still running; files written since may be its own. */
  runningSince: number | undefined;
};

type Candidate = { id: string; kind: CleanupKind; file: string; bytes: number; mtimeMs: number };

const OPEN_STATUSES: ReadonlySet<RunRecord['status']> = new Set([
  'running',
  'paused',
  'interrupted',
  'cancelled',
]);

/** Why a run keeps its plan, or undefined when it no longer needs it. */
export function runKeepsPlan(run: RunRecord): string | undefined {
  if (OPEN_STATUSES.has(run.status)) {
    return `run ${run.id} is ${run.status}: resuming it needs this plan`;
  }
  const counts = Object.values(run.counts);
  const passes = Object.values(run.passes ?? {});
  if ([...counts, ...passes].some((c) => c.pending > 0 || (c.unknown ?? 0) > 0)) {
    return `run ${run.id} has rows left to do: resuming it needs this plan`;
  }
  const changed = CHANGING_ACTIONS.some((a) => (run.counts[a]?.done ?? 0) > 0);
  if (changed) return `run ${run.id} can still be undone: keep its plan with it`;
  return undefined;
}

async function candidates(dataDir: string, kind: CleanupKind): Promise<Candidate[]> {
  const dir = join(dataDir, CLEANUP_FOLDERS[kind]);
  const names = await readdir(dir).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  });
  const found: Candidate[] = [];
  for (const name of names.sort()) {
    const file = join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    found.push({
      id: `${CLEANUP_FOLDERS[kind]}/${name}`,
      kind,
      file,
      bytes: info.size,
      mtimeMs: info.mtimeMs,
    });
  }
  return found;
}

function keepReason(c: Candidate, guards: CleanupGuards): string | undefined {
  if (c.kind === 'plan') {
    const path = resolve(c.file);
    if (guards.activeFor(path)) return 'a job is running on this plan';
    for (const run of guards.runs) {
      if (resolve(run.planFile) !== path) continue;
      const why = runKeepsPlan(run);
      if (why) return why;
    }
  }
  if (guards.runningSince !== undefined && c.mtimeMs >= guards.runningSince) {
    return 'written since a job that is still running started: it may be that job’s';
  }
  return undefined;
}

function digest(items: readonly Candidate[]): string {
  const hash = createHash('sha256');
  for (const i of items) hash.update(`${i.id}\0${String(i.bytes)}\0${String(i.mtimeMs)}\n`);
  return hash.digest('hex').slice(0, 32);
}

type Selection = { cutoffMs: number; remove: Candidate[]; preview: CleanupPreview };

async function select(
  dataDir: string,
  cutoffMs: number,
  olderThanDays: number,
  guards: CleanupGuards,
): Promise<Selection> {
  const all = [...(await candidates(dataDir, 'plan')), ...(await candidates(dataDir, 'snapshot'))];
  const remove: Candidate[] = [];
  const kept: CleanupPreview['kept'] = [];
  for (const c of all) {
    if (c.mtimeMs >= cutoffMs) continue;
    const reason = keepReason(c, guards);
    const view = {
      id: c.id,
      kind: c.kind,
      bytes: c.bytes,
      modifiedAt: new Date(c.mtimeMs).toISOString(),
    };
    if (reason) kept.push({ ...view, reason });
    else remove.push(c);
  }
  const items = remove.map((c) => ({
    id: c.id,
    kind: c.kind,
    bytes: c.bytes,
    modifiedAt: new Date(c.mtimeMs).toISOString(),
  }));
  return {
    cutoffMs,
    remove,
    preview: {
      previewId: `${String(cutoffMs)}.${digest(remove)}`,
      olderThanDays,
      cutoff: new Date(cutoffMs).toISOString(),
      items,
      totalBytes: items.reduce((n, i) => n + i.bytes, 0),
      kept,
    },
  };
}

/** What cleaning up files older than `olderThanDays` (at `now`) would remove and keep. */
export async function previewCleanup(
  dataDir: string,
  olderThanDays: number,
  guards: CleanupGuards,
  now: number = Date.now(),
): Promise<CleanupPreview> {
  const cutoffMs = now - olderThanDays * DAY_MS;
  return (await select(dataDir, cutoffMs, olderThanDays, guards)).preview;
}

function cutoffOf(previewId: string): number {
  const [cutoff] = previewId.split('.');
  const ms = Number(cutoff);
  if (!Number.isSafeInteger(ms)) {
    throw new AppError('invalid_request', 'That cleanup preview is not valid: preview again.');
  }
  return ms;
}

/** Deletes exactly the files of the preview `previewId`; refuses when the folder changed since. */
export async function runCleanup(
  dataDir: string,
  previewId: string,
  guards: CleanupGuards,
): Promise<CleanupResult> {
  const cutoffMs = cutoffOf(previewId);
  const now = await select(dataDir, cutoffMs, 0, guards);
  if (now.preview.previewId !== previewId) {
    throw new AppError(
      'precondition_failed',
      'The data folder changed since the preview (a file was added, changed, removed or is now in use): nothing was deleted.',
      { nextStep: 'Preview the cleanup again.' },
    );
  }
  const removed: CleanupResult['removed'] = [];
  const failed: CleanupResult['failed'] = [];
  for (const c of now.remove) {
    try {
      await rm(c.file);
      removed.push({ id: c.id, kind: c.kind, bytes: c.bytes });
    } catch (e) {
      failed.push({ id: c.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { removed, removedBytes: removed.reduce((n, r) => n + r.bytes, 0), failed };
}
