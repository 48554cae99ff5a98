import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanWriter, openPlan } from '../../../../engine/plan/plan-file';
import type { PlanAction, PlanRow } from '../../../../shared/import/types';
import type { PlanHeader } from '../../../../shared/plan/plan-format';
import { summaryOfRows } from '../../../harness/plan-summary-fixture';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const header: PlanHeader = {
  kind: 'scim-porter-plan',
  version: 2,
  createdAt: '2026-11-29T00:00:00.000Z',
  resourceType: 'User',
  endpoint: '/Users',
  mode: 'upsert',
  source: { kind: 'snapshot', file: 'x.jsonl' },
  csv: { file: 'in.csv', encoding: 'utf-8', delimiter: ',' },
  mapping: { resourceType: 'User' },
  patch: true,
  etag: false,
};

describe('plan file', () => {
  it('writes rows with seq and action first, then windows them by action and text', async () => {
    const file = join(dir, 'p.jsonl');
    const w = await createPlanWriter(file, header);
    const kinds: PlanAction[] = ['create', 'update', 'not-found', 'invalid'];
    const rows: PlanRow[] = [];
    for (let seq = 0; seq < 1000; seq++) {
      // Properties deliberately out of order: the writer puts seq and action first.
      const row = { display: `user${seq}@example.com — ünïcode`, action: kinds[seq % 4]!, seq };
      rows.push(row);
      await w.row(row);
    }
    await w.finish(summaryOfRows(rows));
    const r = await openPlan(file);
    expect(r.count).toBe(1000);
    expect(r.counts).toMatchObject({ create: 250, update: 250, 'not-found': 250, invalid: 250 });
    expect(r.summary.counts).toMatchObject({ create: 250, 'not-found': 250 });
    expect(r.integrity).toMatchObject({ rows: 1000, madeWith: header });
    expect(r.digests).toEqual({
      header: r.integrity.header,
      rows: r.integrity.rowsDigest,
      summary: r.integrity.summary,
    });
    expect(r.seqGap).toBeUndefined();
    expect(r.row(999).display).toBe('user999@example.com — ünïcode');
    const w1 = r.window({ offset: 240, limit: 20, actions: ['update'] });
    expect(w1.total).toBe(250);
    expect(w1.rows.map((x) => x.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 961 + i * 4));
    const w2 = r.window({ offset: 0, limit: 5, search: 'USER99' });
    expect(w2.rows.map((x) => x.seq)).toEqual([99, 990, 991, 992, 993]);
    expect(w2.total).toBe(11);
    const all = r.window({ offset: 995, limit: 50 });
    expect(all).toMatchObject({ total: 1000, offset: 995 });
    expect(all.rows).toHaveLength(5);
    r.close();
  });

  it('prepares a text search in chunks without blocking, with the same rows as a direct search', async () => {
    const file = join(dir, 'big.jsonl');
    const w = await createPlanWriter(file, header);
    const kinds: PlanAction[] = ['create', 'update'];
    for (let seq = 0; seq < 60_000; seq++) {
      // About 130 bytes a row: the file spans two 4 MiB chunks.
      const pad = 'x'.repeat(60);
      await w.row({ display: `Person ${seq} — ÜMLAUT ${pad}`, action: kinds[seq % 2]!, seq });
    }
    await w.finish(summaryOfRows([]));
    const r = await openPlan(file);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 1);
    const query = { offset: 0, limit: 5, actions: ['update' as const], search: 'person 1234' };
    await r.prepare(query);
    clearInterval(timer);
    // The event loop ran while the (multi-chunk) file was searched.
    expect(ticks).toBeGreaterThan(0);
    const prepared = r.window(query);
    const fresh = await openPlan(file);
    expect(prepared).toEqual(fresh.window(query));
    expect(prepared.total).toBe(5); // the updates (odd) among 12340…12349
    expect((await stat(file)).size).toBeGreaterThan(4 * 1024 * 1024);
    expect(r.window({ ...query, search: 'ümlaut', actions: [] }).total).toBe(60_000);
    r.close();
    fresh.close();
    // (60,000 rows written and indexed twice: seconds on a busy machine.)
  }, 30_000);

  it('refuses files that are not finished plans, naming the file', async () => {
    const unfinished = join(dir, 'unfinished.jsonl');
    await writeFile(
      unfinished,
      `${JSON.stringify(header)}\n{"seq":0,"action":"create","display":"a"}\n`,
    );
    await expect(openPlan(unfinished)).rejects.toThrow(
      `${unfinished} is not a SCIM Porter plan: it has no summary line (it was not finished, or it was cut short)`,
    );
    // Cut after the summary: the integrity line is missing.
    const cut = join(dir, 'cut.jsonl');
    const summaryLine = JSON.stringify({ kind: 'summary', ...summaryOfRows([]) });
    await writeFile(cut, `${JSON.stringify(header)}\n${summaryLine}\n`);
    await expect(openPlan(cut)).rejects.toThrow('it has no integrity line');
    // A version 1 plan (which could hide deactivations as updates) is refused with a reason.
    const old = join(dir, 'old.jsonl');
    await writeFile(old, `${JSON.stringify({ ...header, version: 1 })}\n`);
    await expect(openPlan(old)).rejects.toThrow('it is version 1; this app reads version 2');
    const other = join(dir, 'other.jsonl');
    await writeFile(other, '{"id":"1"}\n');
    await expect(openPlan(other)).rejects.toThrow('the first line is not a plan header');
  });

  it('notes the first row whose seq is not its place, and a damaged summary', async () => {
    const file = join(dir, 'gap.jsonl');
    const w = await createPlanWriter(file, header);
    const rows: PlanRow[] = [0, 1, 2].map((seq) => ({ seq, action: 'create', display: `u${seq}` }));
    for (const row of rows) await w.row(row);
    await w.finish(summaryOfRows(rows));
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/\{"seq":1,[^\n]*\n/, ''));
    const r = await openPlan(file);
    expect(r.count).toBe(2);
    expect(r.seqGap).toEqual({ position: 1, seq: 2 });
    r.close();
    await writeFile(file, text.replace('"durationMs":0', '"durationMs":"soon"'));
    await expect(openPlan(file)).rejects.toThrow('its summary line is damaged');
  });

  it('refuses rows written out of order', async () => {
    const w = await createPlanWriter(join(dir, 'order.jsonl'), header);
    await expect(w.row({ seq: 1, action: 'create', display: 'x' })).rejects.toThrow(
      'Plan row 1 written as row 0',
    );
    await w.abort();
  });
});
