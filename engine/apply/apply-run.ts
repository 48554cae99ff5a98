/**
 * Applies a plan to a server as a run that survives any crash, as a short pipeline of stages:
 *
 *   start (run-start.ts)     admit the plan, create or load the run, take its lock;
 *   rows (row-pass.ts)       each changing row's own write, in journalled batches;
 *   groups (membership-pass) groups the plan creates, then member chunks from the group as read;
 *   managers (manager-pass)  managers created in the same run, once both users exist;
 *   settle                   whatever is still unknown, looked up / re-read before any re-send;
 *   report (run-report.ts)   report.csv and counts per action and per pass.
 *
 * Every write is an operation of the op book (op-book.ts), journalled before it is sent and after
 * its answer; op ids are derived from the plan (`s12:create`, `grp:…:add:0`), so a resumed run
 * skips what any earlier process did, settles what it left unknown, and resolves `bulkId` refs
 * from the ids it learned. The executor (executor.ts) is the one place that sends.
 */
import { join } from 'node:path';
import { toErrorPayload } from '../../shared/errors/errors';
import type { OpenConnection } from '../connections/open-connection';
import type { openPlan } from '../plan/plan-file';
import type { WriteOp } from '../scim/ops';
import { createExecutor, type Executor } from './executor';
import { planManagerOps, managerPass } from './manager-pass';
import { membershipPass } from './membership-pass';
import { openOpBook, type OpBook } from './op-book';
import { createPassPlanCollector, type PassPlan } from './pass-plan';
import { planRowOps, type PlanOpsContext } from './plan-ops';
import { createPassTracker, type ByPass, type PassCount, type PassTracker } from './pass-progress';
import { openPriorStateStore } from './prior-state';
import { rowBatching } from './row-batching';
import { rowPass, type ApplyFailure } from './row-pass';
import { finishReport } from './run-report';
import { startRun } from './run-start';
import { releaseRunLock, runDir, updateRun, type RunRecord, type RunTarget } from './run-store';

export type { ApplyFailure } from './row-pass';

export type ApplyProgress = {
  phase: 'reconcile' | 'rows' | 'groups' | 'managers' | 'report';
  /** Operations finished (ok or failed) in this phase, and planned. */
  done: number;
  total: number;
  failed: number;
  /** Operations per second over the run so far. */
  opsPerSecond: number;
  /** Seconds left at that pace, when known. */
  etaSeconds?: number;
  /** Rows phase: per plan action, rows done, failed, and planned. */
  byAction?: Record<string, { done: number; failed: number; total: number }>;
  /** The latest failures (at most 20, newest last), so the UI shows errors as they happen. */
  recentErrors?: ApplyFailure[];
  /** Rows phase: changing rows done / failed / unknown / planned (fed into `byPass.rows`). */
  rows?: PassCount;
  /** Every pass so far: rows, groups, members, managers (pass-progress.ts). */
  byPass?: ByPass;
};

export type ApplyOptions = {
  conn: OpenConnection;
  dataDir: string;
  /** A new run of this plan… */
  planFile?: string;
  /** …or the run to resume. */
  runId?: string;
  target: RunTarget;
  /** Requests in flight (the transport's adaptive limit still applies). */
  concurrency?: number;
  /** Apply only the first N changing rows, then stop (status `paused`) for the admin to check. */
  canary?: number;
  /** The count from the plan's safeguards, typed back to run a plan that exceeds them. */
  overrideSafeguards?: number;
  /** Rows per journalled batch (default: Bulk `maxOperations` up to 1000, else 100; row-batching.ts). */
  batchSize?: number;
  /** Batches in flight at once (default: Bulk `concurrency` (8), else 4; row-batching.ts). */
  pipeline?: number;
  /**
   * Without Bulk, create reports after their managers (hierarchy levels) so `manager.value` goes
   * in the POST instead of a PATCH per report (default true; false: one manager pass at the end).
   */
  managerLevels?: boolean;
  /** Members added (and removed) per group PATCH (default 100; Entra's server takes 20). */
  maxMembersPerRequest?: number;
  /** Cancel: the batch in flight finishes and is recorded, then the run stops (`cancelled`). */
  signal?: AbortSignal;
  /**
   * The status a run stopped by `signal` is recorded with: `cancelled` (the app's Cancel button,
   * the default) or `interrupted` (the CLI on Ctrl+C / SIGTERM). Both resume the same way.
   */
  stoppedStatus?: 'cancelled' | 'interrupted';
  /** Pause: checked between batches; the run waits while it says paused. */
  control?: { paused(): boolean; whenResumed(): Promise<void> };
  onProgress?: (p: ApplyProgress) => void;
};

export type ApplyResult = {
  run: RunRecord;
  reportFile: string;
  /** Rows and pass operations (group creates, member chunks, manager links) that failed. */
  failed: number;
  /** …whose outcome is still unknown. */
  unknown: number;
  /** Pass operations not sent (their group's create is still unknown). */
  pending: number;
  /** Rows the server answered without some attributes the run sent. */
  differences: number;
  stoppedForCanary: boolean;
};

const DEFAULT_MAX_MEMBERS = 100;

type Progress = (p: Omit<ApplyProgress, 'opsPerSecond'>, force?: boolean) => void;

const RECENT_ERRORS = 20;

/** What every event carries beside the phase's own counts: per pass counts and pass failures. */
type Extras = { byPass(rows: PassCount | undefined): ByPass; passFailures(): ApplyFailure[] };

function extrasOf(tracker: PassTracker, book: OpBook): Extras {
  return {
    byPass: (rows) => tracker.snapshot(book, rows),
    passFailures: () => tracker.failures(book, RECENT_ERRORS),
  };
}

function progressReporter(opts: ApplyOptions, sent: () => number, extras: Extras): Progress {
  const started = Date.now();
  let last = 0;
  // The latest failures and row counts stay on every later event (each replaces the one before).
  let rowErrors: ApplyFailure[] = [];
  let rows: PassCount | undefined;
  const answered = new Set<ApplyProgress['phase']>();
  return (p, force = false) => {
    if (p.recentErrors?.length) rowErrors = p.recentErrors;
    if (p.rows) rows = p.rows;
    // The first answer of each phase is shown at once (after the planned totals).
    const first = p.done > 0 && !answered.has(p.phase);
    if (p.done > 0) answered.add(p.phase);
    const now = Date.now();
    if (!force && !first && now - last < 250) return;
    last = now;
    const opsPerSecond = sent() / Math.max(0.001, (now - started) / 1000);
    const left = p.total - p.done;
    const recentErrors = [...rowErrors, ...extras.passFailures()].slice(-RECENT_ERRORS);
    opts.onProgress?.({
      ...p,
      ...(recentErrors.length ? { recentErrors } : {}),
      byPass: extras.byPass(rows),
      opsPerSecond,
      ...(opsPerSecond > 0 && left >= 0 ? { etaSeconds: left / opsPerSecond } : {}),
    });
  };
}

function planContext(
  conn: OpenConnection,
  header: { resourceType: string; endpoint: string },
): PlanOpsContext {
  const userType = conn.client.resourceType(header.resourceType);
  const groupType = conn.client.resourceType('Group');
  return {
    userEndpoint: userType?.endpoint ?? header.endpoint,
    groupEndpoint: groupType?.endpoint ?? '/Groups',
    patch: conn.discovery.effective.patch,
    etag: conn.discovery.effective.etag,
    userSchemaUrn: userType?.schema ?? 'urn:ietf:params:scim:schemas:core:2.0:User',
  };
}

/** Unknown ops left by this or an earlier process, settled (looked up / re-read) and re-sent. */
async function settleLeftovers(
  book: OpBook,
  exec: Executor,
  known: (opId: string) => WriteOp | undefined,
  report: Progress,
): Promise<void> {
  const left = book.unknown().flatMap((id) => {
    const op = id.startsWith('grp:') ? undefined : known(id);
    return op ? [op] : [];
  });
  if (left.length === 0) return;
  report({ phase: 'reconcile', done: 0, total: left.length, failed: 0 }, true);
  await exec.run(
    left.map((op) => ({
      op,
      seq: Number(/^s(\d+):/.exec(op.opId)?.[1] ?? -1),
      key: op.lookupKey ?? op.id ?? op.opId,
      kind: op.opId.split(':').slice(1).join(':'),
    })),
  );
}

/** What every stage of one run works with. */
type Stage = {
  opts: ApplyOptions;
  run: RunRecord;
  dir: string;
  plan: Awaited<ReturnType<typeof openPlan>>;
  book: OpBook;
  exec: Executor;
  ctx: PlanOpsContext;
  ifMatch: { on: boolean };
  report: Progress;
  passPlan: PassPlan;
  tracker: PassTracker;
};

const cancelled = (s: Stage): boolean => s.opts.signal?.aborted === true;

/** Stage: the rows, then whatever of them stayed unknown (settled before anything depends on it). */
async function rowsStage(s: Stage): Promise<boolean> {
  const { opts, plan, book, exec, ctx, report } = s;
  const { dataDir, conn } = opts;
  const { stoppedForCanary } = await rowPass({
    // Without Bulk, managers created in this run go into their reports' POSTs (by level).
    levels: !conn.discovery.effective.bulk.enabled && opts.managerLevels !== false,
    book,
    exec,
    ctx,
    plan,
    ...rowBatching(conn.discovery.effective.bulk, opts),
    ...(opts.canary ? { canary: opts.canary } : {}),
    canaryPassed: s.run.options['canaryPassed'] === true,
    ...(opts.signal ? { signal: opts.signal } : {}),
    betweenBatches: async (drain) => {
      if (!opts.control?.paused()) return;
      await drain();
      await updateRun(dataDir, s.run.id, { status: 'paused' });
      await opts.control.whenResumed();
      await updateRun(dataDir, s.run.id, { status: 'running' });
    },
    onProgress: (p) => {
      const { urgent, ...rest } = p;
      report({ phase: 'rows', ...rest }, urgent);
    },
  });
  const rowOp = (opId: string): WriteOp | undefined => {
    const seq = Number(/^s(\d+):/.exec(opId)?.[1] ?? -1);
    if (seq < 0 || seq >= plan.count) return undefined;
    return planRowOps(plan.row(seq), ctx).find((op) => op.opId === opId);
  };
  await settleLeftovers(book, exec, rowOp, report);
  return stoppedForCanary;
}

/** Stage: group creates and member chunks, then manager links (and their leftovers). */
async function passesStage(s: Stage): Promise<{ passPlan: PassPlan; managerOps: WriteOp[] }> {
  const { opts, book, exec, ctx, ifMatch, report, passPlan } = s;
  const { conn } = opts;
  await membershipPass(
    {
      conn,
      book,
      exec,
      patch: ctx.patch,
      ifMatch,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done, total, failed) => {
        report({ phase: 'groups', done, total, failed }, true);
      },
    },
    passPlan.groupOps,
  );
  const managerOps = planManagerOps(passPlan.withManagers, passPlan.creates, book, ctx, ifMatch.on);
  s.tracker.setManagerOps(managerOps);
  if (cancelled(s)) return { passPlan, managerOps };
  await managerPass(
    {
      conn,
      book,
      exec,
      ifMatch,
      onProgress: (done, total, failed) => {
        report({ phase: 'managers', done, total, failed }, true);
      },
    },
    managerOps,
    (seq) => book.status(`s${seq}:create`) === 'ok',
  );
  const byId = new Map(managerOps.map((op) => [op.opId, op]));
  await settleLeftovers(book, exec, (id) => byId.get(id), report);
  return { passPlan, managerOps };
}

/** Stage: report.csv, counts, and the run's status. */
async function reportStage(
  s: Stage,
  stoppedForCanary: boolean,
  passes: { passPlan: PassPlan; managerOps: WriteOp[] } | undefined,
): Promise<ApplyResult> {
  const { plan, book } = s;
  const reportFile = join(s.dir, 'report.csv');
  s.report({ phase: 'report', done: 0, total: plan.count, failed: 0 }, true);
  const totals = await finishReport({
    reportFile,
    plan,
    book,
    passPlan: passes?.passPlan,
    managerOps: passes?.managerOps ?? [],
  });
  const problems = totals.failed + totals.unknown + totals.pending + totals.differences;
  const status = stoppedForCanary
    ? 'paused'
    : cancelled(s)
      ? (s.opts.stoppedStatus ?? 'cancelled')
      : problems > 0
        ? 'completed with failures'
        : 'completed';
  const run = await updateRun(s.opts.dataDir, s.run.id, {
    status,
    counts: totals.counts,
    passes: totals.passes,
    differences: totals.differences,
    ...(status.startsWith('completed') ? { finishedAt: new Date().toISOString() } : {}),
    ...(stoppedForCanary ? {} : { options: { ...s.run.options, canaryPassed: true } }),
  });
  return {
    run,
    reportFile,
    failed: totals.failed,
    unknown: totals.unknown,
    pending: totals.pending,
    differences: totals.differences,
    stoppedForCanary,
  };
}

/** Runs (or resumes) a plan: start, rows, passes, report. */
export async function applyPlan(opts: ApplyOptions): Promise<ApplyResult> {
  const { conn, dataDir } = opts;
  const maxMembers = opts.maxMembersPerRequest;
  // The admission check reads every row; what the passes need is gathered in that read.
  const passRows = createPassPlanCollector();
  const { run, lock, plan } = await startRun({
    onRow: passRows.add,
    dataDir,
    baseUrl: conn.discovery.baseUrl,
    ...(opts.planFile ? { planFile: opts.planFile } : {}),
    ...(opts.runId ? { runId: opts.runId } : {}),
    target: opts.target,
    ...(opts.overrideSafeguards !== undefined
      ? { overrideSafeguards: opts.overrideSafeguards }
      : {}),
    options: {
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.canary ? { canary: opts.canary } : {}),
      // Kept so a resume chunks members the same way (the chunk is part of the op id).
      ...(maxMembers ? { maxMembersPerRequest: maxMembers } : {}),
    },
  });
  const dir = runDir(dataDir, run.id);
  const book = await openOpBook(dir);
  const prior = await openPriorStateStore(dir);
  const ifMatch = { on: conn.discovery.effective.etag };
  const exec = createExecutor({
    conn,
    book,
    prior,
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ifMatch: () => ifMatch.on,
  });
  const ctx = planContext(conn, plan.header);
  const chunk = Number(
    run.options['maxMembersPerRequest'] ?? opts.maxMembersPerRequest ?? DEFAULT_MAX_MEMBERS,
  );
  // Read before the rows, so the run screen shows every pass's planned count from the start.
  const passPlan = passRows.finish(ctx, chunk);
  const tracker = createPassTracker(passPlan);
  const report = progressReporter(opts, () => exec.sent, extrasOf(tracker, book));
  const stage: Stage = {
    opts,
    run,
    dir,
    plan,
    book,
    exec,
    ctx,
    ifMatch,
    report,
    passPlan,
    tracker,
  };
  try {
    await updateRun(dataDir, run.id, { status: 'running' });
    const stoppedForCanary = await rowsStage(stage);
    const passes = stoppedForCanary || cancelled(stage) ? undefined : await passesStage(stage);
    return await reportStage(stage, stoppedForCanary, passes);
  } catch (e) {
    await updateRun(dataDir, run.id, { status: 'failed', error: toErrorPayload(e) }).catch(
      () => undefined,
    );
    throw e;
  } finally {
    plan.close();
    await book.close();
    await prior.close();
    await releaseRunLock(lock);
  }
}
