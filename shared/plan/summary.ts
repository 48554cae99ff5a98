/**
 * The summary of a plan, accumulated row by row in bounded memory: exact counts, the attributes
 * changed most often, and the first rows that need the admin (conflicts and invalid rows).
 */
import { PLAN_ACTIONS, type InputProblem, type PlanAction, type PlanRow } from '../import/types';
import { groupNameKey } from './group-diff';

/** How many conflicts, invalid rows and new group names the summary keeps (counts stay exact). */
export const SUMMARY_SAMPLE_LIMIT = 50;

/** How many attributes {@link PlanSummary.attributes} lists. */
export const SUMMARY_TOP_ATTRIBUTES = 10;

/** A row kept in the summary as an example. */
export type PlanSummaryEntry = {
  seq: number;
  action: PlanAction;
  row?: number;
  line?: number;
  display: string;
  /** Why the row matched nothing, or matched more than one account. */
  reason?: string;
  /** Conflicts: the ids of the candidate accounts. */
  candidates?: string[];
  problems?: InputProblem[];
};

/** The first rows of one kind and how many there are. */
export type PlanSummarySample = {
  total: number;
  /** The first {@link SUMMARY_SAMPLE_LIMIT} rows, in plan order. */
  first: PlanSummaryEntry[];
};

/** A JSON-serialisable summary of a plan. */
export type PlanSummary = {
  /** Plan rows seen. */
  rows: number;
  /** Rows per action (every action present, 0 when none). */
  counts: Record<PlanAction, number>;
  /** Attribute changes over all rows. */
  changes: number;
  memberships: {
    add: number;
    remove: number;
    /** Distinct groups added to that do not exist yet (will be created). */
    groupsToCreate: number;
    /** Their names, the first {@link SUMMARY_SAMPLE_LIMIT}. */
    groupsToCreateSample: string[];
  };
  /** The attributes (target headers) changed in most rows, most first, at most 10. */
  attributes: { path: string; rows: number }[];
  conflicts: PlanSummarySample;
  invalid: PlanSummarySample;
  /** Problems attached to rows, by severity and by code. */
  problems: { errors: number; warnings: number; byCode: Record<string, number> };
};

/** Accumulates plan rows into a {@link PlanSummary}. */
export type PlanSummaryBuilder = {
  add(row: PlanRow): void;
  /** The summary of the rows added so far (a fresh object each time). */
  result(): PlanSummary;
};

const ACTIONS = PLAN_ACTIONS;

/** A new, empty summary. */
export function createPlanSummary(): PlanSummaryBuilder {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  const attributes = new Map<string, number>();
  const newGroups = new Map<string, string>();
  const byCode = new Map<string, number>();
  const conflicts: PlanSummarySample = { total: 0, first: [] };
  const invalid: PlanSummarySample = { total: 0, first: [] };
  let rows = 0;
  let changes = 0;
  let membershipAdds = 0;
  let membershipRemoves = 0;
  let errors = 0;
  let warnings = 0;
  return {
    add(row) {
      rows += 1;
      counts[row.action] += 1;
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
        conflicts: { total: conflicts.total, first: [...conflicts.first] },
        invalid: { total: invalid.total, first: [...invalid.first] },
        problems: { errors, warnings, byCode: Object.fromEntries(byCode) },
      };
    },
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
