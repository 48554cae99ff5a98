/**
 * Bulk execution (RFC 7644 §3.7): splits operations into requests within `maxOperations` and
 * `maxPayloadSize` (bytes of the serialised request, §3.7.4), keeps `bulkId` creators in the same or
 * an earlier request than their referrers, substitutes real ids for references to resources created
 * by earlier requests (§3.7.2), and maps every per-operation result back to its `opId`.
 */
import { isAppError, toErrorPayload } from '../../shared/errors/errors';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { BulkOperation } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { mapBulkResponse, type SentOp } from './bulk-results';
import {
  orderByDependencies,
  bulkRefsOf,
  substituteBulkIds,
  type OpResult,
  type WriteOp,
} from './ops';
import { resourcePath } from './resources';
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

const encoder = new TextEncoder();
const bytes = (v: unknown): number => encoder.encode(JSON.stringify(v)).length;

function failed(op: WriteOp, error: ErrorPayload, status = 0): OpResult {
  return {
    opId: op.opId,
    ok: false,
    status,
    error: { ...error, ...(op.lookupKey !== undefined ? { lookupKey: op.lookupKey } : {}) },
  };
}

/** POSTs need a bulkId (§3.7.1); generate one from the opId when the caller gave none. */
function bulkIdFor(op: WriteOp): string | undefined {
  if (op.method !== 'POST') return undefined;
  return op.bulkId ?? `op-${op.opId}`;
}

function toBulkOperation(
  op: WriteOp,
  ids: ReadonlyMap<string, string>,
): { bulk: BulkOperation; sent: SentOp } {
  const id = op.id === undefined ? undefined : substituteBulkIds(op.id, ids);
  const path =
    id === undefined
      ? op.endpoint
      : op.id?.startsWith('bulkId:') === true && id === op.id
        ? `${op.endpoint}/${id}`
        : resourcePath(op.endpoint, id);
  const bulkId = bulkIdFor(op);
  const bulk: BulkOperation = {
    method: op.method,
    path,
    ...(bulkId !== undefined ? { bulkId } : {}),
    ...(op.version !== undefined ? { version: op.version } : {}),
    ...(op.data !== undefined && op.method !== 'DELETE'
      ? { data: substituteBulkIds(op.data, ids) }
      : {}),
  };
  return { bulk, sent: { op, path, ...(bulkId !== undefined ? { bulkId } : {}) } };
}

/** True when a whole-request failure means the server lacks Bulk (docs/server-behaviour.md, A3). */
export function isBulkUnsupported(e: unknown): boolean {
  if (!isAppError(e)) return false;
  const s = e.facts.status;
  if (s === 404 || s === 501 || s === 405) return true;
  const text = `${e.facts.detail ?? ''} ${e.facts.raw ?? ''}`;
  return (s === 400 || s === 403) && /not\s+(be\s+)?(supported|implemented|enabled)/i.test(text);
}

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

/** Executes ops through /Bulk. Results are returned in input order; nothing throws per operation. */
export async function executeBulk(
  http: ScimHttp,
  ops: readonly WriteOp[],
  opts: BulkOptions,
): Promise<BulkRun> {
  const maxOps = Math.max(1, Math.floor(opts.maxOperations));
  const units = orderByDependencies(ops);
  const results = new Map<string, OpResult>();
  const createdIds = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  let budget = opts.failOnErrors ?? Infinity;
  let requests = 0;
  let unsupported: ErrorPayload | undefined;
  let opLimit = maxOps;
  let i = 0;

  const envelope = (): Record<string, unknown> => ({
    schemas: [URN.bulkRequest],
    ...(Number.isFinite(budget) ? { failOnErrors: Math.max(1, budget) } : {}),
    Operations: [],
  });

  while (i < units.length) {
    if (unsupported || budget <= 0) {
      for (const op of units.slice(i).flat()) {
        results.set(
          op.opId,
          failed(
            op,
            unsupported ?? {
              code: 'cancelled',
              message: 'Not sent: the Bulk error limit (failOnErrors) was reached.',
            },
          ),
        );
      }
      break;
    }
    const chunkStart = i;
    const bulkOps: BulkOperation[] = [];
    const sent: SentOp[] = [];
    let size = bytes(envelope());
    while (i < units.length) {
      const unit = units[i] ?? [];
      // An op whose creator failed cannot succeed: report it without sending.
      const blocked = unit.find((op) => [...bulkRefsOf(op)].some((r) => failedBulkIds.has(r)));
      if (blocked) {
        for (const op of unit) {
          const ref = [...bulkRefsOf(op)].find((r) => failedBulkIds.has(r));
          results.set(
            op.opId,
            failed(op, {
              code: 'invalid_request',
              message: `Not sent: it refers to bulkId:${ref ?? '?'}, whose creation failed.`,
            }),
          );
          const own = bulkIdFor(op);
          if (own !== undefined) failedBulkIds.add(own);
        }
        i++;
        continue;
      }
      const prepared = unit.map((op) => toBulkOperation(op, createdIds));
      const unitBytes = prepared.reduce((n, p) => n + bytes(p.bulk) + 1, 0);
      const fits =
        bulkOps.length + prepared.length <= opLimit && size + unitBytes <= opts.maxPayloadSize;
      if (!fits) {
        if (bulkOps.length > 0) break;
        // Alone it is still too big: it can never be sent as Bulk.
        const why =
          prepared.length > opLimit
            ? `${prepared.length} operations reference each other and must share one request, above the limit of ${opLimit}`
            : `the operation needs ${size + unitBytes} bytes, above the server's maxPayloadSize of ${opts.maxPayloadSize}`;
        for (const op of unit)
          results.set(
            op.opId,
            failed(op, { code: 'bulk_rejected', message: `Not sent as Bulk: ${why}.` }),
          );
        i++;
        continue;
      }
      for (const p of prepared) {
        bulkOps.push(p.bulk);
        sent.push(p.sent);
      }
      size += unitBytes;
      i++;
    }
    if (bulkOps.length === 0) continue;

    const body = { ...envelope(), Operations: bulkOps };
    requests += 1;
    let answer: unknown;
    try {
      answer = (
        await http.request({
          method: 'POST',
          path: '/Bulk',
          body,
          idempotent: false,
          ...(opts.signal ? { signal: opts.signal } : {}),
        })
      ).body;
    } catch (e) {
      if (isAppError(e) && e.facts.status === 413 && opLimit > 1 && bulkOps.length > 1) {
        // The advertised limits were too generous: halve the request and try again (RFC 7644 §3.7.4).
        opLimit = Math.max(1, Math.floor(bulkOps.length / 2));
        i = chunkStart;
        continue;
      }
      const error = wholeRequestError(e);
      if (isBulkUnsupported(e)) unsupported = error;
      for (const s of sent) {
        results.set(s.op.opId, failed(s.op, error, error.status ?? 0));
        if (s.bulkId !== undefined) failedBulkIds.add(s.bulkId);
      }
      continue;
    }

    const { results: mapped, missing } = mapBulkResponse(sent, answer);
    let errors = 0;
    for (const r of mapped) {
      results.set(r.opId, r);
      const s = sent.find((x) => x.op.opId === r.opId);
      if (!r.ok) errors += 1;
      if (s?.bulkId !== undefined) {
        if (r.ok && r.id !== undefined) createdIds.set(s.bulkId, r.id);
        else failedBulkIds.add(s.bulkId);
      }
    }
    budget -= errors;
    const stopped = Number.isFinite(budget) && budget <= 0;
    for (const s of missing) {
      results.set(
        s.op.opId,
        failed(
          s.op,
          stopped
            ? {
                code: 'cancelled',
                message:
                  'Not processed: the server stopped the Bulk request after reaching failOnErrors.',
              }
            : {
                code: 'outcome_unknown',
                message: `The server's Bulk response does not mention ${s.op.method} ${s.path}; its outcome is unknown.`,
              },
        ),
      );
      if (s.bulkId !== undefined) failedBulkIds.add(s.bulkId);
    }
  }

  return {
    results: ops.map(
      (op) =>
        results.get(op.opId) ??
        failed(op, { code: 'internal', message: 'The operation was not scheduled.' }),
    ),
    requests,
    ...(unsupported ? { unsupported } : {}),
  };
}
