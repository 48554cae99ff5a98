import { copyFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { environmentOf } from '../../../shared/connections/environment';
import type { JobOutcome, RunView } from '../../../shared/ipc/schemas/jobs';
import { AppError } from '../../../shared/errors/errors';
import { CHANGING_ACTIONS } from '../../../shared/import/types';
import type { ApplyResult } from '../../apply/apply-run';
import { writeFailedRows } from '../../apply/failed-rows';
import { readRunLog } from '../../apply/run-log';
import { listRuns, loadRun, runDir, type RunRecord } from '../../apply/run-store';
import { applyPlanFile, checkPlanToApply, type ApplyRequest } from '../../use-cases/apply';
import { checkProductionWrite } from '../../use-cases/production';
import { resumeRun as resumeRunUseCase } from '../../use-cases/resume';
import { writeUndoPlan } from '../../use-cases/undo';
import { asJob } from '../as-job';
import type { ApiEngine, Handler } from '../types';

/** What a finished run tells the screen. */
function runOutcome(result: ApplyResult): JobOutcome {
  return {
    runId: result.run.id,
    file: result.reportFile,
    failed: result.failed + result.differences,
    unknown: result.unknown + result.pending,
    stoppedForCanary: result.stoppedForCanary,
  };
}

type RunOptions = Pick<
  ApplyRequest,
  'concurrency' | 'canary' | 'overrideSafeguards' | 'maxMembersPerRequest'
>;

/** The request's run options, without the ones it left out. */
function runOptions(request: RunOptions): RunOptions {
  return {
    ...(request.concurrency ? { concurrency: request.concurrency } : {}),
    ...(request.canary ? { canary: request.canary } : {}),
    ...(request.overrideSafeguards !== undefined
      ? { overrideSafeguards: request.overrideSafeguards }
      : {}),
    ...(request.maxMembersPerRequest ? { maxMembersPerRequest: request.maxMembersPerRequest } : {}),
  };
}

/** `apply:start`: runs an open plan; refused up front when safeguards need the typed count. */
export const startApply: Handler<'apply:start'> = async (request, { engine }) => {
  const plan = checkPlanToApply(
    await engine.plans.reader(request.planId),
    request.overrideSafeguards,
  );
  checkProductionWrite(await engine.connections.find(request.connectionId), request.confirmName);
  const planFile = engine.plans.fileOf(request.planId);
  const jobId = await asJob(
    engine,
    {
      kind: 'apply',
      connectionId: request.connectionId,
      label: (name) => `Run of ${plan.header.mode} plan (${plan.rows} rows) → ${name}`,
      subject: planFile,
    },
    async (conn, ctx, profile) =>
      runOutcome(
        await applyPlanFile(
          {
            conn,
            dataDir: engine.dataDir,
            planFile,
            target: {
              connection: profile.name,
              baseUrl: conn.discovery.baseUrl,
              environment: environmentOf(profile),
            },
            ...runOptions(request),
          },
          ctx,
        ),
      ),
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

/**
 * `runs:resume`: continues an interrupted, paused or cancelled run from its journal; a production
 * connection needs its name typed back, as on Confirm.
 */
export const resumeRun: Handler<'runs:resume'> = async (
  { runId, connectionId, confirmName },
  { engine },
) => {
  const run = await loadRun(engine.dataDir, runId);
  checkProductionWrite(await engine.connections.find(connectionId), confirmName);
  const jobId = await asJob(
    engine,
    {
      kind: 'apply',
      connectionId,
      label: (name) => `Resume of run ${run.id} → ${name}`,
      subject: run.id,
    },
    async (conn, ctx, profile) =>
      runOutcome(
        await resumeRunUseCase(
          {
            conn,
            dataDir: engine.dataDir,
            runId: run.id,
            target: {
              connection: profile.name,
              baseUrl: conn.discovery.baseUrl,
              environment: environmentOf(profile),
            },
          },
          ctx,
        ),
      ),
  );
  return { jobId };
};

/** `runs:undo`: writes the inverse plan of a run (to preview, then apply like any plan). */
export const undoRun: Handler<'runs:undo'> = async ({ runId, connectionId }, { engine }) => {
  const run = await loadRun(engine.dataDir, runId);
  const jobId = await asJob(
    engine,
    { kind: 'undo', connectionId, label: () => `Undo plan for run ${run.id}` },
    async (conn, ctx) => {
      const undo = await writeUndoPlan(
        { dataDir: engine.dataDir, runId: run.id, conn, outFile: await engine.plans.newPlanFile() },
        ctx,
      );
      const info = await engine.plans.register(undo.file);
      return { planId: info.planId, file: undo.file, notes: undo.notes };
    },
  );
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

/** `runs:log`: one page of a run's operations, filtered by text, kind and outcome. */
export const runLog: Handler<'runs:log'> = async (request, { engine }) => {
  const run = await loadRun(engine.dataDir, request.runId);
  const page = await readRunLog(runDir(engine.dataDir, run.id), request);
  return { ...page, runId: run.id };
};
