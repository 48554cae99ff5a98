/**
 * Applies a plan to a server as a run that survives any crash:
 *
 *   1. rows (create / update / reactivate / deactivate / delete) in batches: the prior state of
 *      every resource about to change is saved, the batch's intents are written and fsynced, the
 *      requests go out
 *      (Bulk or concurrent singles, `client.execute`), and the outcomes are written;
 *   2. group memberships, aggregated per group and chunked to the server's per-request limit;
 *   3. managers created in the same run.
 *
 * Op ids are derived from the plan (`s12:create`, `grp:…:add:0`), so a resumed run skips what the
 * journal says is done and first settles what it says is unknown (reconcile.ts) — nothing is lost
 * and nothing is sent twice. A 409 uniqueness on a create is settled as "already exists" and the
 * planned state is applied to the existing account instead.
 */
import { join } from 'node:path';
import { AppError, isAppError, toErrorPayload } from '../../../shared/errors/errors';
import { admitPlan } from './plan-integrity';
import type { ErrorPayload } from '../../../shared/errors/payload';
import { CHANGING_ACTIONS, type PlanAction, type PlanRow } from '../../../shared/import/types';
import type { ScimResource } from '../../../shared/scim/types';
import { URN } from '../../../shared/scim/urns';
import type { OpenConnection } from '../connections/open-connection';
import { openPlan } from '../plan/plan-file';
import { substituteBulkIds, type OpResult, type WriteOp } from '../scim/ops';
import { loadJournal, openJournal, journalState, type Journal, type JournalState } from './journal';
import {
  indexCreates,
  managerOps,
  membershipOps,
  planRowOps,
  type PlanOpsContext,
} from './plan-ops';
import { openPriorStateStore, type PriorState, type PriorStateStore } from './prior-state';
import { conflictToUpdate, settleUnknown } from './reconcile';
import { membershipPuts } from './membership-put';
import { writeRunReport, type ReportRow } from './report';
import {
  acquireRunLock,
  createRun,
  loadRun,
  releaseRunLock,
  runDir,
  updateRun,
  type RunCounts,
  type RunLock,
  type RunRecord,
  type RunTarget,
} from './run-store';

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
};

/** One failed row as the run screen lists it. */
export type ApplyFailure = {
  row?: number;
  display: string;
  action: string;
  message: string;
  status?: number;
  scimType?: string;
};

const RECENT_ERRORS = 20;

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
  /** Rows per journalled batch (default 100). */
  batchSize?: number;
  /** Batches in flight at once (default 4). */
  pipeline?: number;
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
  /** Ops that failed or whose outcome is still unknown. */
  failed: number;
  unknown: number;
  stoppedForCanary: boolean;
};

const CHANGING: ReadonlySet<PlanAction> = new Set(CHANGING_ACTIONS);

function errorOf(e: ErrorPayload | undefined): {
  message: string;
  scimType?: string;
  detail?: string;
} {
  return {
    message: e?.message ?? 'failed',
    ...(e?.scimType ? { scimType: e.scimType } : {}),
    ...(e?.detail ? { detail: e.detail } : {}),
  };
}

function keyOfRow(row: PlanRow): string {
  return row.display;
}

/** Runs (or resumes) a plan. */
export async function applyPlan(opts: ApplyOptions): Promise<ApplyResult> {
  const { conn, dataDir } = opts;
  let run: RunRecord;
  let lock: RunLock;
  const resumed = opts.runId ? await loadRun(dataDir, opts.runId) : undefined;
  const planFile = resumed?.planFile ?? opts.planFile;
  if (!planFile) throw new AppError('config', 'Give a plan file or a run to resume.');
  // Every check of the plan happens here, before any request (apply/plan-integrity.ts).
  const admitted = await admitPlan({
    planFile,
    baseUrl: conn.discovery.baseUrl,
    ...(resumed ? { run: resumed } : {}),
    ...(opts.overrideSafeguards !== undefined
      ? { overrideSafeguards: opts.overrideSafeguards }
      : {}),
  });
  if (resumed) {
    run = resumed;
    lock = await acquireRunLock(runDir(dataDir, run.id));
  } else {
    // Planned counts from the start, so a run killed before its first update still shows (and
    // is offered as resumable with) the work it has left.
    const planned: RunCounts = {};
    for (const action of CHANGING) {
      const total = admitted.counts[action];
      if (total) planned[action] = { done: 0, failed: 0, pending: total };
    }
    const created = await createRun(dataDir, {
      planFile,
      plan: admitted.header,
      planDigest: admitted.digest,
      target: opts.target,
      counts: planned,
      options: {
        ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
        ...(opts.canary ? { canary: opts.canary } : {}),
      },
    });
    run = created.run;
    lock = created.lock;
  }
  const dir = runDir(dataDir, run.id);
  const plan = await openPlan(run.planFile);
  const journal = await openJournal(dir);
  const prior = await openPriorStateStore(dir);
  const started = Date.now();
  let opsDone = 0;
  let lastReport = 0;
  const report = (p: Omit<ApplyProgress, 'opsPerSecond'>, force = false): void => {
    const now = Date.now();
    if (!force && now - lastReport < 250) return;
    lastReport = now;
    const opsPerSecond = opsDone / Math.max(0.001, (now - started) / 1000);
    const left = p.total - p.done;
    opts.onProgress?.({
      ...p,
      opsPerSecond,
      ...(opsPerSecond > 0 && left >= 0 ? { etaSeconds: left / opsPerSecond } : {}),
    });
  };
  try {
    await updateRun(dataDir, run.id, { status: 'running' });
    const header = plan.header;
    const userType = conn.client.resourceType(header.resourceType);
    const groupType = conn.client.resourceType('Group');
    const ctx: PlanOpsContext = {
      userEndpoint: userType?.endpoint ?? header.endpoint,
      groupEndpoint: groupType?.endpoint ?? '/Groups',
      patch: conn.discovery.effective.patch,
      etag: conn.discovery.effective.etag,
      userSchemaUrn: userType?.schema ?? 'urn:ietf:params:scim:schemas:core:2.0:User',
    };
    const { records } = await loadJournal(join(dir, 'journal.jsonl'));
    const state = journalState(records);
    const outcome = new Map<string, { ok: boolean; id?: string; version?: string }>();
    for (const [op, s] of state) {
      if (s.outcome && s.outcome.status !== 'unknown') {
        outcome.set(op, {
          ok: s.outcome.status === 'ok',
          ...(s.outcome.id ? { id: s.outcome.id } : {}),
          ...(s.outcome.version ? { version: s.outcome.version } : {}),
        });
      }
    }
    const unknown = new Map<string, { row: PlanRow | undefined; op: WriteOp }>();
    const execute = makeExecutor({
      conn,
      journal,
      prior,
      outcome,
      opts,
      unknown,
      onOps: (n) => (opsDone += n),
    });
    /** Settles ops whose outcome became unknown in this process (looked up, then resent). */
    const settlePass = async (): Promise<void> => {
      if (unknown.size === 0 || opts.signal?.aborted) return;
      const pending = [...unknown.values()];
      report({ phase: 'reconcile', done: 0, total: pending.length, failed: 0 }, true);
      await execute(
        pending.map(({ row, op }) => ({ row, ops: [op] })),
        state,
      );
    };

    // 1. Rows.
    const unknownOps = [...state].filter(([, s]) => !s.outcome || s.outcome.status === 'unknown');
    let total = 0;
    for (let seq = 0; seq < plan.count; seq++) {
      const row = plan.row(seq);
      if (CHANGING.has(row.action)) total += 1;
    }
    if (unknownOps.length)
      report({ phase: 'reconcile', done: 0, total: unknownOps.length, failed: 0 }, true);
    let done = 0;
    let failed = 0;
    let changed = 0;
    let stoppedForCanary = false;
    let batch: { row: PlanRow; ops: WriteOp[] }[] = [];
    const byAction: Record<string, { done: number; failed: number; total: number }> = {};
    const recentErrors: ApplyFailure[] = [];
    // A batch with a failure is reported at once, not held back by the 250 ms pacing.
    const failedNow = (results: readonly OpResult[]): boolean => results.some((r) => !r.ok);
    for (let seq = 0; seq < plan.count; seq++) {
      const action = plan.row(seq).action;
      if (CHANGING.has(action)) (byAction[action] ??= { done: 0, failed: 0, total: 0 }).total += 1;
    }
    const flushBatch = async (rows: typeof batch): Promise<void> => {
      const results = await execute(rows, state);
      const ok = new Map(results.map((r) => [r.opId, r.ok]));
      const errorOf = new Map(results.filter((r) => !r.ok).map((r) => [r.opId, r]));
      for (const { row, ops } of rows) {
        const counts = byAction[row.action];
        const failedOp = ops.map((op) => errorOf.get(op.opId)).find((r) => r !== undefined);
        if (failedOp) {
          recentErrors.push({
            ...(row.row !== undefined ? { row: row.row } : {}),
            display: row.display,
            action: row.action,
            message: failedOp.error?.message ?? `HTTP ${failedOp.status}`,
            ...(failedOp.status ? { status: failedOp.status } : {}),
            ...(failedOp.error?.scimType ? { scimType: failedOp.error.scimType } : {}),
          });
          if (recentErrors.length > RECENT_ERRORS) recentErrors.shift();
        }
        const outcomes = ops.map((op) => ok.get(op.opId));
        if (!counts || outcomes.some((o) => o === undefined)) continue;
        if (outcomes.every(Boolean)) counts.done += 1;
        else counts.failed += 1;
      }
      for (const r of results) {
        done += 1;
        if (!r.ok) failed += 1;
      }
      report(
        { phase: 'rows', done, total, failed, byAction, recentErrors: [...recentErrors] },
        failedNow(results),
      );
    };
    // Several batches in flight (each journalled on its own), so Bulk requests and the gap while
    // a batch's journal is written overlap with the next batch.
    const pipeline = Math.max(1, opts.pipeline ?? 4);
    const inflight = new Set<Promise<void>>();
    let firstError: Error | undefined;
    const flush = async (): Promise<void> => {
      const rows = batch;
      batch = [];
      const p: Promise<void> = flushBatch(rows)
        .catch((e: unknown) => {
          firstError ??= e instanceof Error ? e : new Error(String(e));
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= pipeline) await Promise.race(inflight);
      if (firstError !== undefined) throw firstError;
    };
    const drain = async (): Promise<void> => {
      await Promise.all(inflight);
      if (firstError !== undefined) throw firstError;
    };
    const batchSize = Math.max(1, opts.batchSize ?? 100);
    for (let seq = 0; seq < plan.count; seq++) {
      if (opts.control?.paused()) {
        await drain();
        await updateRun(dataDir, run.id, { status: 'paused' });
        await opts.control.whenResumed();
        await updateRun(dataDir, run.id, { status: 'running' });
      }
      if (opts.signal?.aborted) break;
      const row = plan.row(seq);
      if (!CHANGING.has(row.action)) continue;
      changed += 1;
      const ops = planRowOps(row, ctx).filter((op) => !outcome.has(op.opId));
      if (ops.length === 0) {
        done += 1;
        continue;
      }
      batch.push({ row, ops });
      if (batch.length >= batchSize) await flush();
      if (opts.canary && changed >= opts.canary && !run.options['canaryPassed']) {
        stoppedForCanary = true;
        break;
      }
    }
    if (batch.length) await flush();
    await drain();
    report({ phase: 'rows', done, total, failed, byAction }, true);
    await settlePass();

    const cancelled = opts.signal?.aborted === true;
    if (!stoppedForCanary && !cancelled) {
      // 2. Group memberships, 3. managers: need every row's created id.
      // Only what these passes need is kept per row (not the create bodies), so memory stays
      // small on large plans.
      const withGroups: PlanRow[] = [];
      const withManagers: PlanRow[] = [];
      const creates: PlanRow[] = [];
      const createdId = (seq: number): string | undefined => outcome.get(`s${seq}:create`)?.id;
      const ids = new Map<string, string>();
      for (let seq = 0; seq < plan.count; seq++) {
        const row = plan.row(seq);
        const slim: PlanRow = {
          seq: row.seq,
          action: row.action,
          display: row.display,
          ...(row.id ? { id: row.id } : {}),
          ...(row.version ? { version: row.version } : {}),
        };
        if (row.action === 'create') {
          const id = createdId(row.seq);
          if (id) ids.set(`s${row.seq}`, id);
          if (row.create) creates.push({ ...slim, create: keyFields(row.create) });
        }
        if (row.groups && CHANGING.has(row.action) && row.action !== 'delete')
          withGroups.push({ ...slim, groups: row.groups });
        if (row.managerRef) withManagers.push(row);
      }
      if (withManagers.length === 0) creates.length = 0;
      const groupOps = membershipOps(withGroups, {
        ...ctx,
        maxMembersPerRequest: opts.maxMembersPerRequest ?? 100,
      })
        .filter((op) => !outcome.has(op.opId))
        .map((op) => substituteBulkIds(op, ids));
      // Group creates first (their members reference them), then the member changes.
      const newGroups = groupOps.filter((op) => op.method === 'POST');
      const rest = groupOps.filter((op) => op.method !== 'POST');
      if (newGroups.length) {
        await execute(
          newGroups.map((op) => ({ row: undefined, ops: [op] })),
          state,
        );
        for (const op of newGroups) {
          const id = outcome.get(op.opId)?.id;
          if (id && op.bulkId) ids.set(op.bulkId, id);
        }
      }
      const patched = rest.map((op) => substituteBulkIds(op, ids));
      // Without PATCH, each group's changes become one PUT of its member list.
      const restOps = ctx.patch
        ? patched
        : (await membershipPuts(conn, patched, { etag: ctx.etag })).filter(
            (op) => !outcome.has(op.opId),
          );
      if (restOps.length) {
        const results = await execute(
          restOps.map((op) => ({ row: undefined, ops: [op] })),
          state,
        );
        report(
          {
            phase: 'groups',
            done: results.length,
            total: restOps.length,
            failed: results.filter((r) => !r.ok).length,
          },
          true,
        );
      }
      const index = indexCreates(creates);
      const { ops: mOps } = managerOps(withManagers, createdId, (ref) => index.resolve(ref), {
        ...ctx,
        versionOf: (seq) =>
          ['create', 'update', 'reactivate', 'deactivate']
            .map((kind) => outcome.get(`s${seq}:${kind}`)?.version)
            .find((v) => v !== undefined),
      });
      const pendingManagers = mOps.filter((op) => !outcome.has(op.opId));
      if (pendingManagers.length) {
        await execute(
          pendingManagers.map((op) => ({ row: undefined, ops: [op] })),
          state,
        );
      }
    }

    await settlePass();

    // Report and counts.
    const reportFile = join(dir, 'report.csv');
    const counts: RunCounts = {};
    let failedOps = 0;
    let unknownCount = 0;
    async function* reportRows(): AsyncGenerator<ReportRow> {
      for (let seq = 0; seq < plan.count; seq++) {
        if (seq % 1000 === 999) await new Promise<void>((r) => setImmediate(r));
        const row = plan.row(seq);
        const ops = CHANGING.has(row.action) ? planRowOps(row, ctx) : [];
        let status = CHANGING.has(row.action)
          ? 'done'
          : row.action === 'unchanged'
            ? 'unchanged'
            : 'skipped';
        let id = row.id;
        let error: string | undefined;
        for (const op of ops) {
          const o = outcome.get(op.opId);
          const s = state.get(op.opId);
          if (!o) {
            status = s?.intent ? 'unknown' : 'pending';
          } else if (!o.ok) {
            status = 'failed';
            const e = s?.outcome?.error;
            error = e?.message;
          } else if (o.id) id = o.id;
        }
        const c = (counts[row.action] ??= { done: 0, failed: 0, pending: 0 });
        if (status === 'done' || status === 'unchanged' || status === 'skipped') c.done += 1;
        else if (status === 'failed') {
          c.failed += 1;
          failedOps += 1;
        } else {
          c.pending += 1;
          if (status === 'unknown') unknownCount += 1;
        }
        const detail = ops.map((op) => state.get(op.opId)?.outcome?.error).find(Boolean);
        yield {
          ...(row.row !== undefined ? { row: row.row } : {}),
          key: keyOfRow(row),
          action: row.action,
          status,
          ...(id ? { scimId: id } : {}),
          ...(error ? { error } : {}),
          ...(detail
            ? { serverDetail: [detail.scimType, detail.detail].filter(Boolean).join(' · ') }
            : {}),
        };
      }
    }
    report({ phase: 'report', done: 0, total: plan.count, failed: 0 }, true);
    await writeRunReport(reportFile, reportRows());
    const status = stoppedForCanary
      ? 'paused'
      : opts.signal?.aborted
        ? (opts.stoppedStatus ?? 'cancelled')
        : 'completed';
    run = await updateRun(dataDir, run.id, {
      status,
      counts,
      ...(status === 'completed' ? { finishedAt: new Date().toISOString() } : {}),
      ...(stoppedForCanary ? {} : { options: { ...run.options, canaryPassed: true } }),
    });
    return { run, reportFile, failed: failedOps, unknown: unknownCount, stoppedForCanary };
  } catch (e) {
    await updateRun(dataDir, run.id, { status: 'failed', error: toErrorPayload(e) }).catch(
      () => undefined,
    );
    throw e;
  } finally {
    plan.close();
    await journal.close();
    await prior.close();
    await releaseRunLock(lock);
  }
}

type Batch = { row: PlanRow | undefined; ops: WriteOp[] }[];

/** The attributes a manager can be found by (userName, externalId, emails, employee number). */
function keyFields(body: ScimResource): ScimResource {
  const ent = body[URN.enterpriseUser];
  const employeeNumber =
    typeof ent === 'object' && ent !== null
      ? (ent as Record<string, unknown>)['employeeNumber']
      : undefined;
  return {
    schemas: body.schemas,
    ...(body['userName'] !== undefined ? { userName: body['userName'] } : {}),
    ...(body.externalId !== undefined ? { externalId: body.externalId } : {}),
    ...(body['emails'] !== undefined ? { emails: body['emails'] } : {}),
    ...(employeeNumber !== undefined ? { [URN.enterpriseUser]: { employeeNumber } } : {}),
  };
}

/** Journals, sends and records one batch; settles unknowns from an earlier attempt first. */
function makeExecutor(deps: {
  conn: OpenConnection;
  journal: Journal;
  prior: PriorStateStore;
  outcome: Map<string, { ok: boolean; id?: string; version?: string }>;
  opts: ApplyOptions;
  onOps: (n: number) => void;
  /** Ops whose outcome is still unknown after this process sent them. */
  unknown: Map<string, { row: PlanRow | undefined; op: WriteOp }>;
}): (batch: Batch, state: JournalState) => Promise<OpResult[]> {
  const { conn, journal, prior, outcome, opts } = deps;
  // Cancelling stops between batches: requests already sent finish and are recorded, so the
  // signal is not passed to them.
  const signal: AbortSignal | undefined = undefined;
  return async (batch, state) => {
    const ops: WriteOp[] = [];
    const meta = new Map<string, { seq: number; kind: string; key: string }>();
    const rowOf = new Map<string, PlanRow | undefined>();
    for (const { row, ops: rowOps } of batch) {
      for (let op of rowOps) {
        rowOf.set(op.opId, row);
        // An op sent before whose outcome is unknown: settle it before anything is resent.
        const before = state.get(op.opId);
        if (before?.intent && (!before.outcome || before.outcome.status === 'unknown')) {
          const settled = await settleUnknown(conn, op, signal);
          if (settled.kind === 'done') {
            await journal.appendOutcomes([
              {
                op: op.opId,
                status: 'ok',
                ...(settled.id ? { id: settled.id } : {}),
                ...(settled.version ? { version: settled.version } : {}),
              },
            ]);
            outcome.set(op.opId, { ok: true, ...(settled.id ? { id: settled.id } : {}) });
            deps.unknown.delete(op.opId);
            before.outcome = {
              t: 'outcome',
              op: op.opId,
              status: 'ok',
              at: new Date().toISOString(),
            };
            continue;
          }
          if (settled.kind === 'failed') {
            await journal.appendOutcomes([
              { op: op.opId, status: 'failed', error: { message: settled.how } },
            ]);
            outcome.set(op.opId, { ok: false });
            deps.unknown.delete(op.opId);
            before.outcome = {
              t: 'outcome',
              op: op.opId,
              status: 'failed',
              error: { message: settled.how },
              at: new Date().toISOString(),
            };
            continue;
          }
          if (settled.version) op = { ...op, version: settled.version };
        }
        ops.push(op);
        meta.set(op.opId, {
          seq: row?.seq ?? -1,
          kind: op.opId.split(':').slice(1).join(':') || op.method,
          key: row ? keyOfRow(row) : (op.id ?? op.endpoint),
        });
      }
    }
    if (ops.length === 0) return [];
    // Prior state of everything about to change, for undo (one GET each, on disk before sending).
    const changing = ops.filter(
      (op) =>
        op.method !== 'POST' &&
        op.id !== undefined &&
        !op.id.startsWith('bulkId:') &&
        meta.get(op.opId)?.seq !== -1,
    );
    const priors: PriorState[] = [];
    await Promise.all(
      changing.map(async (op) => {
        try {
          const resource: ScimResource = await conn.client.get(
            op.endpoint,
            op.id ?? '',
            signal ? { signal } : {},
          );
          priors.push({ op: op.opId, id: op.id ?? '', resource });
        } catch (e) {
          if (!(isAppError(e) && e.facts.status === 404)) throw e;
        }
      }),
    );
    if (priors.length) await prior.appendMany(priors);
    const intents = ops.map((op) => {
      const m = meta.get(op.opId);
      return { op: op.opId, seq: m?.seq ?? -1, kind: m?.kind ?? op.method, key: m?.key ?? '' };
    });
    await journal.appendIntents(intents);
    const at = new Date().toISOString();
    for (const i of intents) {
      const s0 = state.get(i.op);
      state.set(i.op, { intent: { t: 'intent', ...i, at }, attempts: (s0?.attempts ?? 0) + 1 });
    }
    const run = await conn.client.execute(ops, {
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(signal ? { signal } : {}),
    });
    const results: OpResult[] = [];
    for (const [k, r0] of run.results.entries()) {
      let r = r0;
      const op = ops[k];
      if (!op) continue;
      // 409 uniqueness on a create: the account exists; apply the planned state to it instead.
      if (!r.ok && op.method === 'POST' && r.status === 409) {
        const update = await conflictToUpdate(conn, op, signal);
        if (update) {
          const again = await conn.client.execute([update], signal ? { signal } : {});
          const u = again.results[0];
          if (u) r = { ...u, opId: op.opId, ...(u.ok ? { id: update.id ?? u.id } : {}) };
        }
      }
      results.push(r);
    }
    const outcomes = results.map((r) => {
      const unknown = !r.ok && r.error?.code === 'outcome_unknown';
      return {
        op: r.opId,
        status: r.ok ? ('ok' as const) : unknown ? ('unknown' as const) : ('failed' as const),
        ...(r.id ? { id: r.id } : {}),
        ...(r.version ? { version: r.version } : {}),
        ...(r.status ? { httpStatus: r.status } : {}),
        ...(r.ok ? {} : { error: errorOf(r.error) }),
      };
    });
    await journal.appendOutcomes(outcomes);
    const done = new Date().toISOString();
    for (const o of outcomes) {
      const s0 = state.get(o.op);
      if (s0) s0.outcome = { t: 'outcome', ...o, at: done };
    }
    for (const r of results) {
      const op = ops.find((x) => x.opId === r.opId);
      if (!r.ok && r.error?.code === 'outcome_unknown') {
        if (op) deps.unknown.set(r.opId, { row: rowOf.get(r.opId), op });
        continue;
      }
      deps.unknown.delete(r.opId);
      outcome.set(r.opId, {
        ok: r.ok,
        ...(r.id ? { id: r.id } : {}),
        ...(r.version ? { version: r.version } : {}),
      });
    }
    deps.onOps(results.length);
    return results;
  };
}
