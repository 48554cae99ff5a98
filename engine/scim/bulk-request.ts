/**
 * Building Bulk requests (RFC 7644 §3.7): each op becomes a BulkOperation with real ids substituted
 * for bulkIds created by earlier requests (§3.7.2), and units are packed into one request while they
 * fit `maxOperations` and `maxPayloadSize` (bytes of the serialised request, §3.7.4). Units that can
 * never be sent (a failed creator, too big alone) get their result here without being sent.
 */
import type { BulkOperation } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import type { SentOp } from './bulk-results';
import { failed, type BulkProgress } from './bulk-progress';
import { substituteBulkIds, type WriteOp } from './ops';
import { resourcePath } from './resources';

/** Bytes of `v` serialised as JSON. */
export const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));

/** POSTs need a bulkId (§3.7.1); generate one from the opId when the caller gave none. */
function bulkIdFor(op: WriteOp): string | undefined {
  if (op.method !== 'POST') return undefined;
  return op.bulkId ?? `op-${op.opId}`;
}

export function toBulkOperation(
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

/** The BulkRequest body around `operations`, passing the error budget left as `failOnErrors`. */
export function bulkRequestBody(
  budget: number,
  operations: BulkOperation[] = [],
): Record<string, unknown> {
  return {
    schemas: [URN.bulkRequest],
    ...(Number.isFinite(budget) ? { failOnErrors: Math.max(1, budget) } : {}),
    Operations: operations,
  };
}

/**
 * The BulkRequest body as JSON text around operations already serialised (`texts`): the same text
 * as `JSON.stringify(bulkRequestBody(budget, operations))`, without serialising them again.
 */
export function bulkRequestJson(budget: number, texts: readonly string[]): string {
  const empty = JSON.stringify(bulkRequestBody(budget));
  // The empty body ends with `"Operations":[]}`: put the operations between the brackets.
  return `${empty.slice(0, -2)}${texts.join(',')}]}`;
}

/** One packed request: the operations to send, each as JSON, and what each was sent as. */
type PackedRequest = { operations: BulkOperation[]; texts: string[]; sent: SentOp[] };

/** An op whose creator failed cannot succeed: reports the unit without sending it. */
function reportBlocked(st: BulkProgress, unit: readonly WriteOp[]): void {
  for (const op of unit) {
    const ref = st.refs(op).find((r) => st.failedBulkIds.has(r));
    st.results.set(
      op.opId,
      failed(op, {
        code: 'invalid_request',
        message: `Not sent: it refers to bulkId:${ref ?? '?'}, whose creation failed.`,
      }),
    );
    const own = bulkIdFor(op);
    if (own !== undefined) st.failedBulkIds.add(own);
  }
}

/** A unit too big for a request even alone: it can never be sent as Bulk. */
function reportTooBig(st: BulkProgress, unit: readonly WriteOp[], why: string): void {
  for (const op of unit)
    st.results.set(
      op.opId,
      failed(op, { code: 'bulk_rejected', message: `Not sent as Bulk: ${why}.` }),
    );
}

/**
 * Packs units from `st.next` into one request while they fit, moving `st.next` past every unit it
 * packed or reported. The request may be empty when every unit met was reported instead.
 */
export function packRequest(st: BulkProgress, maxPayloadSize: number): PackedRequest {
  const packed: PackedRequest = { operations: [], texts: [], sent: [] };
  let size = jsonBytes(bulkRequestBody(st.budget));
  for (; st.next < st.units.length; st.next++) {
    const unit = st.units[st.next] ?? [];
    const blocked =
      st.failedBulkIds.size > 0 &&
      unit.some((op) => st.refs(op).some((r) => st.failedBulkIds.has(r)));
    if (blocked) {
      reportBlocked(st, unit);
      continue;
    }
    const prepared = unit.map((op) => toBulkOperation(op, st.createdIds));
    // Each operation is serialised once: its text measures it and goes into the request as is.
    const texts = prepared.map((p) => JSON.stringify(p.bulk));
    const unitBytes = texts.reduce((n, t) => n + Buffer.byteLength(t) + 1, 0);
    const fits =
      packed.operations.length + prepared.length <= st.opLimit &&
      size + unitBytes <= maxPayloadSize;
    if (!fits) {
      if (packed.operations.length > 0) break;
      reportTooBig(
        st,
        unit,
        prepared.length > st.opLimit
          ? `${prepared.length} operations reference each other and must share one request, above the limit of ${st.opLimit}`
          : `the operation needs ${size + unitBytes} bytes, above the server's maxPayloadSize of ${maxPayloadSize}`,
      );
      continue;
    }
    prepared.forEach((p, i) => {
      packed.operations.push(p.bulk);
      packed.texts.push(texts[i] ?? JSON.stringify(p.bulk));
      packed.sent.push(p.sent);
    });
    size += unitBytes;
  }
  return packed;
}
