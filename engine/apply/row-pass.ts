/**
 * The row pass: each changing plan row's own write (create / update / reactivate / deactivate /
 * delete) in journalled batches, several batches in flight (so Bulk requests and journal writes
 * overlap), with pause, cancel and canary between batches.
 */
import { CHANGING_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';
import type { WriteOp } from '../scim/ops';
import type { ExecResult, Executor } from './executor';
import type { OpBook } from './op-book';
import {
  CREATE_WITH_MANAGER,
  managerLevels,
  withManager,
  type ManagerLevels,
} from './manager-levels';
import { keyFields } from './pass-plan';
import { planRowOps, type PlanOpsContext } from './plan-ops';

const CHANGING: ReadonlySet<PlanAction> = new Set(CHANGING_ACTIONS);
const RECENT_ERRORS = 20;

/** One failed row as the run screen lists it. */
export type ApplyFailure = {
  row?: number;
  display: string;
  action: string;
  message: string;
  status?: number;
  scimType?: string;
};

type RowPassProgress = {
  done: number;
  total: number;
  failed: number;
  byAction: Record<string, { done: number; failed: number; total: number }>;
  recentErrors: ApplyFailure[];
  /** Changing rows: done (every op ok), failed, unknown (an op's answer is not known), planned. */
  rows: { done: number; failed: number; unknown: number; total: number };
  /** A batch with a failure is reported at once. */
  urgent: boolean;
};

type RowPassDeps = {
  book: OpBook;
  exec: Executor;
  ctx: PlanOpsContext;
  /** `counts`: rows per action (the plan file's index), so the totals need no scan of the rows. */
  plan: { count: number; row(seq: number): PlanRow; counts?: Partial<Record<PlanAction, number>> };
  batchSize: number;
  pipeline: number;
  canary?: number;
  canaryPassed: boolean;
  signal?: AbortSignal;
  /**
   * Send creates whose manager is created in this run by hierarchy level (manager-levels.ts): in
   * sweeps after their managers, with `manager.value` in the POST. False: one sweep, plan order.
   */
  levels: boolean;
  /** Called between batches: waits while the run is paused. */
  betweenBatches: (drain: () => Promise<void>) => Promise<void>;
  onProgress: (p: RowPassProgress) => void;
};

/** Rows to send: the ops still to send of each, and all its ops (to count the row by). */
type Batch = { row: PlanRow; ops: WriteOp[]; all: readonly WriteOp[]; kind?: string }[];

function kindOf(op: WriteOp): string {
  return op.opId.split(':').slice(1).join(':') || op.method;
}

type Tally = {
  done: number;
  failed: number;
  total: number;
  byAction: RowPassProgress['byAction'];
  recentErrors: ApplyFailure[];
  rows: RowPassProgress['rows'];
};

/** The planned counts, and (when wanted) the hierarchy levels, from one scan of the plan. */
function plannedTally(
  plan: RowPassDeps['plan'],
  wantLevels: boolean,
): { t: Tally; levels: ManagerLevels } {
  const rows = { done: 0, failed: 0, unknown: 0, total: 0 };
  const t: Tally = { done: 0, failed: 0, total: 0, byAction: {}, recentErrors: [], rows };
  if (!wantLevels && plan.counts) {
    // The plan's index already counted the rows per action: no row is read (and parsed) here.
    for (const action of CHANGING) {
      const n = plan.counts[action] ?? 0;
      if (n === 0) continue;
      t.total += n;
      rows.total += n;
      t.byAction[action] = { done: 0, failed: 0, total: n };
    }
    return { t, levels: new Map<number, never>() };
  }
  const creates: PlanRow[] = [];
  for (let seq = 0; seq < plan.count; seq++) {
    const row = plan.row(seq);
    if (!CHANGING.has(row.action)) continue;
    t.total += 1;
    rows.total += 1;
    (t.byAction[row.action] ??= { done: 0, failed: 0, total: 0 }).total += 1;
    if (wantLevels && row.action === 'create' && row.create) {
      const { seq: s, action, display, managerRef } = row;
      creates.push({
        seq: s,
        action,
        display,
        create: keyFields(row.create),
        ...(managerRef ? { managerRef } : {}),
      });
    }
  }
  const levels: ManagerLevels = wantLevels ? managerLevels(creates) : new Map<number, never>();
  return { t, levels };
}

/** Counts a row whose ops are all settled or just answered, by what the book says of them. */
function countRow(t: Tally, book: OpBook, row: PlanRow, ops: readonly WriteOp[]): void {
  const st = ops.map((op) => book.status(op.opId));
  const c = t.byAction[row.action];
  if (st.includes('failed')) {
    t.rows.failed += 1;
    if (c) c.failed += 1;
  } else if (st.some((s) => s !== 'ok')) t.rows.unknown += 1;
  else {
    t.rows.done += 1;
    if (c) c.done += 1;
  }
}

/** Counts a batch's results into the tally (per row and per op) and keeps the latest errors. */
function count(t: Tally, rows: Batch, results: readonly ExecResult[], deps: RowPassDeps): void {
  const byOp = new Map(results.map((r) => [r.opId, r]));
  for (const { row, ops, all } of rows) {
    countRow(t, deps.book, row, all);
    const failedOp = ops.map((op) => byOp.get(op.opId)).find((r) => r !== undefined && !r.ok);
    if (failedOp) {
      t.recentErrors.push({
        ...(row.row !== undefined ? { row: row.row } : {}),
        display: row.display,
        action: row.action,
        message: failedOp.error?.message ?? `HTTP ${failedOp.status}`,
        ...(failedOp.status ? { status: failedOp.status } : {}),
        ...(failedOp.error?.scimType ? { scimType: failedOp.error.scimType } : {}),
      });
      if (t.recentErrors.length > RECENT_ERRORS) t.recentErrors.shift();
    }
  }
  for (const r of results) {
    t.done += 1;
    if (!r.ok) t.failed += 1;
  }
}

/** Batches in flight (each journalled on its own), at most `deps.pipeline` at once. */
function batchPipeline(deps: RowPassDeps, t: Tally) {
  const inflight = new Set<Promise<void>>();
  let firstError: Error | undefined;
  const send = async (rows: Batch): Promise<void> => {
    const items = rows.flatMap(({ row, ops, kind }) =>
      ops.map((op) => ({ op, seq: row.seq, key: row.display, kind: kind ?? kindOf(op) })),
    );
    const results = await deps.exec.run(items);
    count(t, rows, results, deps);
    const { done, failed, total, byAction } = t;
    const recentErrors = [...t.recentErrors];
    const urgent = results.some((r) => !r.ok);
    const counts = { ...t.rows };
    deps.onProgress({ done, failed, total, byAction, recentErrors, rows: counts, urgent });
  };
  const drain = async (): Promise<void> => {
    await Promise.all(inflight);
    if (firstError !== undefined) throw firstError;
  };
  const flush = async (rows: Batch): Promise<void> => {
    if (rows.length === 0) return;
    const p: Promise<void> = send(rows)
      .catch((e: unknown) => {
        firstError ??= e instanceof Error ? e : new Error(String(e));
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= deps.pipeline) await Promise.race(inflight);
    if (firstError !== undefined) throw firstError;
  };
  return { flush, drain };
}

/** The row as sent on its level: with its manager's id in the create when it is placed. */
function rowOnLevel(
  deps: RowPassDeps,
  row: PlanRow,
  placed: { managerSeq: number } | undefined,
): { row: PlanRow; kind?: string } {
  const managerId = placed && deps.book.outcome(`s${placed.managerSeq}:create`)?.id;
  return managerId ? { row: withManager(row, managerId), kind: CREATE_WITH_MANAGER } : { row };
}

/** Runs the row pass; resolves whether it stopped for the canary. */
export async function rowPass(deps: RowPassDeps): Promise<{ stoppedForCanary: boolean }> {
  const { plan, book } = deps;
  const { t, levels } = plannedTally(plan, deps.levels);
  const { flush, drain } = batchPipeline(deps, t);
  // The planned counts at once, so the screen has totals before the first batch is answered.
  const { done, failed, total, byAction } = t;
  deps.onProgress({
    done,
    failed,
    total,
    byAction,
    recentErrors: [],
    rows: { ...t.rows },
    urgent: true,
  });
  let batch: Batch = [];
  let changed = 0;
  let top = 0;
  for (const l of levels.values()) top = Math.max(top, l.level);
  for (let level = 0; level <= top; level++) {
    for (let seq = 0; seq < plan.count; seq++) {
      await deps.betweenBatches(drain);
      if (deps.signal?.aborted) break;
      const placed = levels.get(seq);
      if ((placed?.level ?? 0) !== level) continue;
      const planned = plan.row(seq);
      if (!CHANGING.has(planned.action)) continue;
      changed += 1;
      const { row, kind } = rowOnLevel(deps, planned, placed);
      const all = planRowOps(row, deps.ctx);
      const ops = all.filter((op) => !book.settled(op.opId));
      if (ops.length === 0) {
        // Settled by an earlier process of the run (a resume): counted as the book says.
        t.done += 1;
        countRow(t, book, row, all);
      } else batch.push({ row, ops, all, ...(kind ? { kind } : {}) });
      if (batch.length >= deps.batchSize) {
        await flush(batch);
        batch = [];
      }
      if (deps.canary && changed >= deps.canary && !deps.canaryPassed) {
        await flush(batch);
        await drain();
        return { stoppedForCanary: true };
      }
    }
    // The next level needs this level's ids.
    await flush(batch);
    batch = [];
    await drain();
    if (deps.signal?.aborted) break;
  }
  return { stoppedForCanary: false };
}
