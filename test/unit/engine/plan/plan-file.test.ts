import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPlanWriter,
  openPlan,
  type PlanHeader,
} from '../../../../electron/engine/plan/plan-file';
import type { PlanAction } from '../../../../shared/import/types';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plan-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const header: PlanHeader = {
  kind: 'scim-porter-plan',
  version: 1,
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
    const kinds: PlanAction[] = ['create', 'update', 'unchanged', 'invalid'];
    for (let seq = 0; seq < 1000; seq++) {
      // Properties deliberately out of order: the writer puts seq and action first.
      await w.row({ display: `user${seq}@example.com — ünïcode`, action: kinds[seq % 4]!, seq });
    }
    await w.finish({ counts: { create: 250 } });
    const r = await openPlan(file);
    expect(r.count).toBe(1000);
    expect(r.counts).toMatchObject({ create: 250, update: 250, unchanged: 250, invalid: 250 });
    expect(r.summary['counts']).toEqual({ create: 250 });
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
    await w.finish({});
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
  });

  it('refuses files that are not finished plans, naming the file', async () => {
    const unfinished = join(dir, 'unfinished.jsonl');
    await writeFile(
      unfinished,
      `${JSON.stringify(header)}\n{"seq":0,"action":"create","display":"a"}\n`,
    );
    await expect(openPlan(unfinished)).rejects.toThrow(
      `${unfinished} is not a SCIM Porter plan: it has no summary line`,
    );
    const other = join(dir, 'other.jsonl');
    await writeFile(other, '{"id":"1"}\n');
    await expect(openPlan(other)).rejects.toThrow('the first line is not a plan header');
  });
});
