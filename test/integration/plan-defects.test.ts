/**
 * The defects of issue #13, each reproduced against a real loopback server: deactivations hidden
 * as updates, listed keys that match nobody shown as "unchanged", protected accounts never
 * mentioned, a plan file trusted as written, and immutable attributes never checked.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import type { OpenConnection } from '../../engine/connections/open-connection';
import { openPlan } from '../../engine/plan/plan-file';
import { buildPlan } from '../../engine/plan/planner';
import type { PlanOptions } from '../../engine/plan/plan-input';
import type { PlanRow } from '../../shared/import/types';
import { parseMappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { connectTo, HR_HEADER, HR_MAPPING } from '../harness/plan-fixtures';
import { startDeviantServer, type DeviantServer } from '../servers/deviant-server';

const ENT = URN.enterpriseUser;
let dir: string;
let server: DeviantServer;
let conn: OpenConnection;

function person(n: number, extra: Record<string, unknown> = {}): ScimResource {
  return {
    schemas: [URN.user, ENT],
    userName: `p${n}@example.com`,
    name: { givenName: `P${n}`, familyName: 'Q' },
    title: 'Clerk',
    active: true,
    [ENT]: { employeeNumber: `E${n}` },
    ...extra,
  };
}

async function plan(csv: string, extra: Partial<PlanOptions> = {}, c: OpenConnection = conn) {
  const tag = Math.random().toString(36).slice(2);
  const csvFile = join(dir, `in-${tag}.csv`);
  await writeFile(csvFile, csv);
  const outFile = join(dir, `plan-${tag}.jsonl`);
  const result = await buildPlan({
    csvFile,
    mapping: HR_MAPPING,
    outFile,
    source: { kind: 'server', conn: c, workDir: join(dir, 'snapshots') },
    ...extra,
  });
  const reader = await openPlan(outFile);
  const rows: PlanRow[] = [];
  for await (const r of reader.rows()) rows.push(r);
  reader.close();
  return { summary: result.summary, rows, outFile };
}

function userNamed(userName: string): ScimResource | undefined {
  return server.sandbox.list('User').find((u: ScimResource) => u['userName'] === userName);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-defects-'));
  server = await startDeviantServer({ seed: false });
  conn = await connectTo(server);
  for (let n = 1; n <= 12; n++) await conn.client.create('/Users', person(n));
});

afterAll(async () => {
  await conn.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('issue #13 defects', () => {
  it('counts an HR row whose status means inactive, for an active account, as a deactivation', async () => {
    const csv =
      HR_HEADER +
      // Terminated and promoted at once: one deactivation whose detail lists the other change.
      'E1,P1,Q,p1@example.com,Senior Clerk,Terminated,,\n' +
      'E2,P2,Q,p2@example.com,Clerk,Active,,\n';
    const { summary, rows } = await plan(csv, {
      safeguards: {
        deactivate: { maxCount: 0, maxPercent: 100 },
        delete: { maxCount: 500, maxPercent: 20 },
        reactivate: { maxCount: 500, maxPercent: 20 },
      },
    });
    expect(summary.counts).toMatchObject({ deactivate: 1, update: 0, unchanged: 1 });
    const p1 = rows.find((r) => r.display === 'p1@example.com');
    expect(p1?.action).toBe('deactivate');
    expect(p1?.changes?.map((c) => c.path).sort()).toEqual(['active', 'title']);
    const check = summary.safeguards.checks.find((c) => c.kind === 'deactivate');
    expect(check).toMatchObject({ count: 1, exceeded: true });
    expect(summary.safeguards.blocked).toBe(true);
  });

  it('says "not found" for a listed key that matches no account, not "unchanged"', async () => {
    const { summary, rows } = await plan(
      HR_HEADER + 'E3,P3,Q,p3@example.com,,,,\nE404,No,Body,nobody@example.com,,,,\n',
      { mode: 'deactivate-listed' },
    );
    expect(summary.counts).toMatchObject({ deactivate: 1, 'not-found': 1, unchanged: 0 });
    expect(rows.find((r) => r.row === 2)?.action).toBe('not-found');
  });

  it('says "not found" for keep-list entries matching nobody, and counts protected accounts spared', async () => {
    const keep = Array.from({ length: 10 }, (_, i) => `E${i + 1},,,,,,,`).join('\n');
    const { summary, rows } = await plan(`${HR_HEADER}${keep}\nE999,,,,,,,\n`, {
      mode: 'deactivate-unlisted',
      protect: ['p11@example.com', 'ghost@example.com'],
    });
    expect(summary.counts).toMatchObject({ unchanged: 10, 'not-found': 1, protected: 1 });
    expect(summary.counts.deactivate).toBe(1);
    expect(rows.find((r) => r.action === 'protected')?.display).toBe('p11@example.com');
    expect(summary.protect).toMatchObject({
      entries: 2,
      spared: 1,
      unmatched: ['ghost@example.com'],
    });
    expect(summary.warnings.join(' ')).toContain('ghost@example.com');
  });

  it('refuses a plan whose summary verdict was edited, before any request', async () => {
    const { outFile } = await plan(HR_HEADER + 'E4,P4,Q,p4@example.com,,,,\n', {
      mode: 'deactivate-listed',
      safeguards: {
        deactivate: { maxCount: 0, maxPercent: 100 },
        delete: { maxCount: 500, maxPercent: 20 },
        reactivate: { maxCount: 500, maxPercent: 20 },
      },
    });
    const text = await readFile(outFile, 'utf8');
    expect(text).toContain('"blocked":true');
    await writeFile(outFile, text.replace('"blocked":true', '"blocked":false'));
    const before = server.requests.length;
    await expect(
      applyPlan({ conn, dataDir: dir, planFile: outFile, target: { baseUrl: server.url } }),
    ).rejects.toThrow(/summary/i);
    expect(server.requests.length).toBe(before);
    expect(userNamed('p4@example.com')?.['active']).toBe(true);
  });

  it('refuses a plan whose row operations disagree with its changes, before any request', async () => {
    const { outFile } = await plan(HR_HEADER + 'E5,P5,Q,p5@example.com,Boss,Active,,\n');
    const text = await readFile(outFile, 'utf8');
    const edited = text.replace(
      '{"op":"replace","path":"title","value":"Boss"}',
      '{"op":"replace","path":"active","value":false}',
    );
    expect(edited).not.toBe(text);
    await writeFile(outFile, edited);
    const before = server.requests.length;
    await expect(
      applyPlan({ conn, dataDir: dir, planFile: outFile, target: { baseUrl: server.url } }),
    ).rejects.toThrow(/operations/i);
    expect(server.requests.length).toBe(before);
    expect(userNamed('p5@example.com')).toMatchObject({ active: true, title: 'Clerk' });
  });

  it('marks a change to an immutable attribute as a row problem naming the attribute', async () => {
    const frozen = await startDeviantServer({
      seed: false,
      mutability: { [`${ENT}:employeeNumber`]: 'immutable' },
    });
    const c = await connectTo(frozen);
    try {
      await c.client.create('/Users', person(50));
      const mapping = parseMappingSpec({
        version: 1,
        attributes: [
          { target: 'userName', source: { column: 'Email' } },
          { target: `${ENT}:employeeNumber`, source: { column: 'Id' } },
        ],
        match: { keys: [['userName']] },
      });
      const { summary, rows } = await plan('Id,Email\nE51,p50@example.com\n', { mapping }, c);
      expect(summary.counts).toMatchObject({ invalid: 1, update: 0 });
      const problem = rows[0]?.problems?.find((p) => p.code === 'immutable_change');
      expect(problem?.message).toContain('employeeNumber');
    } finally {
      await c.close();
      await frozen.close();
    }
  });
});
