/**
 * The changes of one upsert row against its match: the resource to create, or the minimal
 * attribute changes (PATCH operations or a PUT body) and membership changes of an existing
 * account, named by their kind (plan-kinds.ts: a row that sets `active` false is a deactivation,
 * whatever else it changes).
 */
import type { ColumnSpec } from '../../shared/columns/columns';
import type {
  DesiredCell,
  GroupChange,
  InputProblem,
  MappedRow,
  PlanRow,
} from '../../shared/import/types';
import { buildCreateResource } from '../resources/create-resource';
import { diffResource } from '../resources/diff-resource';
import { diffGroups } from '../resources/group-diff';
import type { PatchOperation, ScimResource, ScimSchema } from '../../shared/scim/types';
import { ownGroups } from '../snapshot/group-index';
import type { PlanMode } from '../../shared/plan/plan-format';
import { kindOfChanges } from './plan-kinds';
import type { GroupDirectory } from './server-state';
import { groupKey } from './snapshot-index';

/** What every row of one plan shares. */
export type RowPlanContext = {
  mode: PlanMode;
  targets: readonly ColumnSpec[];
  schemas: readonly ScimSchema[];
  resourceType: { schema: string; schemaExtensions: { schema: string; required: boolean }[] };
  /** The server takes PATCH (else updates are PUT bodies). */
  patch: boolean;
  groupsMode: 'add' | 'sync' | undefined;
  groups: GroupDirectory;
};

/** Display name of a resource for the admin: userName, displayName, else id. */
export function displayOf(r: Readonly<Record<string, unknown>> | undefined, fallback = ''): string {
  if (!r) return fallback;
  for (const k of ['userName', 'displayName', 'externalId', 'id']) {
    const v = r[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return fallback;
}

function groupChanges(
  ctx: RowPlanContext,
  desired: readonly string[] | undefined,
  server: ScimResource | undefined,
): { add: GroupChange[]; remove: GroupChange[] } | undefined {
  if (desired === undefined || ctx.groupsMode === undefined) return undefined;
  const current = server ? (ownGroups(server) ?? []) : [];
  const known = (display: string): { id: string } | undefined => ctx.groups.get(groupKey(display));
  const diff = diffGroups(desired, current, server ? ctx.groupsMode : 'add', known);
  return diff.add.length || diff.remove.length ? diff : undefined;
}

/** Deactivation of a matched resource: PATCH `active` false, or the PUT body when no PATCH. */
export function deactivation(
  server: ScimResource,
  patch: boolean,
): Pick<PlanRow, 'changes' | 'operations' | 'replace'> | undefined {
  const active = server['active'];
  const isActive =
    active === undefined ||
    active === true ||
    (typeof active === 'string' && active.toLowerCase() === 'true');
  if (!isActive) return undefined;
  const changes = [{ path: 'active', old: active === undefined ? null : 'true', new: 'false' }];
  if (patch) {
    const operations: PatchOperation[] = [{ op: 'replace', path: 'active', value: false }];
    return { changes, operations };
  }
  // PUT (RFC 7644 §3.5.1): the resource as read, without read-only meta and memberships.
  const body: ScimResource = { ...server, active: false };
  delete body.meta;
  delete body['groups'];
  return { changes, replace: body };
}

/** Plans an upsert row against its match (or none). `problems` are warnings carried along. */
export function planUpsert(
  ctx: RowPlanContext,
  seq: number,
  mapped: MappedRow,
  cells: readonly DesiredCell[],
  match: { server?: ScimResource; key?: string; value?: string; reason: string },
  problems: InputProblem[],
  managerRef: PlanRow['managerRef'],
): PlanRow {
  const server = match.server;
  if (!server) {
    const create = buildCreateResource(ctx.targets, cells, {
      schemas: ctx.schemas,
      resourceType: ctx.resourceType,
    });
    const groups = groupChanges(ctx, mapped.groups, undefined);
    const row = rowStart(seq, 'create', displayOf(create, `row ${mapped.row}`), mapped, match);
    if (problems.length) row.problems = problems;
    if (managerRef) row.managerRef = managerRef;
    row.create = create;
    if (groups) row.groups = groups;
    return row;
  }
  const diff = diffResource(ctx.targets, cells, server, {
    schemas: ctx.schemas,
    patch: ctx.patch,
    resourceType: ctx.resourceType,
  });
  const groups = groupChanges(ctx, mapped.groups, server);
  const action = kindOfChanges(diff.changes, groups);
  // Members in the order the plan file has always had them (the writer puts seq and action first).
  const row = rowStart(seq, action, displayOf(server), mapped, match);
  if (problems.length) row.problems = problems;
  if (managerRef) row.managerRef = managerRef;
  if (server.id) row.id = server.id;
  if (server.meta?.version) row.version = server.meta.version;
  if (diff.changes.length) {
    row.changes = diff.changes;
    if (diff.operations.length) row.operations = diff.operations;
    if (diff.replace) row.replace = diff.replace;
  }
  if (groups) row.groups = groups;
  return row;
}

/** A row's first members: seq, action, display, CSV row and line, and the match. */
function rowStart(
  seq: number,
  action: PlanRow['action'],
  display: string,
  mapped: MappedRow,
  match: { key?: string; value?: string; reason: string },
): PlanRow {
  const { key, value, reason } = match;
  let info: NonNullable<PlanRow['match']>;
  if (key && value) info = { key, value, reason };
  else if (key) info = { key, reason };
  else if (value) info = { value, reason };
  else info = { reason };
  return { seq, action, display, row: mapped.row, line: mapped.line, match: info };
}
