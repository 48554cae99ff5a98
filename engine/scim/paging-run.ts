/**
 * The state one paged list carries from page to page (paging.ts), and the steps both paging kinds
 * share: asking for a page (halving a refused first page size), recording it (totals, drift, id
 * de-duplication) and handing its new resources on up to the item limit.
 */
import type { ScimResource } from '../../shared/scim/types';
import { isCountRefused } from './paging-errors';
import type { Page, PageFetcher, PageRequest, PagingOptions, PagingStats } from './paging';

export type PagingRun = {
  readonly fetchPage: PageFetcher;
  readonly opts: PagingOptions;
  readonly stats: PagingStats;
  /** Ids handed on so far (a Set of ids: ~50–100 bytes per id). */
  readonly seen: Set<string>;
  readonly maxItems: number;
  readonly maxRestarts: number;
  /** Consecutive pages without a new id before giving up. */
  readonly maxStalled: number;
  /** The page size asked for; halved while the first page refuses it. */
  count: number;
};

/** Stats before the first page. */
export function emptyStats(mode: PagingOptions['mode']): PagingStats {
  return {
    mode: mode === 'cursor' ? 'cursor' : 'index',
    pages: 0,
    items: 0,
    duplicatesDropped: 0,
    withoutId: 0,
    drift: 0,
    restarts: 0,
    switchedToCursor: false,
    pageSizeReductions: 0,
  };
}

export function startRun(fetchPage: PageFetcher, opts: PagingOptions): PagingRun {
  return {
    fetchPage,
    opts,
    stats: emptyStats(opts.mode),
    seen: new Set<string>(),
    maxItems: opts.maxItems ?? Infinity,
    maxRestarts: opts.maxRestarts ?? 2,
    maxStalled: opts.maxStalledPages ?? (opts.mode === 'refused' ? 1 : 3),
    count: Math.max(1, Math.floor(opts.pageSize)),
  };
}

/** Records a page in `stats` and returns its resources whose id was not seen before. */
export function takePage(stats: PagingStats, seen: Set<string>, page: Page): ScimResource[] {
  stats.pages += 1;
  if (page.totalResults !== undefined) {
    stats.totalResultsFirst ??= page.totalResults;
    stats.totalResultsLast = page.totalResults;
    stats.drift = stats.totalResultsLast - stats.totalResultsFirst;
  }
  const fresh: ScimResource[] = [];
  for (const r of page.resources) {
    const id = typeof r.id === 'string' && r.id !== '' ? r.id : undefined;
    if (id === undefined) stats.withoutId += 1;
    else if (seen.has(id)) {
      stats.duplicatesDropped += 1;
      continue;
    } else seen.add(id);
    fresh.push(r);
  }
  return fresh;
}

/**
 * Fetches one page at the run's page size. Only the first page adapts to an `invalidCount`/`tooMany`
 * answer (halving the size down to 1): later pages already proved the size works.
 */
export async function fetchWithCountRetry(
  run: PagingRun,
  req: (count: number) => PageRequest,
  first: boolean,
): Promise<Page> {
  for (;;) {
    try {
      return await run.fetchPage(req(run.count));
    } catch (e) {
      if (!first || !isCountRefused(e) || run.count <= 1) throw e;
      run.count = Math.max(1, Math.floor(run.count / 2));
      run.stats.pageSizeReductions += 1;
    }
  }
}

/** True (and the reason recorded) when the item limit is reached. */
export function atItemLimit(run: PagingRun): boolean {
  if (run.stats.items < run.maxItems) return false;
  run.stats.stoppedBecause = 'item limit reached';
  return true;
}

/** Yields `fresh` up to the item limit; returns true when the limit stopped it. */
export function* emitFresh(
  run: PagingRun,
  fresh: readonly ScimResource[],
): Generator<ScimResource, boolean> {
  for (const r of fresh) {
    if (atItemLimit(run)) return true;
    run.stats.items += 1;
    yield r;
  }
  return false;
}
