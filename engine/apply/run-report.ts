/**
 * The end of a run: report.csv and the counts, from the plan and the op book (so they cover every
 * process of the run). Rows get one line each; then every group create, member change and manager
 * link that did not succeed gets a line naming the plan row it came from and the server's answer.
 * Counts are per plan action (rows) and per pass — groups created, members added, members removed,
 * managers set — each with done / failed / unknown / pending.
 */
import { CHANGING_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';
import type { WriteOp } from '../scim/ops';
import { chunkMembers } from './membership-pass';
import type { OpBook, OpStatus } from './op-book';
import type { PassPlan } from './pass-plan';
import { planRowOpIds } from './plan-ops';
import { writeRunReport, type ReportRow } from './report';
import type { PassCounts, RunCounts } from './run-store';

const CHANGING: ReadonlySet<PlanAction> = new Set(CHANGING_ACTIONS);

type RunTotals = {
  counts: RunCounts;
  passes: PassCounts;
  /** Rows and pass ops that failed. */
  failed: number;
  /** Unknown outcomes (sent, answer not known). */
  unknown: number;
  /** Pass ops not sent (e.g. their group's create is still unknown). */
  pending: number;
  /** Rows whose server answer lacks attributes the run sent. */
  differences: number;
};

function serverDetail(book: OpBook, op: string): string | undefined {
  const o = book.state(op)?.outcome;
  const e = o?.error;
  const parts = [o?.httpStatus ? `HTTP ${o.httpStatus}` : undefined, e?.scimType, e?.detail];
  const text = parts.filter(Boolean).join(' · ');
  return text || undefined;
}

function reportStatus(s: OpStatus): string {
  return s === 'ok' ? 'done' : s;
}

/** Writes report.csv and returns the run's totals. */
export async function finishReport(deps: {
  reportFile: string;
  plan: { count: number; row(seq: number): PlanRow };
  book: OpBook;
  passPlan: PassPlan | undefined;
  managerOps: readonly WriteOp[];
}): Promise<RunTotals> {
  const { plan, book } = deps;
  const totals: RunTotals = {
    counts: {},
    passes: {},
    failed: 0,
    unknown: 0,
    pending: 0,
    differences: 0,
  };
  async function* rows(): AsyncGenerator<ReportRow> {
    for (let seq = 0; seq < plan.count; seq++) {
      if (seq % 1000 === 999) await new Promise<void>((r) => setImmediate(r));
      yield rowLine(plan.row(seq), book, totals);
    }
    if (deps.passPlan) yield* passLines(deps.passPlan, deps.managerOps, book, totals);
  }
  await writeRunReport(deps.reportFile, rows());
  return totals;
}

function rowLine(row: PlanRow, book: OpBook, totals: RunTotals): ReportRow {
  const ops = CHANGING.has(row.action) ? planRowOpIds(row) : [];
  let status = CHANGING.has(row.action)
    ? 'done'
    : row.action === 'unchanged'
      ? 'unchanged'
      : 'skipped';
  let id = row.id;
  let error: string | undefined;
  let detail: string | undefined;
  let dropped: string[] = [];
  for (const opId of ops) {
    const st = book.status(opId);
    const o = book.state(opId)?.outcome;
    if (st === 'unknown' || st === 'pending') status = st;
    else if (st === 'failed') {
      status = 'failed';
      error = o?.error?.message;
      detail = serverDetail(book, opId);
    } else {
      if (o?.id) id = o.id;
      if (o?.dropped?.length) dropped = o.dropped;
    }
  }
  if (status === 'done' && dropped.length) {
    status = 'differs';
    error = `The server's answer lacks or changed: ${dropped.join(', ')}.`;
    totals.differences += 1;
  }
  const c = (totals.counts[row.action] ??= { done: 0, failed: 0, pending: 0 });
  if (['done', 'differs', 'unchanged', 'skipped'].includes(status)) c.done += 1;
  else if (status === 'failed') {
    c.failed += 1;
    totals.failed += 1;
  } else {
    c.pending += 1;
    if (status === 'unknown') {
      c.unknown = (c.unknown ?? 0) + 1;
      totals.unknown += 1;
    }
  }
  return {
    ...(row.row !== undefined ? { row: row.row } : {}),
    key: row.display,
    action: row.action,
    status,
    ...(id ? { scimId: id } : {}),
    ...(error ? { error } : {}),
    ...(detail ? { serverDetail: detail } : {}),
  };
}

function tally(totals: RunTotals, pass: string, status: OpStatus, n = 1): void {
  const c = (totals.passes[pass] ??= { done: 0, failed: 0, unknown: 0, pending: 0 });
  if (status === 'ok') c.done += n;
  else c[status] += n;
  if (status === 'failed') totals.failed += n;
  if (status === 'unknown') totals.unknown += n;
  if (status === 'pending') totals.pending += n;
}

function* passLines(
  pp: PassPlan,
  managerOps: readonly WriteOp[],
  book: OpBook,
  totals: RunTotals,
): Generator<ReportRow> {
  for (const op of pp.groupOps) {
    const st = book.status(op.opId);
    const error = book.state(op.opId)?.outcome?.error?.message;
    const detail = serverDetail(book, op.opId);
    if (op.method === 'POST') {
      tally(totals, 'groupsCreated', st);
      if (st !== 'ok') {
        yield {
          key: pp.groupName.get(op.opId) ?? op.opId,
          action: 'group create',
          status: reportStatus(st),
          ...(error ? { error } : {}),
          ...(detail ? { serverDetail: detail } : {}),
        };
      }
      continue;
    }
    const { kind, members } = chunkMembers(op);
    tally(totals, kind === 'add' ? 'membersAdded' : 'membersRemoved', st, members.length);
    if (st === 'ok') continue;
    const group = pp.groupName.get(op.id ?? '') ?? op.id ?? '';
    for (const m of members) {
      const ref = pp.memberRow.get(m);
      yield {
        ...(ref?.row !== undefined ? { row: ref.row } : {}),
        key: ref?.display ?? m,
        action: `group ${kind} "${group}"`,
        status: reportStatus(st),
        ...(error ? { error } : {}),
        ...(detail ? { serverDetail: detail } : {}),
      };
    }
  }
  const rowOf = new Map(pp.withManagers.map((r) => [`s${r.seq}:manager`, r]));
  for (const op of managerOps) {
    const st = book.status(op.opId);
    tally(totals, 'managersSet', st);
    if (st === 'ok') continue;
    const row = rowOf.get(op.opId);
    const error = book.state(op.opId)?.outcome?.error?.message;
    const detail = serverDetail(book, op.opId);
    yield {
      ...(row?.row !== undefined ? { row: row.row } : {}),
      key: row?.display ?? op.opId,
      action: 'manager',
      status: reportStatus(st),
      ...(op.id ? { scimId: op.id } : {}),
      ...(error ? { error } : {}),
      ...(detail ? { serverDetail: detail } : {}),
    };
  }
}
