/**
 * Issue 15, servers: deviating SCIM servers that misreport what they hold (ignored startIndex,
 * totalResults too small or too large, empty 200s for filters they do not support, ignored
 * filters, a GET by id answering another user). Export, plan (snapshot and per-row), sweeps,
 * apply and undo must do no damage — asserted on the server.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../engine/apply/apply-run';
import { buildUndoPlan } from '../../engine/apply/undo';
import type { OpenConnection } from '../../engine/connections/open-connection';
import { exportResources } from '../../engine/export/exporter';
import { openPlan } from '../../engine/plan/plan-file';
import type { PlanOptions } from '../../engine/plan/plan-input';
import { buildPlan } from '../../engine/plan/planner';
import { AppError } from '../../shared/errors/errors';
import type { PlanRow } from '../../shared/import/types';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { connectTo, HR_HEADER } from '../harness/plan-fixtures';
import {
  startDeviantServer,
  type DeviantOptions,
  type DeviantServer,
} from '../servers/deviant-server';

const ENT = URN.enterpriseUser;
let dir: string;
let server: DeviantServer | undefined;
let conn: OpenConnection | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-integrity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await conn?.close();
  await server?.close();
  conn = undefined;
  server = undefined;
});

function person(n: number): ScimResource {
  return {
    schemas: [URN.user, ENT],
    userName: `p${n}@example.com`,
    name: { givenName: `P${n}`, familyName: 'Q' },
    title: 'Clerk',
    active: true,
    [ENT]: { employeeNumber: `E${n}` },
  };
}

/** A deviating server holding users p1..pN, pages of at most 10, and a connection to it. */
async function start(
  users: number,
  options: DeviantOptions,
): Promise<{ s: DeviantServer; c: OpenConnection }> {
  const s = await startDeviantServer({
    seed: false,
    ...options,
    features: { maxPageSize: 10, defaultPageSize: 10, ...options.features },
  });
  for (let n = 1; n <= users; n++) s.sandbox.create('User', person(n));
  server = s;
  const c = await connectTo(s);
  conn = c;
  return { s, c };
}

function csvOf(ns: number[]): string {
  return HR_HEADER + ns.map((n) => `E${n},P${n},Q,p${n}@example.com,Clerk,,,`).join('\n') + '\n';
}

async function plan(c: OpenConnection, csv: string, extra: Partial<PlanOptions> = {}) {
  const tag = Math.random().toString(36).slice(2);
  const csvFile = join(dir, `in-${tag}.csv`);
  await writeFile(csvFile, csv);
  const outFile = join(dir, `plan-${tag}.jsonl`);
  const { HR_MAPPING } = await import('../harness/plan-fixtures');
  const result = await buildPlan({
    csvFile,
    mapping: HR_MAPPING,
    outFile,
    source: { kind: 'server', conn: c, workDir: join(dir, 'snapshots') },
    safeguards: {
      deactivate: { maxCount: 500, maxPercent: 100 },
      delete: { maxCount: 500, maxPercent: 100 },
      reactivate: { maxCount: 500, maxPercent: 100 },
    },
    ...extra,
  });
  const reader = await openPlan(outFile);
  const rows: PlanRow[] = [];
  for await (const r of reader.rows()) rows.push(r);
  reader.close();
  return { summary: result.summary, rows, outFile };
}

async function exportUsers(c: OpenConnection, filter?: string) {
  const outFile = join(dir, `export-${Math.random().toString(36).slice(2)}.jsonl`);
  const summary = await exportResources(c, {
    resourceType: 'Users',
    format: 'jsonl',
    outFile,
    includeGroups: false,
    ...(filter !== undefined ? { filter } : {}),
  });
  const lines = (await readFile(outFile, 'utf8')).split('\n').filter(Boolean);
  return { summary, names: lines.map((l) => String((JSON.parse(l) as ScimResource)['userName'])) };
}

const range = (a: number, b: number): number[] =>
  Array.from({ length: b - a + 1 }, (_, i) => a + i);
const writes = (s: DeviantServer): number =>
  s.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/.search')).length;
const p3Id = (s: DeviantServer): string | undefined =>
  s.sandbox.getUserByUserName('p3@example.com')?.id;
const activeOf = (s: DeviantServer, n: number): unknown =>
  s.sandbox.getUserByUserName(`p${n}@example.com`)?.['active'];

describe('a server that ignores startIndex (answers page 1 every time)', () => {
  const opts: DeviantOptions = { ignoreStartIndex: true, features: { cursorPaging: false } };

  it('discovery never says it will use index paging', async () => {
    const { c } = await start(25, opts);
    expect(c.discovery.probes.indexPaging.observed).toBe('no');
    expect(c.discovery.effective.paging).toBe('refused');
  });

  it('export says how many may be missing, naming startIndex as the cause', async () => {
    const { c } = await start(25, opts);
    const { summary, names } = await exportUsers(c);
    expect(names).toHaveLength(10);
    expect(summary.possiblyMissing).toBe(15);
    expect(summary.warnings.join(' ')).toMatch(/startIndex/);
    expect(summary.warnings.join(' ')).not.toMatch(/changed during the export/);
  });

  it('planning stops with the cause and the way out, and per-row look-ups plan no duplicates', async () => {
    const { s, c } = await start(25, opts);
    const e = await plan(c, csvOf(range(1, 25))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    expect(err.code).toBe('incomplete_read');
    expect(err.message).toMatch(/does not honour startIndex.*10 of 25.*15 may be missing/);
    expect(err.facts.nextStep).toMatch(/--lookup per-row/);
    const { summary, outFile } = await plan(c, csvOf(range(1, 25)), { lookup: 'per-row' });
    expect(summary.counts.create ?? 0).toBe(0);
    await applyPlan({ conn: c, dataDir: dir, planFile: outFile, target: { baseUrl: s.url } });
    expect(s.sandbox.count('User')).toBe(25);
  });

  it('sweeps stop before any write', async () => {
    const { s, c } = await start(25, opts);
    await expect(plan(c, csvOf(range(1, 20)), { mode: 'deactivate-unlisted' })).rejects.toThrow(
      /startIndex/,
    );
    await expect(plan(c, csvOf([24]), { mode: 'delete-listed' })).rejects.toThrow(/startIndex/);
    expect(writes(s)).toBe(0);
    expect(s.sandbox.count('User')).toBe(25);
  });
});

describe('a server whose totalResults is too small', () => {
  it('export reads past it until an empty page, and says so', async () => {
    const { c } = await start(30, { totalResultsSkew: -10 });
    const { summary, names } = await exportUsers(c);
    expect(new Set(names).size).toBe(30);
    expect(summary.possiblyMissing).toBe(0);
    expect(summary.warnings.join(' ')).toMatch(/totalResults/);
  });

  it('an unlisted sweep deactivates exactly the unlisted accounts', async () => {
    const { s, c } = await start(30, { totalResultsSkew: -10 });
    const { summary, outFile } = await plan(c, csvOf(range(1, 25)), {
      mode: 'deactivate-unlisted',
    });
    expect(summary.counts.deactivate).toBe(5);
    await applyPlan({ conn: c, dataDir: dir, planFile: outFile, target: { baseUrl: s.url } });
    for (const n of range(1, 25)) expect(activeOf(s, n)).toBe(true);
    for (const n of range(26, 30)) expect(activeOf(s, n)).toBe(false);
  });
});

describe('a server whose totalResults is too large', () => {
  it('export exits partial with the count that may be missing', async () => {
    const { c } = await start(20, { totalResultsSkew: 10 });
    const { summary, names } = await exportUsers(c);
    expect(names).toHaveLength(20);
    expect(summary.possiblyMissing).toBe(10);
  });

  it('planning stops instead of planning creates for accounts it may not have seen', async () => {
    const { s, c } = await start(20, { totalResultsSkew: 10 });
    await expect(plan(c, csvOf(range(1, 22)))).rejects.toThrow(/totalResults|counted/);
    expect(writes(s)).toBe(0);
  });
});

describe('a server that answers 200 with an empty list for filters it does not support', () => {
  const opts: DeviantOptions = { emptyForFilters: true };

  it('discovery tells "unsupported" from "no match" and will not use the filter', async () => {
    const { c } = await start(5, opts);
    expect(c.discovery.probes.filterEq.observed).toBe('no');
    expect(c.discovery.probes.filterEq.note).toMatch(/unsupported/);
    expect(c.discovery.effective.filter).toBe(false);
  });

  it('a filtered export still finds the user (filtered locally), and per-row planning is refused', async () => {
    const { s, c } = await start(5, opts);
    const { names } = await exportUsers(c, 'userName eq "p3@example.com"');
    expect(names).toEqual(['p3@example.com']);
    await expect(plan(c, csvOf([1, 2, 6]), { lookup: 'per-row' })).rejects.toThrow(/eq/);
    expect(s.sandbox.count('User')).toBe(5);
  });
});

describe('a server that ignores filters and returns everyone', () => {
  it('stays refused for per-row look-ups', async () => {
    const { s, c } = await start(5, { ignoreFilters: true });
    expect(c.discovery.probes.filterEq.observed).toBe('no');
    expect(c.discovery.effective.filter).toBe(false);
    await expect(plan(c, csvOf([1, 6]), { lookup: 'per-row' })).rejects.toThrow(/eq/);
    expect(s.sandbox.count('User')).toBe(5);
  });
});

describe('a server whose GET by id answers another user', () => {
  it('a listed sweep stops that row with a sentence instead of deactivating the wrong person', async () => {
    let lying = false;
    const { s, c } = await start(6, { getByIdAnswersOther: (id) => lying && id === p3Id(s) });
    lying = true;
    const { rows, outFile } = await plan(c, csvOf([3, 5]), { mode: 'deactivate-listed' });
    const row3 = rows.find((r) => r.display === 'p3@example.com');
    expect(row3?.action).toBe('invalid');
    expect(row3?.problems?.map((p) => p.message).join(' ')).toMatch(/answered another resource/);
    expect(rows.find((r) => r.display === 'p5@example.com')?.action).toBe('deactivate');
    lying = false;
    await applyPlan({ conn: c, dataDir: dir, planFile: outFile, target: { baseUrl: s.url } });
    for (const n of [1, 2, 3, 4, 6]) expect(activeOf(s, n)).toBe(true);
    expect(activeOf(s, 5)).toBe(false);
  });

  it('undo stops instead of reverting the wrong person', async () => {
    let lying = false;
    const { s, c } = await start(6, { getByIdAnswersOther: () => lying });
    const { outFile } = await plan(c, csvOf([3]), { mode: 'deactivate-listed' });
    const result = await applyPlan({
      conn: c,
      dataDir: dir,
      planFile: outFile,
      target: { baseUrl: s.url },
    });
    expect(activeOf(s, 3)).toBe(false);
    lying = true;
    const before = writes(s);
    await expect(
      buildUndoPlan({
        dataDir: dir,
        runId: result.run.id,
        conn: c,
        outFile: join(dir, 'undo.jsonl'),
      }),
    ).rejects.toThrow(/another|asked for/);
    expect(writes(s)).toBe(before);
    expect(activeOf(s, 3)).toBe(false);
    expect(activeOf(s, 4)).toBe(true);
  });
});
