/**
 * Index paging (RFC 7644 §3.4.2.4) for the fast list: planned pages fetched concurrently and
 * delivered in order, and an anchored sequential walk for what lies past the plan and for the
 * verification pass.
 *
 * Drift detection. Consecutive pages overlap by `overlap` resources (default 1): page k+1 starts
 * at the last position of page k. As long as the server keeps a stable order, page k+1's first
 * resource must be one page k already held; if it is not (or page k+1 is empty although page k
 * did not reach the end), resources were removed before that point between the two requests and
 * the list shifted left, so something may have been skipped. Such a boundary counts as shifted.
 * The walk does better than count it: it steps back until the page starts inside one it holds.
 * Resources inserted before the current point shift the list right instead: the overlap grows
 * and the id set drops the repeats.
 */
import type { ScimResource } from '../../../shared/scim/types';
import { planIndexPages, type Page } from '../../scim/paging';
import {
  deliver,
  detached,
  idOf,
  idsOf,
  takeFresh,
  type Batch,
  type ListContext,
} from './list-context';

/** The page length the server really serves and the overlap of consecutive pages. */
export type IndexGeometry = { pageSize: number; overlap: number };

/** What the previous page tells the next one. */
type Anchor = { ids: Set<string>; ended: boolean };

/** A planned page, completed by its gap fills. */
type PlannedPage = {
  start: number;
  resources: ScimResource[];
  ids: Set<string>;
  total?: number;
  /** The page reached the end of the list as the server counted it then. */
  ended: boolean;
  /** Gap fills that did not start inside what the page already held. */
  shifted: number;
};

/** Consecutive requests without a new resource before a walk or a gap fill gives up. */
const MAX_STALLS = 3;
/** Pages of ids a walk keeps to anchor the next page on (covers a step back of two pages). */
const RECENT_PAGES = 3;

function reachedEnd(start: number, got: number, total: number | undefined): boolean {
  return got === 0 || (total !== undefined && start + got - 1 >= total);
}

/** True when the page starts on a resource held in `held` (a resource without id cannot be checked). */
function startsInside(page: readonly ScimResource[], held: readonly Set<string>[]): boolean {
  const first = page[0];
  if (first === undefined) return false;
  const id = idOf(first);
  return id === undefined || held.some((s) => s.has(id));
}

/**
 * Fetches the page planned at `start` and fills it when the server returned it short although
 * more resources follow (a page cap below the first page's, or random short pages): the gap is
 * requested from the last resource held (overlap), so a shift in between is seen too.
 */
async function fetchPlanned(
  ctx: ListContext,
  start: number,
  g: IndexGeometry,
  knownTotal: number,
): Promise<PlannedPage> {
  const page = await ctx.fetch({ startIndex: start, count: g.pageSize });
  const resources = [...page.resources];
  const ids = idsOf(resources);
  let total = page.totalResults ?? knownTotal;
  let ended = reachedEnd(start, resources.length, total);
  let shifted = 0;
  let stalls = 0;
  let overlap = g.overlap;
  while (!ended && resources.length < g.pageSize && stalls < MAX_STALLS) {
    const got = resources.length;
    const back = Math.min(overlap, got);
    const from = start + got - back;
    const gap = await ctx.fetch({ startIndex: from, count: g.pageSize - got + back });
    ctx.stats.gapFills += 1;
    total = gap.totalResults ?? total;
    if (back > 0 && !startsInside(gap.resources, [ids])) shifted += 1;
    let added = 0;
    for (const r of gap.resources) {
      const id = idOf(r);
      if (id !== undefined) {
        if (ids.has(id)) continue;
        ids.add(id);
      }
      resources.push(r);
      added += 1;
    }
    if (added === 0) {
      stalls += 1;
      // A server shortening every page may return no more than the overlap for a small gap
      // (one missing resource): ask for the gap alone, giving up the shift check for it.
      overlap = 0;
    } else stalls = 0;
    ended = reachedEnd(from, gap.resources.length, total);
  }
  return { start, resources, ids, total, ended, shifted };
}

type ConcurrentPassOptions = {
  /** The first page (startIndex 1), already fetched and delivered. */
  first: readonly ScimResource[];
  /** totalResults of the first page: what the plan covers. */
  total: number;
  geometry: IndexGeometry;
  /** Planned pages in flight (and buffered) at most. */
  concurrency: number;
};

/**
 * Fetches the planned pages after the first with up to `concurrency` requests in flight and
 * yields their resources in list order (a batch per page). At most `concurrency` pages wait in the reorder buffer,
 * plus the one being delivered, so memory is bounded by (concurrency + 1) × pageSize resources.
 * When the last page shows that the list grew, continues with an anchored walk.
 */
export async function* concurrentIndexPass(
  ctx: ListContext,
  o: ConcurrentPassOptions,
): AsyncGenerator<Batch> {
  const g = o.geometry;
  const n1 = o.first.length;
  let anchor: Anchor = { ids: idsOf(o.first), ended: reachedEnd(1, n1, o.total) };
  let last = { start: 1, got: n1 };
  // Page k+1 starts `overlap` positions before page k ends; a page starting at s brings new
  // resources only if s + overlap <= total.
  const starts = anchor.ended
    ? []
    : planIndexPages(n1 + 1 - g.overlap, o.total - g.overlap, g.pageSize - g.overlap);
  const limit = Math.max(1, Math.floor(o.concurrency));
  const window: Promise<PlannedPage>[] = [];
  let next = 0;
  let stopLaunching = false;
  const launch = (): void => {
    while (!stopLaunching && window.length < limit && next < starts.length) {
      const start = starts[next++] ?? 0;
      window.push(detached(fetchPlanned(ctx, start, g, o.total)));
    }
  };
  try {
    launch();
    for (let head = window.shift(); head !== undefined; head = window.shift()) {
      const page = await head;
      // Refill before delivering, so the requests run while the consumer works through this page.
      launch();
      ctx.noteTotal(page.total);
      ctx.stats.shiftedBoundaries += page.shifted;
      if (g.overlap > 0 && !anchor.ended && !startsInside(page.resources, [anchor.ids])) {
        ctx.stats.shiftedBoundaries += 1;
      }
      const fresh = takeFresh(ctx, page.resources, {
        duplicates: true,
        expectedRepeats: anchor.ended ? 0 : g.overlap,
      });
      ctx.progress();
      yield* deliver(ctx, fresh);
      anchor = { ids: page.ids, ended: page.ended };
      last = { start: page.start, got: page.resources.length };
      // The list ended before the plan did (resources removed): later pages can only hold
      // resources added meanwhile; do not ask for more of them.
      if (page.ended) stopLaunching = true;
    }
  } finally {
    stopLaunching = true;
  }
  if (anchor.ended) {
    ctx.stats.stoppedBecause = 'reached totalResults';
    // A full last page at totalResults may hide more (a server whose count is too small):
    // follow the list to an empty page instead of believing the count (read-integrity.ts).
    if (last.got < g.pageSize) return;
    const back = Math.min(g.overlap, last.got);
    yield* indexWalk(ctx, g, {
      start: last.start + last.got - back,
      anchor: { ids: anchor.ids, ended: false },
      repeats: back,
      purpose: 'main',
      untilEmpty: true,
    });
    return;
  }
  // The list grew during the walk: follow it sequentially until a page reaches the end.
  const repeats = Math.min(g.overlap, last.got);
  yield* indexWalk(ctx, g, {
    start: last.start + last.got - repeats,
    anchor,
    repeats,
    purpose: 'main',
  });
}

type WalkOptions = {
  /** First startIndex to read. */
  start: number;
  /** The page before `start` (omitted when starting at the top of the list). */
  anchor?: Anchor;
  /** Positions from `start` on that the anchor page already held (its overlap; default 0). */
  repeats?: number;
  /** 'main' counts re-seen ids as duplicates; 'verify' re-reads on purpose and does not. */
  purpose: 'main' | 'verify';
  /** Boundaries the walk could not anchor even after stepping back (default: the stats' shifted count). */
  onShift?: () => void;
  /** Past totalResults: only an empty page (or one with nothing new) ends the walk. */
  untilEmpty?: boolean;
};

/**
 * Reads index pages one after the other, each overlapping the previous one. When a page does not
 * start inside the pages already held, the list shifted left under the walk: it steps back
 * (doubling, up to two pages) until the page does, so nothing is skipped. Stops on an empty page,
 * a page reaching totalResults, or pages that bring nothing new (startIndex ignored).
 */
export async function* indexWalk(
  ctx: ListContext,
  g: IndexGeometry,
  w: WalkOptions,
): AsyncGenerator<Batch> {
  const onShift =
    w.onShift ??
    (() => {
      ctx.stats.shiftedBoundaries += 1;
    });
  let start = Math.max(1, w.start);
  let anchor = w.anchor;
  let repeats = w.repeats ?? 0;
  const recent: Set<string>[] = anchor ? [anchor.ids] : [];
  let stalls = 0;
  for (;;) {
    let back = 0;
    let from: number;
    let page: Page;
    for (;;) {
      from = Math.max(1, start - back);
      page = await ctx.fetch({ startIndex: from, count: g.pageSize });
      const holds =
        anchor === undefined ||
        anchor.ended ||
        from === 1 ||
        g.overlap === 0 ||
        startsInside(page.resources, recent);
      if (holds) break;
      if (back >= 2 * g.pageSize) {
        onShift();
        break;
      }
      back = Math.min(2 * g.pageSize, back === 0 ? Math.max(2, 2 * g.overlap) : 2 * back);
    }
    ctx.noteTotal(page.totalResults);
    const got = page.resources.length;
    const ids = idsOf(page.resources);
    const fresh = takeFresh(ctx, page.resources, {
      duplicates: w.purpose === 'main',
      expectedRepeats: start - from + repeats,
    });
    ctx.progress();
    yield* deliver(ctx, fresh);
    if (w.untilEmpty === true && fresh.length === 0) {
      ctx.stats.stoppedBecause = got === 0 ? 'empty page' : 'nothing new past totalResults';
      return;
    }
    if (reachedEnd(from, got, w.untilEmpty === true ? undefined : page.totalResults)) {
      ctx.stats.stoppedBecause = got === 0 ? 'empty page' : 'reached totalResults';
      return;
    }
    const brandNew = [...ids].some((id) => !recent.some((s) => s.has(id)));
    stalls = brandNew || ids.size === 0 ? 0 : stalls + 1;
    if (stalls >= MAX_STALLS) {
      ctx.stats.stoppedBecause = `no new resources in ${MAX_STALLS} pages (startIndex ignored?)`;
      return;
    }
    recent.push(ids);
    if (recent.length > RECENT_PAGES) recent.shift();
    anchor = { ids, ended: false };
    // Follow the length the server really returned; overlap only when the page can spare it.
    repeats = got > g.overlap ? g.overlap : 0;
    start = from + got - repeats;
  }
}
