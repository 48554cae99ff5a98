/**
 * Applying plans against the sandbox: the server ends exactly as planned (attributes, memberships,
 * managers, nothing duplicated), a canary stops and resumes, a run settles unknown outcomes from a
 * crash without duplicates, a 409 on create becomes the planned update, safeguards need the count
 * typed back, and a run cannot be started twice.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { openJournal } from '../../engine/apply/journal';
import { acquireRunLock, loadRun, runDir } from '../../engine/apply/run-store';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import type { PlanOptions } from '../../engine/plan/plan-input';
import { connectTo, HR_HEADER, HR_MAPPING, planCsv } from '../harness/plan-fixtures';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';

const ENT = URN.enterpriseUser;
let dir: string;
let server: SandboxHandle;
let conn: OpenConnection;

const MAPPING = HR_MAPPING;
const HEADER = HR_HEADER;

function connect(): Promise<OpenConnection> {
  return connectTo(server);
}

function plan(csv: string, extra: Partial<PlanOptions> = {}): Promise<string> {
  return planCsv(conn, dir, csv, extra);
}

function users(): ScimResource[] {
  return server.store.list('User');
}
function byName(userName: string): ScimResource | undefined {
  return users().find((u) => u['userName'] === userName);
}
function membersOf(displayName: string): string[] {
  const g = server.store.getGroupByDisplayName(displayName);
  return ((g?.['members'] as { value: string }[] | undefined) ?? []).map((m) => m.value).sort();
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-apply-'));
  server = await startSandbox({ port: 0, seed: 0 });
  conn = await connect();
  await conn.client.create('/Users', {
    schemas: [URN.user, ENT],
    userName: 'ada@example.com',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    title: 'Engineer',
    active: true,
    [ENT]: { employeeNumber: 'E1' },
  });
  await conn.client.create('/Groups', { schemas: [URN.group], displayName: 'Engineering' });
  await conn.close();
  conn = await connect();
});
afterEach(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const CSV =
  HEADER +
  'E1,Ada,Lovelace,ada@example.com,Chief Engineer,Active,Engineering;Analytical Engines,\n' +
  'E2,Grace,Hopper,grace@example.com,Admiral,Active,Engineering,E1\n' +
  'E3,Alan,Turing,alan@example.com,Researcher,Terminated,,E2\n';

describe('apply', () => {
  it('brings the server exactly to the plan, then re-plans as all unchanged', async () => {
    const planFile = await plan(CSV);
    let last: Record<string, { done: number; failed: number; total: number }> | undefined;
    const result = await applyPlan({
      conn,
      dataDir: dir,
      planFile,
      target: { baseUrl: server.url },
      onProgress: (p) => {
        if (p.byAction) last = p.byAction;
      },
    });
    expect(last).toEqual({
      create: { done: 2, failed: 0, total: 2 },
      update: { done: 1, failed: 0, total: 1 },
    });
    expect(result.run.status).toBe('completed');
    expect(result.failed).toBe(0);
    expect(users()).toHaveLength(3);
    const ada = byName('ada@example.com');
    const grace = byName('grace@example.com');
    const alan = byName('alan@example.com');
    expect(ada?.['title']).toBe('Chief Engineer');
    expect(alan?.['active']).toBe(false);
    expect((grace?.[ENT] as { manager?: { value: string } }).manager?.value).toBe(ada?.id);
    expect((alan?.[ENT] as { manager?: { value: string } }).manager?.value).toBe(grace?.id);
    expect(membersOf('Engineering')).toEqual([ada?.id, grace?.id].sort());
    expect(membersOf('Analytical Engines')).toEqual([ada?.id]);
    const report = await readFile(result.reportFile, 'utf8');
    expect(report.split('\r\n')[0]).toBe('row,key,action,status,scim_id,error,server_detail');
    expect(report).toMatch(/2,grace@example.com,create,done,[0-9a-f-]+/);
    // Nothing left to do.
    const again = await plan(CSV);
    const second = await applyPlan({ conn, dataDir: dir, planFile: again, target: {} });
    expect(second.run.counts['unchanged']?.done).toBe(3);
    expect(users()).toHaveLength(3);
  });

  it('without PATCH: updates as PUT with If-Match, memberships as one PUT per group', async () => {
    const strict = await startSandbox({
      port: 0,
      seed: 0,
      features: { patch: false, bulk: false, requireIfMatch: true },
    });
    const c = await openWithOptions(
      { id: 's', name: 's', bulk: 'auto' },
      { baseUrl: strict.url, auth: { kind: 'bearer', token: strict.token }, timeoutMs: 10_000 },
    );
    try {
      expect(c.discovery.effective).toMatchObject({ patch: false, etag: true });
      const ada = await c.client.create('/Users', {
        schemas: [URN.user, ENT],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        title: 'Engineer',
        active: true,
        [ENT]: { employeeNumber: 'E1' },
      });
      const old = await c.client.create('/Users', {
        schemas: [URN.user],
        userName: 'old@example.com',
        active: true,
      });
      await c.client.create('/Groups', {
        schemas: [URN.group],
        displayName: 'Engineering',
        members: [{ value: old.id! }],
      });
      const csvFile = join(dir, 'nopatch.csv');
      await writeFile(csvFile, CSV);
      const planFile = join(dir, 'nopatch.jsonl');
      await buildPlan({
        csvFile,
        mapping: MAPPING,
        outFile: planFile,
        source: { kind: 'server', conn: c, workDir: join(dir, 'snapshots') },
      });
      const r = await applyPlan({ conn: c, dataDir: dir, planFile, target: {} });
      expect(r.failed + r.unknown).toBe(0);
      const all = strict.store.list('User');
      expect(all).toHaveLength(4);
      expect(strict.store.get('User', ada.id!)?.['title']).toBe('Chief Engineer');
      const grace = all.find((u: ScimResource) => u['userName'] === 'grace@example.com');
      const eng = strict.store.getGroupByDisplayName('Engineering');
      const members = ((eng?.['members'] as { value: string }[]) ?? []).map((m) => m.value).sort();
      // Added by the plan; a member the CSV does not list is kept (sync works per listed user).
      expect(members).toEqual([ada.id, grace?.id, old.id].sort());
    } finally {
      await c.close();
      await strict.close();
    }
  });

  it('stops after a canary, then resumes to the end without repeating anything', async () => {
    const planFile = await plan(CSV);
    const first = await applyPlan({ conn, dataDir: dir, planFile, target: {}, canary: 1 });
    expect(first.stoppedForCanary).toBe(true);
    expect(first.run.status).toBe('paused');
    expect(byName('ada@example.com')?.['title']).toBe('Chief Engineer');
    expect(users()).toHaveLength(1);
    const resumed = await applyPlan({ conn, dataDir: dir, runId: first.run.id, target: {} });
    expect(resumed.run.status).toBe('completed');
    expect(users()).toHaveLength(3);
    const journal = await readFile(join(runDir(dir, first.run.id), 'journal.jsonl'), 'utf8');
    const intents = journal
      .split('\n')
      .filter((l) => l.includes('"t":"intent"') && l.includes('s0:update'));
    expect(intents).toHaveLength(1);
  });

  it('cancels between batches (what was sent is recorded), pauses and resumes', async () => {
    const planFile = await plan(CSV);
    const stop = new AbortController();
    const cancelled = await applyPlan({
      conn,
      dataDir: dir,
      planFile,
      target: {},
      batchSize: 1,
      onProgress: (p) => {
        if (p.phase === 'rows' && p.done >= 1) stop.abort();
      },
      signal: stop.signal,
    });
    expect(cancelled.run.status).toBe('cancelled');
    const journal = await readFile(join(runDir(dir, cancelled.run.id), 'journal.jsonl'), 'utf8');
    const intents = journal.split('\n').filter((l) => l.includes('"t":"intent"')).length;
    const outcomes = journal.split('\n').filter((l) => l.includes('"t":"outcome"')).length;
    expect(intents).toBeGreaterThan(0);
    expect(outcomes).toBe(intents);
    let paused = true;
    let waited = false;
    const resumed = await applyPlan({
      conn,
      dataDir: dir,
      runId: cancelled.run.id,
      target: {},
      control: {
        paused: () => paused,
        whenResumed: async () => {
          waited = true;
          await new Promise((r) => setTimeout(r, 50));
          paused = false;
        },
      },
    });
    expect(waited).toBe(true);
    expect(resumed.run.status).toBe('completed');
    expect(users()).toHaveLength(3);
  });

  it('settles a create whose outcome was unknown (sent before a crash) without duplicating it', async () => {
    const planFile = await plan(CSV);
    // A first attempt that died after sending Grace's create: the server has her, the journal
    // only the intent.
    const first = await applyPlan({ conn, dataDir: dir, planFile, target: {}, canary: 1 });
    const runPath = runDir(dir, first.run.id);
    const journal = await openJournal(runPath);
    await journal.appendIntents([
      { op: 's1:create', seq: 1, kind: 'create', key: 'grace@example.com' },
    ]);
    await journal.close();
    await conn.client.create('/Users', {
      schemas: [URN.user, ENT],
      userName: 'grace@example.com',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      title: 'Admiral',
      active: true,
      [ENT]: { employeeNumber: 'E2' },
    });
    const resumed = await applyPlan({ conn, dataDir: dir, runId: first.run.id, target: {} });
    expect(resumed.run.status).toBe('completed');
    expect(users().filter((u) => u['userName'] === 'grace@example.com')).toHaveLength(1);
    expect(users()).toHaveLength(3);
    expect(membersOf('Engineering')).toContain(byName('grace@example.com')?.id);
  });

  it('turns a 409 on create into the planned update of the existing account', async () => {
    const planFile = await plan(CSV);
    // Someone creates Alan between planning and applying.
    await conn.client.create('/Users', {
      schemas: [URN.user],
      userName: 'alan@example.com',
      name: { givenName: 'A', familyName: 'T' },
      active: true,
    });
    const result = await applyPlan({ conn, dataDir: dir, planFile, target: {} });
    expect(result.failed).toBe(0);
    expect(users().filter((u) => u['userName'] === 'alan@example.com')).toHaveLength(1);
    const alan = byName('alan@example.com');
    expect(alan?.['title']).toBe('Researcher');
    expect(alan?.['active']).toBe(false);
  });

  it('needs the safeguard count typed back, and refuses a second start of the same run', async () => {
    const csv = HEADER + 'E1,Ada,Lovelace,ada@example.com,,,,\n';
    for (let i = 0; i < 12; i++) {
      await conn.client.create('/Users', {
        schemas: [URN.user],
        userName: `temp${i}@example.com`,
        active: true,
      });
    }
    const planFile = await plan(csv, { mode: 'deactivate-unlisted' });
    await expect(applyPlan({ conn, dataDir: dir, planFile, target: {} })).rejects.toThrow(
      'The plan exceeds a safeguard. The plan deactivates 12 of 13 accounts in scope',
    );
    await expect(
      applyPlan({ conn, dataDir: dir, planFile, target: {}, overrideSafeguards: 11 }),
    ).rejects.toMatchObject({
      facts: { nextStep: expect.stringContaining('--override-safeguards 12') as unknown },
    });
    const done = await applyPlan({
      conn,
      dataDir: dir,
      planFile,
      target: {},
      overrideSafeguards: 12,
    });
    expect(users().filter((u) => u['active'] === false)).toHaveLength(12);
    // A second process holding the lock: the run refuses to start twice.
    const lock = await acquireRunLock(runDir(dir, done.run.id));
    await expect(applyPlan({ conn, dataDir: dir, runId: done.run.id, target: {} })).rejects.toThrow(
      /is already running/,
    );
    expect((await loadRun(dir, done.run.id)).status).toBe('completed');
    const { releaseRunLock } = await import('../../engine/apply/run-store');
    await releaseRunLock(lock);
  });
});
