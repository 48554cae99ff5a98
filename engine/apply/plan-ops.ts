/**
 * Turns a plan (PlanRow, shared/import/types.ts) into the engine's write operations (WriteOp,
 * scim/ops.ts), in three passes the apply step runs one after the other:
 *
 *  1. {@link planRowOps}: each row's own write — POST (create), PATCH or PUT (update, deactivate),
 *     DELETE (delete).
 *  2. {@link membershipOps}: group membership, aggregated per group across all rows and chunked to
 *     the server's per-request member cap; groups the plan creates are POSTed first.
 *  3. {@link managerOps}: managers who are created in the same run, once their ids are known.
 *
 * Op ids are derived from the plan only (row `seq`, group id or name, chunk number), so the same
 * plan always yields the same ids and a resumed run can tell which operations it already did.
 * Created resources are referenced as `bulkId:s<seq>` (users) and `bulkId:g:<name>` (groups); inside
 * one execute call the executor resolves them (Bulk or singles); across calls use
 * {@link createdIdsFromResults} + `substituteBulkIds`.
 */
import { AppError } from '../../shared/errors/errors';
import type { GroupChange, PlanAction, PlanRow } from '../../shared/import/types';
import { eq, lookupFilterFor, valuePath } from '../../shared/scim/filter';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import type { OpResult, WriteOp } from '../scim/ops';
import { buildPatchRequest, type PatchRequest } from '../scim/patch';
import { bulkRef, newGroupBulkId, rowBulkId } from './ops/group-ref';

export { indexCreates } from './ops/create-index';
export { newGroupBulkId, rowBulkId } from './ops/group-ref';

export type PlanOpsContext = {
  /** User endpoint, e.g. `/Users`. */
  userEndpoint: string;
  /** Group endpoint, e.g. `/Groups`. */
  groupEndpoint: string;
  /** The server supports PATCH (else updates are PUT with the plan's `replace` body). */
  patch: boolean;
  /** The server supports ETags: send the plan's `version` as If-Match. */
  etag: boolean;
  /** Core user schema URN, put into create/replace bodies that carry no `schemas`. */
  userSchemaUrn: string;
};

export type MembershipOpsContext = PlanOpsContext & {
  /** Members added per group PATCH (vendor caps: Entra 20, AWS 100, Okta 256 …). */
  maxMembersPerRequest: number;
  /** Members removed per group PATCH; default `maxMembersPerRequest` (Entra server: 1). */
  maxRemovesPerRequest?: number;
};

export const MANAGER_PATH = `${URN.enterpriseUser}:manager`;

function invalidPlan(row: PlanRow, what: string): AppError {
  return new AppError(
    'invalid_request',
    `Plan row ${row.seq} (${row.display}) cannot be applied: ${what}.`,
    { nextStep: 'Create the plan again; the plan file may be damaged or from another version.' },
  );
}

function withSchemas(body: ScimResource, urn: string): ScimResource {
  const copy: ScimResource = { ...body };
  delete copy.meta;
  delete copy['groups'];
  if (!Array.isArray(copy.schemas) || copy.schemas.length === 0) copy.schemas = [urn];
  return copy;
}

function versionOf(row: PlanRow, ctx: Pick<PlanOpsContext, 'etag'>): { version?: string } {
  return ctx.etag && row.version !== undefined && row.version !== ''
    ? { version: row.version }
    : {};
}

/** The lookup filter that finds a created user again when its outcome is unknown. */
function userLookupKey(body: ScimResource): string | undefined {
  const userName = body['userName'];
  if (typeof userName === 'string' && userName !== '') return eq('userName', userName).text;
  return lookupFilterFor(body)?.text;
}

/**
 * The write for one plan row (none for unchanged, not-found, protected, conflict and invalid rows,
 * and for an update that only changes group memberships). Op ids:
 * `s<seq>:create|update|reactivate|deactivate|delete`.
 *
 * @throws AppError `invalid_request` when the row lacks what its action needs (body, id).
 */
export function planRowOps(row: PlanRow, ctx: PlanOpsContext): WriteOp[] {
  const s = rowBulkId(row.seq);
  switch (row.action) {
    case 'create': {
      if (row.create === undefined) throw invalidPlan(row, 'the create row has no resource');
      const data = withSchemas(row.create, ctx.userSchemaUrn);
      const lookupKey = userLookupKey(data);
      return [
        {
          opId: `${s}:create`,
          method: 'POST',
          endpoint: ctx.userEndpoint,
          bulkId: s,
          data,
          ...(lookupKey !== undefined ? { lookupKey } : {}),
        },
      ];
    }
    case 'update':
    case 'reactivate':
    case 'deactivate': {
      const ops = row.operations ?? [];
      const hasPatch = ops.length > 0;
      const hasPut = row.replace !== undefined;
      if (!hasPatch && !hasPut) return [];
      if (row.id === undefined) throw invalidPlan(row, `the ${row.action} row has no server id`);
      const base = {
        opId: `${s}:${row.action}`,
        endpoint: ctx.userEndpoint,
        id: row.id,
        ...versionOf(row, ctx),
      };
      // Prefer what the server supports; otherwise send what the plan has (the server's answer
      // then says why it failed).
      if (hasPatch && (ctx.patch || !hasPut)) {
        return [{ ...base, method: 'PATCH', data: buildPatchRequest(ops) }];
      }
      if (row.replace === undefined) return [];
      return [{ ...base, method: 'PUT', data: withSchemas(row.replace, ctx.userSchemaUrn) }];
    }
    case 'delete': {
      if (row.id === undefined) throw invalidPlan(row, 'the delete row has no server id');
      return [
        {
          opId: `${s}:delete`,
          method: 'DELETE',
          endpoint: ctx.userEndpoint,
          id: row.id,
          ...versionOf(row, ctx),
        },
      ];
    }
    case 'unchanged':
    case 'not-found':
    case 'protected':
    case 'conflict':
    case 'invalid':
      return [];
  }
}

/**
 * The op ids `planRowOps(row, ctx)` gives, without building the ops (their bodies and look-up
 * keys): what the report needs to find each row's outcomes in the book.
 */
export function planRowOpIds(row: PlanRow): string[] {
  const s = rowBulkId(row.seq);
  switch (row.action) {
    case 'create':
    case 'delete':
      return [`${s}:${row.action}`];
    case 'update':
    case 'reactivate':
    case 'deactivate':
      return (row.operations?.length ?? 0) > 0 || row.replace !== undefined
        ? [`${s}:${row.action}`]
        : [];
    case 'unchanged':
    case 'not-found':
    case 'protected':
    case 'conflict':
    case 'invalid':
      return [];
  }
}

/**
 * Rows whose account keeps existing after the first pass: they may get memberships and managers
 * (an `unchanged` row may still have a manager created in this run).
 */
const TAKES_MEMBERS_AND_MANAGERS: ReadonlySet<PlanAction> = new Set([
  'create',
  'update',
  'reactivate',
  'deactivate',
  'unchanged',
]);

/** The user a row's membership changes apply to: its server id, or its create in this run. */
function memberRef(row: PlanRow): string | undefined {
  if (!TAKES_MEMBERS_AND_MANAGERS.has(row.action)) return undefined;
  if (row.id !== undefined) return row.id;
  return row.action === 'create' ? bulkRef(rowBulkId(row.seq)) : undefined;
}

type GroupBucket = {
  /** Group id, or `g:<name>` for a group this run creates. */
  handle: string;
  /** SCIM id, or `bulkId:g:<name>`. */
  target: string;
  display: string;
  isNew: boolean;
  add: Set<string>;
  remove: Set<string>;
};

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function checkCap(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError('invalid_request', `${name} must be a whole number of at least 1.`);
  }
  return n;
}

function patchBody(ops: PatchOperation[]): PatchRequest {
  return { schemas: [URN.patchOp], Operations: ops };
}

/**
 * Group membership writes for the whole plan, per group:
 * - a group the plan names but that does not exist (GroupChange without id): one
 *   `POST /Groups {schemas, displayName}`, bulkId `g:<name>`, op id `grp:g:<name>:create`;
 * - adds: `PATCH /Groups/{id|bulkId:g:…}` with one `add` of ≤ `maxMembersPerRequest` members,
 *   op ids `grp:<handle>:add:<n>` (n from 0);
 * - removes: one `remove` op per member (`members[value eq "…"]`), ≤ `maxRemovesPerRequest` per
 *   PATCH, op ids `grp:<handle>:remove:<n>`.
 * Adds and removes never share a PATCH (Entra refuses mixing). Groups come in order of first
 * mention, members in plan order, each once. A user created in this run is `bulkId:s<seq>`.
 */
export function membershipOps(rows: readonly PlanRow[], ctx: MembershipOpsContext): WriteOp[] {
  const addCap = checkCap(ctx.maxMembersPerRequest, 'maxMembersPerRequest');
  const removeCap = checkCap(
    ctx.maxRemovesPerRequest ?? ctx.maxMembersPerRequest,
    'maxRemovesPerRequest',
  );
  const ordered = [...rows].sort((a, b) => a.seq - b.seq);
  // A name some row knows the id of is that group, even where another row lacks the id.
  const idByName = new Map<string, string>();
  for (const row of ordered) {
    for (const g of [...(row.groups?.add ?? []), ...(row.groups?.remove ?? [])]) {
      const name = g.display.normalize('NFC').toLowerCase();
      if (g.id !== undefined && !idByName.has(name)) idByName.set(name, g.id);
    }
  }
  const buckets = new Map<string, GroupBucket>();
  const bucketFor = (g: GroupChange, mayCreate: boolean): GroupBucket | undefined => {
    const id = g.id ?? idByName.get(g.display.normalize('NFC').toLowerCase());
    if (id === undefined && !mayCreate) return undefined;
    const handle = id ?? newGroupBulkId(g.display);
    let bucket = buckets.get(handle);
    if (!bucket) {
      bucket = {
        handle,
        target: id ?? bulkRef(handle),
        display: g.display,
        isNew: id === undefined,
        add: new Set(),
        remove: new Set(),
      };
      buckets.set(handle, bucket);
    }
    return bucket;
  };
  for (const row of ordered) {
    const member = memberRef(row);
    if (member === undefined || row.groups === undefined) continue;
    for (const g of row.groups.add) bucketFor(g, true)?.add.add(member);
    // Removing from a group that does not exist is nothing to do.
    for (const g of row.groups.remove) bucketFor(g, false)?.remove.add(member);
  }
  const ops: WriteOp[] = [];
  for (const b of buckets.values()) {
    if (b.isNew) {
      ops.push({
        opId: `grp:${b.handle}:create`,
        method: 'POST',
        endpoint: ctx.groupEndpoint,
        bulkId: b.handle,
        data: { schemas: [URN.group], displayName: b.display },
        lookupKey: eq('displayName', b.display).text,
      });
    }
    chunks([...b.add], addCap).forEach((members, n) => {
      ops.push({
        opId: `grp:${b.handle}:add:${n}`,
        method: 'PATCH',
        endpoint: ctx.groupEndpoint,
        id: b.target,
        data: patchBody([
          { op: 'add', path: 'members', value: members.map((value) => ({ value })) },
        ]),
      });
    });
    chunks([...b.remove], removeCap).forEach((members, n) => {
      ops.push({
        opId: `grp:${b.handle}:remove:${n}`,
        method: 'PATCH',
        endpoint: ctx.groupEndpoint,
        id: b.target,
        data: patchBody(
          members.map((uid) => ({
            op: 'remove',
            path: valuePath('members', eq('value', uid)).text,
          })),
        ),
      });
    });
  }
  return ops;
}

/** Why a manager could not be set. */
type ManagerSkipReason =
  | 'report_not_created'
  | 'manager_not_found'
  | 'manager_not_created'
  | 'manager_is_self'
  | 'no_put_body';

type ManagerSkip = { seq: number; display: string; reason: ManagerSkipReason };

type ManagerOpsContext = Pick<PlanOpsContext, 'userEndpoint' | 'patch' | 'userSchemaUrn'> & {
  /** Send If-Match (default false). */
  etag?: boolean;
  /**
   * The report's version after the first pass (see {@link rowVersionsFromResults}); falls back to
   * the plan's `version`, which is only current when the first pass did not write the user.
   */
  versionOf?: (seq: number) => string | undefined;
};

/**
 * Second pass for rows whose manager is created in the same run (`managerRef`): sets the report's
 * enterprise `manager` to `{value: <manager id>}`. Op id `s<seq>:manager`.
 * - PATCH: `{op: 'replace', path: 'urn:…:enterprise:2.0:User:manager', value: {value}}`;
 * - without PATCH: PUT of the row's create (or replace) body with the manager set — the body the
 *   earlier pass wrote, so nothing else changes; a row with neither body is skipped.
 * If-Match only with `ctx.etag`, from `ctx.versionOf` (the report's version after the first pass).
 *
 * @param createdIds the server id a create row got in the first pass (or a `bulkId:s<seq>` ref
 *   when everything runs in one execute call).
 * @param resolveKey the seq of the create row that is the manager (see `indexCreates`).
 */
export function managerOps(
  rows: readonly PlanRow[],
  createdIds: (seq: number) => string | undefined,
  resolveKey: (ref: { by: string; value: string }) => number | undefined,
  ctx: ManagerOpsContext,
): { ops: WriteOp[]; skipped: ManagerSkip[] } {
  const ops: WriteOp[] = [];
  const skipped: ManagerSkip[] = [];
  for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
    const ref = row.managerRef;
    if (ref === undefined) continue;
    if (!TAKES_MEMBERS_AND_MANAGERS.has(row.action)) continue;
    const skip = (reason: ManagerSkipReason): void => {
      skipped.push({ seq: row.seq, display: row.display, reason });
    };
    const reportId = row.id ?? (row.action === 'create' ? createdIds(row.seq) : undefined);
    if (reportId === undefined) {
      skip('report_not_created');
      continue;
    }
    const managerSeq = resolveKey(ref);
    if (managerSeq === undefined) {
      skip('manager_not_found');
      continue;
    }
    if (managerSeq === row.seq) {
      skip('manager_is_self');
      continue;
    }
    const managerId = createdIds(managerSeq);
    if (managerId === undefined) {
      skip('manager_not_created');
      continue;
    }
    const manager = { value: managerId };
    const version = ctx.etag === true ? (ctx.versionOf?.(row.seq) ?? row.version) : undefined;
    const base = {
      opId: `${rowBulkId(row.seq)}:manager`,
      endpoint: ctx.userEndpoint,
      id: reportId,
      ...(version !== undefined && version !== '' ? { version } : {}),
    };
    if (ctx.patch) {
      ops.push({
        ...base,
        method: 'PATCH',
        data: patchBody([{ op: 'replace', path: MANAGER_PATH, value: manager }]),
      });
      continue;
    }
    const body = row.create ?? row.replace;
    if (body === undefined) {
      skip('no_put_body');
      continue;
    }
    const ext = body[URN.enterpriseUser];
    const data = withSchemas(body, ctx.userSchemaUrn);
    data[URN.enterpriseUser] = {
      ...(typeof ext === 'object' && ext !== null && !Array.isArray(ext) ? ext : {}),
      manager,
    };
    if (!data.schemas.includes(URN.enterpriseUser)) {
      data.schemas = [...data.schemas, URN.enterpriseUser];
    }
    ops.push({ ...base, method: 'PUT', data });
  }
  return { ops, skipped };
}

/**
 * The ids the POSTs among `ops` created (bulkId → id), from their results: feed to
 * `substituteBulkIds` for a later pass, or to `managerOps` as `(seq) => map.get(rowBulkId(seq))`.
 */
export function createdIdsFromResults(
  ops: readonly WriteOp[],
  results: readonly OpResult[],
): Map<string, string> {
  const byOp = new Map(results.map((r) => [r.opId, r]));
  const ids = new Map<string, string>();
  for (const op of ops) {
    if (op.method !== 'POST' || op.bulkId === undefined) continue;
    const r = byOp.get(op.opId);
    if (r?.ok === true && r.id !== undefined) ids.set(op.bulkId, r.id);
  }
  return ids;
}

/** The version each row's user has after the first pass (seq → version), from the results. */
export function rowVersionsFromResults(results: readonly OpResult[]): Map<number, string> {
  const versions = new Map<number, string>();
  for (const r of results) {
    const m = /^s(\d+):(?:create|update|reactivate|deactivate)$/.exec(r.opId);
    if (m?.[1] !== undefined && r.ok && r.version !== undefined) {
      versions.set(Number(m[1]), r.version);
    }
  }
  return versions;
}
