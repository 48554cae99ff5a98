/**
 * Streaming list paging: index (RFC 7644 §3.4.2.4) and cursor (RFC 9865). Pages are fetched through
 * an injected `PageFetcher`, so GET and POST /.search share the logic, and tests can drive it with a
 * fake page source.
 *
 * Robustness rules (docs/server-behaviour.md, C6; docs/scim-client-rules.md, "Index paging" and
 * "Cursor paging"):
 * follow the actual page length (short pages, server caps), stop on an empty page or when startIndex
 * passes totalResults, tolerate totalResults drift, drop duplicate ids (a Set of ids: ~50–100 bytes per
 * id, so a million resources cost ~100 MB at worst), follow a cursor the server forces on an index
 * request, and restart an expired cursor from the beginning (RFC 9865 §3.3) a bounded number of times.
 */
import type { ScimResource } from '../../shared/scim/types';
import { byCursor } from './paging-cursor';
import { byIndex } from './paging-index';
import { startRun, type PagingRun } from './paging-run';
import { incompleteReadError, judgeRead, type ReadIntegrity } from './read-integrity';

/** What one page request asks for: either a 1-based startIndex or a cursor ('' = first page). */
export type PageRequest = { startIndex?: number; cursor?: string; count?: number };

/** One page of a ListResponse, already normalised. */
export type Page = {
  resources: ScimResource[];
  totalResults?: number;
  itemsPerPage?: number;
  startIndex?: number;
  nextCursor?: string;
};

export type PageFetcher = (req: PageRequest) => Promise<Page>;

/** `refused`: index paging the probe saw fail; read as index, stopping at the first repeated page. */
export type PagingMode = 'index' | 'cursor' | 'none' | 'refused';

export type PagingStats = {
  /** The paging actually used at the end (a server may force cursors). */
  mode: 'index' | 'cursor';
  pages: number;
  items: number;
  duplicatesDropped: number;
  /** Resources without an `id` (cannot be de-duplicated). */
  withoutId: number;
  totalResultsFirst?: number;
  totalResultsLast?: number;
  /** totalResultsLast − totalResultsFirst (0 when either is unknown). */
  drift: number;
  /** Cursor restarts after `expiredCursor`/`invalidCursor`. */
  restarts: number;
  /** True when the server answered an index request with a cursor and paging continued by cursor. */
  switchedToCursor: boolean;
  /** Times the page size was halved after an `invalidCount`/`tooMany` answer to the first request. */
  pageSizeReductions: number;
  /** Why paging stopped. */
  stoppedBecause?: string;
  /** Set when the list is done: whether it read everything (read-integrity.ts). */
  integrity?: ReadIntegrity;
};

export type PagingOptions = {
  mode: PagingMode;
  pageSize: number;
  /** Cursor restarts allowed after expiry (default 2). */
  maxRestarts?: number;
  /** Stop after this many resources (the CLI's --limit). */
  maxItems?: number;
  /** Consecutive pages without a new id before giving up (default 3; guards servers ignoring startIndex). */
  maxStalledPages?: number;
  /**
   * A read that may be incomplete: throw `incomplete_read` at the end of the list (default), or
   * only report it in `stats.integrity` (the exporter, which says how many may be missing).
   */
  onIncomplete?: 'throw' | 'report';
  /** Names the list in the `incomplete_read` sentence (default "Reading the list"). */
  what?: string;
};

/** A streaming list that also reports how the paging went. */
export type PagedList = AsyncIterable<ScimResource> & { readonly stats: PagingStats };

/**
 * The startIndex values of the pages still to fetch, given a known total — the planner for fetching
 * index pages concurrently (RFC 7644 §3.4.2.4 startIndex is 1-based). Assumes full pages; callers that
 * see a short page must re-plan from the next unread index.
 */
export function planIndexPages(
  fromStartIndex: number,
  totalResults: number,
  pageSize: number,
): number[] {
  const out: number[] = [];
  for (let i = Math.max(1, fromStartIndex); i <= totalResults; i += Math.max(1, pageSize))
    out.push(i);
  return out;
}

export { isCountRefused, isCursorExpiry } from './paging-errors';

/** Lists every resource, following the server's paging. Iterate once. */
export function pageThrough(fetchPage: PageFetcher, opts: PagingOptions): PagedList {
  const run = startRun(fetchPage, opts);
  let started = false;
  return {
    stats: run.stats,
    [Symbol.asyncIterator](): AsyncIterator<ScimResource> {
      if (started) throw new Error('A paged list can be iterated only once.');
      started = true;
      return judged(run, opts.mode === 'cursor' ? byCursor(run, '', true) : byIndex(run));
    },
  };
}

/** Runs the list to its end, then judges whether it read everything (read-integrity.ts). */
async function* judged(
  run: PagingRun,
  inner: AsyncGenerator<ScimResource>,
): AsyncGenerator<ScimResource> {
  yield* inner;
  const { stats, opts } = run;
  const verdict = judgeRead({
    listed: stats.items,
    ...(stats.totalResultsFirst !== undefined ? { totalFirst: stats.totalResultsFirst } : {}),
    ...(stats.totalResultsLast !== undefined ? { totalLast: stats.totalResultsLast } : {}),
    ...(stats.stoppedBecause !== undefined ? { stoppedBecause: stats.stoppedBecause } : {}),
  });
  stats.integrity = verdict;
  if (!verdict.complete && opts.onIncomplete !== 'report') {
    throw incompleteReadError(verdict, opts.what ?? 'Reading the list', false);
  }
}
