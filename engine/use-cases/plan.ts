import type { PlanOptions, PlanProgress } from '../plan/plan-input';
import { buildPlan, type PlanResult } from '../plan/planner';
import type { UseCaseContext } from './context';
import { checkSweepScope } from './sweep';

/** The planner's phases in words (the app's progress line and the CLI's). */
const PLAN_PHASES: Record<PlanProgress['phase'], string> = {
  snapshot: 'Reading the server',
  index: 'Indexing the server’s accounts',
  rows: 'Planning rows',
  sweep: 'Checking accounts not in the file',
};

type PlanRequest = Omit<PlanOptions, 'signal' | 'onProgress'>;

/** Everything about a plan request that can be checked before reading or connecting. */
export function checkPlanRequest(request: Pick<PlanRequest, 'mode' | 'scope'>): void {
  checkSweepScope(request.mode ?? 'upsert', request.scope);
}

/** Plans a CSV against a server or a snapshot (nothing is written to the server). */
export async function makePlan(
  request: PlanRequest,
  ctx: UseCaseContext = {},
): Promise<PlanResult> {
  checkPlanRequest(request);
  const scope = request.scope?.trim();
  const rest: PlanRequest = { ...request };
  delete rest.scope;
  return buildPlan({
    ...rest,
    ...(scope ? { scope } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (p) => {
      ctx.progress?.({
        phase: PLAN_PHASES[p.phase],
        done: p.done,
        ...(p.total !== undefined ? { total: p.total } : {}),
      });
    },
  });
}
