/**
 * Cursor paging (RFC 9865): follow `nextCursor` until there is none, stop when the server keeps
 * answering the same page, and restart an expired cursor from the first page (§3.3) a bounded number
 * of times, relying on id de-duplication for the pages read again.
 */
import type { ScimResource } from '../../shared/scim/types';
import { isCursorExpiry } from './paging-errors';
import {
  atItemLimit,
  emitFresh,
  fetchWithCountRetry,
  takePage,
  type PagingRun,
} from './paging-run';
import type { Page } from './paging';

/**
 * Why cursor paging stops after `page` (asked for with `cursor`), or undefined to go on.
 * `stallLimit` counts the pages in a row that brought nothing new.
 */
export function cursorStop(
  page: Page,
  cursor: string,
  stalled: number,
  stallLimit: number,
): string | undefined {
  if (page.nextCursor === undefined || page.nextCursor === '') return 'no nextCursor';
  if (page.nextCursor === cursor || stalled >= stallLimit)
    return 'the server kept returning the same page';
  return undefined;
}

/** Counts a restart after a cursor error, or rethrows it when it is not one or restarts are used up. */
function restartOrThrow(run: PagingRun, e: unknown): void {
  if (!isCursorExpiry(e) || run.stats.restarts >= run.maxRestarts) throw e;
  run.stats.restarts += 1;
}

/** Lists by cursor from `startCursor` ('' = the first page). */
export async function* byCursor(
  run: PagingRun,
  startCursor: string,
  firstCall: boolean,
): AsyncGenerator<ScimResource> {
  const { stats } = run;
  stats.mode = 'cursor';
  let cursor = startCursor;
  let first = firstCall;
  let stalled = 0;
  // After a restart the pages already read come back with nothing new: allow that many.
  let replay = 0;
  let pagesRead = 0;
  for (;;) {
    if (atItemLimit(run)) return;
    let page: Page;
    try {
      page = await fetchWithCountRetry(run, (c) => ({ cursor, count: c }), first);
    } catch (e) {
      // RFC 9865 §3.3: an expired cursor cannot be resumed; start again and rely on id de-duplication.
      restartOrThrow(run, e);
      replay = pagesRead;
      stalled = 0;
      cursor = '';
      continue;
    }
    pagesRead += 1;
    first = false;
    const fresh = takePage(stats, run.seen, page);
    if (yield* emitFresh(run, fresh)) return;
    stalled = fresh.length === 0 && page.resources.length > 0 ? stalled + 1 : 0;
    const stop = cursorStop(page, cursor, stalled, run.maxStalled + replay);
    if (stop !== undefined) {
      stats.stoppedBecause = stop;
      return;
    }
    cursor = page.nextCursor ?? '';
  }
}
