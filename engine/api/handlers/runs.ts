import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { JobOutcome, RunView } from '../../../shared/ipc/schemas/jobs';
import { AppError } from '../../../shared/errors/errors';
import { CHANGING_ACTIONS } from '../../../shared/import/types';
import { applyPlan, type ApplyProgress } from '../../apply/apply-run';
import { checkOverride } from '../../apply/plan-integrity';
import { writeFailedRows } from '../../apply/failed-rows';
import { listRuns, loadRun, runDir, type RunRecord } from '../../apply/run-store';
import { buildUndoPlan } from '../../apply/undo';
import type { ApiEngine, Handler } from '../types';

const PHASES: Record<ApplyProgress['phase'], string> = {
  reconcile: 'Settling unknown outcomes',
  rows: 'Applying rows',
  groups: 'Group memberships',
  managers: 'Managers',
  report: 'Writing the report',
};

type ApplyJob = {
  connectionId: string;
  planFile?: string;
  runId?: string;
  concurrency?: number;
  canary?: number;
  overrideSafeguards?: number;
  maxMembersPerRequest?: number;
};

/** Starts (or resumes) a run as a background job with pause/cancel and progress. */
async function startApplyJob(engine: ApiEngine, job: ApplyJob, label: string): Promise<string> {
  const profile = await engine.connections.find(job.connectionId);
  const subject = job.runId ?? job.planFile ?? '';
  return engine.jobs.start(
    'apply',
    `${label} → ${profile.name}`,
    async (ctx): Promise<JobOutcome> => {
      const conn = await engine.connections.open(profile.id);
      ctx.pacing(() => conn.http.pacing());
      try {
        const result = await applyPlan({
          conn,
          dataDir: engine.dataDir,
          ...(job.planFile ? { planFile: job.planFile } : {}),
          ...(job.runId ? { runId: job.runId } : {}),
          target: { connection: profile.name, baseUrl: conn.discovery.baseUrl },
          ...(job.concurrency ? { concurrency: job.concurrency } : {}),
          ...(job.canary ? { canary: job.canary } : {}),
          ...(job.overrideSafeguards !== undefined
            ? { overrideSafeguards: job.overrideSafeguards }
            : {}),
          ...(job.maxMembersPerRequest ? { maxMembersPerRequest: job.maxMembersPerRequest } : {}),
          signal: ctx.signal,
          control: ctx.control,
          onProgress: (p) => {
            ctx.progress({
              phase: PHASES[p.phase],
              done: p.done,
              total: p.total,
              failed: p.failed,
              opsPerSecond: p.opsPerSecond,
              ...(p.etaSeconds !== undefined ? { etaSeconds: p.etaSeconds } : {}),
              ...(p.byAction ? { byAction: p.byAction } : {}),
              ...(p.recentErrors?.length ? { recentErrors: p.recentErrors } : {}),
            });
          },
        });
        return {
          runId: result.run.id,
          file: result.reportFile,
          failed: result.failed + result.differences,
          unknown: result.unknown + result.pending,
          stoppedForCanary: result.stoppedForCanary,
        };
      } finally {
        await conn.close();
      }
    },
    subject,
  );
}

/** `apply:start`: runs an open plan; refused up front when safeguards need the typed count. */
export const startApply: Handler<'apply:start'> = async (request, { engine }) => {
  const reader = await engine.plans.reader(request.planId);
  checkOverride(reader, request.overrideSafeguards);
  const planFile = engine.plans.fileOf(request.planId);
  const jobId = await startApplyJob(
    engine,
    {
      connectionId: request.connectionId,
      planFile,
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
      ...(request.canary ? { canary: request.canary } : {}),
      ...(request.overrideSafeguards !== undefined
        ? { overrideSafeguards: request.overrideSafeguards }
        : {}),
      ...(request.maxMembersPerRequest
        ? { maxMembersPerRequest: request.maxMembersPerRequest }
        : {}),
    },
    `Run of ${reader.header.mode} plan (${reader.count} rows)`,
  );
  return { jobId };
};

function toView(engine: ApiEngine, run: RunRecord): RunView {
  const counts = run.counts as RunView['counts'];
  const passesOpen = Object.values(run.passes ?? {}).some((c) => c.pending > 0 || c.unknown > 0);
  const open =
    passesOpen || Object.values(counts).some((c) => c.pending > 0 || (c.unknown ?? 0) > 0);
  const changed = CHANGING_ACTIONS.some((a) => (counts[a]?.done ?? 0) > 0);
  const activeJobId = engine.jobs.activeFor(run.id) ?? engine.jobs.activeFor(run.planFile);
  return {
    id: run.id,
    status: run.status,
    planFile: run.planFile,
    resourceType: run.plan.resourceType,
    mode: run.plan.mode,
    target: run.target,
    startedAt: run.startedAt,
    updatedAt: run.updatedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    counts,
    ...(run.passes ? { passes: run.passes } : {}),
    resumable: !activeJobId && run.status !== 'completed' && run.status !== 'running' && open,
    undoable: !activeJobId && run.status !== 'running' && changed,
    ...(activeJobId ? { activeJobId } : {}),
    ...(run.error ? { error: run.error } : {}),
    reportFile: join(runDir(engine.dataDir, run.id), 'report.csv'),
  };
}

/** `runs:list`: every run, newest first, with what can be done with it. */
export const listRunViews: Handler<'runs:list'> = async (_request, { engine }) =>
  (await listRuns(engine.dataDir)).map((r) => toView(engine, r));

/** `runs:resume`: continues an interrupted, paused or cancelled run from its journal. */
export const resumeRun: Handler<'runs:resume'> = async ({ runId, connectionId }, { engine }) => {
  const run = await loadRun(engine.dataDir, runId);
  const jobId = await startApplyJob(
    engine,
    { connectionId, runId: run.id },
    `Resume of run ${run.id}`,
  );
  return { jobId };
};

/** `runs:undo`: writes the inverse plan of a run (to preview, then apply like any plan). */
export const undoRun: Handler<'runs:undo'> = async ({ runId, connectionId }, { engine }) => {
  const run = await loadRun(engine.dataDir, runId);
  const profile = await engine.connections.find(connectionId);
  const jobId = engine.jobs.start('undo', `Undo plan for run ${run.id}`, async (ctx) => {
    const conn = await engine.connections.open(profile.id);
    ctx.pacing(() => conn.http.pacing());
    try {
      ctx.progress({ phase: 'Reading the run and the server', done: 0 });
      const undo = await buildUndoPlan({
        dataDir: engine.dataDir,
        runId: run.id,
        conn,
        outFile: await engine.plans.newPlanFile(),
        signal: ctx.signal,
      });
      const info = await engine.plans.register(undo.file);
      return { planId: info.planId, file: undo.file, notes: undo.notes };
    } finally {
      await conn.close();
    }
  });
  return { jobId };
};

/** `runs:save-report`: copies the per-row report where the admin chose. */
export const saveReport: Handler<'runs:save-report'> = async ({ runId, path }, { engine }) => {
  const run = await loadRun(engine.dataDir, runId);
  await copyFile(
    join(runDir(engine.dataDir, run.id), 'report.csv'),
    engine.files.check(path, 'write'),
  );
  return { path };
};

/** The plan's source CSV, if the admin opened (or dropped) it in this session; else a sentence. */
function sourceCsv(engine: ApiEngine, csv: string): string {
  if (engine.files.isGranted(csv)) return engine.files.check(csv, 'read');
  throw new AppError(
    'invalid_request',
    `The failed rows are read from the CSV the plan was made from, ${basename(csv)}, and SCIM Porter only reads files you open in a file dialog or drop on the window.`,
    {
      nextStep: `Open ${csv} (Import → Open CSV…) or drop it on the window, then save the failed rows again.`,
    },
  );
}

/** `runs:save-failed`: failed and unfinished rows in the CSV's own columns, to fix and re-import. */
export const saveFailedRows: Handler<'runs:save-failed'> = async ({ runId, path }, { engine }) => {
  const run = await loadRun(engine.dataDir, runId);
  const rows = await writeFailedRows({
    planFile: run.planFile,
    reportFile: join(runDir(engine.dataDir, run.id), 'report.csv'),
    outFile: engine.files.check(path, 'write'),
    // The source CSV named inside the plan is read only if the admin opened it in this session.
    checkSource: (csv) => sourceCsv(engine, csv),
  });
  return { path, rows };
};
