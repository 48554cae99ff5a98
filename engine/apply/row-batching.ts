/**
 * How the row pass cuts the plan into journalled batches and how many it keeps in flight.
 *
 * With Bulk, one batch is about one Bulk request: `maxOperations` rows (capped, so a server that
 * advertises 10,000 does not make one journal batch hold a tenth of a big run), and as many batches
 * are in flight as the connection has request slots, so several Bulk requests overlap instead of
 * one at a time (issue 18 part 2). The Bulk executor still splits a batch by `maxOperations` and
 * `maxPayloadSize`. Without Bulk, each batch already sends `concurrency` single requests at once:
 * 100-row batches, 4 in flight, so journal writes overlap the requests.
 */
const DEFAULT_BATCH_ROWS = 100;
const DEFAULT_PIPELINE = 4;
/** The transport's default number of requests in flight. */
const DEFAULT_CONCURRENCY = 8;
/** Most rows in one journalled batch, whatever the server's `maxOperations`. */
const MAX_BULK_BATCH_ROWS = 1000;

type RowBatching = { batchSize: number; pipeline: number };

export function rowBatching(
  bulk: { enabled: boolean; maxOperations: number },
  opts: { batchSize?: number; pipeline?: number; concurrency?: number },
): RowBatching {
  const whole = (n: number): number => Math.max(1, Math.floor(n));
  if (!bulk.enabled) {
    return {
      batchSize: whole(opts.batchSize ?? DEFAULT_BATCH_ROWS),
      pipeline: whole(opts.pipeline ?? DEFAULT_PIPELINE),
    };
  }
  const perRequest = Math.min(MAX_BULK_BATCH_ROWS, whole(bulk.maxOperations));
  return {
    batchSize: whole(opts.batchSize ?? perRequest),
    pipeline: whole(opts.pipeline ?? opts.concurrency ?? DEFAULT_CONCURRENCY),
  };
}
