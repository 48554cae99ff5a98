/**
 * What the passes after the rows need from a plan, read once: the membership ops (group creates and
 * chunks, with `bulkId:` refs resolved only when sent), the rows with managers, the create rows a
 * manager can be found among, and which plan row each member and group came from (for the report).
 * Deterministic in the plan and the chunk size, so the passes and the report see the same op ids.
 */
import { CHANGING_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import type { WriteOp } from '../scim/ops';
import { bulkRef, rowBulkId } from './ops/group-ref';
import { membershipOps, type PlanOpsContext } from './plan-ops';

const CHANGING: ReadonlySet<PlanAction> = new Set(CHANGING_ACTIONS);

export type RowRef = { row?: number; display: string };

export type PassPlan = {
  groupOps: WriteOp[];
  withManagers: PlanRow[];
  creates: PlanRow[];
  /** Member ref (user id or `bulkId:s<seq>`) → its plan row. */
  memberRow: Map<string, RowRef>;
  /** Group op target (id or `bulkId:g:…`) or create op id → the group's name. */
  groupName: Map<string, string>;
};

/** The attributes a manager can be found by (userName, externalId, emails, employee number). */
export function keyFields(body: ScimResource): ScimResource {
  const ent = body[URN.enterpriseUser];
  const employeeNumber =
    typeof ent === 'object' && ent !== null
      ? (ent as Record<string, unknown>)['employeeNumber']
      : undefined;
  return {
    schemas: body.schemas,
    ...(body['userName'] !== undefined ? { userName: body['userName'] } : {}),
    ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
    ...(body['emails'] !== undefined ? { emails: body['emails'] } : {}),
    ...(employeeNumber !== undefined ? { [URN.enterpriseUser]: { employeeNumber } } : {}),
  };
}

/** Gathers, row by row, what the passes after the rows need; `finish` builds their plan. */
export type PassPlanCollector = {
  add: (row: PlanRow) => void;
  finish: (ctx: PlanOpsContext, maxMembersPerRequest: number) => PassPlan;
};

/** Reads the plan once for the passes after the rows. */
export function collectPassPlan(
  plan: { count: number; row(seq: number): PlanRow },
  ctx: PlanOpsContext,
  maxMembersPerRequest: number,
): PassPlan {
  const collector = createPassPlanCollector();
  for (let seq = 0; seq < plan.count; seq++) collector.add(plan.row(seq));
  return collector.finish(ctx, maxMembersPerRequest);
}

/**
 * A collector fed the plan's rows in order (by `collectPassPlan`, or by the run's admission check,
 * which reads every row anyway: apply-run.ts).
 */
export function createPassPlanCollector(): PassPlanCollector {
  const withGroups: PlanRow[] = [];
  const withManagers: PlanRow[] = [];
  const creates: PlanRow[] = [];
  const memberRow = new Map<string, RowRef>();
  const add = (row: PlanRow): void => {
    // Only what the passes need is kept per row (not the create bodies): memory stays small.
    const slim: PlanRow = {
      seq: row.seq,
      action: row.action,
      display: row.display,
      ...(row.row !== undefined ? { row: row.row } : {}),
      ...(row.id ? { id: row.id } : {}),
      ...(row.version ? { version: row.version } : {}),
    };
    if (row.action === 'create' && row.create)
      creates.push({ ...slim, create: keyFields(row.create) });
    if (row.groups && CHANGING.has(row.action) && row.action !== 'delete') {
      withGroups.push({ ...slim, groups: row.groups });
      const ref = row.id ?? (row.action === 'create' ? bulkRef(rowBulkId(row.seq)) : undefined);
      if (ref)
        memberRow.set(ref, {
          ...(row.row !== undefined ? { row: row.row } : {}),
          display: row.display,
        });
    }
    if (row.managerRef) withManagers.push(row);
  };
  const finish = (ctx: PlanOpsContext, maxMembersPerRequest: number): PassPlan =>
    passPlanOf({ withGroups, withManagers, creates, memberRow }, ctx, maxMembersPerRequest);
  return { add, finish };
}

function passPlanOf(
  rows: Pick<PassPlan, 'withManagers' | 'creates' | 'memberRow'> & { withGroups: PlanRow[] },
  ctx: PlanOpsContext,
  maxMembersPerRequest: number,
): PassPlan {
  const { withGroups, withManagers, memberRow } = rows;
  const creates = withManagers.length === 0 ? [] : rows.creates;
  const groupOps = membershipOps(withGroups, { ...ctx, maxMembersPerRequest });
  const groupName = new Map<string, string>();
  for (const op of groupOps) {
    if (op.method !== 'POST') continue;
    const data = op.data as { displayName?: unknown } | undefined;
    const name = typeof data?.displayName === 'string' ? data.displayName : op.opId;
    groupName.set(op.opId, name);
    if (op.bulkId) groupName.set(bulkRef(op.bulkId), name);
  }
  for (const row of withGroups) {
    for (const g of [...(row.groups?.add ?? []), ...(row.groups?.remove ?? [])]) {
      if (g.id && !groupName.has(g.id)) groupName.set(g.id, g.display);
    }
  }
  return { groupOps, withManagers, creates, memberRow, groupName };
}
