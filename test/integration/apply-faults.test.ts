/**
 * Applying plans through injected faults (test/servers/deviant-server.ts in front of the sandbox):
 * 429 with Retry-After, 503s before and after the server applied a write, connections dropped
 * before and after a write, Bulk with partial failures, and ETag conflicts. Every case asserts the
 * server afterwards: each planned user exactly once, the planned attributes, failures reported.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { writeFailedRows } from '../../engine/apply/failed-rows';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import { parseMappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import {
  startDeviantServer,
  type DeviantOptions,
  type DeviantServer,
} from '../servers/deviant-server';

const MAPPING = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'name.givenName', source: { column: 'First' } },
    { target: 'name.familyName', source: { column: 'Last' } },
    { target: 'title', source: { column: 'Title' } },
  ],
  match: { keys: [['userName']] },
});

let dir = '';
let server: DeviantServer | undefined;
let conn: OpenConnection | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-faults-'));
});
afterEach(async () => {
  await conn?.close();
  await server?.close();
  conn = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function setUp(options: DeviantOptions, n: number): Promise<{ planFile: string }> {
  server = await startDeviantServer(options);
  conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: server.url, auth: { kind: 'bearer', token: server.token }, timeoutMs: 5_000 },
  );
  const lines = ['Email,First,Last,Title'];
  for (let i = 0; i < n; i++) lines.push(`user${i}@example.com,First${i},Last${i},Title ${i}`);
  const csvFile = join(dir, 'in.csv');
  await writeFile(csvFile, `${lines.join('\n')}\n`);
  const planFile = join(dir, 'plan.jsonl');
  await buildPlan({
    csvFile,
    mapping: MAPPING,
    outFile: planFile,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
  });
  return { planFile };
}

function users(): ScimResource[] {
  return server?.sandbox.list('User') ?? [];
}

function expectEachOnce(n: number): void {
  const names = users().map((u) => u['userName']);
  expect(names).toHaveLength(n);
  expect(new Set(names).size).toBe(n);
  for (let i = 0; i < n; i += 7) {
    const u = users().find((x) => x['userName'] === `user${i}@example.com`);
    expect(u?.['title']).toBe(`Title ${i}`);
  }
}

describe('apply through faults', () => {
  it('honours 429 Retry-After and finishes with every user once', async () => {
    const { planFile } = await setUp(
      { noBulk: true, rateLimit: { perSecond: 8, retryAfter: 'seconds' } },
      30,
    );
    const r = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    expect(r.failed + r.unknown).toBe(0);
    expect(conn!.http.stats().throttled).toBeGreaterThan(0);
    expectEachOnce(30);
  }, 60_000);

  it('survives 503s answered after the server applied the write (no duplicates)', async () => {
    const { planFile } = await setUp({ noBulk: true, fail503: { every: 3, after: true } }, 25);
    const r = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    expect(r.failed + r.unknown).toBe(0);
    expectEachOnce(25);
  }, 60_000);

  it('survives 503s answered before the write', async () => {
    const { planFile } = await setUp({ noBulk: true, fail503: { every: 3, before: true } }, 25);
    const r = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    expect(r.failed + r.unknown).toBe(0);
    expectEachOnce(25);
  }, 60_000);

  it('settles creates whose connection dropped after the write by looking them up', async () => {
    const posts = (when: 'before-apply' | 'after-apply') => ({
      when,
      match: (req: { method: string; path: string }) =>
        req.method === 'POST' && req.path.endsWith('/Users'),
      times: 3,
    });
    const { planFile } = await setUp({ noBulk: true, dropConnection: posts('after-apply') }, 20);
    const first = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    // The three dropped creates were applied but their answers lost: the run recorded them as
    // unknown, then found them by userName instead of creating them again.
    const journal = await readFile(join(dir, 'runs', first.run.id, 'journal.jsonl'), 'utf8');
    expect(journal.match(/"status":"unknown"/g)).toHaveLength(3);
    expect(first.failed + first.unknown).toBe(0);
    expectEachOnce(20);
    // A resume has nothing left to do and changes nothing.
    const resumed = await applyPlan({ conn: conn!, dataDir: dir, runId: first.run.id, target: {} });
    expect(resumed.failed + resumed.unknown).toBe(0);
    expectEachOnce(20);
  }, 60_000);

  it('resends creates whose connection dropped before the write', async () => {
    const { planFile } = await setUp(
      {
        noBulk: true,
        dropConnection: {
          when: 'before-apply',
          match: (req) => req.method === 'POST' && req.path.endsWith('/Users'),
          times: 2,
        },
      },
      15,
    );
    const first = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    const resumed =
      first.unknown > 0
        ? await applyPlan({ conn: conn!, dataDir: dir, runId: first.run.id, target: {} })
        : first;
    expect(resumed.failed + resumed.unknown).toBe(0);
    expectEachOnce(15);
  }, 60_000);

  it('Bulk with partial failures: existing accounts (409) become updates, the rest are created', async () => {
    const { planFile } = await setUp({}, 30);
    expect(conn!.discovery.effective.bulk.enabled).toBe(true);
    // Two of the planned users appear between planning and applying.
    for (const i of [4, 9]) {
      await conn!.client.create('/Users', {
        schemas: [URN.user],
        userName: `user${i}@example.com`,
        title: 'Old',
      });
    }
    const r = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    expect(r.failed + r.unknown).toBe(0);
    expectEachOnce(30);
    expect(users().find((u) => u['userName'] === 'user9@example.com')?.['title']).toBe('Title 9');
  }, 60_000);

  it('reports an ETag conflict (412) as a failed row with a sentence, and applies the rest', async () => {
    const { planFile: seedPlan } = await setUp({ noBulk: true, etagRequired: true }, 5);
    await applyPlan({ conn: conn!, dataDir: dir, planFile: seedPlan, target: {} });
    // A second plan changes every title…
    const lines = ['Email,First,Last,Title'];
    for (let i = 0; i < 5; i++) lines.push(`user${i}@example.com,First${i},Last${i},New ${i}`);
    const csvFile = join(dir, 'changes.csv');
    await writeFile(csvFile, `${lines.join('\n')}\n`);
    const planFile = join(dir, 'changes.jsonl');
    await buildPlan({
      csvFile,
      mapping: MAPPING,
      outFile: planFile,
      source: { kind: 'server', conn: conn!, workDir: join(dir, 'snapshots') },
    });
    // …but someone edits user2 after the plan was made: its If-Match is stale.
    const u2 = users().find((u) => u['userName'] === 'user2@example.com');
    await conn!.client.patch(
      '/Users',
      u2!.id!,
      [{ op: 'replace', path: 'title', value: 'Edited' }],
      {
        ...(u2?.meta?.version ? { ifMatch: u2.meta.version } : {}),
      },
    );
    const r = await applyPlan({ conn: conn!, dataDir: dir, planFile, target: {} });
    expect(r.failed).toBe(1);
    const titles = users().map((u) => [u['userName'], u['title']]);
    expect(titles).toContainEqual(['user2@example.com', 'Edited']);
    expect(titles).toContainEqual(['user3@example.com', 'New 3']);
    // The failed row, in the CSV's own columns, to fix and run again.
    const failedFile = join(dir, 'failed.csv');
    const n = await writeFailedRows({ planFile, reportFile: r.reportFile, outFile: failedFile });
    expect(n).toBe(1);
    expect(await readFile(failedFile, 'utf8')).toBe(
      'Email,First,Last,Title\r\nuser2@example.com,First2,Last2,New 2\r\n',
    );
    const report = await readFile(r.reportFile, 'utf8');
    expect(report).toMatch(
      /user2@example.com,update,failed,[^,]*,[^\r\n]*(changed|412|precondition)/i,
    );
  }, 60_000);
});
