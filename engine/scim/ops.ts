/**
 * The common write-operation model shared by Bulk (RFC 7644 §3.7) and single requests, and the
 * `bulkId` reference rules (§3.7.2): a value `"bulkId:xyz"` anywhere in an operation's data (or as its
 * target id) refers to the resource created by the POST whose `bulkId` is `xyz`.
 */
import type { ErrorPayload } from '../../shared/errors/payload';
import type { BulkMethod, ScimResource } from '../../shared/scim/types';

/** One write to perform. `opId` is the caller's handle; results come back keyed by it. */
export type WriteOp = {
  opId: string;
  method: BulkMethod;
  /** Resource endpoint, e.g. `/Users`. */
  endpoint: string;
  /** Target id for PUT/PATCH/DELETE; may itself be `bulkId:xyz`. */
  id?: string;
  /** For POST: the transient id other operations may reference as `bulkId:<bulkId>`. */
  bulkId?: string;
  /** Resource (POST/PUT) or PatchOp message (PATCH). */
  data?: unknown;
  /** Version for If-Match (RFC 7644 §3.14 / bulk `version`). */
  version?: string;
  /** How to find the resource if the outcome is unknown (e.g. `userName eq "ada@x"`). */
  lookupKey?: string;
};

/** What happened to one WriteOp. */
export type OpResult = {
  opId: string;
  ok: boolean;
  /** HTTP status of the operation (0 when it was never sent or no status is known). */
  status: number;
  id?: string;
  location?: string;
  version?: string;
  resource?: ScimResource;
  error?: ErrorPayload;
};

const PREFIX = 'bulkId:';

/** The bulkIds an operation refers to (in its data or its target id). */
export function bulkRefsOf(op: WriteOp): Set<string> {
  const refs = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.startsWith(PREFIX) && v.length > PREFIX.length) refs.add(v.slice(PREFIX.length));
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else if (typeof v === 'object' && v !== null) {
      for (const x of Object.values(v)) visit(x);
    }
  };
  visit(op.data);
  visit(op.id);
  if (op.bulkId !== undefined) refs.delete(op.bulkId);
  return refs;
}

/**
 * Replaces `bulkId:xyz` strings whose xyz is in `ids` with the real resource id. Copies only what
 * changes: a value without a replaced reference comes back as the same object (never mutate it).
 */
export function substituteBulkIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (ids.size === 0) return value;
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      return v.startsWith(PREFIX) ? (ids.get(v.slice(PREFIX.length)) ?? v) : v;
    }
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        const y = visit(x);
        if (y !== x) (copy ??= v.slice())[i] = y;
      }
      return copy ?? v;
    }
    if (typeof v === 'object' && v !== null) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, x] of Object.entries(v)) {
        const y = visit(x);
        if (y !== x) (copy ??= { ...v })[k] = y;
      }
      return copy ?? v;
    }
    return v;
  };
  return visit(value) as T;
}

/**
 * Groups operations into units that must travel together and orders them so creators come before
 * the operations that reference them. A unit is a strongly connected set of references (a cycle,
 * such as two groups naming each other — legal only inside one Bulk request, §3.7.2) or a single
 * operation. Within the constraints the input order is kept.
 */
export function orderByDependencies(ops: readonly WriteOp[]): WriteOp[][] {
  const creator = new Map<string, number>();
  ops.forEach((op, i) => {
    if (op.method === 'POST' && op.bulkId !== undefined) creator.set(op.bulkId, i);
  });
  const edges = ops.map((op) =>
    [...bulkRefsOf(op)].map((ref) => creator.get(ref)).filter((x): x is number => x !== undefined),
  );
  // No op refers to another (a batch of creates): each is its own unit, in input order — what
  // the search below gives, without its cost per op.
  if (edges.every((e) => e.length === 0)) return ops.map((op) => [op]);
  // Tarjan's algorithm; with edges pointing dependent → creator, an SCC is emitted only after every
  // SCC it depends on, which is exactly "creators first".
  const index: number[] = new Array<number>(ops.length).fill(-1);
  const low: number[] = new Array<number>(ops.length).fill(0);
  const onStack: boolean[] = new Array<boolean>(ops.length).fill(false);
  const stack: number[] = [];
  const units: WriteOp[][] = [];
  let counter = 0;
  const strong = (v: number): void => {
    index[v] = counter;
    low[v] = counter;
    counter += 1;
    stack.push(v);
    onStack[v] = true;
    for (const w of edges[v] ?? []) {
      if (index[w] === -1) {
        strong(w);
        low[v] = Math.min(low[v] ?? 0, low[w] ?? 0);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v] ?? 0, index[w] ?? 0);
      }
    }
    if (low[v] === index[v]) {
      const members: number[] = [];
      for (;;) {
        const w = stack.pop();
        if (w === undefined) break;
        onStack[w] = false;
        members.push(w);
        if (w === v) break;
      }
      members.sort((a, b) => a - b);
      units.push(members.map((m) => ops[m]).filter((op): op is WriteOp => op !== undefined));
    }
  };
  for (let i = 0; i < ops.length; i++) if (index[i] === -1) strong(i);
  return units;
}
