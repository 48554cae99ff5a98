/**
 * The run screen's live counts (issue 19): every progress event of a run carries per-pass counts
 * (rows, groups, members, managers), the last one equals the run's recorded counts, and failed
 * member changes appear in the live failure list with the server's answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyProgress } from '../../engine/apply/apply-run';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { MAX_MEMBERS, planPassScenario, seedPassScenario } from '../harness/pass-scenario';

let dir = '';
let server: SandboxHandle;
let conn: OpenConnection;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-passprogress-'));
  server = await startSandbox({ port: 0, seed: 0, features: { bulk: false } });
  seedPassScenario(server.store);
  conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 5_000 },
  );
});
afterEach(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(): Promise<{
  events: ApplyProgress[];
  result: Awaited<ReturnType<typeof applyPlan>>;
}> {
  const planFile = await planPassScenario(conn, dir);
  const events: ApplyProgress[] = [];
  const result = await applyPlan({
    conn,
    dataDir: join(dir, 'data'),
    planFile,
    target: { baseUrl: server.url },
    maxMembersPerRequest: MAX_MEMBERS,
    onProgress: (p) => events.push(p),
  });
  return { events, result };
}

describe('per-pass progress', () => {
  it('every event has per-pass counts; the last equals the run record', async () => {
    const { events, result } = await run();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.byPass).toBeDefined();
    const last = events.at(-1)?.byPass ?? {};
    const passes = result.run.passes ?? {};
    const rows = Object.values(result.run.counts).reduce((n, c) => n + c.done, 0);
    expect(last.rows?.failed).toBe(0);
    expect(last.rows?.done).toBeGreaterThan(0);
    expect(last.rows?.done).toBeLessThanOrEqual(rows);
    expect(last.groups).toMatchObject({
      done: passes['groupsCreated']?.done ?? 0,
      failed: 0,
      unknown: 0,
    });
    const members = (passes['membersAdded']?.done ?? 0) + (passes['membersRemoved']?.done ?? 0);
    expect(last.members?.done).toBe(members);
    expect(last.members?.total).toBe(members);
    expect(last.managers?.done).toBe(passes['managersSet']?.done ?? 0);
    // The planned totals are known from the first event on.
    expect(events[0]?.byPass?.members?.total).toBe(members);
  }, 60_000);

  it('failed member changes are in the live failure list, with the server answer', async () => {
    const planFile = await planPassScenario(conn, dir);
    const g = server.store.getGroupByDisplayName('Legacy');
    if (g?.id) server.store.remove('Group', g.id);
    const events: ApplyProgress[] = [];
    const result = await applyPlan({
      conn,
      dataDir: join(dir, 'data'),
      planFile,
      target: { baseUrl: server.url },
      maxMembersPerRequest: MAX_MEMBERS,
      onProgress: (p) => events.push(p),
    });
    expect(result.run.status).toBe('completed with failures');
    const last = events.at(-1);
    expect(last?.byPass?.members?.failed).toBe(7);
    const legacy = (last?.recentErrors ?? []).filter((e) => e.action.includes('"Legacy"'));
    expect(legacy.length).toBeGreaterThan(0);
    expect(legacy[0]?.message).toMatch(/gone|not found/i);
  }, 60_000);
});
