import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireRunLock,
  createRun,
  isProcessAlive,
  listRuns,
  loadRun,
  newRunId,
  releaseRunLock,
  runDir,
  updateRun,
  type RunInit,
} from '../../../../engine/apply/run-store';
import type { PlanHeader } from '../../../../shared/plan/plan-format';
import { AppError } from '../../../../shared/errors/errors';

let root = '';
let deadPid = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'run-store-'));
  // A pid that existed and is gone: a process that has exited.
  const child = spawn(process.execPath, ['-e', '']);
  deadPid = child.pid ?? 0;
  await once(child, 'exit');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function freshDataDir(): Promise<string> {
  n += 1;
  const dir = join(root, `data${n}`);
  await mkdir(dir);
  return dir;
}

const header: PlanHeader = {
  kind: 'scim-porter-plan',
  version: 2,
  createdAt: '2026-11-29T09:00:00.000Z',
  resourceType: 'User',
  endpoint: '/Users',
  mode: 'upsert',
  source: { kind: 'server', baseUrl: 'https://scim.example.com/v2', connection: 'prod' },
  csv: { file: '/tmp/users.csv', encoding: 'utf-8', delimiter: ',' },
  mapping: { resourceType: 'User' },
  patch: true,
  etag: false,
};

function init(now: string): RunInit {
  return {
    planFile: '/tmp/users.plan.jsonl',
    plan: header,
    target: { connection: 'prod' },
    options: { concurrency: 4, canary: 10 },
    counts: { create: { done: 0, failed: 0, pending: 3 } },
    now: new Date(now),
  };
}

describe('run ids', () => {
  it('are sortable UTC stamps with a random suffix', () => {
    const id = newRunId(new Date('2026-11-29T09:30:00.123Z'));
    expect(id).toMatch(/^2026-11-29T09-30-00Z-[0-9a-f]{4}$/);
  });

  it('rejects path tricks', () => {
    expect(() => runDir('/data', '../../etc')).toThrow(AppError);
  });
});

describe('createRun / loadRun / updateRun', () => {
  it('creates the folder, run.json and the lock, and updates atomically', async () => {
    const dataDir = await freshDataDir();
    const { run, dir, lock } = await createRun(dataDir, init('2026-11-29T09:30:00Z'));
    expect(dir).toBe(join(dataDir, 'runs', run.id));
    expect(run).toMatchObject({
      kind: 'scim-porter-run',
      status: 'running',
      startedAt: '2026-11-29T09:30:00.000Z',
      plan: header,
      target: { connection: 'prod' },
      options: { concurrency: 4, canary: 10 },
    });
    expect(JSON.parse(await readFile(join(dir, 'lock'), 'utf8'))).toEqual({
      pid: process.pid,
      startedAt: lock.info.startedAt,
      host: hostname(),
    });
    expect(await loadRun(dataDir, run.id)).toEqual(run);

    const updated = await updateRun(dataDir, run.id, {
      counts: { create: { done: 2, failed: 1, pending: 0 } },
    });
    expect(updated.counts).toEqual({ create: { done: 2, failed: 1, pending: 0 } });
    expect(updated.startedAt).toBe(run.startedAt);
    const done = await updateRun(dataDir, run.id, (r) => ({ ...r, status: 'completed' }));
    expect(done.status).toBe('completed');
    expect(await loadRun(dataDir, run.id)).toEqual(done);
    // No temp files left behind.
    expect((await readdir(dir)).sort()).toEqual(['lock', 'run.json']);
    await releaseRunLock(lock);
    expect((await readdir(dir)).sort()).toEqual(['run.json']);
  });

  it('serialises concurrent updates in one process', async () => {
    const dataDir = await freshDataDir();
    const { run, lock } = await createRun(dataDir, init('2026-11-29T09:30:00Z'));
    await Promise.all(
      Array.from({ length: 10 }, () =>
        updateRun(dataDir, run.id, (r) => ({
          ...r,
          counts: { create: { done: (r.counts.create?.done ?? 0) + 1, failed: 0, pending: 0 } },
        })),
      ),
    );
    expect((await loadRun(dataDir, run.id)).counts.create?.done).toBe(10);
    await releaseRunLock(lock);
  });

  it('reports an unknown run as not_found', async () => {
    const dataDir = await freshDataDir();
    await expect(loadRun(dataDir, '2026-01-01T00-00-00Z-abcd')).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

describe('run lock', () => {
  it('refuses a second acquire while the holder is alive', async () => {
    const dataDir = await freshDataDir();
    const { run, dir, lock } = await createRun(dataDir, init('2026-11-29T09:30:00Z'));
    const second = acquireRunLock(dir);
    await expect(second).rejects.toBeInstanceOf(AppError);
    await expect(acquireRunLock(dir)).rejects.toMatchObject({
      code: 'config',
      message: `Run ${run.id} is already running (process ${process.pid}).`,
    });
    await releaseRunLock(lock);
    const again = await acquireRunLock(dir);
    expect(again.tookOver).toBeUndefined();
    await releaseRunLock(again);
  });

  it('takes over a stale lock whose process is gone', async () => {
    expect(deadPid).toBeGreaterThan(0);
    expect(isProcessAlive(deadPid)).toBe(false);
    const dataDir = await freshDataDir();
    const { dir, lock } = await createRun(dataDir, init('2026-11-29T09:30:00Z'));
    const stale = { pid: deadPid, startedAt: '2026-11-29T09:30:00.000Z', host: hostname() };
    await writeFile(lock.file, JSON.stringify(stale));
    const mine = await acquireRunLock(dir);
    expect(mine.tookOver).toEqual(stale);
    expect(JSON.parse(await readFile(mine.file, 'utf8'))).toMatchObject({ pid: process.pid });
    await releaseRunLock(mine);
  });

  it('does not release a lock someone else holds now', async () => {
    const dataDir = await freshDataDir();
    const { lock } = await createRun(dataDir, init('2026-11-29T09:30:00Z'));
    const other = { pid: process.pid, startedAt: 'later', host: hostname() };
    await writeFile(lock.file, JSON.stringify(other));
    await releaseRunLock(lock);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toEqual(other);
  });
});

describe('listRuns', () => {
  it('lists newest first and reports running runs without a live lock as interrupted', async () => {
    const dataDir = await freshDataDir();
    expect(await listRuns(dataDir)).toEqual([]);
    const a = await createRun(dataDir, init('2026-11-29T09:30:00Z'));
    const b = await createRun(dataDir, init('2026-11-30T08:00:00Z'));
    const c = await createRun(dataDir, init('2026-11-29T10:00:00Z'));
    // a: finished; b: crashed (lock of a dead process); c: still running here.
    await updateRun(dataDir, a.run.id, { status: 'completed' });
    await releaseRunLock(a.lock);
    await writeFile(
      b.lock.file,
      JSON.stringify({ pid: deadPid, startedAt: 'x', host: hostname() }),
    );
    // A folder without run.json (creation crashed) and a stray file are skipped.
    await mkdir(join(dataDir, 'runs', '2026-12-01T00-00-00Z-ffff'));
    await writeFile(join(dataDir, 'runs', 'notes.txt'), 'x');

    const runs = await listRuns(dataDir);
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [b.run.id, 'interrupted'],
      [c.run.id, 'running'],
      [a.run.id, 'completed'],
    ]);
    expect((await loadRun(dataDir, b.run.id)).status).toBe('interrupted');
    // run.json itself is untouched.
    expect(JSON.parse(await readFile(join(b.dir, 'run.json'), 'utf8'))).toMatchObject({
      status: 'running',
    });

    // Missing lock while "running" is interrupted too.
    await releaseRunLock(c.lock);
    expect((await loadRun(dataDir, c.run.id)).status).toBe('interrupted');
  });
});
