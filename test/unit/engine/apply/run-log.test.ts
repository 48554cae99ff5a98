import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../../engine/apply/journal';
import { readRunLog } from '../../../../engine/apply/run-log';
import { runDir } from '../../../../engine/apply/run-store';
import type { PlanHeader } from '../../../../shared/plan/plan-format';
import { RunLogRequestSchema } from '../../../../shared/ipc/schemas/run-log';
import { personOf, writeLargeRun, type LargeRun } from '../../../harness/run-log-fixture';

const header: PlanHeader = {
  kind: 'scim-porter-plan',
  version: 2,
  createdAt: '2026-11-29T09:00:00.000Z',
  resourceType: 'User',
  endpoint: '/Users',
  mode: 'upsert',
  source: { kind: 'server', baseUrl: 'https://scim.example.com/v2', connection: 'prod' },
  csv: { file: '/tmp/users.csv', encoding: 'utf-8', delimiter: ',' },
  mapping: { resourceType: 'User' },
  patch: true,
  etag: false,
};

let dir = '';
let big: LargeRun;
const req = (extra: object) => RunLogRequestSchema.parse({ runId: big.runId, ...extra });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-runlog-'));
  big = await writeLargeRun(dir, { planFile: '/tmp/p.jsonl', plan: header, target: {} }, 20_000);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run log', () => {
  it('one entry per op, paged, with counts over the whole run', async () => {
    const page = await readRunLog(runDir(dir, big.runId), req({ offset: 100, limit: 50 }));
    expect(page.all).toBe(20_000);
    expect(page.total).toBe(20_000);
    expect(page.entries).toHaveLength(50);
    expect(page.entries[0]?.index).toBe(100);
    expect(page.outcomes).toEqual({
      ok: 20_000 - big.failed - big.unknown,
      failed: big.failed,
      unknown: big.unknown,
    });
    expect(page.kinds.map((k) => k.kind).sort()).toEqual(['create', 'groups:add', 'update']);
  });

  it('filters by outcome and kind and keeps the server answer', async () => {
    const failed = await readRunLog(runDir(dir, big.runId), req({ outcome: 'failed', limit: 5 }));
    expect(failed.total).toBe(big.failed);
    expect(failed.entries[0]).toMatchObject({
      op: 's48:update',
      key: personOf(48),
      outcome: 'failed',
      httpStatus: 400,
      message: 'The server refused the change.',
      scimType: 'invalidValue',
      detail: 'bad title 48',
    });
    const groups = await readRunLog(runDir(dir, big.runId), req({ kind: 'groups:add' }));
    expect(groups.total).toBe(2_000);
  });

  it('finds a person by any part of their name, case-insensitively', async () => {
    const page = await readRunLog(runDir(dir, big.runId), req({ text: 'PERSON-012345' }));
    expect(page.total).toBe(1);
    expect(page.entries[0]).toMatchObject({ key: personOf(12345), outcome: 'ok', id: 'id-12345' });
  });

  it('a retried op shows its latest attempt; an appended answer is seen at once', async () => {
    const d = runDir(dir, big.runId);
    const before = await readRunLog(d, req({ text: personOf(996) }));
    expect(before.entries[0]).toMatchObject({ outcome: 'unknown', attempts: 1 });
    const j = await openJournal(d);
    await j.appendIntents([{ op: 's996:update', seq: 996, kind: 'update', key: personOf(996) }]);
    await j.appendOutcomes([{ op: 's996:update', status: 'ok', id: 'id-996', httpStatus: 200 }]);
    await j.close();
    const after = await readRunLog(d, req({ text: personOf(996) }));
    expect(after.entries[0]).toMatchObject({ outcome: 'ok', attempts: 2, id: 'id-996' });
  });

  it('the request schema bounds the page size', () => {
    expect(() => RunLogRequestSchema.parse({ runId: 'x', limit: 5_000 })).toThrow();
  });
});
