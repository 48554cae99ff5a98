/**
 * The exporter's list: as fast as the server allows and correct while the server changes.
 *
 * - **Index paging with a known totalResults**: the first page tells the page length the server
 *   really serves (a cap of 50/100/200 shows as a first page shorter than asked while more
 *   exist); the rest is planned with that length and fetched with up to `concurrency` pages in
 *   flight, delivered in list order through a bounded reorder buffer. Short pages in mid-list are
 *   filled; a list that grew is followed past the plan. (listing/index-pages.ts)
 * - **Cursor paging**, and a server forcing cursors on an index request: sequential, pipelined
 *   with one page of lookahead; expired cursors restart from the top. (listing/cursor-pages.ts)
 * - **No totalResults, or no paging**: the sequential `pageThrough`.
 *
 * Drift: ids are de-duplicated; consecutive index pages overlap so a shift of the list between
 * two requests is seen (`shiftedBoundaries`); at the end totalResults is re-read cheaply and
 * `possiblyMissing` reports what may not have been delivered. With `verify: 'auto'` a doubt
 * (totalResults changed, shifts, a shortfall) runs a verification pass that delivers only ids not
 * seen before; `'always'` runs it anyway (docs/server-behaviour.md, A5 and C6;
 * docs/scim-client-rules.md, "Index paging").
 */
import type { ScimResource } from '../../shared/scim/types';
import { isAppError } from '../../shared/errors/errors';
import {
  pageThrough,
  type Page,
  type PagedList,
  type PageFetcher,
  type PageRequest,
} from '../scim/paging';
import { judgeRead } from '../scim/read-integrity';
import { cursorPass } from './listing/cursor-pages';
import { concurrentIndexPass, indexWalk, type IndexGeometry } from './listing/index-pages';
import {
  createListContext,
  deliver,
  fetchFirstPage,
  takeFresh,
  throwIfAborted,
  type Batch,
  type FastListStats,
  type ListContext,
  type PageProgress,
} from './listing/list-context';

export type { Batch, FastListStats, PageProgress } from './listing/list-context';

export type FastListOptions = {
  /** From discovery.effective.paging (`refused`: sequential, stopping at the first repeated page). */
  mode: 'index' | 'cursor' | 'none' | 'refused';
  /** Requested `count`. */
  pageSize: number;
  /** Most index pages in flight (the transport still bounds the actual requests). */
  concurrency: number;
  /** Run a verification pass: on doubt ('auto', default), always, or never. */
  verify?: 'auto' | 'always' | 'never';
  signal?: AbortSignal;
  /** Progress after each page delivered. */
  onPage?: (info: PageProgress) => void;
  /**
   * Resources consecutive index pages share, to see the list shift between two requests
   * (default 1; 0 turns shift detection off). Capped below the page length.
   */
  overlap?: number;
  /** Cursor restarts allowed after `expiredCursor`/`invalidCursor` (default 2). */
  maxRestarts?: number;
};

/**
 * A streaming list that reports how the paging and the drift handling went. Iterate once: by
 * resource, or with `pages()` by batch (a page's fresh resources; one hand-over per page).
 */
export type FastList = AsyncIterable<ScimResource> & {
  readonly stats: FastListStats;
  pages(): AsyncIterable<Batch>;
};

/** How the first pass ran, which decides how the count is re-read and how to verify. */
type FirstPass =
  | { kind: 'index'; geometry: IndexGeometry }
  | { kind: 'cursor'; pageSize: number }
  | { kind: 'sequential'; mode: 'index' | 'none' | 'refused'; pageSize: number };

/** The options a pass needs, with the page size and restart budget settled. */
type ListSettings = {
  readonly opts: FastListOptions;
  readonly pageSize: number;
  readonly maxRestarts: number;
};

/** Lists every resource once. See the module comment for the strategy. */
export function fastList(fetchPage: PageFetcher, opts: FastListOptions): FastList {
  const ctx = createListContext(fetchPage, {
    mode: opts.mode === 'cursor' ? 'cursor' : 'index',
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onPage ? { onPage: opts.onPage } : {}),
  });
  const settings: ListSettings = {
    opts,
    pageSize: Math.max(1, Math.floor(opts.pageSize)),
    maxRestarts: opts.maxRestarts ?? 2,
  };
  let started = false;
  const start = (): AsyncGenerator<Batch> => {
    if (started) throw new Error('A fast list can be iterated only once.');
    started = true;
    return run(ctx, settings);
  };
  return {
    stats: ctx.stats,
    [Symbol.asyncIterator]: () => oneByOne(start(), ctx.signal),
    pages: () => ({ [Symbol.asyncIterator]: start }),
  };
}

/** The resources of the batches one by one, stopping with `cancelled` as soon as the signal aborts. */
async function* oneByOne(
  batches: AsyncIterable<Batch>,
  signal: AbortSignal | undefined,
): AsyncGenerator<ScimResource> {
  for await (const batch of batches) {
    for (const r of batch) {
      throwIfAborted(signal);
      yield r;
    }
  }
}

/**
 * The page length and overlap to plan index pages with: a first page shorter than asked while
 * more exist shows the server's page cap; the overlap stays below the page length.
 */
export function indexGeometry(
  firstLength: number,
  count: number,
  total: number,
  overlap: number | undefined,
): IndexGeometry {
  const effective =
    firstLength > 0 && firstLength < count && total > firstLength ? firstLength : count;
  return {
    pageSize: effective,
    overlap: Math.max(0, Math.min(Math.floor(overlap ?? 1), effective - 1)),
  };
}

/** The first pass over the list, by the mode discovery found (and the first page confirms). */
async function* firstPass(ctx: ListContext, s: ListSettings): AsyncGenerator<Batch, FirstPass> {
  const { opts, pageSize, maxRestarts } = s;
  if (opts.mode === 'cursor') {
    yield* cursorPass(ctx, {
      startCursor: '',
      pageSize,
      firstRequest: true,
      maxRestarts,
      purpose: 'main',
    });
    return { kind: 'cursor', pageSize };
  }
  if (opts.mode === 'none' || opts.mode === 'refused') {
    yield* sequential(ctx, { mode: opts.mode, pageSize }, 'main');
    return { kind: 'sequential', mode: opts.mode, pageSize };
  }
  const { page, count } = await fetchFirstPage(ctx, (n) => ({ startIndex: 1, count: n }), pageSize);
  if (page.nextCursor !== undefined && page.nextCursor !== '') {
    // RFC 9865 §2: the server paginates by cursor although the client asked by index.
    ctx.stats.switchedToCursor = true;
    ctx.stats.mode = 'cursor';
    ctx.noteTotal(page.totalResults);
    const fresh = takeFresh(ctx, page.resources, { duplicates: true });
    ctx.progress();
    yield* deliver(ctx, fresh);
    yield* cursorPass(ctx, {
      startCursor: page.nextCursor,
      pageSize: count,
      firstRequest: false,
      maxRestarts,
      purpose: 'main',
    });
    return { kind: 'cursor', pageSize: count };
  }
  const total = page.totalResults;
  if (total === undefined) {
    // Nothing to plan with: page sequentially, replaying the page already fetched.
    yield* sequential(ctx, { mode: 'index', pageSize: count, first: page }, 'main');
    return { kind: 'sequential', mode: 'index', pageSize: count };
  }
  ctx.noteTotal(total);
  const geometry = indexGeometry(page.resources.length, count, total, opts.overlap);
  const fresh = takeFresh(ctx, page.resources, { duplicates: true });
  ctx.progress();
  yield* deliver(ctx, fresh);
  if (page.resources.length === 0) {
    ctx.stats.stoppedBecause = 'empty page';
    return { kind: 'index', geometry };
  }
  yield* concurrentIndexPass(ctx, {
    first: page.resources,
    total,
    geometry,
    concurrency: opts.concurrency,
  });
  return { kind: 'index', geometry };
}

/** A second pass in the first pass's way, delivering only ids not seen; returns unresolved shifts. */
async function* verification(
  ctx: ListContext,
  pass: FirstPass,
  maxRestarts: number,
): AsyncGenerator<Batch, number> {
  let unresolved = 0;
  switch (pass.kind) {
    case 'index':
      yield* indexWalk(ctx, pass.geometry, {
        start: 1,
        purpose: 'verify',
        onShift: () => {
          unresolved += 1;
        },
      });
      break;
    case 'cursor':
      yield* cursorPass(ctx, {
        startCursor: '',
        pageSize: pass.pageSize,
        firstRequest: true,
        maxRestarts,
        purpose: 'verify',
      });
      break;
    case 'sequential':
      yield* sequential(ctx, { mode: pass.mode, pageSize: pass.pageSize }, 'verify');
      break;
  }
  return unresolved;
}

/** The whole list: the first pass, the final count, a verification pass on doubt, the verdict. */
async function* run(ctx: ListContext, s: ListSettings): AsyncGenerator<Batch> {
  const pass = yield* firstPass(ctx, s);
  const mainStop = ctx.stats.stoppedBecause;
  const countBy = pass.kind === 'cursor' ? 'cursor' : 'index';
  // A server without paging would answer a count request with the whole list: use its last total.
  const canCount = pass.kind !== 'sequential' && ctx.stats.totalResultsFirst !== undefined;
  let final = canCount ? await readFinalTotal(ctx, countBy) : ctx.stats.totalResultsLast;
  const shortfall = (): number => (final === undefined ? 0 : Math.max(0, final - ctx.stats.items));
  ctx.stats.possiblyMissing = Math.max(shortfall(), ctx.stats.shiftedBoundaries);
  const doubt = ctx.stats.drift !== 0 || ctx.totalVaried() || ctx.stats.possiblyMissing > 0;
  const verify = s.opts.verify ?? 'auto';
  if (verify === 'always' || (verify === 'auto' && doubt)) {
    const before = ctx.stats.items;
    const unresolved = yield* verification(ctx, pass, s.maxRestarts);
    ctx.stats.verification = { ran: true, found: ctx.stats.items - before };
    final = canCount ? ((await readFinalTotal(ctx, countBy)) ?? final) : ctx.stats.totalResultsLast;
    ctx.stats.possiblyMissing = Math.max(shortfall(), unresolved);
  } else {
    ctx.stats.verification = { ran: false, found: 0 };
  }
  judgeList(ctx, final, mainStop);
}

/** Records the final total and the verdict on the read (complete, or what may be missing). */
function judgeList(
  ctx: ListContext,
  final: number | undefined,
  mainStop: FastListStats['stoppedBecause'],
): void {
  if (final !== undefined) ctx.stats.finalTotalResults = final;
  if (mainStop !== undefined) ctx.stats.stoppedBecause = mainStop;
  ctx.stats.integrity = judgeRead({
    listed: ctx.stats.items,
    ...(ctx.stats.totalResultsFirst !== undefined
      ? { totalFirst: ctx.stats.totalResultsFirst }
      : {}),
    ...(final !== undefined ? { totalLast: final } : {}),
    ...(mainStop !== undefined ? { stoppedBecause: mainStop } : {}),
    changed: ctx.stats.drift !== 0 || ctx.totalVaried() || ctx.stats.shiftedBoundaries > 0,
    possiblyMissing: ctx.stats.possiblyMissing,
  });
  if (!ctx.stats.integrity.complete) {
    ctx.stats.possiblyMissing = Math.max(ctx.stats.possiblyMissing, ctx.stats.integrity.missing);
  }
}

/**
 * Re-reads totalResults with a cheap request (`count=0`, or `count=1` when 0 is refused). Failures
 * other than cancellation give undefined: the list itself already succeeded.
 */
async function readFinalTotal(
  ctx: ListContext,
  by: 'index' | 'cursor',
): Promise<number | undefined> {
  for (const count of [0, 1]) {
    const req: PageRequest = by === 'cursor' ? { cursor: '', count } : { startIndex: 1, count };
    try {
      const page = await ctx.fetch(req, 'count');
      ctx.noteTotal(page.totalResults);
      return page.totalResults;
    } catch (e) {
      if (isAppError(e) && e.code === 'cancelled') throw e;
    }
  }
  return undefined;
}

/**
 * The sequential `pageThrough` (no totalResults to plan with, or no paging at all), through the
 * context's fetcher so pages, totals, progress and cancellation are accounted the same way.
 * `first` is a page already fetched at startIndex 1, replayed instead of fetched again.
 */
async function* sequential(
  ctx: ListContext,
  o: { mode: 'index' | 'none' | 'refused'; pageSize: number; first?: Page },
  purpose: 'main' | 'verify',
): AsyncGenerator<Batch> {
  let replay = o.first;
  const fetcher: PageFetcher = async (req) => {
    let page: Page;
    if (replay !== undefined && req.startIndex === 1) {
      page = replay;
      replay = undefined;
    } else {
      page = await ctx.fetch(req);
    }
    ctx.noteTotal(page.totalResults);
    return page;
  };
  // The fast list judges the whole read itself (run()), so the inner list only reports.
  const list: PagedList = pageThrough(fetcher, {
    mode: o.mode,
    pageSize: o.pageSize,
    onIncomplete: 'report',
  });
  let pages = 0;
  for await (const r of list) {
    const fresh = takeFresh(ctx, [r], { duplicates: purpose === 'main' });
    if (list.stats.pages !== pages) {
      pages = list.stats.pages;
      ctx.progress();
    }
    yield* deliver(ctx, fresh);
  }
  if (purpose === 'main') {
    ctx.stats.duplicatesDropped += list.stats.duplicatesDropped;
    ctx.stats.pageSizeReductions += list.stats.pageSizeReductions;
    ctx.stats.restarts += list.stats.restarts;
    ctx.stats.switchedToCursor ||= list.stats.switchedToCursor;
    ctx.stats.mode = list.stats.mode;
  }
  if (list.stats.stoppedBecause !== undefined) ctx.stats.stoppedBecause = list.stats.stoppedBecause;
}
