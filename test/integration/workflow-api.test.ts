/**
 * The app's workflow over IPC (issue #6): the router with the real engine, its Local sandbox and a
 * scripted desktop — what the renderer does, step by step, with the server checked after.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { startSandbox } from '../../sandbox';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { Channel } from '../../shared/ipc/channels';
import type { ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { JobFinished, JobProgress } from '../../shared/ipc/schemas/jobs';
import type { ErrorPayload } from '../../shared/errors/payload';
import { createScriptedDesktop, type ScriptedDesktop } from '../harness/scripted-desktop';

let dir: string;
let engine: Engine;
let router: Router;
let desktop: ScriptedDesktop;
let sandboxId: string;
const events: { event: string; payload: unknown }[] = [];

async function call<C extends Channel>(
  channel: C,
  request: Partial<ParsedRequestOf<C>> | Record<string, unknown>,
): Promise<ResponseOf<C>> {
  const result = await router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

async function refused(channel: Channel, request: unknown): Promise<ErrorPayload> {
  const result = await router.dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} should have failed`);
  return result.error;
}

async function finished(jobId: string): Promise<JobFinished> {
  const f = await engine.jobs.settled(jobId);
  if (!f) throw new Error(`no job ${jobId}`);
  return f;
}

type ListResponse = { totalResults: number; Resources?: Record<string, unknown>[] };

/** Reads the sandbox over HTTP, as any SCIM client would. */
async function scimList(query: Record<string, string>): Promise<ListResponse> {
  const live = engine.sandbox();
  if (!live) throw new Error('sandbox not running');
  const response = await fetch(`${live.url}/Users?${new URLSearchParams(query).toString()}`, {
    headers: { authorization: `Bearer ${live.token}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ListResponse;
}

async function userByName(userName: string): Promise<Record<string, unknown> | undefined> {
  return (await scimList({ filter: `userName eq "${userName}"` })).Resources?.[0];
}

const CSV = [
  'Employee ID,First Name,Last Name,Work Email,Job Title,Department,Employment Status,Groups',
  '900001,Ada,Lovelace,ada.lovelace@porter.example,Analyst,Research,Active,Research;VPN Users',
  '900002,Grace,Hopper,grace.hopper@porter.example,Rear Admiral,Navy,Active,VPN Users',
  '900003,Alan,Turing,alan.turing@porter.example,Cryptanalyst,Research,Terminated,',
  '900004,Edsger,Dijkstra,edsger.dijkstra@porter.example,Professor,Research,Active,Research',
].join('\r\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-workflow-'));
  desktop = createScriptedDesktop();
  engine = await createEngine({
    dataDir: dir,
    secrets: createMemorySecretStore(),
    desktop,
    emit: (event, payload) => events.push({ event, payload }),
    sandbox: { enabled: true },
  });
  router = createRouter(engine, { validateResponses: true });
  const list = await call('connections:list', {});
  sandboxId = list[0]?.id ?? '';
  await writeFile(join(dir, 'hr.csv'), CSV);
}, 30_000);

afterAll(async () => {
  await engine.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('workflow over IPC', () => {
  it('answers dialogs through the desktop port and reports a cancel as null', async () => {
    desktop.willOpen(join(dir, 'hr.csv'));
    expect(await call('dialog:open', { purpose: 'csv' })).toEqual({ path: join(dir, 'hr.csv') });
    desktop.willSave(undefined);
    expect(await call('dialog:save', { purpose: 'report', defaultName: 'r.csv' })).toEqual({
      path: null,
    });
    expect(desktop.dialogs.map((d) => d.options.title)).toEqual([
      'Open a CSV to import',
      'Save the run report',
    ]);
    expect((await refused('dialog:open', { purpose: 'anything' })).code).toBe('invalid_request');
  });

  it('inspects a CSV, suggests a mapping and previews the SCIM JSON of sample rows', async () => {
    const inspection = await call('import:inspect', {
      path: join(dir, 'hr.csv'),
      connectionId: sandboxId,
    });
    expect(inspection.diagnostics).toMatchObject({ rows: 4, damagedRows: 0, delimiter: ',' });
    expect(inspection.sample).toHaveLength(4);
    const spec = inspection.suggestion.spec;
    expect(spec.attributes.map((a) => a.target)).toContain('userName');
    const preview = await call('mapping:preview', {
      spec,
      headers: inspection.diagnostics.headers,
      rows: inspection.sample.slice(0, 2),
      connectionId: sandboxId,
    });
    expect(preview.mappingProblems).toEqual([]);
    expect(preview.rows[0]?.resource).toMatchObject({ userName: 'ada.lovelace@porter.example' });
    expect(preview.rows[0]?.groups).toEqual(['Research', 'VPN Users']);

    // A target that does not exist is named at its JSON path, not thrown.
    const bad = await call('mapping:preview', {
      spec: {
        ...spec,
        attributes: [...spec.attributes, { target: 'nonsense', source: { column: 'Department' } }],
      },
      headers: inspection.diagnostics.headers,
      rows: [],
    });
    expect(bad.mappingProblems[0]?.path).toMatch(/^attributes\[\d+\]/);

    const targets = await call('mapping:targets', {
      connectionId: sandboxId,
      resourceType: 'User',
    });
    const userName = targets.find((t) => t.path === 'userName');
    expect(userName).toMatchObject({ required: true, type: 'string' });
    expect(targets.some((t) => t.mutability === 'readOnly')).toBe(false);

    const file = join(dir, 'mapping.json');
    await call('mapping:save', { path: file, spec });
    const loaded = await call('mapping:load', { path: file });
    expect(loaded.spec).toEqual(JSON.parse(await readFile(file, 'utf8')));
  });

  it('says how far the file check got while it reads a big file', async () => {
    const big = join(dir, 'big.csv');
    const lines = ['userName,displayName'];
    for (let i = 0; i < 300_000; i++) lines.push(`user${String(i)}@big.example,User ${String(i)}`);
    await writeFile(big, lines.join('\n'));
    const from = events.length;
    const inspection = await call('import:inspect', { path: big });
    expect(inspection.diagnostics.rows).toBe(300_000);
    const progress = events
      .slice(from)
      .filter((e) => e.event === 'import:progress')
      .map((e) => e.payload as { path: string; rows: number });
    expect(progress.length).toBeGreaterThan(0);
    // The last row can be a multiple of 5,000 read after the 200 ms gap: `rows` may reach the total.
    expect(progress.every((p) => p.path === big && p.rows > 0 && p.rows <= 300_000)).toBe(true);
  }, 30_000);

  it('plans, windows the plan, applies it, lists the run, and undoes it', async () => {
    const inspection = await call('import:inspect', { path: join(dir, 'hr.csv') });
    const { jobId } = await call('plan:start', {
      connectionId: sandboxId,
      csvPath: join(dir, 'hr.csv'),
      mapping: inspection.suggestion.spec,
    });
    const plan = await finished(jobId);
    expect(plan.status, JSON.stringify(plan.error)).toBe('done');
    const planId = plan.outcome?.planId ?? '';
    const info = await call('plan:info', { planId });
    expect(info.counts.create).toBe(4);

    const all = await call('plan:window', { planId, offset: 0, limit: 10 });
    expect(all.total).toBe(4);
    const found = await call('plan:window', { planId, offset: 0, limit: 10, search: 'hopper' });
    expect(found.rows.map((r) => r.display)).toEqual(['grace.hopper@porter.example']);
    expect((await call('plan:row', { planId, seq: 0 })).action).toBe('create');
    expect((await refused('plan:window', { planId, offset: 0, limit: 100_000 })).code).toBe(
      'invalid_request',
    );

    const apply = await call('apply:start', { planId, connectionId: sandboxId });
    const run = await finished(apply.jobId);
    expect(run.status, JSON.stringify(run.error)).toBe('done');
    expect(run.outcome).toMatchObject({ failed: 0, unknown: 0 });
    expect(await userByName('grace.hopper@porter.example')).toMatchObject({ active: true });
    expect(await userByName('alan.turing@porter.example')).toMatchObject({ active: false });
    expect(desktop.progress.at(-1)).toBeNull();
    expect(desktop.notifications.map((n) => n.title)).toContain('Run finished');

    const runs = await call('runs:list', {});
    const view = runs.find((r) => r.id === run.outcome?.runId);
    expect(view).toMatchObject({ status: 'completed', resumable: false, undoable: true });

    const report = join(dir, 'report.csv');
    expect(await call('runs:save-report', { runId: view?.id, path: report })).toEqual({
      path: report,
    });
    expect((await readFile(report, 'utf8')).split('\n').filter(Boolean).length).toBe(5);

    const undo = await finished(
      (await call('runs:undo', { runId: view?.id, connectionId: sandboxId })).jobId,
    );
    expect(undo.status, JSON.stringify(undo.error)).toBe('done');
    const undoInfo = await call('plan:info', { planId: undo.outcome?.planId ?? '' });
    expect(undoInfo.counts.delete).toBe(4);
    const back = await finished(
      (await call('apply:start', { planId: undoInfo.planId, connectionId: sandboxId })).jobId,
    );
    expect(back.status).toBe('done');
    expect(await userByName('grace.hopper@porter.example')).toBeUndefined();
  }, 60_000);

  it('reports failed rows as they happen, with the server answer', async () => {
    const file = join(dir, 'two.csv');
    const rows = ['Employee ID,First Name,Last Name,Work Email,Job Title'];
    for (const n of [1, 2]) {
      rows.push(`91000${String(n)},Kim,Doe${String(n)},kim.doe${String(n)}@porter.example,Clerk`);
    }
    await writeFile(file, rows.join('\n'));
    const spec = (await call('import:inspect', { path: file })).suggestion.spec;
    const plan = async () => {
      const job = await finished(
        (await call('plan:start', { connectionId: sandboxId, csvPath: file, mapping: spec })).jobId,
      );
      return job.outcome?.planId ?? '';
    };
    await finished(
      (await call('apply:start', { planId: await plan(), connectionId: sandboxId })).jobId,
    );
    await writeFile(file, rows.join('\n').replaceAll('Clerk', 'Senior Clerk'));
    const updates = await plan();
    expect((await call('plan:info', { planId: updates })).counts.update).toBe(2);
    // Someone deletes one of them between the preview and the run.
    const live = engine.sandbox();
    const gone = await userByName('kim.doe2@porter.example');
    await fetch(`${live?.url ?? ''}/Users/${String(gone?.['id'])}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${live?.token ?? ''}` },
    });
    const run = await finished(
      (await call('apply:start', { planId: updates, connectionId: sandboxId })).jobId,
    );
    expect(run.outcome?.failed).toBe(1);
    const progress = events
      .filter((e) => e.event === 'job:progress')
      .map((e) => e.payload as JobProgress)
      .filter((p) => p.jobId === run.jobId && p.recentErrors?.length);
    expect(progress.at(-1)?.recentErrors).toEqual([
      expect.objectContaining({
        display: 'kim.doe2@porter.example',
        action: 'update',
        row: 2,
        status: 404,
      }),
    ]);
    expect(await userByName('kim.doe1@porter.example')).toMatchObject({ title: 'Senior Clerk' });
  });

  it('refuses to run a plan against a server other than the one it was made for', async () => {
    const other = await startSandbox({ port: 0, seed: 3 });
    try {
      const saved = await call('connections:save', {
        settings: { name: 'Other', baseUrl: other.url, auth: { kind: 'bearer' } },
        secret: other.token,
      });
      const file = join(dir, 'one.csv');
      await writeFile(file, 'userName\nwrong.server@porter.example\n');
      const spec = (await call('import:inspect', { path: file })).suggestion.spec;
      const plan = await finished(
        (await call('plan:start', { connectionId: sandboxId, csvPath: file, mapping: spec })).jobId,
      );
      const run = await finished(
        (await call('apply:start', { planId: plan.outcome?.planId, connectionId: saved.id })).jobId,
      );
      expect(run.status).toBe('failed');
      expect(run.error?.message).toMatch(/made against .* not /);
      expect(other.store.list('User').map((u) => u['userName'])).not.toContain(
        'wrong.server@porter.example',
      );
    } finally {
      await other.close();
    }
  });

  it('refuses a blocked sweep without the typed count, and runs it with the count', async () => {
    const list = join(dir, 'keep.csv');
    const users = await scimList({ count: '5', filter: 'active eq true' });
    const names = (users.Resources ?? []).map((u) => String(u['userName']));
    expect(names).toHaveLength(5);
    await writeFile(list, ['userName', ...names].join('\n'));
    const inspection = await call('import:inspect', { path: list });
    const { jobId } = await call('plan:start', {
      connectionId: sandboxId,
      csvPath: list,
      mapping: inspection.suggestion.spec,
      mode: 'deactivate-unlisted',
    });
    const plan = await finished(jobId);
    expect(plan.status, JSON.stringify(plan.error)).toBe('done');
    const info = await call('plan:info', { planId: plan.outcome?.planId ?? '' });
    const safeguards = info.summary['safeguards'] as { blocked: boolean; overrideCount: number };
    expect(safeguards.blocked).toBe(true);
    const error = await refused('apply:start', { planId: info.planId, connectionId: sandboxId });
    expect(error.message).toMatch(/safeguard/i);
    const wrong = await refused('apply:start', {
      planId: info.planId,
      connectionId: sandboxId,
      overrideSafeguards: safeguards.overrideCount - 1,
    });
    expect(wrong.code).toBe(error.code);

    // Pause and resume go through to the job (apply-run's own tests cover what pausing holds back).
    const started = await call('apply:start', {
      planId: info.planId,
      connectionId: sandboxId,
      overrideSafeguards: safeguards.overrideCount,
    });
    await call('jobs:control', { jobId: started.jobId, action: 'pause' });
    const jobs = await call('jobs:list', {});
    expect(jobs.find((j) => j.jobId === started.jobId)?.status).toBe('paused');
    await call('jobs:control', { jobId: started.jobId, action: 'resume' });
    const done = await finished(started.jobId);
    expect(done.status, JSON.stringify(done.error)).toBe('done');
    for (const name of names) expect(await userByName(name)).toMatchObject({ active: true });
    expect((await scimList({ filter: 'active eq true', count: '1' })).totalResults).toBe(
      names.length,
    );
  }, 60_000);

  it('cancels an export and says so', async () => {
    const { jobId } = await call('export:start', {
      connectionId: sandboxId,
      resourceType: 'Users',
      outPath: join(dir, 'cancelled.jsonl'),
      format: 'jsonl',
    });
    await call('jobs:control', { jobId, action: 'cancel' });
    expect((await finished(jobId)).status).toBe('cancelled');
  });

  it('exports users to CSV with an attribute subset and a filter', async () => {
    const out = join(dir, 'users.csv');
    const { jobId } = await call('export:start', {
      connectionId: sandboxId,
      resourceType: 'Users',
      outPath: out,
      format: 'csv',
      attributes: ['userName', 'active'],
      filter: 'active eq true',
    });
    const done = await finished(jobId);
    expect(done.status, JSON.stringify(done.error)).toBe('done');
    const lines = (await readFile(out, 'utf8')).trim().split(/\r\n/);
    // The id always comes along: it is what a re-import matches on.
    expect(lines[0]).toBe('id,userName,active');
    expect(lines.length - 1).toBe(done.outcome?.exported);
    expect(lines.slice(1).every((l) => l.endsWith(',true'))).toBe(true);

    expect(
      (
        await refused('export:start', {
          connectionId: sandboxId,
          resourceType: 'Users',
          outPath: out,
          format: 'csv',
          filter: 'active eq',
        })
      ).code,
    ).toBe('invalid_filter');
  });
});
