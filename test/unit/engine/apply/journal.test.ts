import { appendFile, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileHandle } from 'node:fs/promises';
import {
  JOURNAL_FILE,
  journalSets,
  journalState,
  loadJournal,
  openJournal,
  readJournal,
  type JournalRecord,
  type TornLine,
} from '../../../../engine/apply/journal';
import { openPriorStateStore, readPriorStates } from '../../../../engine/apply/prior-state';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'journal-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let n = 0;
async function freshDir(): Promise<string> {
  n += 1;
  const dir = join(root, `run${n}`);
  await mkdir(dir);
  return dir;
}

const at = '2026-11-29T09:30:00.000Z';

describe('journal', () => {
  it('round-trips intents and outcomes', async () => {
    const dir = await freshDir();
    const j = await openJournal(dir);
    expect(j.repaired).toBeUndefined();
    await j.appendIntents([
      { op: 'r0:create', seq: 0, kind: 'create', key: 'ann@example.com', at },
      { op: 'r1:update', seq: 1, kind: 'update', key: 'bob@example.com', at },
    ]);
    await j.appendOutcomes([
      { op: 'r0:create', status: 'ok', id: 'u-1', version: 'W/"1"', httpStatus: 201, at },
      {
        op: 'r1:update',
        status: 'failed',
        httpStatus: 400,
        error: { message: 'Bad value', scimType: 'invalidValue', detail: 'title: too long' },
        at,
      },
    ]);
    await j.close();
    await j.close(); // idempotent

    const text = await readFile(join(dir, JOURNAL_FILE), 'utf8');
    expect(text.split('\n')[0]).toBe(
      '{"t":"intent","op":"r0:create","seq":0,"kind":"create","key":"ann@example.com","at":"2026-11-29T09:30:00.000Z"}',
    );
    const { records, torn } = await loadJournal(join(dir, JOURNAL_FILE));
    expect(torn).toBeUndefined();
    expect(records).toEqual([
      { t: 'intent', op: 'r0:create', seq: 0, kind: 'create', key: 'ann@example.com', at },
      { t: 'intent', op: 'r1:update', seq: 1, kind: 'update', key: 'bob@example.com', at },
      {
        t: 'outcome',
        op: 'r0:create',
        status: 'ok',
        id: 'u-1',
        version: 'W/"1"',
        httpStatus: 201,
        at,
      },
      {
        t: 'outcome',
        op: 'r1:update',
        status: 'failed',
        httpStatus: 400,
        error: { message: 'Bad value', scimType: 'invalidValue', detail: 'title: too long' },
        at,
      },
    ]);
  });

  it('fills `at` and appends to an existing journal on reopen', async () => {
    const dir = await freshDir();
    const a = await openJournal(dir);
    await a.appendIntents([{ op: 'r0:create', seq: 0, kind: 'create', key: 'a' }]);
    await a.close();
    const b = await openJournal(dir);
    await b.appendOutcomes([{ op: 'r0:create', status: 'ok', id: 'x' }]);
    await b.close();
    const { records } = await loadJournal(join(dir, JOURNAL_FILE));
    expect(records.map((r) => r.t)).toEqual(['intent', 'outcome']);
    expect(Number.isNaN(Date.parse(records[0]?.at ?? ''))).toBe(false);
  });

  it('reads a missing journal as empty', async () => {
    const dir = await freshDir();
    expect(await loadJournal(join(dir, JOURNAL_FILE))).toEqual({ records: [], torn: undefined });
  });

  it('fsyncs once per batch, after the batch is written', async () => {
    const dir = await freshDir();
    // Count appendFile and sync on the FileHandle class the journal writes through.
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const calls: string[] = [];
    // Called below with the handle as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const appendOriginal = proto.appendFile;
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const syncOriginal = proto.sync;
    const appendSpy = vi.spyOn(proto, 'appendFile').mockImplementation(function (
      this: FileHandle,
      ...args
    ) {
      calls.push('append');
      return appendOriginal.apply(this, args);
    });
    const syncSpy = vi.spyOn(proto, 'sync').mockImplementation(function (this: FileHandle) {
      calls.push('sync');
      return syncOriginal.apply(this);
    });
    try {
      const j = await openJournal(dir);
      calls.length = 0;
      await j.appendIntents(
        Array.from({ length: 50 }, (_, i) => ({
          op: `r${i}:create`,
          seq: i,
          kind: 'create',
          key: `u${i}`,
          at,
        })),
      );
      expect(calls).toEqual(['append', 'sync']);
      await j.appendOutcomes([{ op: 'r0:create', status: 'ok', at }]);
      expect(calls).toEqual(['append', 'sync', 'append', 'sync']);
      await j.appendIntents([]);
      expect(calls.length).toBe(4);
      await j.close();
    } finally {
      appendSpy.mockRestore();
      syncSpy.mockRestore();
    }
    // And the data is on disk.
    const { records } = await loadJournal(join(dir, JOURNAL_FILE));
    expect(records).toHaveLength(51);
  });

  it('lets batches that arrive together share one write and fsync, each on disk when it resolves', async () => {
    const dir = await freshDir();
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const calls: string[] = [];
    // Called below with the handle as `this`.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const syncOriginal = proto.sync;
    const syncSpy = vi.spyOn(proto, 'sync').mockImplementation(function (this: FileHandle) {
      calls.push('sync');
      return syncOriginal.apply(this);
    });
    const intent = (i: number) => ({
      op: `r${i}:create`,
      seq: i,
      kind: 'create',
      key: `u${i}`,
      at,
    });
    try {
      const j = await openJournal(dir);
      calls.length = 0;
      // Three batches in the same tick: one write, one fsync.
      await Promise.all([0, 1, 2].map((i) => j.appendIntents([intent(i)])));
      expect(calls).toEqual(['sync']);
      // A batch sent while a write is under way goes into the next write, and resolves after
      // that write's fsync, never before.
      const first = j.appendIntents([intent(3)]);
      await new Promise<void>((r) => setImmediate(r));
      const second = j.appendIntents([intent(4)]);
      await second;
      expect(await readFile(join(dir, JOURNAL_FILE), 'utf8')).toContain('"r4:create"');
      await first;
      expect(calls.length).toBeGreaterThanOrEqual(2);
      await j.close();
    } finally {
      syncSpy.mockRestore();
    }
    const { records } = await loadJournal(join(dir, JOURNAL_FILE));
    expect(records.map((r) => r.op)).toEqual([0, 1, 2, 3, 4].map((i) => `r${i}:create`));
  });

  it('keeps lines of concurrent batches whole', async () => {
    const dir = await freshDir();
    const j = await openJournal(dir);
    const big = 'k'.repeat(70_000);
    await Promise.all(
      Array.from({ length: 20 }, (_, b) =>
        j.appendIntents(
          Array.from({ length: 5 }, (_, i) => ({
            op: `r${b}:${i}`,
            seq: b,
            kind: 'create',
            key: big,
            at,
          })),
        ),
      ),
    );
    await j.close();
    const { records } = await loadJournal(join(dir, JOURNAL_FILE));
    expect(records).toHaveLength(100);
  });

  it('ignores and reports a torn last line, and cuts it off on reopen', async () => {
    const dir = await freshDir();
    const file = join(dir, JOURNAL_FILE);
    const j = await openJournal(dir);
    await j.appendIntents([{ op: 'r0:create', seq: 0, kind: 'create', key: 'a', at }]);
    await j.close();
    const torn = '{"t":"outcome","op":"r0:cre';
    await appendFile(file, torn);

    const seen: TornLine[] = [];
    const records: JournalRecord[] = [];
    for await (const r of readJournal(file, (t) => seen.push(t))) records.push(r);
    expect(records.map((r) => r.op)).toEqual(['r0:create']);
    const goodBytes = (await readFile(file)).length - torn.length;
    expect(seen).toEqual([{ line: 2, offset: goodBytes, bytes: torn.length }]);

    // State: the intent without (a complete) outcome is unknown.
    expect(journalSets(journalState(records)).unknown).toEqual(new Set(['r0:create']));

    const again = await openJournal(dir);
    expect(again.repaired).toEqual({ line: 2, offset: goodBytes, bytes: torn.length });
    await again.appendOutcomes([{ op: 'r0:create', status: 'ok', id: 'u1', at }]);
    await again.close();
    const after = await loadJournal(file);
    expect(after.torn).toBeUndefined();
    expect(after.records.map((r) => r.t)).toEqual(['intent', 'outcome']);
  });

  it('treats a torn first line (no newline at all) as torn', async () => {
    const dir = await freshDir();
    const file = join(dir, JOURNAL_FILE);
    await writeFile(
      file,
      '{"t":"intent","op":"r0:create","seq":0,"kind":"create","key":"a","at":"x"}',
    );
    const { records, torn } = await loadJournal(file);
    expect(records).toEqual([]);
    expect(torn).toEqual({ line: 1, offset: 0, bytes: 74 });
    const j = await openJournal(dir);
    expect(j.repaired?.offset).toBe(0);
    await j.close();
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('rejects damage in the middle of the file', async () => {
    const dir = await freshDir();
    const file = join(dir, JOURNAL_FILE);
    await writeFile(file, 'garbage\n{"t":"outcome","op":"a","status":"ok","at":"x"}\n');
    await expect(loadJournal(file)).rejects.toThrow(/line 1: not valid JSON/);
    await writeFile(file, '{"t":"other","op":"a","at":"x"}\n');
    await expect(loadJournal(file)).rejects.toThrow(/not a journal record/);
  });
});

describe('journalState / journalSets', () => {
  const intent = (op: string): JournalRecord => ({
    t: 'intent',
    op,
    seq: 0,
    kind: 'create',
    key: op,
    at,
  });
  const outcome = (op: string, status: 'ok' | 'failed' | 'unknown'): JournalRecord => ({
    t: 'outcome',
    op,
    status,
    at,
  });

  it('derives done, failed, unknown and pending', () => {
    const state = journalState([
      intent('a'),
      intent('b'),
      intent('c'),
      intent('d'),
      outcome('a', 'ok'),
      outcome('b', 'failed'),
      outcome('d', 'unknown'),
    ]);
    expect(state.get('c')).toEqual({ intent: intent('c'), attempts: 1 });
    expect(state.get('a')?.outcome?.status).toBe('ok');
    const sets = journalSets(state, ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(sets.done).toEqual(new Set(['a']));
    expect(sets.failed).toEqual(new Set(['b']));
    expect(sets.unknown).toEqual(new Set(['c', 'd']));
    expect(sets.pending).toEqual(new Set(['e', 'f']));
  });

  it('a new intent after an outcome (retry) is in flight again until its outcome', () => {
    let state = journalState([intent('a'), outcome('a', 'unknown'), intent('a')]);
    expect(state.get('a')?.attempts).toBe(2);
    expect(state.get('a')?.outcome).toBeUndefined();
    expect(journalSets(state).unknown).toEqual(new Set(['a']));
    state = journalState([intent('a'), outcome('a', 'unknown'), intent('a'), outcome('a', 'ok')]);
    expect(journalSets(state).done).toEqual(new Set(['a']));
  });
});

describe('prior states', () => {
  it('round-trips, appends on reopen and tolerates a torn last line', async () => {
    const dir = await freshDir();
    const store = await openPriorStateStore(dir);
    const resource = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      id: 'u1',
      userName: 'ann',
      active: true,
    };
    await store.appendMany([
      { op: 'r0:update', id: 'u1', resource },
      { op: 'r1:delete', id: 'u2', resource: { ...resource, id: 'u2', userName: 'bob' } },
    ]);
    await store.close();
    await appendFile(join(dir, 'prior.jsonl'), '{"op":"r2:del');
    const again = await openPriorStateStore(dir);
    expect(again.repaired?.line).toBe(3);
    await again.appendMany([
      { op: 'r3:deactivate', id: 'u3', resource: { ...resource, id: 'u3' } },
    ]);
    await again.close();
    const out = [];
    for await (const p of readPriorStates(dir)) out.push(p);
    expect(out.map((p) => [p.op, p.id])).toEqual([
      ['r0:update', 'u1'],
      ['r1:delete', 'u2'],
      ['r3:deactivate', 'u3'],
    ]);
    expect(out[0]?.resource).toEqual(resource);
  });

  it('reads a run without prior states as empty', async () => {
    const dir = await freshDir();
    const out = [];
    for await (const p of readPriorStates(dir)) out.push(p);
    expect(out).toEqual([]);
  });
});
