import { describe, expect, it } from 'vitest';
import { cursorStop } from '../../../../engine/scim/paging-cursor';
import {
  FIRST_INDEX_POSITION,
  nextIndexPosition,
  type IndexPageContext,
} from '../../../../engine/scim/paging-index';
import {
  emptyStats,
  fetchWithCountRetry,
  startRun,
  takePage,
} from '../../../../engine/scim/paging-run';
import type { Page, PageRequest } from '../../../../engine/scim/paging';
import type { ScimResource } from '../../../../shared/scim/types';
import { ScimHttpError } from '../../../../shared/errors/errors';

const res = (id?: string): ScimResource => ({ schemas: [], ...(id !== undefined ? { id } : {}) });
const page = (n: number, extra: Partial<Page> = {}): Page => ({
  resources: Array.from({ length: n }, (_, i) => res(`r${i}`)),
  ...extra,
});

describe('takePage', () => {
  it('drops ids already seen, keeps resources without id, and tracks totalResults drift', () => {
    const stats = emptyStats('index');
    const seen = new Set<string>(['a']);
    const fresh = takePage(stats, seen, {
      resources: [res('a'), res('b'), res(), res(''), res('b')],
      totalResults: 10,
    });
    expect(fresh.map((r) => r.id)).toEqual(['b', undefined, '']);
    expect(stats).toMatchObject({ pages: 1, duplicatesDropped: 2, withoutId: 2, drift: 0 });
    takePage(stats, seen, { resources: [], totalResults: 13 });
    expect(stats).toMatchObject({
      pages: 2,
      totalResultsFirst: 10,
      totalResultsLast: 13,
      drift: 3,
    });
  });
});

describe('fetchWithCountRetry', () => {
  const refused = (): Promise<Page> =>
    Promise.reject(new ScimHttpError('too big', { status: 400, scimType: 'tooMany' }));

  it('halves a refused first page size until the server accepts it', async () => {
    const asked: PageRequest[] = [];
    const run = startRun(
      (req) => {
        asked.push(req);
        return (req.count ?? 0) > 25 ? refused() : Promise.resolve(page(1));
      },
      { mode: 'index', pageSize: 100 },
    );
    await fetchWithCountRetry(run, (count) => ({ startIndex: 1, count }), true);
    expect(asked.map((r) => r.count)).toEqual([100, 50, 25]);
    expect(run.count).toBe(25);
    expect(run.stats.pageSizeReductions).toBe(2);
  });

  it('does not adapt on a later page', async () => {
    const run = startRun(refused, { mode: 'index', pageSize: 100 });
    await expect(fetchWithCountRetry(run, (count) => ({ count }), false)).rejects.toThrow(
      'too big',
    );
    expect(run.count).toBe(100);
  });
});

describe('cursorStop', () => {
  it('stops without a next cursor, on a repeated cursor, and after too many stalled pages', () => {
    expect(cursorStop(page(1), 'c1', 0, 3)).toBe('no nextCursor');
    expect(cursorStop(page(1, { nextCursor: '' }), 'c1', 0, 3)).toBe('no nextCursor');
    expect(cursorStop(page(1, { nextCursor: 'c1' }), 'c1', 0, 3)).toBe(
      'the server kept returning the same page',
    );
    expect(cursorStop(page(1, { nextCursor: 'c2' }), 'c1', 3, 3)).toBe(
      'the server kept returning the same page',
    );
    expect(cursorStop(page(1, { nextCursor: 'c2' }), 'c1', 2, 3)).toBeUndefined();
  });
});

describe('nextIndexPosition', () => {
  const ctx: IndexPageContext = { count: 10, pages: 1, maxStalled: 3, bare: false };

  it('moves startIndex by the length actually returned', () => {
    expect(nextIndexPosition(FIRST_INDEX_POSITION, page(4), 4, ctx)).toEqual({
      next: { startIndex: 5, stalled: 0, trustTotal: true, longest: 4 },
    });
  });

  it('stops on an empty page and when startIndex passes totalResults after a short page', () => {
    expect(nextIndexPosition(FIRST_INDEX_POSITION, page(0), 0, ctx)).toEqual({
      stop: 'empty page',
    });
    expect(nextIndexPosition(FIRST_INDEX_POSITION, page(4, { totalResults: 4 }), 4, ctx)).toEqual({
      stop: 'startIndex passed totalResults',
    });
  });

  it('looks once more past totalResults after a full page, then stops when nothing is new', () => {
    const step = nextIndexPosition(FIRST_INDEX_POSITION, page(10, { totalResults: 10 }), 10, ctx);
    expect(step).toEqual({ next: { startIndex: 11, stalled: 0, trustTotal: false, longest: 10 } });
    if (!('next' in step)) return;
    expect(nextIndexPosition(step.next, page(10), 0, { ...ctx, pages: 2 })).toEqual({
      stop: 'nothing new past totalResults',
    });
  });

  it('does not look past totalResults for a bare first request', () => {
    expect(
      nextIndexPosition(FIRST_INDEX_POSITION, page(10, { totalResults: 10 }), 10, {
        ...ctx,
        bare: true,
      }),
    ).toEqual({ stop: 'startIndex passed totalResults' });
  });

  it('gives up after maxStalled pages without a new id', () => {
    const at = { ...FIRST_INDEX_POSITION, stalled: 2 };
    expect(nextIndexPosition(at, page(10), 0, ctx)).toEqual({
      stop: 'no new resources in 3 pages (startIndex ignored?)',
    });
  });
});
