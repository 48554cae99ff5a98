import type { PlanAction } from '../../shared/import/types';
import type { PlanFileSummary, PlanHeader } from '../../shared/plan/plan-format';
import {
  applyPlan,
  type ApplyOptions,
  type ApplyProgress,
  type ApplyResult,
} from '../apply/apply-run';
import { checkOverride } from '../apply/plan-integrity';
import { openPlan, type PlanReader } from '../plan/plan-file';
import type { ProgressUpdate, UseCaseContext } from './context';

/** The run's phases in words. */
const APPLY_PHASES: Record<ApplyProgress['phase'], string> = {
  reconcile: 'Settling unknown outcomes',
  rows: 'Applying rows',
  groups: 'Group memberships',
  managers: 'Managers',
  report: 'Writing the report',
};

export type ApplyRequest = Omit<
  ApplyOptions,
  'signal' | 'control' | 'onProgress' | 'planFile' | 'runId'
>;

/** What the admin is shown before a plan runs. */
type PlanToApply = {
  header: PlanHeader;
  rows: number;
  counts: Record<PlanAction, number>;
  summary: PlanFileSummary;
};

/**
 * Checks that an open plan may start a new run: a plan whose safeguards are exceeded needs their
 * count typed back (`override`). Called before anything is connected or started.
 */
export function checkPlanToApply(plan: PlanReader, override: number | undefined): PlanToApply {
  checkOverride(plan, override);
  return { header: plan.header, rows: plan.count, counts: plan.counts, summary: plan.summary };
}

/**
 * {@link checkPlanToApply} for a plan file that is not open yet (the CLI). A resumed run was
 * checked when it started, so `resume` only describes its plan.
 */
export async function checkPlanFileToApply(
  planFile: string,
  check: { override?: number } | 'resume',
): Promise<PlanToApply> {
  const plan = await openPlan(planFile);
  try {
    if (check === 'resume') {
      return { header: plan.header, rows: plan.count, counts: plan.counts, summary: plan.summary };
    }
    return checkPlanToApply(plan, check.override);
  } finally {
    plan.close();
  }
}

function applyProgressUpdate(p: ApplyProgress): ProgressUpdate {
  return {
    phase: APPLY_PHASES[p.phase],
    done: p.done,
    total: p.total,
    failed: p.failed,
    opsPerSecond: p.opsPerSecond,
    ...(p.etaSeconds !== undefined ? { etaSeconds: p.etaSeconds } : {}),
    ...(p.byAction ? { byAction: p.byAction } : {}),
    ...(p.recentErrors?.length ? { recentErrors: p.recentErrors } : {}),
    ...(p.byPass ? { byPass: p.byPass } : {}),
  };
}

/** Runs, or with `runId` resumes, a plan against the open connection. */
export async function runApply(
  request: ApplyRequest & ({ planFile: string } | { runId: string }),
  ctx: UseCaseContext = {},
): Promise<ApplyResult> {
  return applyPlan({
    ...request,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.control ? { control: ctx.control } : {}),
    onProgress: (p) => ctx.progress?.(applyProgressUpdate(p)),
  });
}

/** A new run of a plan file (checked with {@link checkPlanToApply} first). */
export function applyPlanFile(
  request: ApplyRequest & { planFile: string },
  ctx: UseCaseContext = {},
): Promise<ApplyResult> {
  return runApply(request, ctx);
}
