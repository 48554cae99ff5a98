/**
 * Plan → apply → re-plan against an independent SCIM implementation (scimmy), so the executor is
 * proven on code we did not write: users created and updated, memberships added, nothing
 * duplicated, and the same CSV then plans as unchanged.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import { parseMappingSpec } from '../../shared/mapping/spec';
import { URN } from '../../shared/scim/urns';
import { startScimmyServer, type ScimmyServer } from '../servers/scimmy-server';

let dir = '';
let server: ScimmyServer;
let conn: OpenConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-apply-scimmy-'));
  server = await startScimmyServer();
  conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
  );
  await conn.client.create('/Users', {
    schemas: [URN.user],
    userName: 'ada@example.com',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    title: 'Engineer',
  });
  await conn.client.create('/Groups', { schemas: [URN.group], displayName: 'Engineering' });
});
afterAll(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const MAPPING = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'name.givenName', source: { column: 'First' } },
    { target: 'name.familyName', source: { column: 'Last' } },
    { target: 'title', source: { column: 'Title' } },
  ],
  groups: { column: 'Groups', mode: 'add' },
  match: { keys: [['userName']] },
});

async function planOf(
  csv: string,
  name: string,
): Promise<{ file: string; counts: Record<string, number> }> {
  const csvFile = join(dir, `${name}.csv`);
  await writeFile(csvFile, csv);
  const file = join(dir, `${name}.jsonl`);
  const r = await buildPlan({
    csvFile,
    mapping: MAPPING,
    outFile: file,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
  });
  return { file, counts: r.summary.counts };
}

describe('apply against scimmy (independent server)', () => {
  it('creates, updates and adds memberships exactly; the same CSV then plans unchanged', async () => {
    const csv =
      'Email,First,Last,Title,Groups\n' +
      'ada@example.com,Ada,Lovelace,Chief Engineer,Engineering\n' +
      'grace@example.com,Grace,Hopper,Admiral,Engineering\n' +
      'alan@example.com,Alan,Turing,Researcher,\n';
    const first = await planOf(csv, 'first');
    expect(first.counts).toMatchObject({ create: 2, update: 1 });
    const result = await applyPlan({ conn, dataDir: dir, planFile: first.file, target: {} });
    expect(result.failed + result.unknown).toBe(0);
    const users = [...server.users.values()];
    expect(users.map((u) => u['userName']).sort()).toEqual([
      'ada@example.com',
      'alan@example.com',
      'grace@example.com',
    ]);
    const ada = users.find((u) => u['userName'] === 'ada@example.com');
    expect(ada?.['title']).toBe('Chief Engineer');
    const engineering = [...server.groups.values()].find((g) => g['displayName'] === 'Engineering');
    const members = ((engineering?.['members'] as { value: string }[] | undefined) ?? []).map(
      (m) => m.value,
    );
    const grace = users.find((u) => u['userName'] === 'grace@example.com');
    expect(members.sort()).toEqual([ada?.['id'], grace?.['id']].sort());
    const again = await planOf(csv, 'again');
    expect(again.counts).toMatchObject({ create: 0, update: 0, unchanged: 3 });
  });
});
