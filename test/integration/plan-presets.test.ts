/**
 * Real-format exports (Okta user export, Microsoft Entra bulk-create template, Google Workspace
 * bulk upload, a generic HR export) are recognised by auto-suggest, and their plans against the
 * sandbox create exactly the users the files describe, attribute by attribute.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { sampleCsv } from '../../engine/csv/read-csv';
import { openPlan } from '../../engine/plan/plan-file';
import { buildPlan } from '../../engine/plan/planner';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { PlanRow } from '../../shared/import/types';
import { leadingLinesToSkip } from '../../shared/mapping/presets';
import { suggestMapping } from '../../shared/mapping/suggest';
import { URN } from '../../shared/scim/urns';

const ENT = URN.enterpriseUser;
const FIXTURES = join(__dirname, '..', 'fixtures', 'presets');
let dir: string;
let server: SandboxHandle;
let conn: OpenConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-presets-'));
  server = await startSandbox({ port: 0, seed: 0 });
  conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 10_000 },
  );
});
afterAll(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function planFixture(
  name: string,
): Promise<{ preset: string | undefined; rows: PlanRow[]; counts: Record<string, number> }> {
  const file = join(FIXTURES, `${name}.csv`);
  const { readFile } = await import('node:fs/promises');
  const first = (await readFile(file, 'latin1')).split(/\r?\n/)[0] ?? '';
  const skipLines = leadingLinesToSkip(first);
  const sample = await sampleCsv(file, 50, { skipLines });
  const suggestion = suggestMapping(
    sample.info.headers,
    sample.rows.map((r) => r.cells),
    { schemas: conn.discovery.schemas },
  );
  const outFile = join(dir, `${name}.plan.jsonl`);
  const result = await buildPlan({
    csvFile: file,
    mapping: suggestion.spec,
    outFile,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
  });
  const reader = await openPlan(outFile);
  const rows: PlanRow[] = [];
  for await (const r of reader.rows()) rows.push(r);
  reader.close();
  return { preset: suggestion.preset, rows, counts: result.summary.counts };
}

function created(rows: PlanRow[], userName: string): Record<string, unknown> {
  const row = rows.find((r) => r.action === 'create' && r.create?.['userName'] === userName);
  expect(row, `a create for ${userName}`).toBeDefined();
  return row?.create ?? {};
}

describe('real-format exports plan correctly with their presets', () => {
  it('Okta user export', async () => {
    const { preset, rows, counts } = await planFixture('okta-user-export');
    expect(preset).toBe('okta-user-export');
    expect(counts).toMatchObject({ create: 2, invalid: 0, conflict: 0 });
    const ada = created(rows, 'ada.lovelace@example.com');
    expect(ada).toMatchObject({
      externalId: '00u1a2b3c4D5e6F7g8h9',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      title: 'Principal Engineer',
      active: true,
      [ENT]: { employeeNumber: '1001', department: 'Engineering', costCenter: 'CC-10' },
    });
    expect(ada['addresses']).toEqual([
      expect.objectContaining({
        type: 'work',
        streetAddress: '1 Analytical Way, Suite 2',
        locality: 'London',
        postalCode: 'EC1A 1BB',
        country: 'GB',
      }),
    ]);
    const charles = created(rows, 'charles.babbage@example.com');
    expect(charles['active']).toBe(false);
    // Managed by Ada, who is created in the same run: resolved when the run has created her.
    const charlesRow = rows.find((r) =>
      r.create === undefined ? false : r.create['userName'] === 'charles.babbage@example.com',
    );
    expect(charlesRow?.managerRef).toEqual({ by: 'employeeNumber', value: '1001' });
  });

  it('Microsoft Entra bulk-create template (version line skipped, "Block sign in" inverted, no passwords)', async () => {
    const { preset, rows, counts } = await planFixture('entra-bulk-create');
    expect(preset).toBe('entra-bulk-create');
    expect(counts).toMatchObject({ create: 2, invalid: 0 });
    const grace = created(rows, 'grace.hopper@contoso.onmicrosoft.com');
    expect(grace).toMatchObject({
      displayName: 'Grace Hopper',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      title: 'Rear Admiral',
      active: true,
      [ENT]: { department: 'Navy' },
    });
    expect(JSON.stringify(rows)).not.toContain('Temp!Pass');
    expect(created(rows, 'alan.turing@contoso.onmicrosoft.com')['active']).toBe(false);
  });

  it('Google Workspace bulk upload (manager by email, no passwords)', async () => {
    const { preset, rows, counts } = await planFixture('google-workspace-upload');
    expect(preset).toBe('google-workspace-upload');
    expect(counts).toMatchObject({ create: 2, invalid: 0 });
    const margaret = created(rows, 'margaret@example.org');
    expect(margaret).toMatchObject({
      name: { givenName: 'Margaret', familyName: 'Hamilton' },
      title: 'Director of Software Engineering',
      [ENT]: { employeeNumber: 'G-2001', department: 'Flight Software', costCenter: 'CC-APOLLO' },
    });
    expect(JSON.stringify(rows)).not.toContain('****');
    const kj = rows.find((r) => r.create?.['userName'] === 'katherine@example.org');
    expect(kj?.managerRef).toEqual({ by: 'email', value: 'margaret@example.org' });
  });

  it('generic HR export (leading zeros kept, terminated → inactive, then an update)', async () => {
    const first = await planFixture('generic-hr');
    expect(first.preset).toBe('generic-hr');
    expect(first.counts).toMatchObject({ create: 3, invalid: 0 });
    const radia = created(first.rows, 'radia.perlman@example.com');
    expect(radia).toMatchObject({
      displayName: 'Radia Perlman',
      [ENT]: { employeeNumber: '000123', department: 'Networking', costCenter: 'CC-NET' },
      active: true,
    });
    expect(created(first.rows, 'ken.thompson@example.com')['active']).toBe(false);

    // Radia exists on the server with another title: the same file now plans one update.
    const { create } =
      first.rows.find((r) => r.create?.['userName'] === 'radia.perlman@example.com') ?? {};
    await conn.client.create('/Users', { ...create!, title: 'Engineer' });
    const second = await planFixture('generic-hr');
    expect(second.counts).toMatchObject({ create: 2, update: 1 });
    const update = second.rows.find((r) => r.action === 'update');
    expect(update?.changes).toEqual([
      { path: 'title', old: 'Engineer', new: 'Distinguished Engineer' },
    ]);
    expect(update?.match?.key).toContain('employeeNumber');
  });
});
