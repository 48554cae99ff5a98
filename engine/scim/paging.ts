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
import { isAppError } from '../../shared/errors/errors';
import type { ScimResource } from '../../shared/scim/types';
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

function scimTypeOf(e: unknown): string | undefined {
  return isAppError(e) && e.facts.status === 400 ? e.facts.scimType : undefined;
}

/** True for RFC 9865 §3.3 cursor errors that a restart from the first page can cure. */
export function isCursorExpiry(e: unknown): boolean {
  const t = scimTypeOf(e);
  return t === 'expiredCursor' || t === 'invalidCursor';
}

/** True when the server refused the page size (RFC 9865 `invalidCount`, or `tooMany`). */
export function isCountRefused(e: unknown): boolean {
  const t = scimTypeOf(e);
  return t === 'invalidCount' || t === 'tooMany';
}

/** Lists every resource, following the server's paging. Iterate once. */
export function pageThrough(fetchPage: PageFetcher, opts: PagingOptions): PagedList {
  const stats: PagingStats = {
    mode: opts.mode === 'cursor' ? 'cursor' : 'index',
    pages: 0,
    items: 0,
    duplicatesDropped: 0,
    withoutId: 0,
    drift: 0,
    restarts: 0,
    switchedToCursor: false,
    pageSizeReductions: 0,
  };
  const seen = new Set<string>();
  const maxItems = opts.maxItems ?? Infinity;
  const maxRestarts = opts.maxRestarts ?? 2;
  const maxStalled = opts.maxStalledPages ?? (opts.mode === 'refused' ? 1 : 3);
  let count = Math.max(1, Math.floor(opts.pageSize));

  /** Records a page and returns its resources not seen before. */
  function take(page: Page): ScimResource[] {
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

  async function fetchWithCountRetry(
    req: (count: number) => PageRequest,
    first: boolean,
  ): Promise<Page> {
    for (;;) {
      try {
        return await fetchPage(req(count));
      } catch (e) {
        // Only the first page adapts: later pages already proved the size works.
        if (!first || !isCountRefused(e) || count <= 1) throw e;
        count = Math.max(1, Math.floor(count / 2));
        stats.pageSizeReductions += 1;
      }
    }
  }

  async function* byCursor(startCursor: string, firstCall: boolean): AsyncGenerator<ScimResource> {
    stats.mode = 'cursor';
    let cursor = startCursor;
    let first = firstCall;
    let stalled = 0;
    // After a restart the pages already read come back with nothing new: allow that many.
    let replay = 0;
    let pagesRead = 0;
    for (;;) {
      if (stats.items >= maxItems) {
        stats.stoppedBecause = 'item limit reached';
        return;
      }
      let page: Page;
      try {
        page = await fetchWithCountRetry((c) => ({ cursor, count: c }), first);
      } catch (e) {
        if (!isCursorExpiry(e) || stats.restarts >= maxRestarts) throw e;
        // RFC 9865 §3.3: an expired cursor cannot be resumed; start again and rely on id de-duplication.
        stats.restarts += 1;
        replay = pagesRead;
        stalled = 0;
        cursor = '';
        continue;
      }
      pagesRead += 1;
      first = false;
      const fresh = take(page);
      for (const r of fresh) {
        if (stats.items >= maxItems) {
          stats.stoppedBecause = 'item limit reached';
          return;
        }
        stats.items += 1;
        yield r;
      }
      stalled = fresh.length === 0 && page.resources.length > 0 ? stalled + 1 : 0;
      if (page.nextCursor === undefined || page.nextCursor === '') {
        stats.stoppedBecause = 'no nextCursor';
        return;
      }
      if (page.nextCursor === cursor || stalled >= maxStalled + replay) {
        {
          stats.stoppedBecause = 'the server kept returning the same page';
          return;
        }
      }
      cursor = page.nextCursor;
    }
  }

  async function* byIndex(): AsyncGenerator<ScimResource> {
    let startIndex = 1;
    let first = true;
    let stalled = 0;
    // totalResults ends the list only while it is believed: a full last page is followed further.
    let trustTotal = true;
    let longest = 0;
    for (;;) {
      if (stats.items >= maxItems) {
        stats.stoppedBecause = 'item limit reached';
        return;
      }
      const bare = first && opts.mode === 'none';
      const page = await fetchWithCountRetry((c) => (bare ? {} : { startIndex, count: c }), first);
      first = false;
      const fresh = take(page);
      for (const r of fresh) {
        if (stats.items >= maxItems) {
          stats.stoppedBecause = 'item limit reached';
          return;
        }
        stats.items += 1;
        yield r;
      }
      if (page.nextCursor !== undefined && page.nextCursor !== '') {
        // RFC 9865 §2: a server may paginate by cursor even when the client asked otherwise.
        stats.switchedToCursor = true;
        yield* byCursor(page.nextCursor, false);
        return;
      }
      const n = page.resources.length;
      if (n === 0) {
        stats.stoppedBecause = 'empty page';
        return;
      }
      if (!trustTotal && fresh.length === 0) {
        stats.stoppedBecause = 'nothing new past totalResults';
        return;
      }
      stalled = fresh.length === 0 ? stalled + 1 : 0;
      if (stalled >= maxStalled) {
        stats.stoppedBecause = `no new resources in ${maxStalled} pages (startIndex ignored?)`;
        return;
      }
      // Follow what the server actually returned, not what was asked (short pages, caps).
      startIndex += n;
      const full = n >= count || (stats.pages > 1 && n >= longest);
      longest = Math.max(longest, n);
      if (trustTotal && page.totalResults !== undefined && startIndex > page.totalResults) {
        // A full page at the count's end may hide more (a totalResults too small): look once more.
        if (!full || bare) {
          stats.stoppedBecause = 'startIndex passed totalResults';
          return;
        }
        trustTotal = false;
      }
    }
  }

  async function* checked(inner: AsyncGenerator<ScimResource>): AsyncGenerator<ScimResource> {
    yield* inner;
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

  let started = false;
  return {
    stats,
    [Symbol.asyncIterator](): AsyncIterator<ScimResource> {
      if (started) throw new Error('A paged list can be iterated only once.');
      started = true;
      return checked(opts.mode === 'cursor' ? byCursor('', true) : byIndex());
    },
  };
}
