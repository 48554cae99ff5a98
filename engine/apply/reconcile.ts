/**
 * Settling operations whose outcome is not known (a crash, a dropped connection, a timeout after
 * the request left) before anything is retried, so a resumed run neither loses nor duplicates:
 *
 * - a create (POST) is looked up by its key (`userName eq "…"`): found once → it happened, keep
 *   the id; not found → send it again; found several times → stop and report;
 * - a delete is confirmed by a GET (404 → done);
 * - PATCH `replace`/`remove` and PUT bodies are idempotent and are sent again.
 *
 * A create refused with 409 `uniqueness` is the same situation seen from the other side: the
 * account exists (made by an earlier, interrupted attempt or by someone else) — it is looked up,
 * read, and only what differs from the planned state is sent ({@link conflictToUpdate}).
 */
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import type { OpenConnection } from '../connections/open-connection';
import type { WriteOp } from '../scim/ops';
import { droppedByPatch, mergedReplace, minimalPatch } from './resource-diff';

export type Settled =
  | { kind: 'done'; id?: string; version?: string; how: string }
  /** Send again; `version` replaces a stale If-Match (the earlier attempt may have moved it). */
  | { kind: 'resend'; how: string; version?: string }
  | { kind: 'failed'; how: string };

async function lookUp(
  conn: OpenConnection,
  endpoint: string,
  filter: string,
  signal?: AbortSignal,
): Promise<ScimResource[]> {
  const found: ScimResource[] = [];
  for await (const r of conn.client.list(endpoint, {
    filter,
    maxItems: 3,
    ...(signal ? { signal } : {}),
  })) {
    found.push(r);
  }
  return found;
}

/** Decides what to do with an operation whose outcome is unknown. */
export async function settleUnknown(
  conn: OpenConnection,
  op: WriteOp,
  signal?: AbortSignal,
): Promise<Settled> {
  if (op.method === 'POST') {
    if (!op.lookupKey) return { kind: 'failed', how: 'no key to look the created resource up by' };
    const found = await lookUp(conn, op.endpoint, op.lookupKey, signal);
    if (found.length === 1) {
      const r = found[0];
      return {
        kind: 'done',
        ...(r?.id ? { id: r.id } : {}),
        ...(r?.meta?.version ? { version: r.meta.version } : {}),
        how: `found by ${op.lookupKey}: the earlier attempt created it`,
      };
    }
    if (found.length > 1) {
      return { kind: 'failed', how: `${found.length} resources match ${op.lookupKey}` };
    }
    return {
      kind: 'resend',
      how: `not found by ${op.lookupKey}: the earlier attempt did not arrive`,
    };
  }
  if (op.method === 'DELETE' && op.id && !op.id.startsWith('bulkId:')) {
    const still = await conn.client.find(op.endpoint, op.id, signal ? { signal } : {});
    return still ? { kind: 'resend', how: 'still exists' } : { kind: 'done', how: 'already gone' };
  }
  const sets = plainSets(op);
  if (sets && op.id && !op.id.startsWith('bulkId:')) {
    // Re-read: when the server already holds every value, the earlier attempt arrived.
    const current = await conn.client.find(op.endpoint, op.id, signal ? { signal } : {});
    if (!current) return { kind: 'failed', how: 'the resource is gone' };
    const version = current.meta?.version;
    if (droppedByPatch(sets, current).length === 0) {
      return {
        kind: 'done',
        id: op.id,
        ...(version ? { version } : {}),
        how: 're-read: the server holds the values',
      };
    }
    return { kind: 'resend', how: 're-read: not applied yet', ...(version ? { version } : {}) };
  }
  if ((op.method === 'PATCH' || op.method === 'PUT') && op.version && op.id) {
    const current = await conn.client.find(op.endpoint, op.id, signal ? { signal } : {});
    if (!current) return { kind: 'failed', how: 'the resource is gone' };
    return {
      kind: 'resend',
      how: 'idempotent: sent again with the current version',
      ...(current.meta?.version ? { version: current.meta.version } : {}),
    };
  }
  return { kind: 'resend', how: 'idempotent: sent again' };
}

/** What a 409 on create turns into: the existing account and what (if anything) to send it. */
type ConflictPlan =
  /** Send this PATCH (minimal diff) or PUT (existing + planned attributes) instead. */
  | { kind: 'update'; op: WriteOp; existing: ScimResource }
  /** The account already holds everything the create meant: nothing to send. */
  | { kind: 'same'; id: string; version?: string; existing: ScimResource };

/**
 * A create refused with 409 uniqueness (issue 15 item 2): the existing account is found by the
 * create's key and read by id, then compared with the create body; only the attributes that differ
 * are sent (one PATCH `replace` per attribute path), or — without PATCH — a PUT of the existing
 * resource with the planned attributes. Undefined when the account cannot be found exactly once.
 */
export async function conflictToUpdate(
  conn: OpenConnection,
  op: WriteOp,
  signal?: AbortSignal,
): Promise<ConflictPlan | undefined> {
  if (op.method !== 'POST' || !op.lookupKey || !isResource(op.data)) return undefined;
  const found = await lookUp(conn, op.endpoint, op.lookupKey, signal);
  const listed = found.length === 1 ? found[0] : undefined;
  if (!listed?.id) return undefined;
  // The current state and version for If-Match (a list may carry a stale or partial one).
  const existing = await conn.client.get(op.endpoint, listed.id, signal ? { signal } : {});
  if (existing.id !== listed.id) return undefined;
  const version = existing.meta?.version;
  const base = {
    opId: op.opId,
    endpoint: op.endpoint,
    id: existing.id,
    ...(version ? { version } : {}),
  };
  if (!conn.discovery.effective.patch) {
    const op2: WriteOp = { ...base, method: 'PUT', data: mergedReplace(op.data, existing) };
    return { kind: 'update', op: op2, existing };
  }
  const operations = minimalPatch(op.data, existing);
  if (operations.length === 0) {
    return { kind: 'same', id: existing.id, ...(version ? { version } : {}), existing };
  }
  const patch: WriteOp = {
    ...base,
    method: 'PATCH',
    data: { schemas: [URN.patchOp], Operations: operations },
  };
  return { kind: 'update', op: patch, existing };
}

function isResource(v: unknown): v is ScimResource {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Array.isArray((v as { schemas?: unknown }).schemas)
  );
}

/** The operations of a PATCH op that only sets values at plain paths (a manager link, …). */
function plainSets(op: WriteOp): PatchOperation[] | undefined {
  if (op.method !== 'PATCH') return undefined;
  const data = op.data;
  if (typeof data !== 'object' || data === null || !('Operations' in data)) return undefined;
  const ops = data.Operations;
  if (!Array.isArray(ops) || ops.length === 0) return undefined;
  const out: PatchOperation[] = [];
  for (const o of ops as unknown[]) {
    if (typeof o !== 'object' || o === null) return undefined;
    const { op: kind, path, value } = o as { op?: unknown; path?: unknown; value?: unknown };
    if (kind !== 'replace' || typeof path !== 'string' || path.includes('[')) return undefined;
    out.push({ op: 'replace', path, value });
  }
  return out;
}
