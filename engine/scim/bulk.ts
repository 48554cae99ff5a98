/**
 * Bulk execution (RFC 7644 §3.7): splits operations into requests within `maxOperations` and
 * `maxPayloadSize` (bytes of the serialised request, §3.7.4), keeps `bulkId` creators in the same or
 * an earlier request than their referrers, substitutes real ids for references to resources created
 * by earlier requests (§3.7.2), and maps every per-operation result back to its `opId`.
 */
import { isAppError } from '../../shared/errors/errors';
import type { ErrorPayload } from '../../shared/errors/payload';
import { failUnsent, recordAnswer, recordRequestFailure } from './bulk-outcomes';
import { failed, startBulk } from './bulk-progress';
import { bulkRequestBody, bulkRequestJson, packRequest } from './bulk-request';
import type { OpResult, WriteOp } from './ops';
import type { ScimHttp } from './transport/types';

export type BulkOptions = {
  maxOperations: number;
  maxPayloadSize: number;
  /** Total errors tolerated before the rest is not sent (RFC 7644 §3.7 `failOnErrors`); default: no limit. */
  failOnErrors?: number;
  signal?: AbortSignal;
};

export type BulkRun = {
  /** One result per input op, in input order. */
  results: OpResult[];
  /** Bulk requests sent. */
  requests: number;
  /** Set when the server rejected Bulk as a feature (404/501/"not supported"): callers fall back to singles. */
  unsupported?: ErrorPayload;
};

/**
 * True when a 413 should be met by sending fewer operations per request: the advertised limits were
 * too generous (RFC 7644 §3.7.4).
 */
function shouldHalve(e: unknown, opLimit: number, operations: number): boolean {
  return isAppError(e) && e.facts.status === 413 && opLimit > 1 && operations > 1;
}

/** Executes ops through /Bulk. Results are returned in input order; nothing throws per operation. */
export async function executeBulk(
  http: ScimHttp,
  ops: readonly WriteOp[],
  opts: BulkOptions,
): Promise<BulkRun> {
  const st = startBulk(ops, opts);
  let requests = 0;
  while (st.next < st.units.length) {
    if (st.unsupported || st.budget <= 0) {
      failUnsent(st);
      break;
    }
    const chunkStart = st.next;
    const { operations, texts, sent } = packRequest(st, opts.maxPayloadSize);
    if (operations.length === 0) continue;
    requests += 1;
    let answer: unknown;
    try {
      answer = (
        await http.request({
          method: 'POST',
          path: '/Bulk',
          body: bulkRequestBody(st.budget, operations),
          json: bulkRequestJson(st.budget, texts),
          idempotent: false,
          ...(opts.signal ? { signal: opts.signal } : {}),
        })
      ).body;
    } catch (e) {
      if (shouldHalve(e, st.opLimit, operations.length)) {
        st.opLimit = Math.max(1, Math.floor(operations.length / 2));
        st.next = chunkStart;
        continue;
      }
      recordRequestFailure(st, sent, e);
      continue;
    }
    recordAnswer(st, sent, answer);
  }
  return {
    results: ops.map(
      (op): OpResult =>
        st.results.get(op.opId) ??
        failed(op, { code: 'internal', message: 'The operation was not scheduled.' }),
    ),
    requests,
    ...(st.unsupported ? { unsupported: st.unsupported } : {}),
  };
}
