import type { ApplyResult } from '../apply/apply-run';
import { loadRun } from '../apply/run-store';
import { runApply, type ApplyRequest } from './apply';
import type { UseCaseContext } from './context';

/** The plan file a run was made from (shown before resuming it). */
export async function planFileOfRun(dataDir: string, runId: string): Promise<string> {
  return (await loadRun(dataDir, runId)).planFile;
}

/**
 * Continues an interrupted, paused or cancelled run from its journal: operations whose outcome
 * is unknown are settled first, nothing done is sent again.
 */
export async function resumeRun(
  request: ApplyRequest & { runId: string },
  ctx: UseCaseContext = {},
): Promise<ApplyResult> {
  const run = await loadRun(request.dataDir, request.runId);
  return runApply({ ...request, runId: run.id }, ctx);
}
