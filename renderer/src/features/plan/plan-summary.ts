import { PLAN_ACTIONS, type InputProblem, type PlanAction } from '../../../../shared/import/types';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import type { PlanSummary } from '../../../../shared/plan/summary';

/** One safeguard check as the planner writes it (electron/engine/plan/safeguards.ts). */
export type SafeguardCheckView = {
  action: 'deactivate' | 'delete';
  count: number;
  population: number;
  percent: number;
  limit: { maxCount: number; maxPercent: number };
  exceeded: boolean;
  reason?: string;
};

export type SafeguardView = {
  checks: SafeguardCheckView[];
  blocked: boolean;
  overrideCount: number;
};

/** The plan file's summary line as the preview reads it (every part optional: older plans). */
export type PlanSummaryView = Partial<PlanSummary> & {
  mode?: string;
  resourceType?: string;
  csv?: { file: string; rows: number; damagedRows: number; problems?: InputProblem[] };
  server?: { source: 'server' | 'snapshot'; accounts: number; inScope: number };
  orphans?: { count: number; file: string };
  safeguards?: SafeguardView;
  managers?: { unresolved: number; missing?: InputProblem[]; cycles?: number[][] };
  warnings?: string[];
};

export function summaryOf(info: PlanInfo): PlanSummaryView {
  return info.summary;
}

export const ACTIONS = PLAN_ACTIONS;

export const ACTION_LABELS: Record<PlanAction, string> = {
  create: 'Create',
  update: 'Update',
  unchanged: 'Unchanged',
  deactivate: 'Deactivate',
  delete: 'Delete',
  conflict: 'Conflict',
  invalid: 'Invalid',
};

export const MODE_LABELS: Record<string, string> = {
  upsert: 'Create and update (upsert)',
  'deactivate-listed': 'Deactivate the accounts listed',
  'delete-listed': 'Delete the accounts listed',
  'deactivate-unlisted': 'Deactivate accounts not in the file',
  'delete-unlisted': 'Delete accounts not in the file',
};

/** Rows and memberships that would change something on the server. */
export function changeCount(info: PlanInfo): number {
  const s = summaryOf(info);
  const c = info.counts;
  return (
    c.create +
    c.update +
    c.deactivate +
    c.delete +
    (s.memberships?.add ?? 0) +
    (s.memberships?.remove ?? 0)
  );
}

// One formatter for all numbers: `toLocaleString(locale)` builds a new one on every call.
const NUMBER = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${NUMBER.format(n)} ${n === 1 ? one : many}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function targetText(info: PlanInfo): string {
  const { connection, baseUrl } = info.target;
  if (connection && baseUrl) return `${connection} (${baseUrl})`;
  return connection ?? baseUrl ?? 'an offline snapshot';
}
