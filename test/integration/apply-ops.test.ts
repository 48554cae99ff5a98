/**
 * A plan turned into write operations (apply/plan-ops.ts) and run against the sandbox, through
 * Bulk, through single requests, and through `execute` (which picks): creates + updates first, then
 * memberships (incl. a group created in the same run), then managers created in the same run. The
 * assertions are on the server's state afterwards, and a second plan of the same file is a no-op.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createdIdsFromResults,
  indexCreates,
  managerOps,
  membershipOps,
  planRowOps,
  rowBulkId,
  rowVersionsFromResults,
  type MembershipOpsContext,
} from '../../engine/apply/plan-ops';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { openPlan } from '../../engine/plan/plan-file';
import { buildPlan } from '../../engine/plan/planner';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { SandboxFeatures } from '../../sandbox/features';
import { substituteBulkIds, type OpResult, type WriteOp } from '../../engine/scim/ops';
import type { PlanRow } from '../../shared/import/types';
import { parseMappingSpec, type MappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';

const ENT = URN.enterpriseUser;

const MAPPING: MappingSpec = parseMappingSpec({
  version: 1,
  resourceType: 'User',
  attributes: [
    { target: 'userName', source: { column: 'Work Email' }, transforms: ['trim', 'lower'] },
    { target: 'name.givenName', source: { column: 'First Name' } },
    { target: 'name.familyName', source: { column: 'Last Name' } },
    {
      target: 'emails[type eq "work"].value',
      source: { column: 'Work Email' },
      transforms: ['lower'],
    },
    { target: 'title', source: { column: 'Job Title' }, empty: 'clear' },
    { target: `${ENT}:employeeNumber`, source: { column: 'Employee ID' } },
  ],
  active: { column: 'Status' },
  groups: { column: 'Groups', delimiter: ';', mode: 'sync' },
  manager: { column: 'Manager ID', by: 'employeeNumber' },
  match: { keys: [[`${ENT}:employeeNumber`], ['userName']] },
});

const HEADER = 'Employee ID,First Name,Last Name,Work Email,Job Title,Manager ID,Status,Groups\n';
const CSV =
  HEADER +
  // Ada: title changes, leaves Old Team, joins Space (new group), gets Dorothy (new) as manager.
  'E1,Ada,Lovelace,ada@example.com,Principal Engineer,E5,Active,Engineering;Space\n' +
  // Grace: unchanged.
  'E2,Grace,Hopper,grace@example.com,Admiral,,Active,\n' +
  // Alan: terminated.
  'E3,Alan,Turing,alan@example.com,,,Terminated,\n' +
  // New hires; Katherine and Mary report to Dorothy, who is created in the same run.
  'E4,Katherine,Johnson,katherine@example.com,Mathematician,E5,Active,Engineering;Space\n' +
  'E5,Dorothy,Vaughan,dorothy@example.com,Supervisor,,Active,Space\n' +
  'E6,Mary,Jackson,mary@example.com,Engineer,E5,Active,Engineering\n';

type Mode = 'execute' | 'bulk' | 'singles';

type Env = { dir: string; server: SandboxHandle; conn: OpenConnection; ids: Map<string, string> };

async function setUp(features: Partial<SandboxFeatures> = {}): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'scim-porter-apply-'));
  const server = await startSandbox({ port: 0, seed: 0, features });
  const conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
  );
  const ids = new Map<string, string>();
  const people: [string, string, string, string, string?][] = [
    ['ada', 'Ada', 'Lovelace', 'E1', 'Engineer'],
    ['grace', 'Grace', 'Hopper', 'E2', 'Admiral'],
    ['alan', 'Alan', 'Turing', 'E3'],
  ];
  for (const [n, first, last, emp, title] of people) {
    const created = await conn.client.create('/Users', {
      schemas: [URN.user, ENT],
      userName: `${n}@example.com`,
      name: { givenName: first, familyName: last },
      emails: [{ type: 'work', value: `${n}@example.com`, primary: true }],
      active: true,
      ...(title !== undefined ? { title } : {}),
      [ENT]: { employeeNumber: emp },
    });
    ids.set(n, created.id ?? '');
  }
  for (const displayName of ['Engineering', 'Old Team']) {
    const g = await conn.client.create('/Groups', {
      schemas: [URN.group],
      displayName,
      members: [{ value: ids.get('ada') ?? '' }],
    });
    ids.set(displayName, g.id ?? '');
  }
  return { dir, server, conn, ids };
}

async function tearDown(env: Env): Promise<void> {
  await env.conn.close();
  await env.server.close();
  await rm(env.dir, { recursive: true, force: true });
}

async function plan(env: Env, csv = CSV): Promise<PlanRow[]> {
  const csvFile = join(env.dir, `in-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(csvFile, csv);
  const outFile = join(env.dir, `plan-${Math.random().toString(36).slice(2)}.jsonl`);
  await buildPlan({
    csvFile,
    mapping: MAPPING,
    outFile,
    source: { kind: 'server', conn: env.conn, workDir: join(env.dir, 'snapshots') },
  });
  const reader = await openPlan(outFile);
  const rows: PlanRow[] = [];
  for await (const r of reader.rows()) rows.push(r);
  reader.close();
  return rows;
}

async function run(env: Env, mode: Mode, ops: readonly WriteOp[]): Promise<OpResult[]> {
  if (ops.length === 0) return [];
  switch (mode) {
    case 'execute':
      return (await env.conn.client.execute(ops)).results;
    case 'bulk':
      return (await env.conn.client.executeBulk(ops)).results;
    case 'singles':
      return env.conn.client.executeSingles(ops);
  }
}

function expectAllOk(results: readonly OpResult[]): void {
  expect(results.filter((r) => !r.ok)).toEqual([]);
}

/** Applies a plan in three passes; returns every op id sent, in order. */
async function apply(
  env: Env,
  rows: readonly PlanRow[],
  mode: Mode,
  { memberships = true }: { memberships?: boolean } = {},
): Promise<string[]> {
  const eff = env.conn.client.discovery.effective;
  const ctx: MembershipOpsContext = {
    userEndpoint: '/Users',
    groupEndpoint: '/Groups',
    patch: eff.patch,
    etag: eff.etag,
    userSchemaUrn: URN.user,
    maxMembersPerRequest: 2,
  };
  const first = rows.flatMap((r) => planRowOps(r, ctx));
  const firstResults = await run(env, mode, first);
  expectAllOk(firstResults);
  const created = createdIdsFromResults(first, firstResults);
  const versions = rowVersionsFromResults(firstResults);

  const second = memberships ? substituteBulkIds(membershipOps(rows, ctx), created) : [];
  expectAllOk(await run(env, mode, second));

  const index = indexCreates(rows);
  const managers = managerOps(
    rows,
    (seq) => created.get(rowBulkId(seq)),
    (ref) => index.resolve(ref),
    { ...ctx, versionOf: (seq) => versions.get(seq) },
  );
  expect(managers.skipped).toEqual([]);
  expectAllOk(await run(env, mode, managers.ops));
  return [...first, ...second, ...managers.ops].map((o) => o.opId);
}

function byUserName(env: Env): Map<string, ScimResource> {
  return new Map(env.server.store.list('User').map((u) => [String(u['userName']), u]));
}

function membersOf(env: Env, users: Map<string, ScimResource>): Map<string, string[]> {
  const nameById = new Map([...users.values()].map((u) => [u.id, String(u['userName'])]));
  return new Map(
    env.server.store.list('Group').map((g) => {
      const members = Array.isArray(g['members']) ? (g['members'] as { value: string }[]) : [];
      return [
        String(g['displayName']),
        members.map((m) => (nameById.get(m.value) ?? m.value).split('@')[0] ?? '').sort(),
      ];
    }),
  );
}

describe.each<Mode>(['execute', 'bulk', 'singles'])('applying a plan via %s', (mode) => {
  let env: Env;
  beforeAll(async () => {
    env = await setUp();
  });
  afterAll(async () => {
    await tearDown(env);
  });

  it('creates, updates, groups and managers end up exactly as planned on the server', async () => {
    const rows = await plan(env);
    expect(rows.map((r) => [r.display, r.action])).toEqual([
      ['ada@example.com', 'update'],
      ['grace@example.com', 'unchanged'],
      // Terminated and active on the server: a deactivation, not an update (issue #13).
      ['alan@example.com', 'deactivate'],
      ['katherine@example.com', 'create'],
      ['dorothy@example.com', 'create'],
      ['mary@example.com', 'create'],
    ]);
    const opIds = await apply(env, rows, mode);
    expect(opIds).toEqual([
      's0:update',
      's2:deactivate',
      's3:create',
      's4:create',
      's5:create',
      // Groups in order of first mention (Ada: +Space −Old Team; Katherine: +Engineering).
      'grp:g:space:create',
      'grp:g:space:add:0',
      'grp:g:space:add:1',
      'grp:' + (env.ids.get('Old Team') ?? '') + ':remove:0',
      'grp:' + (env.ids.get('Engineering') ?? '') + ':add:0',
      's0:manager',
      's3:manager',
      's5:manager',
    ]);

    const users = byUserName(env);
    expect([...users.keys()].sort()).toEqual([
      'ada@example.com',
      'alan@example.com',
      'dorothy@example.com',
      'grace@example.com',
      'katherine@example.com',
      'mary@example.com',
    ]);
    const u = (n: string): ScimResource => users.get(`${n}@example.com`) ?? { schemas: [] };
    const dorothy = u('dorothy').id;
    expect(u('ada')).toMatchObject({
      id: env.ids.get('ada'),
      title: 'Principal Engineer',
      [ENT]: { employeeNumber: 'E1', manager: { value: dorothy } },
    });
    expect(u('alan')['active']).toBe(false);
    expect(u('grace')).toMatchObject({ title: 'Admiral', active: true });
    expect(u('grace')[ENT]).not.toHaveProperty('manager');
    expect(u('katherine')).toMatchObject({
      name: { givenName: 'Katherine', familyName: 'Johnson' },
      title: 'Mathematician',
      [ENT]: { employeeNumber: 'E4', manager: { value: dorothy } },
    });
    expect(u('mary')[ENT]).toMatchObject({ employeeNumber: 'E6', manager: { value: dorothy } });
    expect(u('dorothy')[ENT]).not.toHaveProperty('manager');

    expect(Object.fromEntries(membersOf(env, users))).toEqual({
      Engineering: ['ada', 'katherine', 'mary'],
      'Old Team': [],
      Space: ['ada', 'dorothy', 'katherine'],
    });

    // Planning the same file again finds nothing left to do.
    const again = await plan(env);
    expect(
      again.filter((r) => r.action !== 'unchanged').map((r) => [r.display, r.changes]),
    ).toEqual([]);
  });
});

describe('applying a plan to a server without PATCH (PUT bodies, If-Match required)', () => {
  let env: Env;
  beforeAll(async () => {
    env = await setUp({ patch: false, bulk: false, requireIfMatch: true });
  });
  afterAll(async () => {
    await tearDown(env);
  });

  it('updates and deactivates with PUT + If-Match and sets new managers with PUT', async () => {
    expect(env.conn.client.discovery.effective).toMatchObject({ patch: false, etag: true });
    // No group changes: membership writes need PATCH (see plan-ops.ts).
    const csv = CSV.split('\n')
      .map((line, i) => (i === 0 || line === '' ? line : line.replace(/,[^,]*$/, ',')))
      .join('\n');
    const rows = await plan(env, csv);
    const opIds = await apply(env, rows, 'execute', { memberships: false });
    expect(opIds).toEqual([
      's0:update',
      's2:deactivate',
      's3:create',
      's4:create',
      's5:create',
      's0:manager',
      's3:manager',
      's5:manager',
    ]);
    const users = byUserName(env);
    expect(users.size).toBe(6);
    const dorothy = users.get('dorothy@example.com')?.id;
    expect(users.get('ada@example.com')).toMatchObject({
      title: 'Principal Engineer',
      [ENT]: { employeeNumber: 'E1', manager: { value: dorothy } },
    });
    expect(users.get('alan@example.com')?.['active']).toBe(false);
    expect(users.get('mary@example.com')).toMatchObject({
      title: 'Engineer',
      [ENT]: { employeeNumber: 'E6', manager: { value: dorothy } },
    });
    const again = await plan(env, csv);
    expect(again.filter((r) => r.action !== 'unchanged').map((r) => r.display)).toEqual([]);
  });
});
