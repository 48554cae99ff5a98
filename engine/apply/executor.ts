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
import { isAppError } from '../../shared/errors/errors';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import type { OpResult, WriteOp } from '../scim/ops';
import { isRecord } from '../scim/read';
import type { OutcomeEntry } from './journal';
import type { OpBook } from './op-book';
import type { PriorState, PriorStateStore } from './prior-state';
import { conflictToUpdate, settleUnknown } from './reconcile';
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

export type ExecutorDeps = {
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

export function createExecutor(deps: ExecutorDeps): Executor {
  const { conn, book, prior } = deps;
  let sent = 0;

  /** Settles ops the book says are unknown; returns the ones still to send. */
  const settleFirst = async (
    items: readonly ExecItem[],
    done: ExecResult[],
  ): Promise<ExecItem[]> => {
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
      const r: ExecResult =
        s.kind === 'done'
          ? {
              opId: item.op.opId,
              ok: true,
              status: 0,
              ...(s.id ? { id: s.id } : {}),
              ...(s.version ? { version: s.version } : {}),
            }
          : {
              opId: item.op.opId,
              ok: false,
              status: 0,
              error: { code: 'invalid_request', message: s.how },
            };
      await book.record([outcomeOf(r, item.unchanged)]);
      done.push(r);
    }
    return send;
  };

  const savePriors = async (items: readonly ExecItem[]): Promise<void> => {
    const changing = items.filter(
      ({ op, seq }) =>
        op.method !== 'POST' && op.id !== undefined && !op.id.startsWith('bulkId:') && seq >= 0,
    );
    const priors: PriorState[] = [];
    await Promise.all(
      changing.map(async ({ op }) => {
        try {
          const resource: ScimResource = await conn.client.get(op.endpoint, op.id ?? '');
          priors.push({ op: op.opId, id: op.id ?? '', resource });
        } catch (e) {
          if (!(isAppError(e) && e.facts.status === 404)) throw e;
        }
      }),
    );
    if (priors.length) await prior.appendMany(priors);
  };

  /** A 409 on a create: the minimal diff against the existing account, sent at once. */
  const onConflict = async (op: WriteOp, r: OpResult): Promise<OpResult> => {
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
  };

  /** Sends once; answers lost are settled by look-up right away (at most once per call). */
  const sendAll = async (items: readonly ExecItem[]): Promise<ExecResult[]> => {
    const ops = items.map((i) => i.op);
    const run = await conn.client.execute(ops, {
      ...(deps.concurrency ? { concurrency: deps.concurrency } : {}),
    });
    sent += run.results.length;
    const out: ExecResult[] = [];
    for (const [k, r0] of run.results.entries()) {
      const op = ops[k];
      if (!op) continue;
      let r = r0;
      if (!r.ok && op.method === 'POST' && r.status === 409) r = await onConflict(op, r);
      const dropped = verify(op, r);
      out.push(dropped.length ? { ...r, dropped } : r);
    }
    return out;
  };

  return {
    get sent() {
      return sent;
    },
    async run(items) {
      const results: ExecResult[] = [];
      const toSend = await settleFirst(items, results);
      if (toSend.length === 0) return results;
      await savePriors(toSend);
      await book.intend(
        toSend.map((i) => ({ op: i.op.opId, seq: i.seq, kind: i.kind, key: i.key })),
      );
      const answered = await sendAll(toSend);
      const extra = new Map(toSend.map((i) => [i.op.opId, i.unchanged]));
      await book.record(answered.map((r) => outcomeOf(r, extra.get(r.opId))));
      // Lost answers: settle by look-up now (the intent is on disk), so dependants can run.
      // (Presettled ops are left unknown: their caller re-reads and decides.)
      const lost = toSend.filter(
        (i) => !i.presettled && answered.some((r) => r.opId === i.op.opId && isUnknown(r)),
      );
      const settled = lost.length ? await settleFirst(lost, []) : [];
      const resent = new Map<string, ExecResult>();
      if (settled.length) {
        await book.intend(
          settled.map((i) => ({ op: i.op.opId, seq: i.seq, kind: i.kind, key: i.key })),
        );
        const again = await sendAll(settled);
        await book.record(again.map((r) => outcomeOf(r, extra.get(r.opId))));
        for (const r of again) resent.set(r.opId, r);
      }
      for (const r of answered) {
        if (!isUnknown(r)) {
          results.push(r);
          continue;
        }
        const o = resent.get(r.opId);
        const st = book.outcome(r.opId);
        if (o) results.push(o);
        else if (st)
          results.push({
            opId: r.opId,
            ok: st.status === 'ok',
            status: st.httpStatus ?? 0,
            ...(st.id ? { id: st.id } : {}),
            ...(st.version ? { version: st.version } : {}),
            ...(st.error ? { error: { code: 'invalid_request', message: st.error.message } } : {}),
          });
        else results.push(r);
      }
      return results;
    },
  };
}
