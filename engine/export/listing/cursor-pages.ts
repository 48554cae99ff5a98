/**
 * Cursor paging (RFC 9865) for the fast list: strictly sequential, as cursors are, but pipelined —
 * page N+1 is requested as soon as page N's `nextCursor` is known, while the consumer still works
 * through page N (one page of lookahead, so at most two pages are held). An `expiredCursor` /
 * `invalidCursor` answer restarts from the first page a bounded number of times (RFC 9865 §3.3);
 * the id set makes the re-read pages harmless.
 */
import { isCursorExpiry, type Page } from '../../scim/paging';
import {
  deliver,
  detached,
  fetchFirstPage,
  idsOf,
  takeFresh,
  type Batch,
  type ListContext,
} from './list-context';

type CursorPassOptions = {
  /** Where to start: '' for the first page, or a `nextCursor` already received. */
  startCursor: string;
  pageSize: number;
  /** True when this is the list's first request (its count may be halved if refused). */
  firstRequest: boolean;
  /** Restarts allowed after an expired or invalid cursor. */
  maxRestarts: number;
  /** 'main' counts re-seen ids as duplicates; 'verify' re-reads on purpose and does not. */
  purpose: 'main' | 'verify';
  /** Consecutive pages holding nothing beyond the previous page before giving up (default 3). */
  maxStalledPages?: number;
};

/** Yields every resource not delivered before (a batch per page), following `nextCursor` with one page of lookahead. */
export async function* cursorPass(ctx: ListContext, o: CursorPassOptions): AsyncGenerator<Batch> {
  let count = Math.max(1, Math.floor(o.pageSize));
  const maxStalled = o.maxStalledPages ?? 3;
  const request = (cursor: string): Promise<Page> => detached(ctx.fetch({ cursor, count }));
  let cursor = o.startCursor;
  let pending = o.firstRequest
    ? detached(
        fetchFirstPage(ctx, (n) => ({ cursor: o.startCursor, count: n }), count).then((r) => {
          count = r.count;
          return r.page;
        }),
      )
    : request(cursor);
  let previous = new Set<string>();
  let stalled = 0;
  for (;;) {
    let page: Page;
    try {
      page = await pending;
    } catch (e) {
      if (!isCursorExpiry(e) || ctx.stats.restarts >= o.maxRestarts) throw e;
      // RFC 9865 §3.3: an expired cursor cannot be resumed; start again, de-duplicating by id.
      ctx.stats.restarts += 1;
      cursor = '';
      previous = new Set();
      stalled = 0;
      pending = request(cursor);
      continue;
    }
    ctx.noteTotal(page.totalResults);
    const next = page.nextCursor;
    const more = next !== undefined && next !== '' && next !== cursor;
    // The pipelining: the next request leaves before this page reaches the consumer.
    if (more) pending = request(next);
    const ids = idsOf(page.resources);
    const progressed = [...ids].some((id) => !previous.has(id)) || ids.size === 0;
    stalled = progressed ? 0 : stalled + 1;
    previous = ids;
    const fresh = takeFresh(ctx, page.resources, { duplicates: o.purpose === 'main' });
    ctx.progress();
    yield* deliver(ctx, fresh);
    if (!more) {
      ctx.stats.stoppedBecause =
        next === cursor && next !== undefined && next !== ''
          ? 'the server kept returning the same cursor'
          : 'no nextCursor';
      return;
    }
    if (stalled >= maxStalled) {
      ctx.stats.stoppedBecause = 'the server kept returning the same page';
      return;
    }
    cursor = next;
  }
}
