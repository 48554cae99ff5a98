import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord, RunStatus } from '../../../../engine/apply/run-store';
import {
  previewCleanup,
  runCleanup,
  runKeepsPlan,
  type CleanupGuards,
} from '../../../../engine/workspace/data-cleanup';
import { AppError } from '../../../../shared/errors/errors';
import type { PlanHeader } from '../../../../shared/plan/plan-format';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-01T12:00:00Z');

const header: PlanHeader = {
  kind: 'scim-porter-plan',
  version: 2,
  createdAt: '2026-11-01T09:00:00.000Z',
  resourceType: 'User',
  endpoint: '/Users',
  mode: 'upsert',
  source: { kind: 'server', baseUrl: 'https://scim.example.com/v2', connection: 'prod' },
  csv: { file: '/tmp/users.csv', encoding: 'utf-8', delimiter: ',' },
  mapping: { resourceType: 'User' },
  patch: true,
  etag: false,
};

function run(id: string, planFile: string, status: RunStatus, counts: RunRecord['counts']) {
  const r: RunRecord = {
    kind: 'scim-porter-run',
    version: 1,
    id,
    planFile,
    plan: header,
    target: { connection: 'prod' },
    status,
    startedAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    counts,
    options: {},
  };
  return r;
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cleanup-'));
  await mkdir(join(dir, 'plans'));
  await mkdir(join(dir, 'snapshots'));
  await mkdir(join(dir, 'runs'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file of `bytes` bytes last changed `daysAgo` days before NOW. */
async function file(rel: string, bytes: number, daysAgo: number): Promise<string> {
  const path = join(dir, rel);
  await writeFile(path, 'x'.repeat(bytes));
  const t = new Date(NOW - daysAgo * DAY);
  await utimes(path, t, t);
  return path;
}

const none: CleanupGuards = { runs: [], activeFor: () => false, runningSince: undefined };

describe('data-folder cleanup selection', () => {
  it('offers plans and snapshots older than the cutoff, with sizes, and never runs/', async () => {
    await file('plans/old.jsonl', 10, 40);
    await file('plans/new.jsonl', 20, 2);
    await file('snapshots/user-old.jsonl', 30, 31);
    await file('snapshots/user-new.jsonl', 40, 29);
    await file('runs/keep.txt', 50, 400);
    const p = await previewCleanup(dir, 30, none, NOW);
    expect(p.items.map((i) => [i.id, i.kind, i.bytes])).toEqual([
      ['plans/old.jsonl', 'plan', 10],
      ['snapshots/user-old.jsonl', 'snapshot', 30],
    ]);
    expect(p.totalBytes).toBe(40);
    expect(p.kept).toEqual([]);
  });

  it('keeps a plan of a run that is running, paused, interrupted, cancelled, resumable or undoable', async () => {
    const done = { done: 1, failed: 0, pending: 0 };
    const cases: [string, RunRecord][] = [];
    for (const status of ['running', 'paused', 'interrupted', 'cancelled'] as const) {
      const plan = await file(`plans/${status}.jsonl`, 1, 40);
      cases.push([status, run(`r-${status}`, plan, status, {})]);
    }
    const left = await file('plans/left.jsonl', 1, 40);
    cases.push([
      'left',
      run('r-left', left, 'failed', { create: { done: 0, failed: 0, pending: 3 } }),
    ]);
    const undo = await file('plans/undo.jsonl', 1, 40);
    cases.push(['undo', run('r-undo', undo, 'completed', { create: done })]);
    const finished = await file('plans/finished.jsonl', 1, 40);
    const noChange = run('r-fin', finished, 'completed', { unchanged: { ...done } });
    const p = await previewCleanup(
      dir,
      30,
      { ...none, runs: [...cases.map(([, r]) => r), noChange] },
      NOW,
    );
    expect(p.items.map((i) => i.id)).toEqual(['plans/finished.jsonl']);
    const reasons = Object.fromEntries(p.kept.map((k) => [k.id, k.reason]));
    expect(reasons['plans/paused.jsonl']).toBe(
      'run r-paused is paused: resuming it needs this plan',
    );
    expect(reasons['plans/interrupted.jsonl']).toMatch(/r-interrupted is interrupted/);
    expect(reasons['plans/left.jsonl']).toMatch(/rows left to do/);
    expect(reasons['plans/undo.jsonl']).toMatch(/can still be undone/);
    expect(p.kept).toHaveLength(6);
    expect(runKeepsPlan(noChange)).toBeUndefined();
  });

  it('keeps what a running job works on or may be writing', async () => {
    const busy = await file('plans/busy.jsonl', 1, 40);
    await file('snapshots/user-fresh.jsonl', 5, 1);
    await file('snapshots/user-stale.jsonl', 5, 20);
    const guards: CleanupGuards = {
      runs: [],
      activeFor: (s) => s === busy,
      runningSince: NOW - 5 * DAY,
    };
    const p = await previewCleanup(dir, 0, guards, NOW);
    expect(p.items.map((i) => i.id)).toEqual(['snapshots/user-stale.jsonl']);
    expect(p.kept.map((k) => [k.id, k.reason])).toEqual([
      ['plans/busy.jsonl', 'a job is running on this plan'],
      ['snapshots/user-fresh.jsonl', expect.stringMatching(/still running/)],
    ]);
  });

  it('deletes exactly the previewed files and reports them', async () => {
    await file('plans/a.jsonl', 7, 40);
    await file('snapshots/b.jsonl', 8, 40);
    await file('plans/young.jsonl', 9, 1);
    const p = await previewCleanup(dir, 30, none, NOW);
    const result = await runCleanup(dir, p.previewId, none);
    expect(result.removed.map((r) => r.id)).toEqual(['plans/a.jsonl', 'snapshots/b.jsonl']);
    expect(result.removedBytes).toBe(15);
    expect(await readdir(join(dir, 'plans'))).toEqual(['young.jsonl']);
    expect(await readdir(join(dir, 'snapshots'))).toEqual([]);
  });

  it('deletes nothing when the folder changed since the preview', async () => {
    await file('plans/a.jsonl', 7, 40);
    const p = await previewCleanup(dir, 30, none, NOW);
    await file('plans/b.jsonl', 7, 40);
    await expect(runCleanup(dir, p.previewId, none)).rejects.toBeInstanceOf(AppError);
    expect((await readdir(join(dir, 'plans'))).sort()).toEqual(['a.jsonl', 'b.jsonl']);
  });

  it('deletes nothing when a previewed plan became needed by a run', async () => {
    const a = await file('plans/a.jsonl', 7, 40);
    const p = await previewCleanup(dir, 30, none, NOW);
    const guards = { ...none, runs: [run('r1', a, 'running', {})] };
    await expect(runCleanup(dir, p.previewId, guards)).rejects.toThrow(/changed since the preview/);
    expect(await readdir(join(dir, 'plans'))).toEqual(['a.jsonl']);
  });
});
