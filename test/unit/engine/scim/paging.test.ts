import { describe, expect, it, vi } from 'vitest';
import {
  pageThrough,
  planIndexPages,
  type Page,
  type PageRequest,
} from '../../../../engine/scim/paging';
import type { ScimResource } from '../../../../shared/scim/types';
import { ScimHttpError } from '../../../../shared/errors/errors';

const user = (n: number): ScimResource => ({ schemas: [], id: `u${n}`, userName: `user${n}` });
const users = (count: number): ScimResource[] =>
  Array.from({ length: count }, (_, i) => user(i + 1));

async function collect(iter: AsyncIterable<ScimResource>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of iter) out.push(r.id ?? '?');
  return out;
}

/** An index-paged server over `data` that caps count at `cap` and reports `total()`. */
function indexServer(
  data: () => ScimResource[],
  cap = Infinity,
  total = (): number | undefined => data().length,
) {
  const calls: PageRequest[] = [];
  const fetch = (req: PageRequest): Promise<Page> => {
    calls.push(req);
    const start = req.startIndex ?? 1;
    const n = Math.min(req.count ?? 10, cap);
    const t = total();
    return Promise.resolve({
      resources: data().slice(start - 1, start - 1 + n),
      ...(t !== undefined ? { totalResults: t } : {}),
    });
  };
  return { fetch, calls };
}

describe('index paging', () => {
  it('reads every resource once with exact page maths', async () => {
    const s = indexServer(() => users(25));
    const list = pageThrough(s.fetch, { mode: 'index', pageSize: 10 });
    expect(await collect(list)).toEqual(users(25).map((u) => u.id));
    expect(s.calls.map((c) => c.startIndex)).toEqual([1, 11, 21]);
    expect(list.stats).toMatchObject({
      pages: 3,
      items: 25,
      duplicatesDropped: 0,
      totalResultsFirst: 25,
      totalResultsLast: 25,
      drift: 0,
      stoppedBecause: 'startIndex passed totalResults',
    });
  });

  it('follows a server cap smaller than the page size asked for', async () => {
    const s = indexServer(() => users(23), 5);
    const list = pageThrough(s.fetch, { mode: 'index', pageSize: 100 });
    expect(await collect(list)).toHaveLength(23);
    expect(s.calls.map((c) => c.startIndex)).toEqual([1, 6, 11, 16, 21]);
  });

  it('continues past short pages without totalResults until an empty page', async () => {
    const s = indexServer(
      () => users(12),
      4,
      () => undefined,
    );
    const list = pageThrough(s.fetch, { mode: 'index', pageSize: 10 });
    expect(await collect(list)).toHaveLength(12);
    expect(list.stats.stoppedBecause).toBe('empty page');
    expect(s.calls.at(-1)?.startIndex).toBe(13);
  });

  it('tolerates drift: drops duplicates when resources are inserted ahead while reading', async () => {
    let data = users(30);
    let page = 0;
    const fetch = (req: PageRequest): Promise<Page> => {
      page += 1;
      // After the first page, two new users appear at the front: later pages repeat two ids.
      if (page === 2) data = [user(100), user(101), ...data];
      const start = req.startIndex ?? 1;
      return Promise.resolve({
        resources: data.slice(start - 1, start - 1 + (req.count ?? 10)),
        totalResults: data.length,
      });
    };
    const list = pageThrough(fetch, { mode: 'index', pageSize: 10, onIncomplete: 'report' });
    const ids = await collect(list);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
    expect(list.stats).toMatchObject({
      duplicatesDropped: 2,
      totalResultsFirst: 30,
      totalResultsLast: 32,
      drift: 2,
    });
    // The two users inserted ahead were never read: the read is incomplete, and says why.
    expect(list.stats.integrity).toMatchObject({ complete: false, cause: 'changed', missing: 2 });
  });

  it('stops when a server ignores startIndex instead of looping forever', async () => {
    const fetch = (): Promise<Page> => Promise.resolve({ resources: users(3) });
    const list = pageThrough(fetch, { mode: 'index', pageSize: 3, onIncomplete: 'report' });
    expect(await collect(list)).toEqual(['u1', 'u2', 'u3']);
    expect(list.stats.pages).toBe(4);
    expect(list.stats.stoppedBecause).toContain('no new resources');
    expect(list.stats.integrity).toMatchObject({ complete: false, cause: 'start_index_ignored' });
    // By default such a read throws instead of looking complete.
    await expect(collect(pageThrough(fetch, { mode: 'index', pageSize: 3 }))).rejects.toMatchObject(
      {
        code: 'incomplete_read',
        message: expect.stringMatching(/does not honour startIndex/) as unknown,
      },
    );
  });

  it('refused paging stops at the first repeated page', async () => {
    const fetch = (): Promise<Page> => Promise.resolve({ resources: users(3), totalResults: 9 });
    const list = pageThrough(fetch, { mode: 'refused', pageSize: 3, onIncomplete: 'report' });
    expect(await collect(list)).toEqual(['u1', 'u2', 'u3']);
    expect(list.stats.pages).toBe(2);
    expect(list.stats.integrity).toMatchObject({ complete: false, missing: 6 });
  });

  it('reads past a totalResults that is too small, to an empty page', async () => {
    const data = users(25);
    const fetch = (req: PageRequest): Promise<Page> => {
      const start = req.startIndex ?? 1;
      const resources = data.slice(start - 1, start - 1 + (req.count ?? 10));
      return Promise.resolve({ resources, totalResults: 20 });
    };
    const list = pageThrough(fetch, { mode: 'index', pageSize: 10 });
    expect(await collect(list)).toHaveLength(25);
    expect(list.stats.integrity).toMatchObject({ complete: true, countUnderstated: 5 });
  });

  it('calls a read short of a constant totalResults incomplete, never complete', async () => {
    const data = users(20);
    const fetch = (req: PageRequest): Promise<Page> => {
      const start = req.startIndex ?? 1;
      const resources = data.slice(start - 1, start - 1 + (req.count ?? 10));
      return Promise.resolve({ resources, totalResults: 30 });
    };
    await expect(
      collect(pageThrough(fetch, { mode: 'index', pageSize: 10 })),
    ).rejects.toMatchObject({
      code: 'incomplete_read',
      message: expect.stringMatching(/counted 30.*listed only 20/) as unknown,
    });
  });

  it('does not look past a short last page, nor a one-page answer', async () => {
    const fetchPage = vi.fn((req: PageRequest): Promise<Page> => {
      const start = req.startIndex ?? 1;
      return Promise.resolve({
        resources: users(15).slice(start - 1, start + 9),
        totalResults: 15,
      });
    });
    await collect(pageThrough(fetchPage, { mode: 'index', pageSize: 10 }));
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('switches to the cursor the server forces on an index request', async () => {
    const fetch = (req: PageRequest): Promise<Page> => {
      if (req.cursor === undefined)
        return Promise.resolve({ resources: users(2), nextCursor: 'c2' });
      if (req.cursor === 'c2')
        return Promise.resolve({ resources: [user(3), user(4)], nextCursor: 'c3' });
      return Promise.resolve({ resources: [user(5)] });
    };
    const list = pageThrough(fetch, { mode: 'index', pageSize: 2 });
    expect(await collect(list)).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(list.stats).toMatchObject({ mode: 'cursor', switchedToCursor: true, pages: 3 });
  });

  it('halves the page size when the first request is refused with invalidCount', async () => {
    const calls: (number | undefined)[] = [];
    const fetch = (req: PageRequest): Promise<Page> => {
      calls.push(req.count);
      if ((req.count ?? 0) > 30)
        return Promise.reject(
          new ScimHttpError('too big', { status: 400, scimType: 'invalidCount' }),
        );
      const start = req.startIndex ?? 1;
      return Promise.resolve({
        resources: users(40).slice(start - 1, start - 1 + (req.count ?? 0)),
        totalResults: 40,
      });
    };
    const list = pageThrough(fetch, { mode: 'index', pageSize: 100 });
    expect(await collect(list)).toHaveLength(40);
    expect(calls).toEqual([100, 50, 25, 25]);
    expect(list.stats.pageSizeReductions).toBe(2);
  });

  it('honours maxItems', async () => {
    const s = indexServer(() => users(50));
    const list = pageThrough(s.fetch, { mode: 'index', pageSize: 10, maxItems: 15 });
    expect(await collect(list)).toHaveLength(15);
    expect(s.calls).toHaveLength(2);
  });

  it('plans page start indexes for concurrent fetching', () => {
    expect(planIndexPages(1, 25, 10)).toEqual([1, 11, 21]);
    expect(planIndexPages(11, 10, 10)).toEqual([]);
    expect(planIndexPages(1, 0, 10)).toEqual([]);
  });
});

describe('cursor paging (RFC 9865)', () => {
  /** A cursor server: cursor "" starts, "cN" continues at item N; keeps every other parameter. */
  function cursorServer(count: number, expireOnce?: string) {
    const calls: PageRequest[] = [];
    let expired = false;
    const fetch = (req: PageRequest): Promise<Page> => {
      calls.push(req);
      if (req.cursor === expireOnce && !expired) {
        expired = true;
        return Promise.reject(
          new ScimHttpError('expired', { status: 400, scimType: 'expiredCursor' }),
        );
      }
      const at = req.cursor ? Number(req.cursor.slice(1)) : 0;
      const n = req.count ?? 10;
      const next = at + n < count ? `c${at + n}` : undefined;
      return Promise.resolve({
        resources: users(count).slice(at, at + n),
        ...(next ? { nextCursor: next } : {}),
      });
    };
    return { fetch, calls };
  }

  it('starts with an empty cursor and follows nextCursor until absent', async () => {
    const s = cursorServer(25);
    const list = pageThrough(s.fetch, { mode: 'cursor', pageSize: 10 });
    expect(await collect(list)).toHaveLength(25);
    expect(s.calls).toEqual([
      { cursor: '', count: 10 },
      { cursor: 'c10', count: 10 },
      { cursor: 'c20', count: 10 },
    ]);
    expect(list.stats).toMatchObject({
      mode: 'cursor',
      pages: 3,
      restarts: 0,
      stoppedBecause: 'no nextCursor',
    });
  });

  it('restarts from the beginning on expiredCursor and drops the repeated resources', async () => {
    const s = cursorServer(25, 'c20');
    const list = pageThrough(s.fetch, { mode: 'cursor', pageSize: 10 });
    const ids = await collect(list);
    expect(ids).toEqual(users(25).map((u) => u.id));
    expect(list.stats).toMatchObject({ restarts: 1, duplicatesDropped: 20 });
    expect(s.calls.map((c) => c.cursor)).toEqual(['', 'c10', 'c20', '', 'c10', 'c20']);
  });

  it('re-reads every page delivered before a late expiry without taking them for a stall', async () => {
    const s = cursorServer(100, 'c80');
    const list = pageThrough(s.fetch, { mode: 'cursor', pageSize: 10 });
    const ids = await collect(list);
    expect(ids).toEqual(users(100).map((u) => u.id));
    expect(list.stats).toMatchObject({ restarts: 1, duplicatesDropped: 80 });
  });

  it('gives up after the allowed restarts', async () => {
    const fetch = (req: PageRequest): Promise<Page> =>
      req.cursor === ''
        ? Promise.resolve({ resources: users(1), nextCursor: 'x' })
        : Promise.reject(new ScimHttpError('invalid', { status: 400, scimType: 'invalidCursor' }));
    const list = pageThrough(fetch, { mode: 'cursor', pageSize: 1, maxRestarts: 2 });
    await expect(collect(list)).rejects.toMatchObject({ facts: { scimType: 'invalidCursor' } });
    expect(list.stats.restarts).toBe(2);
  });
});
