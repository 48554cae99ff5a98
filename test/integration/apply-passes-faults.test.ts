/**
 * The passes after the rows (group creates, membership chunks, managers) against servers that make
 * them hard (issue 14): one that requires If-Match, one that drops the answer to a group create,
 * one with a 15 % fault rate after writes and no uniqueness, and one where a group vanished after
 * planning. Every case asserts the server, and that every remaining problem is counted.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyResult } from '../../engine/apply/apply-run';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { SandboxFeatures } from '../../sandbox/features';
import type { SandboxStore } from '../../sandbox/store';
import {
  MAX_MEMBERS,
  expectExact,
  planPassScenario,
  seedPassScenario,
} from '../harness/pass-scenario';
import { startDeviantServer, type DeviantOptions } from '../servers/deviant-server';

let dir = '';
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-passfaults-'));
});
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers.length = 0;
  await rm(dir, { recursive: true, force: true });
});

async function connect(url: string, token: string): Promise<OpenConnection> {
  const conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: url, auth: { kind: 'bearer', token }, timeoutMs: 5_000 },
  );
  closers.push(() => conn.close());
  return conn;
}

async function sandbox(features: Partial<SandboxFeatures>): Promise<SandboxHandle> {
  const s = await startSandbox({ port: 0, seed: 0, features });
  closers.push(() => s.close());
  seedPassScenario(s.store);
  return s;
}

function apply(conn: OpenConnection, planFile: string, runId?: string): Promise<ApplyResult> {
  return applyPlan({
    conn,
    dataDir: join(dir, 'data'),
    ...(runId ? { runId } : { planFile }),
    target: { baseUrl: conn.discovery.baseUrl },
    maxMembersPerRequest: MAX_MEMBERS,
  });
}

/** Applies, then resumes while anything is left (bounded); returns every result. */
async function applyUntilSettled(conn: OpenConnection, planFile: string): Promise<ApplyResult[]> {
  const results = [await apply(conn, planFile)];
  for (let i = 0; i < 4; i++) {
    const last = results[results.length - 1];
    if (!last || (last.failed === 0 && last.unknown === 0)) break;
    results.push(await apply(conn, planFile, last.run.id));
  }
  return results;
}

function expectClean(r: ApplyResult | undefined): void {
  expect(r?.failed).toBe(0);
  expect(r?.unknown).toBe(0);
  expect(r?.run.status).toBe('completed');
}

describe('apply passes against difficult servers', () => {
  for (const bulk of [false, true]) {
    it(`${bulk ? 'Bulk' : 'no Bulk'}: a server requiring If-Match gets versions on every write`, async () => {
      const s = await sandbox({ bulk, requireIfMatch: true });
      const conn = await connect(s.url, s.token);
      const planFile = await planPassScenario(conn, dir);
      const r = await apply(conn, planFile);
      expectClean(r);
      expectExact(s.store);
    }, 60_000);

    it(`${bulk ? 'Bulk' : 'no Bulk'}: 15 % faults after writes, uniqueness off: 0 duplicates`, async () => {
      const faults: string[] = [];
      const s = await sandbox({
        bulk,
        uniqueness: false,
        // Bulk sends few requests: a fault on one loses the answers of many ops.
        writeFaults: {
          rate: 0.15,
          seed: bulk ? 11 : 7,
          onFault: (kind, method, url) => faults.push(`${kind} ${method} ${url}`),
        },
      });
      const conn = await connect(s.url, s.token);
      const planFile = await planPassScenario(conn, dir);
      const results = await applyUntilSettled(conn, planFile);
      for (const r of results.slice(0, -1)) {
        // A run that left problems says so: counted, not `completed`.
        expect(r.failed + r.unknown).toBeGreaterThan(0);
        expect(r.run.status).not.toBe('completed');
      }
      expectClean(results[results.length - 1]);
      expectExact(s.store);
      // The faults really happened, on creates among others.
      expect(faults.length).toBeGreaterThan(bulk ? 0 : 3);
      expect(faults.some((f) => f.includes('POST'))).toBe(true);
    }, 120_000);
  }

  it('a group create whose answer was lost is settled before its members are sent', async () => {
    const options: DeviantOptions = {
      noBulk: true,
      dropConnection: {
        when: 'after-apply',
        match: (req) => req.method === 'POST' && req.path.endsWith('/Groups'),
        times: 1,
      },
    };
    const d = await startDeviantServer(options);
    closers.push(() => d.close());
    seedPassScenario(d.sandbox);
    const conn = await connect(d.url, d.token);
    const planFile = await planPassScenario(conn, dir);
    const r = await apply(conn, planFile);
    expectClean(r);
    expectExact(d.sandbox);
  }, 60_000);

  it('membership failures are counted, reported with their rows, and fail the run', async () => {
    const s = await sandbox({ bulk: false });
    const conn = await connect(s.url, s.token);
    const planFile = await planPassScenario(conn, dir);
    removeGroup(s.store, 'Legacy');
    const r = await apply(conn, planFile);
    expect(r.failed).toBeGreaterThan(0);
    expect(r.run.status).toBe('completed with failures');
    const passes = r.run.passes ?? {};
    expect((passes['membersAdded']?.failed ?? 0) + (passes['membersRemoved']?.failed ?? 0)).toBe(
      // Legacy: 6 new members added, old0 removed.
      7,
    );
    const report = await readFile(r.reportFile, 'utf8');
    // The failed member changes name the group and carry the server's answer.
    expect(report).toMatch(/Legacy.*failed.*404|Legacy.*failed.*not found/i);
  }, 60_000);
});

function removeGroup(store: SandboxStore, name: string): void {
  const g = store.getGroupByDisplayName(name);
  if (g?.id) store.remove('Group', g.id);
}
