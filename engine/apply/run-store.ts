/**
 * Runs of a plan, one folder each: `<dataDir>/runs/<runId>/`
 *
 *   run.json        what is being applied, where, how far it got (rewritten atomically)
 *   lock            {pid, startedAt, host} while a process is applying the run
 *   journal.jsonl   intents and outcomes (journal.ts), the source of truth for resume
 *   prior.jsonl     resources as they were before the run changed them (prior-state.ts)
 *
 * Run ids sort by start time: `2026-11-29T09-30-00Z-1a2b`.
 *
 * The lock keeps a run from being applied by two processes at once. It is created with `wx`
 * (fails if it exists); a lock whose process is gone is stale and is taken over. A run whose
 * run.json says `running` while nobody holds its lock crashed or was killed: it is reported as
 * `interrupted` (run.json is left as is until the run is resumed).
 */
import { mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Environment } from '../../shared/connections/environment';
import type { PlanAction } from '../../shared/import/types';
import type { ErrorPayload } from '../../shared/errors/payload';
import { AppError } from '../../shared/errors/errors';
import type { PlanHeader } from '../../shared/plan/plan-format';
import { readJsonFile, writeFileAtomic } from '../files/atomic-file';
import { ensurePrivateDir } from '../files/private-files';

const RUNS_FOLDER = 'runs';
const RUN_FILE = 'run.json';
const LOCK_FILE = 'lock';
export const RUN_FORMAT = 'scim-porter-run';
export const RUN_VERSION = 1;

/**
 * `completed`: everything done; `completed with failures`: the run went to its end but something
 * failed, stayed unknown or was answered differently than sent (see the report).
 */
export type RunStatus =
  | 'running'
  | 'paused'
  | 'completed'
  | 'completed with failures'
  | 'failed'
  | 'cancelled'
  | 'interrupted';

export type ActionCounts = { done: number; failed: number; pending: number; unknown?: number };

export type RunCounts = Partial<Record<PlanAction, ActionCounts>>;

/** Ops (members: members) per pass after the rows. */
export type PassCount = { done: number; failed: number; unknown: number; pending: number };

/** `groupsCreated`, `membersAdded`, `membersRemoved`, `managersSet`. */
export type PassCounts = Record<string, PassCount>;

export type RunOptions = {
  /** Requests in flight at once. */
  concurrency?: number;
  /** Rows applied first, stopping for confirmation (canary). */
  canary?: number;
  [option: string]: unknown;
};

/** Where the run applies the plan. Never holds secrets (a profile name or a URL only). */
/** Where a run writes; the environment is the connection's label when the run started. */
export type RunTarget = { connection?: string; baseUrl?: string; environment?: Environment };

export type RunRecord = {
  kind: typeof RUN_FORMAT;
  version: typeof RUN_VERSION;
  id: string;
  /** Absolute path of the plan file. */
  planFile: string;
  /** Copy of the plan's header, so the run can be shown without the plan. */
  plan: PlanHeader;
  /** SHA-256 of the plan as admitted (apply/plan-integrity.ts): a resume refuses a changed plan. */
  planDigest?: string;
  target: RunTarget;
  status: RunStatus;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  counts: RunCounts;
  /** Counts of the passes after the rows (absent on runs from before they were counted). */
  passes?: PassCounts;
  /** Rows whose server answer lacked attributes the run sent. */
  differences?: number;
  options: RunOptions;
  /** Why the run failed, when it did. */
  error?: ErrorPayload;
};

export type RunInit = {
  planFile: string;
  plan: PlanHeader;
  planDigest?: string;
  target: RunTarget;
  options?: RunOptions;
  counts?: RunCounts;
  /** For tests: the start time (defaults to now). */
  now?: Date;
};

export type LockInfo = { pid: number; startedAt: string; host: string };

/** A lock held by this process. */
export type RunLock = { file: string; info: LockInfo; tookOver?: LockInfo };

function runsDir(dataDir: string): string {
  return join(dataDir, RUNS_FOLDER);
}

export function runDir(dataDir: string, id: string): string {
  return join(runsDir(dataDir), checkRunId(id));
}

const RUN_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-f]{4,}$/;

/** Rejects anything that is not a run id (ids come from IPC and the CLI; no path tricks). */
function checkRunId(id: string): string {
  if (!RUN_ID.test(id)) {
    throw new AppError('invalid_request', `"${id}" is not a run id.`, {
      nextStep: 'Use an id listed by "scim-porter runs".',
    });
  }
  return id;
}

/** A sortable run id: the UTC start second, then 4 random hex digits. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replaceAll(':', '-');
  return `${stamp}Z-${randomBytes(2).toString('hex')}`;
}

/**
 * Creates the folder and run.json of a new run with status `running`, and takes its lock (the
 * caller releases it with {@link releaseRunLock} when it stops).
 */
export async function createRun(
  dataDir: string,
  init: RunInit,
): Promise<{ run: RunRecord; dir: string; lock: RunLock }> {
  const now = init.now ?? new Date();
  await ensurePrivateDir(runsDir(dataDir));
  for (let attempt = 0; ; attempt++) {
    const id = newRunId(now);
    const dir = join(runsDir(dataDir), id);
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 20) continue;
      throw e;
    }
    const lock = await acquireRunLock(dir);
    const at = now.toISOString();
    const run: RunRecord = {
      kind: RUN_FORMAT,
      version: RUN_VERSION,
      id,
      planFile: init.planFile,
      plan: init.plan,
      ...(init.planDigest !== undefined ? { planDigest: init.planDigest } : {}),
      target: { ...init.target },
      status: 'running',
      startedAt: at,
      updatedAt: at,
      counts: init.counts ?? {},
      options: init.options ?? {},
    };
    await writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(run, null, 2)}\n`);
    return { run, dir, lock };
  }
}

function noSuchRun(id: string): AppError {
  return new AppError('not_found', `There is no run ${id}.`, {
    nextStep: 'Use an id listed by "scim-porter runs".',
  });
}

/** Reads run.json as written (no lock check). */
async function readRun(dir: string): Promise<RunRecord | undefined> {
  const value = await readJsonFile(join(dir, RUN_FILE));
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Partial<RunRecord>;
  if (r.kind !== RUN_FORMAT || typeof r.id !== 'string' || typeof r.status !== 'string') {
    return undefined;
  }
  return r as RunRecord;
}

/**
 * Loads a run. A run that says `running` but whose lock is missing or stale is returned as
 * `interrupted`.
 */
export async function loadRun(dataDir: string, id: string): Promise<RunRecord> {
  const dir = runDir(dataDir, id);
  let run: RunRecord | undefined;
  try {
    run = await readRun(dir);
  } catch (e) {
    throw new AppError('input', `The record of run ${id} cannot be read.`, {
      nextStep: `Check ${join(dir, RUN_FILE)}; it may have been edited or damaged.`,
      raw: (e as Error).message,
    });
  }
  if (!run) throw noSuchRun(id);
  return withLiveStatus(dir, run);
}

async function withLiveStatus(dir: string, run: RunRecord): Promise<RunRecord> {
  if (run.status !== 'running') return run;
  const lock = await readLock(join(dir, LOCK_FILE));
  if (lock.state === 'held') return run;
  return { ...run, status: 'interrupted' };
}

/** Every run with a readable run.json, newest first (folders without one are skipped). */
export async function listRuns(dataDir: string): Promise<RunRecord[]> {
  let names: string[];
  try {
    names = await readdir(runsDir(dataDir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const runs: RunRecord[] = [];
  for (const name of names) {
    if (!RUN_ID.test(name)) continue;
    const dir = join(runsDir(dataDir), name);
    let run: RunRecord | undefined;
    try {
      run = await readRun(dir);
    } catch {
      continue;
    }
    if (run) runs.push(await withLiveStatus(dir, run));
  }
  return runs.sort((a, b) =>
    a.startedAt === b.startedAt ? compare(b.id, a.id) : compare(b.startedAt, a.startedAt),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Updates of one run within this process are serialised, so none is lost between read and write.
const updating = new Map<string, Promise<unknown>>();

/**
 * Changes run.json atomically (temp file + rename) and stamps `updatedAt`. `change` is a partial
 * record to merge, or a function of the current record. Returns the record written.
 */
export async function updateRun(
  dataDir: string,
  id: string,
  change: Partial<Omit<RunRecord, 'kind' | 'version' | 'id'>> | ((run: RunRecord) => RunRecord),
): Promise<RunRecord> {
  const dir = runDir(dataDir, id);
  const previous = updating.get(dir) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const current = await readRun(dir);
      if (!current) throw noSuchRun(id);
      const merged = typeof change === 'function' ? change(current) : { ...current, ...change };
      const run: RunRecord = {
        ...merged,
        kind: RUN_FORMAT,
        version: RUN_VERSION,
        id: current.id,
        updatedAt: new Date().toISOString(),
      };
      await writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(run, null, 2)}\n`);
      return run;
    });
  updating.set(dir, next);
  try {
    return await next;
  } finally {
    if (updating.get(dir) === next) updating.delete(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// Lock
// ---------------------------------------------------------------------------------------------

/** An unreadable lock younger than this may be one being written right now. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

type LockRead =
  | { state: 'none' }
  | { state: 'held'; info: LockInfo; text: string }
  | { state: 'stale'; info?: LockInfo; text: string };

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'none' };
    throw e;
  }
  const info = parseLock(text);
  if (!info) {
    // Empty or damaged: a crash between creating and writing it, or a writer mid-way.
    const age = await stat(file).then(
      (s) => Date.now() - s.mtimeMs,
      () => Infinity,
    );
    return age < UNREADABLE_LOCK_GRACE_MS
      ? { state: 'held', info: { pid: 0, startedAt: '', host: '' }, text }
      : { state: 'stale', text };
  }
  // A lock from another machine (a shared data folder) cannot be checked; assume it is held.
  if (info.host !== hostname()) return { state: 'held', info, text };
  return isProcessAlive(info.pid) ? { state: 'held', info, text } : { state: 'stale', info, text };
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo> | null;
    if (v && typeof v.pid === 'number' && typeof v.startedAt === 'string') {
      return { pid: v.pid, startedAt: v.startedAt, host: typeof v.host === 'string' ? v.host : '' };
    }
  } catch {
    // fall through
  }
  return undefined;
}

/**
 * Takes the run's lock, refusing when a live process holds it and taking over a stale one.
 * Known limit: a stale lock whose pid has been reused by an unrelated process looks held; the
 * message names the pid so the admin can check and delete the lock file.
 */
export async function acquireRunLock(dir: string): Promise<RunLock> {
  const file = join(dir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    host: hostname(),
  };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(info), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      return tookOver ? { file, info, tookOver } : { file, info };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const current = await readLock(file);
    if (current.state === 'none') continue;
    if (current.state === 'held') throw alreadyRunning(dir, current.info);
    // Stale: remove it, but only if it is still the same lock (another process may have taken
    // it over since we read it).
    const again = await readFile(file, 'utf8').catch(() => undefined);
    if (again !== current.text) continue;
    await rm(file, { force: true });
    tookOver = current.info;
  }
  throw new AppError('config', `The lock of run ${basename(dir)} keeps changing.`, {
    nextStep: 'Another SCIM Porter may be starting this run; wait and try again.',
  });
}

function alreadyRunning(dir: string, info: LockInfo): AppError {
  const id = basename(dir);
  const who =
    info.pid > 0
      ? ` (process ${info.pid}${info.host && info.host !== hostname() ? ` on ${info.host}` : ''})`
      : '';
  return new AppError('config', `Run ${id} is already running${who}.`, {
    nextStep: `Wait for it to finish or stop it first. If no SCIM Porter is running it, delete ${join(dir, LOCK_FILE)} and try again.`,
  });
}

/** Releases a lock taken by {@link acquireRunLock}; leaves it alone if someone else now holds it. */
export async function releaseRunLock(lock: RunLock): Promise<void> {
  const text = await readFile(lock.file, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const info = parseLock(text);
  if (info && (info.pid !== lock.info.pid || info.startedAt !== lock.info.startedAt)) return;
  await rm(lock.file, { force: true });
}
