/**
 * Sends a batch of a run's operations the crash-safe way, for every pass:
 *
 *   1. an op the book says is unknown (sent before, answer lost) is settled first — looked up or
 *      re-read (reconcile.ts) — and only re-sent when the look-up says it did not arrive;
 *   2. the prior state of every existing resource a row op changes is saved (undo);
 *   3. intents are journalled (one fsync), the requests go out (Bulk or singles);
 *   4. a 409 on create becomes the minimal diff against the existing account;
 *   5. an op whose answer is lost is settled at once by look-up (never replayed blind);
 *   6. the answer to a create/update is compared with what was sent (dropped attributes);
 *   7. outcomes are journalled.
 */
import type { ErrorPayload } from '../../shared/errors/payload';
import type { PatchOperation } from '../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import type { OpResult, WriteOp } from '../scim/ops';
import { isRecord } from '../scim/read';
import type { IntentEntry, JournalOutcome, OutcomeEntry } from './journal';
import type { OpBook } from './op-book';
import type { PriorState, PriorStateStore } from './prior-state';
import { conflictToUpdate, settleUnknown, type Settled } from './reconcile';
import { droppedAttributes, droppedByPatch } from './resource-diff';

/** One op to send, with the plan row it came from (seq −1: not a row's own write). */
export type ExecItem = {
  op: WriteOp;
  seq: number;
  key: string;
  kind: string;
  /** The caller already settled this op (re-read just before): send without a look-up. */
  presettled?: boolean;
  /** Recorded with the op's outcome. */
  unchanged?: string[];
};

/** What happened to an op sent (or settled) in this call. */
export type ExecResult = OpResult & {
  /** Attributes the server's answer does not carry (dropped or changed). */
  dropped?: string[];
};

export type Executor = {
  run(items: readonly ExecItem[]): Promise<ExecResult[]>;
  /** Requests answered so far (for the ops/s figure). */
  readonly sent: number;
};

type ExecutorDeps = {
  conn: OpenConnection;
  book: OpBook;
  prior: PriorStateStore;
  concurrency?: number;
  /** Whether to send If-Match on re-sent updates (ETags in use). */
  ifMatch: () => boolean;
};

function errorOf(e: ErrorPayload | undefined): NonNullable<OutcomeEntry['error']> {
  return {
    message: e?.message ?? 'failed',
    ...(e?.scimType ? { scimType: e.scimType } : {}),
    ...(e?.detail ? { detail: e.detail } : {}),
  };
}

function isUnknown(r: OpResult): boolean {
  return !r.ok && r.error?.code === 'outcome_unknown';
}

function outcomeOf(r: ExecResult, unchanged?: readonly string[]): OutcomeEntry {
  return {
    ...(r.ok && unchanged?.length ? { unchanged: [...unchanged] } : {}),
    op: r.opId,
    status: r.ok ? 'ok' : isUnknown(r) ? 'unknown' : 'failed',
    ...(r.id ? { id: r.id } : {}),
    ...(r.version ? { version: r.version } : {}),
    ...(r.status ? { httpStatus: r.status } : {}),
    ...(r.ok ? {} : { error: errorOf(r.error) }),
    ...(r.dropped?.length ? { dropped: r.dropped } : {}),
  };
}

/** The attributes an op wrote that the server's answer lacks (only when it answered a body). */
function verify(op: WriteOp, r: OpResult): string[] {
  if (!r.ok || !r.resource || !isRecord(op.data)) return [];
  if (op.method === 'POST' || op.method === 'PUT') return droppedAttributes(op.data, r.resource);
  if (op.method !== 'PATCH') return [];
  const list = op.data['Operations'];
  const ops: PatchOperation[] = [];
  for (const o of Array.isArray(list) ? (list as unknown[]) : []) {
    if (!isRecord(o) || typeof o['op'] !== 'string') continue;
    const kind = o['op'].toLowerCase();
    if (kind !== 'add' && kind !== 'replace') continue;
    const path = o['path'];
    ops.push({ op: kind, ...(typeof path === 'string' ? { path } : {}), value: o['value'] });
  }
  return droppedByPatch(ops, r.resource);
}

/** The result of an op settled by look-up without sending it (`done` or `failed`). */
export function settledResult(opId: string, s: Exclude<Settled, { kind: 'resend' }>): ExecResult {
  return s.kind === 'done'
    ? {
        opId,
        ok: true,
        status: 0,
        ...(s.id ? { id: s.id } : {}),
        ...(s.version ? { version: s.version } : {}),
      }
    : { opId, ok: false, status: 0, error: { code: 'invalid_request', message: s.how } };
}

/** The result the book holds for an op whose answer was lost (settled since). */
export function resultFromBook(opId: string, st: JournalOutcome): ExecResult {
  return {
    opId,
    ok: st.status === 'ok',
    status: st.httpStatus ?? 0,
    ...(st.id ? { id: st.id } : {}),
    ...(st.version ? { version: st.version } : {}),
    ...(st.error ? { error: { code: 'invalid_request', message: st.error.message } } : {}),
  };
}

function intentsOf(items: readonly ExecItem[]): IntentEntry[] {
  return items.map((i) => ({ op: i.op.opId, seq: i.seq, kind: i.kind, key: i.key }));
}

/** The executor's dependencies and its count of requests answered. */
type ExecState = { readonly deps: ExecutorDeps; sent: number };

export function createExecutor(deps: ExecutorDeps): Executor {
  const state: ExecState = { deps, sent: 0 };
  return {
    get sent() {
      return state.sent;
    },
    run: (items) => runBatch(state, items),
  };
}

/** Steps 1–7 of the module comment for one batch. */
async function runBatch(x: ExecState, items: readonly ExecItem[]): Promise<ExecResult[]> {
  const { book } = x.deps;
  const results: ExecResult[] = [];
  const toSend = await settleFirst(x.deps, items, results);
  if (toSend.length === 0) return results;
  await savePriors(x.deps, toSend);
  await book.intend(intentsOf(toSend));
  const answered = await sendAll(x, toSend);
  const extra = new Map(toSend.map((i) => [i.op.opId, i.unchanged]));
  await book.record(answered.map((r) => outcomeOf(r, extra.get(r.opId))));
  const resent = await resendLost(x, toSend, answered, extra);
  for (const r of answered) {
    if (!isUnknown(r)) {
      results.push(r);
      continue;
    }
    const o = resent.get(r.opId);
    const st = book.outcome(r.opId);
    if (o) results.push(o);
    else if (st) results.push(resultFromBook(r.opId, st));
    else results.push(r);
  }
  return results;
}

/**
 * Lost answers: settled by look-up now (the intent is on disk), so dependants can run; those that
 * did not arrive are sent again. (Presettled ops are left unknown: their caller re-reads and
 * decides.) Returns the answers to the ops sent again.
 */
async function resendLost(
  x: ExecState,
  toSend: readonly ExecItem[],
  answered: readonly ExecResult[],
  extra: ReadonlyMap<string, string[] | undefined>,
): Promise<Map<string, ExecResult>> {
  const { book } = x.deps;
  // A set of the unknown answers, not a scan of `answered` per op: a 1000-op Bulk batch would
  // otherwise cost a million comparisons.
  const unknown = new Set(answered.filter(isUnknown).map((r) => r.opId));
  const lost =
    unknown.size === 0 ? [] : toSend.filter((i) => !i.presettled && unknown.has(i.op.opId));
  const settled = lost.length ? await settleFirst(x.deps, lost, []) : [];
  const resent = new Map<string, ExecResult>();
  if (settled.length) {
    await book.intend(intentsOf(settled));
    const again = await sendAll(x, settled);
    await book.record(again.map((r) => outcomeOf(r, extra.get(r.opId))));
    for (const r of again) resent.set(r.opId, r);
  }
  return resent;
}

/** Settles ops the book says are unknown; returns the ones still to send. */
async function settleFirst(
  deps: ExecutorDeps,
  items: readonly ExecItem[],
  done: ExecResult[],
): Promise<ExecItem[]> {
  const { conn, book } = deps;
  const send: ExecItem[] = [];
  for (const item of items) {
    if (item.presettled || book.status(item.op.opId) !== 'unknown') {
      send.push(item);
      continue;
    }
    const s = await settleUnknown(conn, item.op);
    if (s.kind === 'resend') {
      const version = s.version && (item.op.version || deps.ifMatch()) ? s.version : undefined;
      send.push(version ? { ...item, op: { ...item.op, version } } : item);
      continue;
    }
    const r = settledResult(item.op.opId, s);
    await book.record([outcomeOf(r, item.unchanged)]);
    done.push(r);
  }
  return send;
}

/** Saves the prior state of every existing resource a row op changes (for undo). */
async function savePriors(deps: ExecutorDeps, items: readonly ExecItem[]): Promise<void> {
  const changing = items.filter(
    ({ op, seq }) =>
      op.method !== 'POST' && op.id !== undefined && !op.id.startsWith('bulkId:') && seq >= 0,
  );
  const priors: PriorState[] = [];
  await Promise.all(
    changing.map(async ({ op }) => {
      const resource = await deps.conn.client.find(op.endpoint, op.id ?? '');
      if (resource) priors.push({ op: op.opId, id: op.id ?? '', resource });
    }),
  );
  if (priors.length) await deps.prior.appendMany(priors);
}

/** A 409 on a create: the minimal diff against the existing account, sent at once. */
async function onConflict(conn: OpenConnection, op: WriteOp, r: OpResult): Promise<OpResult> {
  const plan = await conflictToUpdate(conn, op);
  if (!plan) return r;
  if (plan.kind === 'same') {
    return {
      opId: op.opId,
      ok: true,
      status: 200,
      id: plan.id,
      ...(plan.version ? { version: plan.version } : {}),
      resource: plan.existing,
    };
  }
  const again = (await conn.client.execute([plan.op])).results[0];
  if (!again) return r;
  return { ...again, opId: op.opId, ...(again.ok ? { id: plan.op.id ?? again.id } : {}) };
}

/** Sends once; a 409 on create becomes the diff; answers are checked for dropped attributes. */
async function sendAll(x: ExecState, items: readonly ExecItem[]): Promise<ExecResult[]> {
  const { conn, concurrency } = x.deps;
  const ops = items.map((i) => i.op);
  const run = await conn.client.execute(ops, concurrency ? { concurrency } : {});
  x.sent += run.results.length;
  const out: ExecResult[] = [];
  for (const [k, r0] of run.results.entries()) {
    const op = ops[k];
    if (!op) continue;
    let r = r0;
    if (!r.ok && op.method === 'POST' && r.status === 409) r = await onConflict(conn, op, r);
    const dropped = verify(op, r);
    out.push(dropped.length ? { ...r, dropped } : r);
  }
  return out;
}
