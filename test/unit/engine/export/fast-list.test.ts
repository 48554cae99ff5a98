/**
 * The exporter's fast list against an in-memory page source: page caps, short pages, order and
 * the bounded reorder buffer under concurrency, de-duplication and drift, forced and expired
 * cursors, fallbacks and cancellation.
 */
import { describe, expect, it } from 'vitest';
import { fastList, type FastListOptions } from '../../../../engine/export/fast-list';
import type { Page, PageRequest } from '../../../../engine/scim/paging';
import { AppError, ScimHttpError } from '../../../../shared/errors/errors';
import type { ScimResource } from '../../../../shared/scim/types';

const user = (n: number): ScimResource => ({ schemas: [], id: `u${n}`, userName: `user${n}` });
const users = (count: number, from = 1): ScimResource[] =>
  Array.from({ length: count }, (_, i) => user(from + i));
const idList = (rs: readonly ScimResource[]): string[] => rs.map((r) => r.id ?? '?');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function collect(iter: AsyncIterable<ScimResource>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of iter) out.push(r.id ?? '?');
  return out;
}

type FakeOptions = {
  /** Most resources a page holds whatever `count` says. */
  cap?: number;
  /** Returns fewer resources for a page starting here (index paging). */
  shortAt?: (startIndex: number, count: number) => number | undefined;
  /** Leave totalResults out. */
  noTotal?: boolean;
  /** Answer index requests with cursors (RFC 9865 §2). */
  forceCursor?: boolean;
  /** Cursors answered once with 400 expiredCursor. */
  expireOnce?: string[];
  /** Answer `count=0` with 400 invalidValue. */
  refuseZeroCount?: boolean;
  /** Delay of each answer (ms), by request number. */
  latency?: (call: number) => number;
  /** Runs before each answer (mutates the data: drift). */
  beforeAnswer?: (call: number, req: PageRequest) => void;
};

/** An in-memory SCIM list over `data` (mutable), recording requests and concurrency. */
function fakeServer(initial: ScimResource[], o: FakeOptions = {}) {
  const state = { data: initial, calls: [] as PageRequest[], inFlight: 0, maxInFlight: 0 };
  const expiring = new Set(o.expireOnce ?? []);
  const fetch = async (req: PageRequest): Promise<Page> => {
    const call = state.calls.length;
    state.calls.push(req);
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      const ms = o.latency?.(call) ?? 0;
      if (ms > 0) await sleep(ms);
      else await Promise.resolve();
      o.beforeAnswer?.(call, req);
      if (req.count === 0 && o.refuseZeroCount) {
        throw new ScimHttpError('count 0', { status: 400, scimType: 'invalidValue' });
      }
      const total = o.noTotal ? {} : { totalResults: state.data.length };
      let n = Math.min(req.count ?? 10, o.cap ?? Infinity);
      if (req.cursor !== undefined || (o.forceCursor && req.count !== 0)) {
        const cursor = req.cursor ?? '';
        if (expiring.delete(cursor)) {
          throw new ScimHttpError('expired', { status: 400, scimType: 'expiredCursor' });
        }
        const at = cursor === '' ? (req.startIndex ?? 1) - 1 : Number(cursor.slice(1));
        const next = at + n < state.data.length && n > 0 ? `c${at + n}` : undefined;
        return {
          resources: state.data.slice(at, at + n),
          ...total,
          ...(next !== undefined ? { nextCursor: next } : {}),
        };
      }
      const start = req.startIndex ?? 1;
      n = o.shortAt?.(start, n) ?? n;
      return { resources: state.data.slice(start - 1, start - 1 + n), ...total };
    } finally {
      state.inFlight -= 1;
    }
  };
  /** The page requests (the final count=0 request left out). */
  const pageCalls = (): PageRequest[] => state.calls.filter((c) => c.count !== 0);
  return { state, fetch, pageCalls };
}

const index = (o: Partial<FastListOptions> = {}): FastListOptions => ({
  mode: 'index',
  pageSize: 100,
  concurrency: 4,
  ...o,
});

describe('fastList: index paging', () => {
  it('follows a page cap found on the first page and keeps the list order with pages in flight', async () => {
    const data = users(1000);
    // Later requests answer sooner, so pages complete out of order.
    const s = fakeServer(data, { cap: 50, latency: (call) => Math.max(0, 12 - call) });
    const list = fastList(s.fetch, index({ concurrency: 4 }));
    expect(await collect(list)).toEqual(idList(data));
    // Overlap 1: after the first 50, pages of 50 advance by 49.
    const starts = s.pageCalls().map((c) => c.startIndex);
    expect(starts.slice(0, 4)).toEqual([1, 50, 99, 148]);
    expect(
      s
        .pageCalls()
        .slice(1)
        .every((c) => c.count === 50),
    ).toBe(true);
    expect(list.stats).toMatchObject({
      mode: 'index',
      pages: 1 + Math.ceil(950 / 49),
      items: 1000,
      duplicatesDropped: 0,
      drift: 0,
      gapFills: 0,
      shiftedBoundaries: 0,
      possiblyMissing: 0,
      finalTotalResults: 1000,
      verification: { ran: false, found: 0 },
      concurrentPages: 4,
      stoppedBecause: 'reached totalResults',
    });
    expect(s.state.maxInFlight).toBe(4);
    expect(s.state.calls.at(-1)).toEqual({ startIndex: 1, count: 0 });
  });

  it('uses the asked page size when the server honours it, and reads a one-page list in one request', async () => {
    const s = fakeServer(users(250));
    const list = fastList(s.fetch, index({ pageSize: 100 }));
    expect(await collect(list)).toHaveLength(250);
    expect(s.pageCalls().map((c) => [c.startIndex, c.count])).toEqual([
      [1, 100],
      [100, 100],
      [199, 100],
    ]);
    const one = fakeServer(users(30));
    const small = fastList(one.fetch, index({ pageSize: 100 }));
    expect(await collect(small)).toHaveLength(30);
    expect(one.pageCalls()).toHaveLength(1);
    expect(small.stats.pages).toBe(1);
  });

  it('fills a short page in mid-list before moving on', async () => {
    const data = users(300);
    const s = fakeServer(data, {
      shortAt: (start, count) => (start === 100 && count === 100 ? 37 : undefined),
    });
    const list = fastList(s.fetch, index({ pageSize: 100 }));
    expect(await collect(list)).toEqual(idList(data));
    expect(list.stats.gapFills).toBe(1);
    // The gap starts at the last resource held (overlap) and asks for the rest of the page.
    expect(s.pageCalls()).toContainEqual({ startIndex: 136, count: 64 });
    expect(list.stats).toMatchObject({ shiftedBoundaries: 0, duplicatesDropped: 0 });
  });

  it('copes with random short pages everywhere (each page filled, nothing lost or repeated)', async () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const data = users(777);
    const s = fakeServer(data, {
      shortAt: (_start, count) => (count > 1 ? 1 + Math.floor(rand() * (count - 1)) : undefined),
    });
    const list = fastList(s.fetch, index({ pageSize: 60, concurrency: 3 }));
    expect(await collect(list)).toEqual(idList(data));
    expect(list.stats.gapFills).toBeGreaterThan(0);
    expect(list.stats.possiblyMissing).toBe(0);
    expect(list.stats.verification).toEqual({ ran: false, found: 0 });
  });

  it('bounds pages in flight and buffered by the concurrency, however slow the consumer', async () => {
    const s = fakeServer(users(2000), { latency: () => 1 });
    const concurrency = 3;
    const list = fastList(s.fetch, index({ pageSize: 50, concurrency }));
    let items = 0;
    let maxAhead = 0;
    for await (const r of list) {
      expect(r.id).toBe(`u${items + 1}`);
      items += 1;
      // Page k (1-based) is being delivered; pages 1..k-1 are done.
      const delivering = items <= 50 ? 1 : 2 + Math.floor((items - 51) / 49);
      maxAhead = Math.max(maxAhead, s.pageCalls().length - (delivering - 1));
      if (items % 49 === 0) await sleep(3);
    }
    expect(items).toBe(2000);
    expect(s.state.maxInFlight).toBe(concurrency);
    expect(list.stats.concurrentPages).toBe(concurrency);
    // The page being delivered plus at most `concurrency` requested or buffered behind it.
    expect(maxAhead).toBe(concurrency + 1);
  });

  it('drops duplicate ids a server repeats across pages', async () => {
    const data = users(120);
    // WSO2-style bug: every page after the first starts with a row of the previous page again.
    const s = fakeServer(data);
    const fetch = async (req: PageRequest): Promise<Page> => {
      const page = await s.fetch(req);
      const start = req.startIndex ?? 1;
      return start > 1 && req.count !== 0
        ? { ...page, resources: [user(1), ...page.resources] }
        : page;
    };
    const list = fastList(fetch, index({ pageSize: 20, overlap: 0 }));
    expect(await collect(list)).toEqual(idList(data));
    expect(list.stats.duplicatesDropped).toBeGreaterThan(0);
  });

  it('sees inserts ahead of the read point: no duplicates, the drift reported and verified', async () => {
    const data = users(200);
    let next = 1000;
    const s = fakeServer(data, {
      latency: (call) => (call % 3) + 1,
      // Two new users at the top on each of the first five page requests.
      beforeAnswer: (call) => {
        if (call >= 1 && call <= 5) s.state.data = [user(next++), user(next++), ...s.state.data];
      },
    });
    const list = fastList(s.fetch, index({ pageSize: 25, concurrency: 4 }));
    const ids = await collect(list);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(idList(data)));
    expect(list.stats.drift).toBe(10);
    expect(list.stats.verification?.ran).toBe(true);
    // The verification pass found the users inserted behind the read point.
    expect(new Set(ids)).toEqual(new Set(idList(s.state.data)));
    expect(list.stats.possiblyMissing).toBe(0);
  });

  it('sees removals shifting the list and recovers every surviving resource in the verification pass', async () => {
    const data = users(300);
    const removed = new Set<string>();
    const s = fakeServer([...data], {
      latency: (call) => (call * 7) % 4,
      // Remove three users near the top while the first pass runs (page requests 2..6).
      beforeAnswer: (call) => {
        if (call >= 2 && call <= 6) {
          const gone = s.state.data.splice(3, 3);
          for (const g of gone) removed.add(g.id ?? '');
        }
      },
    });
    const never = fastList(s.fetch, index({ pageSize: 20, concurrency: 3, verify: 'never' }));
    const firstIds = new Set(await collect(never));
    const survivors = data.filter((u) => !removed.has(u.id ?? ''));
    const missed = survivors.filter((u) => !firstIds.has(u.id ?? ''));
    expect(missed.length).toBeGreaterThan(0);
    // Detected, and reported without a verification pass.
    expect(never.stats.shiftedBoundaries).toBeGreaterThan(0);
    expect(never.stats.possiblyMissing).toBeGreaterThan(0);
    expect(never.stats.verification).toEqual({ ran: false, found: 0 });

    s.state.data = [...data];
    s.state.calls = [];
    removed.clear();
    const auto = fastList(s.fetch, index({ pageSize: 20, concurrency: 3 }));
    const ids = await collect(auto);
    expect(new Set(ids).size).toBe(ids.length);
    const got = new Set(ids);
    expect(data.filter((u) => !removed.has(u.id ?? '') && !got.has(u.id ?? ''))).toEqual([]);
    expect(auto.stats.verification?.ran).toBe(true);
    expect(auto.stats.verification?.found).toBeGreaterThan(0);
    expect(auto.stats.possiblyMissing).toBe(0);
    expect(auto.stats.finalTotalResults).toBe(300 - removed.size);
  });

  it('follows a list that grows past the planned end', async () => {
    const data = users(100);
    let next = 500;
    const s = fakeServer(data, {
      beforeAnswer: (call) => {
        // Users appended at the end while the pages are read.
        if (call >= 1 && call <= 3) s.state.data = [...s.state.data, ...users(15, next)];
        if (call >= 1 && call <= 3) next += 15;
      },
    });
    const list = fastList(s.fetch, index({ pageSize: 30, concurrency: 2, verify: 'never' }));
    const ids = await collect(list);
    expect(ids).toEqual(idList(s.state.data));
    expect(ids).toHaveLength(145);
    expect(list.stats).toMatchObject({ drift: 45, possiblyMissing: 0, finalTotalResults: 145 });
  });

  it('re-reads the total with count=1 when count=0 is refused', async () => {
    const s = fakeServer(users(40), { refuseZeroCount: true });
    const list = fastList(s.fetch, index({ pageSize: 20 }));
    expect(await collect(list)).toHaveLength(40);
    expect(s.state.calls.slice(-2)).toEqual([
      { startIndex: 1, count: 0 },
      { startIndex: 1, count: 1 },
    ]);
    expect(list.stats.finalTotalResults).toBe(40);
  });

  it("runs the verification pass with verify 'always' even when nothing changed", async () => {
    const s = fakeServer(users(90));
    const list = fastList(s.fetch, index({ pageSize: 40, verify: 'always' }));
    expect(await collect(list)).toHaveLength(90);
    expect(list.stats.verification).toEqual({ ran: true, found: 0 });
    expect(list.stats.duplicatesDropped).toBe(0);
  });

  it('stops a server that ignores startIndex and reports what it never delivered', async () => {
    const s = fakeServer(users(10));
    const fetch = (req: PageRequest): Promise<Page> =>
      s.fetch({ ...req, startIndex: 1, ...(req.count !== 0 ? { count: 3 } : {}) });
    const list = fastList(fetch, index({ pageSize: 100 }));
    expect(await collect(list)).toEqual(['u1', 'u2', 'u3']);
    expect(list.stats).toMatchObject({
      possiblyMissing: 7,
      finalTotalResults: 10,
      verification: { ran: true, found: 0 },
    });
  });

  it('halves a refused first page size', async () => {
    const s = fakeServer(users(60));
    const fetch = (req: PageRequest): Promise<Page> =>
      (req.count ?? 0) > 25
        ? Promise.reject(new ScimHttpError('too big', { status: 400, scimType: 'invalidCount' }))
        : s.fetch(req);
    const list = fastList(fetch, index({ pageSize: 100 }));
    expect(await collect(list)).toHaveLength(60);
    expect(list.stats.pageSizeReductions).toBe(2);
  });
});

describe('fastList: fallbacks', () => {
  it('pages sequentially without totalResults, reusing the first page', async () => {
    const s = fakeServer(users(45), { noTotal: true, cap: 20 });
    const list = fastList(s.fetch, index({ pageSize: 20 }));
    expect(await collect(list)).toEqual(idList(users(45)));
    expect(s.state.calls.map((c) => c.startIndex)).toEqual([1, 21, 41, 46]);
    expect(list.stats).toMatchObject({
      pages: 4,
      stoppedBecause: 'empty page',
      possiblyMissing: 0,
    });
  });

  it('follows the cursor a server forces on an index request, sequentially', async () => {
    const s = fakeServer(users(55), { forceCursor: true });
    const list = fastList(s.fetch, index({ pageSize: 20, concurrency: 8 }));
    expect(await collect(list)).toEqual(idList(users(55)));
    expect(list.stats).toMatchObject({ mode: 'cursor', switchedToCursor: true, pages: 3 });
    expect(s.state.maxInFlight).toBe(1);
    expect(s.pageCalls().map((c) => c.cursor)).toEqual([undefined, 'c20', 'c40']);
  });

  it("lists a server without paging ('none') with one bare request", async () => {
    const s = fakeServer(users(12));
    const fetch = (req: PageRequest): Promise<Page> =>
      req.startIndex === undefined && req.count === undefined
        ? s.fetch({ count: 1000 })
        : s.fetch(req);
    const list = fastList(fetch, { mode: 'none', pageSize: 100, concurrency: 4 });
    expect(await collect(list)).toHaveLength(12);
    expect(list.stats).toMatchObject({ possiblyMissing: 0, finalTotalResults: 12 });
  });
});

describe('fastList: cursor paging', () => {
  const cursor = (o: Partial<FastListOptions> = {}): FastListOptions => ({
    mode: 'cursor',
    pageSize: 10,
    concurrency: 4,
    ...o,
  });

  it('requests the next page while the consumer still works on the current one', async () => {
    const s = fakeServer(users(35));
    const list = fastList(s.fetch, cursor());
    const seen: number[] = [];
    let n = 0;
    for await (const r of list) {
      n += 1;
      expect(r.id).toBe(`u${n}`);
      if (n % 10 === 1) {
        await sleep(5);
        // While page k is delivered, page k+1 (and no further) has been requested.
        seen.push(s.pageCalls().length);
      }
    }
    expect(seen).toEqual([2, 3, 4, 4]);
    expect(s.state.maxInFlight).toBe(1);
    expect(list.stats).toMatchObject({ mode: 'cursor', pages: 4, restarts: 0 });
    expect(s.state.calls.at(-1)).toEqual({ cursor: '', count: 0 });
  });

  it('restarts an expired cursor from the first page and delivers each resource once', async () => {
    const s = fakeServer(users(35), { expireOnce: ['c20'] });
    const list = fastList(s.fetch, cursor());
    expect(await collect(list)).toEqual(idList(users(35)));
    expect(list.stats).toMatchObject({ restarts: 1, duplicatesDropped: 20 });
    expect(s.pageCalls().map((c) => c.cursor)).toEqual(['', 'c10', 'c20', '', 'c10', 'c20', 'c30']);
  });

  it('gives up after the allowed restarts', async () => {
    const s = fakeServer(users(35), { expireOnce: ['c10'] });
    const fetch = (req: PageRequest): Promise<Page> =>
      req.cursor === 'c10'
        ? Promise.reject(new ScimHttpError('bad', { status: 400, scimType: 'invalidCursor' }))
        : s.fetch(req);
    const list = fastList(fetch, cursor({ maxRestarts: 2 }));
    await expect(collect(list)).rejects.toMatchObject({ facts: { scimType: 'invalidCursor' } });
    expect(list.stats.restarts).toBe(2);
  });
});

describe('fastList: cancellation', () => {
  it('stops fetching and rejects with cancelled when the signal aborts', async () => {
    const s = fakeServer(users(1000), { latency: () => 5 });
    const ac = new AbortController();
    const list = fastList(s.fetch, index({ pageSize: 20, signal: ac.signal }));
    let n = 0;
    const run = (async () => {
      for await (const r of list) {
        n += 1;
        if (r.id === 'u30') ac.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    const calls = s.state.calls.length;
    await sleep(30);
    expect(s.state.calls.length).toBe(calls);
    expect(calls).toBeLessThan(10);
    expect(n).toBe(30);
  });

  it('passes an AppError abort reason through unchanged, also in cursor mode', async () => {
    const s = fakeServer(users(100), { latency: () => 5 });
    const ac = new AbortController();
    const reason = new AppError('cancelled', 'Export cancelled by the user.');
    const list = fastList(s.fetch, {
      mode: 'cursor',
      pageSize: 10,
      concurrency: 1,
      signal: ac.signal,
    });
    setTimeout(() => {
      ac.abort(reason);
    }, 12);
    await expect(collect(list)).rejects.toBe(reason);
  });

  it('can be iterated only once', async () => {
    const list = fastList(fakeServer(users(3)).fetch, index());
    await collect(list);
    expect(() => list[Symbol.asyncIterator]()).toThrow(/only once/);
  });
});
