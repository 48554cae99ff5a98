/**
 * What one Bulk execution (bulk.ts) carries from request to request: the dependency units still to
 * send, every op's result so far, the ids created under each bulkId, the bulkIds whose creation
 * failed, and the error budget left (RFC 7644 §3.7 `failOnErrors`).
 */
import type { ErrorPayload } from '../../shared/errors/payload';
import { bulkRefsOf, orderByDependencies, type OpResult, type WriteOp } from './ops';

export type BulkProgress = {
  /** Ops grouped so that each bulkId creator travels with or before its referrers. */
  readonly units: readonly (readonly WriteOp[])[];
  /** Index of the next unit to send. */
  next: number;
  readonly results: Map<string, OpResult>;
  /** bulkId → the id the server gave the resource it created. */
  readonly createdIds: Map<string, string>;
  /** bulkIds whose creation failed (or was never sent): their referrers cannot succeed. */
  readonly failedBulkIds: Set<string>;
  /** The bulkIds an op refers to (memoised). */
  readonly refs: (op: WriteOp) => string[];
  /** Errors still tolerated; Infinity without `failOnErrors`. */
  budget: number;
  /** Operations allowed in one request; lowered when the server answers 413. */
  opLimit: number;
  /** Set when the server rejected Bulk as a feature. */
  unsupported?: ErrorPayload;
};

export function startBulk(
  ops: readonly WriteOp[],
  limits: { maxOperations: number; failOnErrors?: number },
): BulkProgress {
  const refsOf = new Map<WriteOp, string[]>();
  return {
    units: orderByDependencies(ops),
    next: 0,
    results: new Map(),
    createdIds: new Map(),
    failedBulkIds: new Set(),
    refs: (op) => {
      let r = refsOf.get(op);
      if (!r) refsOf.set(op, (r = [...bulkRefsOf(op)]));
      return r;
    },
    budget: limits.failOnErrors ?? Infinity,
    opLimit: Math.max(1, Math.floor(limits.maxOperations)),
  };
}

/** A failed result for `op`, carrying its lookup key so the error can be traced to its row. */
export function failed(op: WriteOp, error: ErrorPayload, status = 0): OpResult {
  return {
    opId: op.opId,
    ok: false,
    status,
    error: { ...error, ...(op.lookupKey !== undefined ? { lookupKey: op.lookupKey } : {}) },
  };
}
