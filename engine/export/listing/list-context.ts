/**
 * State shared by the passes of one fast list (fast-list.ts): the statistics, the set of ids already
 * delivered, the wrapped page fetcher (abort check, in-flight accounting) and small page helpers.
 */
import { AppError, isAppError } from '../../../shared/errors/errors';
import type { ScimResource } from '../../../shared/scim/types';
import {
  isCountRefused,
  type Page,
  type PageFetcher,
  type PageRequest,
  type PagingStats,
} from '../../scim/paging';
import { emptyStats } from '../../scim/paging-run';
import { createIdSet, type IdSet } from './id-set';

/** How a fast list went; `PagingStats` plus what concurrency and drift handling did. */
export type FastListStats = PagingStats & {
  /** Most page requests this list had in flight at once (the transport may queue some of them). */
  concurrentPages: number;
  /** Extra requests that filled the rest of a page the server returned short in mid-list. */
  gapFills: number;
  /** Set when the list is done: whether a verification pass ran, and the ids it found that the first pass missed. */
  verification?: { ran: boolean; found: number };
  /**
   * Resources that may exist on the server but were not delivered, as far as can be told: the
   * server's final count minus the resources delivered, or the shifted boundaries (each may have
   * skipped one resource or more, so this is then a lower bound), whichever is larger; after a
   * verification pass, what that pass still could not account for. 0: no reason to doubt the list.
   */
  possiblyMissing: number;
  /** totalResults re-read after the last page (and again after a verification pass). */
  finalTotalResults?: number;
  /**
   * Index paging: page boundaries where the next page did not start inside the previous one, so
   * the list shifted between the two requests (resources removed before that point) and resources
   * may have been skipped. Measured with the `overlap` of consecutive pages.
   */
  shiftedBoundaries: number;
};

/** Progress after each delivered page. */
export type PageProgress = { pages: number; items: number; totalResults?: number };

/** The shared state of one fast list. */
export type ListContext = {
  stats: FastListStats;
  /** Ids already delivered (64-bit fingerprints, ~16 bytes per resource). */
  seen: IdSet;
  signal?: AbortSignal;
  /**
   * Fetches one page: throws `cancelled` when aborted, counts pages (not `count` requests that only
   * re-read totalResults) and pages in flight.
   */
  fetch(req: PageRequest, kind?: 'page' | 'count'): Promise<Page>;
  /** Records a totalResults the server reported, in delivery order (first/last/drift). */
  noteTotal(total: number | undefined): void;
  /** The totalResults of the most recently answered request. */
  latestTotal(): number | undefined;
  /** True when any totalResults noted differed from the first one (drift, even if it netted out). */
  totalVaried(): boolean;
  /** Calls the caller's progress callback. */
  progress(): void;
};

/** The `cancelled` error for an aborted signal (its reason when that already is an AppError). */
function cancelledError(signal: AbortSignal | undefined): AppError {
  const reason: unknown = signal?.reason;
  if (isAppError(reason)) return reason;
  return new AppError('cancelled', 'The list was cancelled.', {}, { cause: reason });
}

/** Throws `cancelled` if the signal has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError(signal);
}

/** Resolves or rejects like `p`, but rejects with `cancelled` as soon as `signal` aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(cancelledError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(cancelledError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * A page's fresh resources, as the passes hand them on: one batch per page (the consumer of a
 * fast list pays one hand-over per page, not per resource). Empty batches are not handed on.
 */
export type Batch = readonly ScimResource[];

/** Hands a page's resources to the consumer as one batch, first stopping with `cancelled` if the signal aborted. */
export function* deliver(
  ctx: Pick<ListContext, 'signal'>,
  resources: readonly ScimResource[],
): Generator<Batch> {
  throwIfAborted(ctx.signal);
  if (resources.length > 0) yield resources;
}

/** Starts a promise whose rejection is handled later (silences unhandled-rejection warnings). */
export function detached<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

/** The resource's id, or undefined when it has none. */
export function idOf(r: ScimResource | undefined): string | undefined {
  return r !== undefined && typeof r.id === 'string' && r.id !== '' ? r.id : undefined;
}

/** The ids of some resources. */
export function idsOf(resources: readonly ScimResource[]): Set<string> {
  const out = new Set<string>();
  for (const r of resources) {
    const id = idOf(r);
    if (id !== undefined) out.add(id);
  }
  return out;
}

/**
 * The resources not delivered before, marking them delivered. Re-seen ids count as dropped
 * duplicates when `duplicates` is set, except the first `expectedRepeats` resources of the page
 * (the planned overlap with the previous page); a verification pass re-reads on purpose and counts none.
 */
export function takeFresh(
  ctx: ListContext,
  resources: readonly ScimResource[],
  how: { duplicates: boolean; expectedRepeats?: number },
): ScimResource[] {
  const fresh: ScimResource[] = [];
  const expected = how.expectedRepeats ?? 0;
  resources.forEach((r, i) => {
    const id = idOf(r);
    if (id === undefined) ctx.stats.withoutId += 1;
    else if (ctx.seen.has(id)) {
      if (how.duplicates && i >= expected) ctx.stats.duplicatesDropped += 1;
      return;
    } else ctx.seen.add(id);
    fresh.push(r);
  });
  ctx.stats.items += fresh.length;
  return fresh;
}

/**
 * Fetches the first page, halving `count` while the server refuses it (`invalidCount`/`tooMany`).
 * Returns the page and the count that worked.
 */
export async function fetchFirstPage(
  ctx: ListContext,
  request: (count: number) => PageRequest,
  pageSize: number,
): Promise<{ page: Page; count: number }> {
  let count = Math.max(1, Math.floor(pageSize));
  for (;;) {
    try {
      return { page: await ctx.fetch(request(count)), count };
    } catch (e) {
      if (!isCountRefused(e) || count <= 1) throw e;
      count = Math.max(1, Math.floor(count / 2));
      ctx.stats.pageSizeReductions += 1;
    }
  }
}

/** Creates the context: wraps `fetchPage` with the abort check and in-flight accounting. */
export function createListContext(
  fetchPage: PageFetcher,
  opts: { mode: 'index' | 'cursor'; signal?: AbortSignal; onPage?: (p: PageProgress) => void },
): ListContext {
  const stats: FastListStats = {
    ...emptyStats(opts.mode),
    concurrentPages: 0,
    gapFills: 0,
    possiblyMissing: 0,
    shiftedBoundaries: 0,
  };
  let inFlight = 0;
  let latest: number | undefined;
  let varied = false;
  const signal = opts.signal;
  const ctx: ListContext = {
    stats,
    seen: createIdSet(),
    ...(signal ? { signal } : {}),
    async fetch(req, kind = 'page') {
      throwIfAborted(signal);
      inFlight += 1;
      stats.concurrentPages = Math.max(stats.concurrentPages, inFlight);
      try {
        const page = await abortable(fetchPage(req), signal);
        if (kind === 'page') stats.pages += 1;
        if (page.totalResults !== undefined) latest = page.totalResults;
        return page;
      } finally {
        inFlight -= 1;
      }
    },
    noteTotal(total) {
      if (total === undefined) return;
      stats.totalResultsFirst ??= total;
      stats.totalResultsLast = total;
      stats.drift = total - stats.totalResultsFirst;
      if (total !== stats.totalResultsFirst) varied = true;
    },
    latestTotal: () => latest,
    totalVaried: () => varied,
    progress() {
      opts.onPage?.({
        pages: stats.pages,
        items: stats.items,
        ...(latest !== undefined ? { totalResults: latest } : {}),
      });
    },
  };
  return ctx;
}
