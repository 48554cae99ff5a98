/**
 * Turning what the server did with a Bulk request into per-op results (RFC 7644 §3.7.3): the
 * answer's operations mapped back to their ops, creators' ids kept for later references, the error
 * budget (`failOnErrors`) spent, and whole-request failures (413, Bulk unsupported) given to every
 * op the request carried.
 */
import { isAppError, toErrorPayload } from '../../shared/errors/errors';
import type { ErrorPayload } from '../../shared/errors/payload';
import { mapBulkResponse, type SentOp } from './bulk-results';
import { failed, type BulkProgress } from './bulk-progress';

/** True when a whole-request failure means the server lacks Bulk (docs/server-behaviour.md, A3). */
function isBulkUnsupported(e: unknown): boolean {
  if (!isAppError(e)) return false;
  const s = e.facts.status;
  if (s === 404 || s === 501 || s === 405) return true;
  const text = `${e.facts.detail ?? ''} ${e.facts.raw ?? ''}`;
  return (s === 400 || s === 403) && /not\s+(be\s+)?(supported|implemented|enabled)/i.test(text);
}

/** The error every op of a failed request gets, with a sentence for 413 and unsupported Bulk. */
function wholeRequestError(e: unknown): ErrorPayload {
  const p = toErrorPayload(e);
  if (isAppError(e) && e.facts.status === 413) {
    return {
      ...p,
      code: 'bulk_rejected',
      message: 'The server refused the Bulk request as too large (HTTP 413).',
    };
  }
  if (isBulkUnsupported(e)) {
    return {
      ...p,
      code: 'bulk_rejected',
      message: `The server does not support Bulk requests${p.status !== undefined ? ` (HTTP ${p.status})` : ''}.`,
    };
  }
  return p;
}

/** Gives every op of a request that failed as a whole its error; notes when Bulk is unsupported. */
export function recordRequestFailure(st: BulkProgress, sent: readonly SentOp[], e: unknown): void {
  const error = wholeRequestError(e);
  if (isBulkUnsupported(e)) st.unsupported = error;
  for (const s of sent) {
    st.results.set(s.op.opId, failed(s.op, error, error.status ?? 0));
    if (s.bulkId !== undefined) st.failedBulkIds.add(s.bulkId);
  }
}

/** The result of an op the answer does not mention: cut off by failOnErrors, or unknown. */
function missingError(s: SentOp, stopped: boolean): ErrorPayload {
  return stopped
    ? {
        code: 'cancelled',
        message: 'Not processed: the server stopped the Bulk request after reaching failOnErrors.',
      }
    : {
        code: 'outcome_unknown',
        message: `The server's Bulk response does not mention ${s.op.method} ${s.path}; its outcome is unknown.`,
      };
}

/** Records the server's answer to a request: results, created ids, failed creators, budget spent. */
export function recordAnswer(st: BulkProgress, sent: readonly SentOp[], answer: unknown): void {
  const { results: mapped, missing } = mapBulkResponse(sent, answer);
  const sentById = new Map(sent.map((x) => [x.op.opId, x]));
  let errors = 0;
  for (const r of mapped) {
    st.results.set(r.opId, r);
    const s = sentById.get(r.opId);
    if (!r.ok) errors += 1;
    if (s?.bulkId !== undefined) {
      if (r.ok && r.id !== undefined) st.createdIds.set(s.bulkId, r.id);
      else st.failedBulkIds.add(s.bulkId);
    }
  }
  st.budget -= errors;
  const stopped = Number.isFinite(st.budget) && st.budget <= 0;
  for (const s of missing) {
    st.results.set(s.op.opId, failed(s.op, missingError(s, stopped)));
    if (s.bulkId !== undefined) st.failedBulkIds.add(s.bulkId);
  }
}

/** Fails every unit not yet sent once Bulk proved unsupported or the error budget is spent. */
export function failUnsent(st: BulkProgress): void {
  const error: ErrorPayload = st.unsupported ?? {
    code: 'cancelled',
    message: 'Not sent: the Bulk error limit (failOnErrors) was reached.',
  };
  for (const op of st.units.slice(st.next).flat()) st.results.set(op.opId, failed(op, error));
  st.next = st.units.length;
}
