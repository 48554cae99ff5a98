/**
 * The summary of a plan, accumulated row by row in bounded memory: exact counts, the attributes
 * changed most often, and the first rows that need the admin (conflicts and invalid rows).
 */
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';
import { createProblemGrouper } from '../../shared/problems/group';
import { groupNameKey } from '../resources/group-diff';
import type { PlanSummary, PlanSummarySample } from '../../shared/plan/plan-format';

/** How many conflicts, invalid rows and new group names the summary keeps (counts stay exact). */
const SUMMARY_SAMPLE_LIMIT = 50;

/** Example rows kept per problem group in a plan's summary (counts stay exact). */
export const SUMMARY_GROUP_ROWS = 20;

/** How many attributes {@link PlanSummary.attributes} lists. */
const SUMMARY_TOP_ATTRIBUTES = 10;

/** Accumulates plan rows into a {@link PlanSummary}. */
export type PlanSummaryBuilder = {
  add(row: PlanRow): void;
  /** The summary of the rows added so far (a fresh object each time). */
  result(): PlanSummary;
  /** Every attribute changed on an existing account, with the number of accounts (for safeguards). */
  attributeRows(): ReadonlyMap<string, number>;
};

/** Kinds whose rows compare an existing account with the file. */
const COMPARED: ReadonlySet<PlanAction> = new Set([
  'update',
  'reactivate',
  'deactivate',
  'unchanged',
]);

const ACTIONS = PLAN_ACTIONS;

/** A new, empty summary. */
export function createPlanSummary(): PlanSummaryBuilder {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  const attributes = new Map<string, number>();
  const newGroups = new Map<string, string>();
  const byCode = new Map<string, number>();
  const grouper = createProblemGrouper(SUMMARY_GROUP_ROWS);
  const conflicts: PlanSummarySample = { total: 0, first: [] };
  const invalid: PlanSummarySample = { total: 0, first: [] };
  let rows = 0;
  let compared = 0;
  let changes = 0;
  let membershipAdds = 0;
  let membershipRemoves = 0;
  let errors = 0;
  let warnings = 0;
  return {
    add(row) {
      rows += 1;
      counts[row.action] += 1;
      if (COMPARED.has(row.action)) compared += 1;
      const paths = new Set((row.changes ?? []).map((c) => c.path));
      changes += row.changes?.length ?? 0;
      for (const path of paths) attributes.set(path, (attributes.get(path) ?? 0) + 1);
      membershipAdds += row.groups?.add.length ?? 0;
      membershipRemoves += row.groups?.remove.length ?? 0;
      for (const g of row.groups?.add ?? []) {
        const key = groupNameKey(g.display);
        if (g.id === undefined && !newGroups.has(key)) newGroups.set(key, g.display);
      }
      for (const p of row.problems ?? []) {
        if (p.severity === 'error') errors += 1;
        else warnings += 1;
        byCode.set(p.code, (byCode.get(p.code) ?? 0) + 1);
        grouper.add(p);
      }
      if (row.action === 'conflict') sample(conflicts, row);
      if (row.action === 'invalid') sample(invalid, row);
    },
    result() {
      return {
        rows,
        counts: { ...counts },
        changes,
        memberships: {
          add: membershipAdds,
          remove: membershipRemoves,
          groupsToCreate: newGroups.size,
          groupsToCreateSample: [...newGroups.values()].slice(0, SUMMARY_SAMPLE_LIMIT),
        },
        attributes: [...attributes]
          .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, SUMMARY_TOP_ATTRIBUTES)
          .map(([path, n]) => ({ path, rows: n })),
        compared,
        conflicts: { total: conflicts.total, first: [...conflicts.first] },
        invalid: { total: invalid.total, first: [...invalid.first] },
        problems: { errors, warnings, byCode: Object.fromEntries(byCode) },
        problemGroups: grouper.result(),
      };
    },
    attributeRows: () => new Map(attributes),
  };
}

/** Counts a row and keeps it when the sample is not full. */
function sample(into: PlanSummarySample, row: PlanRow): void {
  into.total += 1;
  if (into.first.length >= SUMMARY_SAMPLE_LIMIT) return;
  into.first.push({
    seq: row.seq,
    action: row.action,
    ...(row.row !== undefined ? { row: row.row } : {}),
    ...(row.line !== undefined ? { line: row.line } : {}),
    display: row.display,
    ...(row.match?.reason !== undefined ? { reason: row.match.reason } : {}),
    ...(row.candidates ? { candidates: [...row.candidates] } : {}),
    ...(row.problems?.length ? { problems: [...row.problems] } : {}),
  });
}
