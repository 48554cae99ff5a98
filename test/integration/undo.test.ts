/**
 * Undo of a run against the sandbox: the undo plan deletes what the run created, restores what it
 * updated or deactivated, takes back the memberships it added, and re-creates what it deleted (with
 * a new id and its groups); applied like any plan, it brings the server back to where it was.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { buildUndoPlan, restoreOperations } from '../../engine/apply/undo';
import type { OpenConnection } from '../../engine/connections/open-connection';
import { openPlan } from '../../engine/plan/plan-file';
import type { PlanOptions } from '../../engine/plan/plan-input';
import { connectTo, HR_HEADER, planCsv } from '../harness/plan-fixtures';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { PlanRow } from '../../shared/import/types';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';

const ENT = URN.enterpriseUser;
let dir: string;
let server: SandboxHandle;
let conn: OpenConnection;

const HEADER = HR_HEADER;

function connect(): Promise<OpenConnection> {
  return connectTo(server);
}

function plan(csv: string, extra: Partial<PlanOptions> = {}): Promise<string> {
  return planCsv(conn, dir, csv, extra);
}

async function apply(planFile: string): Promise<string> {
  const result = await applyPlan({ conn, dataDir: dir, planFile, target: { baseUrl: server.url } });
  expect(result.run.status).toBe('completed');
  expect(result.failed).toBe(0);
  return result.run.id;
}

async function undo(runId: string): Promise<{ file: string; rows: PlanRow[]; notes: string[] }> {
  const outFile = join(dir, `undo-${runId}.jsonl`);
  const { file, notes } = await buildUndoPlan({ dataDir: dir, runId, conn, outFile });
  const reader = await openPlan(file);
  try {
    const rows: PlanRow[] = [];
    for await (const row of reader.rows()) rows.push(row);
    expect(reader.header.mode).toBe('upsert');
    expect(reader.header.undoOf).toBe(runId);
    return { file, rows, notes };
  } finally {
    reader.close();
  }
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
/** A user's attributes as the server has them, without what the server manages. */
async function attributesOf(userName: string): Promise<Record<string, unknown>> {
  const u = byName(userName);
  if (!u?.id) throw new Error(`${userName} is missing`);
  const full = await conn.client.get('/Users', u.id);
  const rest: Record<string, unknown> = { ...full };
  delete rest['id'];
  delete rest['meta'];
  delete rest['groups'];
  return rest;
}

async function addMember(group: string, userId: string): Promise<void> {
  const g = server.store.getGroupByDisplayName(group);
  await conn.client.execute([
    {
      opId: 'seed',
      method: 'PATCH',
      endpoint: '/Groups',
      id: g?.id ?? '',
      data: {
        schemas: [URN.patchOp],
        Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }],
      },
    },
  ]);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-undo-'));
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
  await conn.client.create('/Users', {
    schemas: [URN.user, ENT],
    userName: 'bob@example.com',
    name: { givenName: 'Bob', familyName: 'Builder' },
    title: 'Clerk',
    active: true,
    [ENT]: { employeeNumber: 'E4' },
  });
  const carol = await conn.client.create('/Users', {
    schemas: [URN.user, ENT],
    userName: 'carol@example.com',
    name: { givenName: 'Carol', familyName: 'Shaw' },
    title: 'Designer',
    active: true,
    emails: [{ value: 'carol@example.com', type: 'work', primary: true }],
    [ENT]: { employeeNumber: 'E5', department: 'Games' },
  });
  await conn.client.create('/Groups', { schemas: [URN.group], displayName: 'Engineering' });
  await conn.client.create('/Groups', { schemas: [URN.group], displayName: 'Games' });
  await addMember('Engineering', carol.id ?? '');
  await addMember('Games', carol.id ?? '');
  await conn.close();
  conn = await connect();
});
afterEach(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('undo', () => {
  it('takes back creates, updates, deactivations and membership adds', async () => {
    const adaBefore = await attributesOf('ada@example.com');
    const bobBefore = await attributesOf('bob@example.com');
    const engineeringBefore = membersOf('Engineering');
    const csv =
      HEADER +
      'E1,Ada,Lovelace,ada@example.com,Chief Engineer,Active,Engineering,\n' +
      'E4,Bob,Builder,bob@example.com,Clerk,Terminated,,E2\n' +
      'E2,Grace,Hopper,grace@example.com,Admiral,Active,Engineering,E1\n' +
      'E3,Alan,Turing,alan@example.com,Researcher,Active,,E2\n';
    const runId = await apply(await plan(csv));
    expect(byName('ada@example.com')?.['title']).toBe('Chief Engineer');
    expect(byName('bob@example.com')?.['active']).toBe(false);
    // Bob's manager is Grace, created in the same run (a `s1:manager` op).
    const graceId = byName('grace@example.com')?.id;
    expect((byName('bob@example.com')?.[ENT] as { manager?: { value: string } }).manager).toEqual(
      expect.objectContaining({ value: graceId }),
    );
    expect(users()).toHaveLength(5);

    const { file, rows } = await undo(runId);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
    const deletes = rows.filter((r) => r.action === 'delete').map((r) => r.display);
    expect(deletes.sort()).toEqual(['alan@example.com', 'grace@example.com']);
    const ada = rows.find((r) => r.display === 'ada@example.com');
    expect(ada?.action).toBe('update');
    expect(ada?.changes).toContainEqual({
      path: 'title',
      old: 'Chief Engineer',
      new: 'Engineer',
    });
    expect(ada?.groups?.remove).toEqual([
      { display: 'Engineering', id: server.store.getGroupByDisplayName('Engineering')?.id },
    ]);
    // Bringing back a deactivated account is a reactivation (issue #13).
    const bob = rows.find((r) => r.display === 'bob@example.com');
    expect(bob?.action).toBe('reactivate');
    expect(bob?.operations).toContainEqual({ op: 'replace', path: 'active', value: true });
    expect(bob?.operations).toContainEqual({ op: 'remove', path: `${ENT}:manager` });

    await apply(file);
    expect(users()).toHaveLength(3);
    expect(byName('grace@example.com')).toBeUndefined();
    expect(byName('alan@example.com')).toBeUndefined();
    expect(await attributesOf('ada@example.com')).toEqual(adaBefore);
    expect(await attributesOf('bob@example.com')).toEqual(bobBefore);
    expect(membersOf('Engineering')).toEqual(engineeringBefore);
  });

  it('leaves alone a membership the run did not change (already there when it was sent)', async () => {
    // The plan adds Ada to Engineering; before the run, someone else adds her.
    const planFile = await plan(
      HEADER + 'E1,Ada,Lovelace,ada@example.com,Engineer,Active,Engineering,\n',
    );
    const adaId = byName('ada@example.com')?.id ?? '';
    await addMember('Engineering', adaId);
    const before = membersOf('Engineering');
    const runId = await apply(planFile);
    expect(membersOf('Engineering')).toEqual(before);
    const { file, rows } = await undo(runId);
    const ada = rows.find((r) => r.display === 'ada@example.com');
    expect(ada?.groups?.remove ?? []).toEqual([]);
    if (rows.length) await apply(file);
    expect(membersOf('Engineering')).toEqual(before);
    expect(membersOf('Engineering')).toContain(adaId);
  });

  it('re-creates a deleted user from its saved state, with a new id and its groups', async () => {
    const carolBefore = await attributesOf('carol@example.com');
    const oldId = byName('carol@example.com')?.id;
    const runId = await apply(
      await plan(HEADER + 'E5,Carol,Shaw,carol@example.com,Designer,Active,,\n', {
        mode: 'delete-listed',
      }),
    );
    expect(byName('carol@example.com')).toBeUndefined();

    const { file, rows, notes } = await undo(runId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.action).toBe('create');
    expect(rows[0]?.problems?.[0]?.message).toMatch(/NEW id/);
    expect(notes.join('\n')).toMatch(/NEW id/);
    expect(rows[0]?.groups?.add.map((g) => g.display).sort()).toEqual(['Engineering', 'Games']);

    await apply(file);
    const carol = byName('carol@example.com');
    expect(carol?.id).toBeDefined();
    expect(carol?.id).not.toBe(oldId);
    expect(await attributesOf('carol@example.com')).toEqual(carolBefore);
    expect(membersOf('Engineering')).toEqual([carol?.id]);
    expect(membersOf('Games')).toEqual([carol?.id]);
  });

  it('restores changed attributes with replace, and removes what did not exist before', () => {
    const prior: ScimResource = {
      schemas: [URN.user, ENT],
      id: 'x',
      userName: 'a',
      title: 'T',
      [ENT]: { employeeNumber: '1', manager: { value: 'm1' } },
    };
    const current: ScimResource = {
      schemas: [URN.user, ENT],
      id: 'x',
      userName: 'a',
      nickName: 'N',
      meta: { version: 'W/"2"' },
      [ENT]: { employeeNumber: '1', manager: { value: 'm2' } },
    };
    const { operations } = restoreOperations(prior, current);
    expect(operations).toEqual([
      { op: 'remove', path: 'nickName' },
      { op: 'replace', path: 'title', value: 'T' },
      { op: 'replace', path: `${ENT}:manager`, value: { value: 'm1' } },
    ]);
  });
});
