/**
 * Index paging (RFC 7644 §3.4.2.4): follow the page length the server actually returns, stop on an
 * empty page or when startIndex passes totalResults (looking once more past a full last page, since
 * totalResults may drift), stop when pages bring nothing new (a server ignoring startIndex), and
 * switch to cursors when the server answers with one (RFC 9865 §2).
 */
import type { ScimResource } from '../../shared/scim/types';
import { byCursor } from './paging-cursor';
import {
  atItemLimit,
  emitFresh,
  fetchWithCountRetry,
  takePage,
  type PagingRun,
} from './paging-run';
import type { Page } from './paging';

/** Where index paging stands between pages. */
type IndexPosition = {
  /** The 1-based startIndex of the next page. */
  startIndex: number;
  /** Pages in a row that brought no new id. */
  stalled: number;
  /** totalResults ends the list only while it is believed: a full last page is followed further. */
  trustTotal: boolean;
  /** The longest page seen before this one. */
  longest: number;
};

export type IndexPageContext = {
  /** The page size asked for. */
  count: number;
  /** Pages read so far, this one included. */
  pages: number;
  maxStalled: number;
  /** The first request went without startIndex/count (a server without paging). */
  bare: boolean;
};

export const FIRST_INDEX_POSITION: IndexPosition = {
  startIndex: 1,
  stalled: 0,
  trustTotal: true,
  longest: 0,
};

/** After an index page with `freshCount` new resources: why paging stops, or where it goes next. */
export function nextIndexPosition(
  at: IndexPosition,
  page: Page,
  freshCount: number,
  ctx: IndexPageContext,
): { stop: string } | { next: IndexPosition } {
  const n = page.resources.length;
  if (n === 0) return { stop: 'empty page' };
  if (!at.trustTotal && freshCount === 0) return { stop: 'nothing new past totalResults' };
  const stalled = freshCount === 0 ? at.stalled + 1 : 0;
  if (stalled >= ctx.maxStalled)
    return { stop: `no new resources in ${ctx.maxStalled} pages (startIndex ignored?)` };
  // Follow what the server actually returned, not what was asked (short pages, caps).
  const startIndex = at.startIndex + n;
  const full = n >= ctx.count || (ctx.pages > 1 && n >= at.longest);
  const longest = Math.max(at.longest, n);
  let trustTotal = at.trustTotal;
  if (trustTotal && page.totalResults !== undefined && startIndex > page.totalResults) {
    // A full page at the count's end may hide more (a totalResults too small): look once more.
    if (!full || ctx.bare) return { stop: 'startIndex passed totalResults' };
    trustTotal = false;
  }
  return { next: { startIndex, stalled, trustTotal, longest } };
}

/** Lists by startIndex from the first page, going on by cursor if the server insists. */
export async function* byIndex(run: PagingRun): AsyncGenerator<ScimResource> {
  const { stats } = run;
  let at = FIRST_INDEX_POSITION;
  let first = true;
  for (;;) {
    if (atItemLimit(run)) return;
    const bare = first && run.opts.mode === 'none';
    const startIndex = at.startIndex;
    const page = await fetchWithCountRetry(
      run,
      (c) => (bare ? {} : { startIndex, count: c }),
      first,
    );
    first = false;
    const fresh = takePage(stats, run.seen, page);
    if (yield* emitFresh(run, fresh)) return;
    if (page.nextCursor !== undefined && page.nextCursor !== '') {
      // RFC 9865 §2: a server may paginate by cursor even when the client asked otherwise.
      stats.switchedToCursor = true;
      yield* byCursor(run, page.nextCursor, false);
      return;
    }
    const step = nextIndexPosition(at, page, fresh.length, {
      count: run.count,
      pages: stats.pages,
      maxStalled: run.maxStalled,
      bare,
    });
    if ('stop' in step) {
      stats.stoppedBecause = step.stop;
      return;
    }
    at = step.next;
  }
}
