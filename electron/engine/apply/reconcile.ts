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
 * account exists (made by an earlier, interrupted attempt or by someone else) — it is looked up
 * and the create becomes the planned state applied as a PATCH `replace` on that account.
 */
import { isAppError } from '../../../shared/errors/errors';
import type { PatchOperation, ScimResource } from '../../../shared/scim/types';
import { URN } from '../../../shared/scim/urns';
import type { OpenConnection } from '../connections/open-connection';
import type { WriteOp } from '../scim/ops';

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
    try {
      await conn.client.get(op.endpoint, op.id, signal ? { signal } : {});
      return { kind: 'resend', how: 'still exists' };
    } catch (e) {
      if (isAppError(e) && e.facts.status === 404) return { kind: 'done', how: 'already gone' };
      throw e;
    }
  }
  if ((op.method === 'PATCH' || op.method === 'PUT') && op.version && op.id) {
    try {
      const current = await conn.client.get(op.endpoint, op.id, signal ? { signal } : {});
      return {
        kind: 'resend',
        how: 'idempotent: sent again with the current version',
        ...(current.meta?.version ? { version: current.meta.version } : {}),
      };
    } catch (e) {
      if (isAppError(e) && e.facts.status === 404)
        return { kind: 'failed', how: 'the resource is gone' };
      throw e;
    }
  }
  return { kind: 'resend', how: 'idempotent: sent again' };
}

/**
 * A create body as one PATCH `replace` without a path (RFC 7644 §3.5.2.3: the value's attributes,
 * extension objects included, replace the resource's).
 */
export function createAsReplace(body: ScimResource): PatchOperation[] {
  const value: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === 'schemas' || k === 'id' || k === 'meta' || k === 'password' || k === 'groups')
      continue;
    value[k] = v;
  }
  return [{ op: 'replace', value }];
}

/**
 * A create refused with 409 uniqueness: the existing account by the create's key, and the PATCH
 * that brings it to the planned state; undefined when it cannot be found once.
 */
export async function conflictToUpdate(
  conn: OpenConnection,
  op: WriteOp,
  signal?: AbortSignal,
): Promise<WriteOp | undefined> {
  if (op.method !== 'POST' || !op.lookupKey) return undefined;
  const found = await lookUp(conn, op.endpoint, op.lookupKey, signal);
  const listed = found.length === 1 ? found[0] : undefined;
  if (!listed?.id) return undefined;
  // The current version for If-Match (a list may carry a stale one).
  const existing = await conn.client.get(op.endpoint, listed.id, signal ? { signal } : {});
  if (!existing.id) return undefined;
  return {
    opId: op.opId,
    method: 'PATCH',
    endpoint: op.endpoint,
    id: existing.id,
    data: { schemas: [URN.patchOp], Operations: createAsReplace(op.data as ScimResource) },
    ...(existing.meta?.version ? { version: existing.meta.version } : {}),
  };
}
