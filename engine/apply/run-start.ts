/**
 * Starting (or resuming) a run: the plan is admitted (apply/plan-integrity.ts: every check before
 * any request), then a new run is created with its planned counts — or the run to resume is loaded
 * — and its lock is taken.
 */
import { AppError } from '../../shared/errors/errors';
import { CHANGING_ACTIONS, type PlanRow } from '../../shared/import/types';
import type { PlanReader } from '../plan/plan-file';
import { admitPlan } from './plan-integrity';
import {
  acquireRunLock,
  createRun,
  loadRun,
  runDir,
  type RunCounts,
  type RunLock,
  type RunOptions,
  type RunRecord,
  type RunTarget,
} from './run-store';

/** The run, its lock, and its plan as admitted (open: the caller closes it). */
type RunStart = { run: RunRecord; lock: RunLock; plan: PlanReader };

export async function startRun(opts: {
  dataDir: string;
  baseUrl: string;
  planFile?: string;
  runId?: string;
  target: RunTarget;
  overrideSafeguards?: number;
  options: RunOptions;
  /** Each plan row as admitted (one read of the plan serves the check and the run). */
  onRow?: (row: PlanRow) => void;
}): Promise<RunStart> {
  const resumed = opts.runId ? await loadRun(opts.dataDir, opts.runId) : undefined;
  const planFile = resumed?.planFile ?? opts.planFile;
  if (!planFile) throw new AppError('config', 'Give a plan file or a run to resume.');
  const admitted = await admitPlan({
    planFile,
    baseUrl: opts.baseUrl,
    ...(resumed ? { run: resumed } : {}),
    ...(opts.overrideSafeguards !== undefined
      ? { overrideSafeguards: opts.overrideSafeguards }
      : {}),
    ...(opts.onRow ? { onRow: opts.onRow } : {}),
  });
  try {
    return { ...(await createOrResume(opts, planFile, admitted, resumed)), plan: admitted.reader };
  } catch (e) {
    admitted.reader.close();
    throw e;
  }
}

async function createOrResume(
  opts: { dataDir: string; target: RunTarget; options: RunOptions },
  planFile: string,
  admitted: Awaited<ReturnType<typeof admitPlan>>,
  resumed: RunRecord | undefined,
): Promise<{ run: RunRecord; lock: RunLock }> {
  if (resumed) {
    return { run: resumed, lock: await acquireRunLock(runDir(opts.dataDir, resumed.id)) };
  }
  // Planned counts from the start, so a run killed before its first update still shows (and is
  // offered as resumable with) the work it has left.
  const planned: RunCounts = {};
  for (const action of CHANGING_ACTIONS) {
    const total = admitted.counts[action];
    if (total) planned[action] = { done: 0, failed: 0, pending: total };
  }
  return createRun(opts.dataDir, {
    planFile,
    plan: admitted.header,
    planDigest: admitted.digest,
    target: opts.target,
    counts: planned,
    options: opts.options,
  });
}
