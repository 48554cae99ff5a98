/**
 * The manager pass (issue 14): links reports to managers created in the same run, once both
 * exist. The If-Match version is the one journalled by the report's latest write in any process of
 * the run (the op book keeps it across resumes); an unknown link is settled by re-reading the user
 * (reconcile.ts); a 412 or 428 re-reads the user and retries with its current version (bounded).
 */
import type { PlanRow } from '../../shared/import/types';
import type { OpenConnection } from '../connections/open-connection';
import type { WriteOp } from '../scim/ops';
import type { Executor } from './executor';
import type { OpBook } from './op-book';
import { CREATE_WITH_MANAGER } from './manager-levels';
import { MANAGER_PATH, indexCreates, managerOps, type PlanOpsContext } from './plan-ops';

const MAX_TRIES = 3;
const ROW_WRITES = ['create', 'update', 'reactivate', 'deactivate'];

type ManagerPassDeps = {
  conn: OpenConnection;
  book: OpBook;
  exec: Executor;
  ifMatch: { on: boolean };
  onProgress?: (done: number, total: number, failed: number) => void;
};

/** The manager ops of a plan, given what the book knows (the same in the pass and the report). */
export function planManagerOps(
  withManagers: readonly PlanRow[],
  creates: readonly PlanRow[],
  book: OpBook,
  ctx: PlanOpsContext,
  ifMatch: boolean,
): WriteOp[] {
  const index = indexCreates(creates);
  const createdId = (seq: number): string | undefined => book.outcome(`s${seq}:create`)?.id;
  // Creates that carried their manager in the POST (manager-levels.ts) need no link, unless the
  // server's answer lacked it.
  const linkedAtCreate = (seq: number): boolean => {
    const s = book.state(`s${seq}:create`);
    return (
      s?.intent?.kind === CREATE_WITH_MANAGER &&
      s.outcome?.status === 'ok' &&
      !(s.outcome.dropped ?? []).some((p) => p.startsWith(MANAGER_PATH))
    );
  };
  const rows = withManagers.filter((r) => r.action !== 'create' || !linkedAtCreate(r.seq));
  return managerOps(rows, createdId, (ref) => index.resolve(ref), {
    ...ctx,
    etag: ifMatch,
    versionOf: (seq) =>
      ROW_WRITES.map((kind) => book.outcome(`s${seq}:${kind}`)?.version).find(
        (v) => v !== undefined,
      ),
  }).ops;
}

/** Sends the manager links not yet settled. */
export async function managerPass(
  deps: ManagerPassDeps,
  ops: readonly WriteOp[],
  createdInRun: (seq: number) => boolean,
): Promise<void> {
  const { book, exec } = deps;
  let pending = ops.filter((op) => !book.settled(op.opId));
  const total = ops.length;
  for (let attempt = 0; attempt < MAX_TRIES && pending.length; attempt++) {
    // A report created in this run needs no prior state (undo deletes it): seq −1, no GET.
    const seqOf = (op: WriteOp): number => {
      const seq = Number(/^s(\d+):/.exec(op.opId)?.[1] ?? -1);
      return createdInRun(seq) ? -1 : seq;
    };
    const results = await exec.run(
      pending.map((op) => ({ op, seq: seqOf(op), key: op.id ?? op.opId, kind: 'manager' })),
    );
    const retry: WriteOp[] = [];
    for (const r of results) {
      const op = pending.find((o) => o.opId === r.opId);
      if (!op || r.ok) continue;
      if (r.status === 428) deps.ifMatch.on = true;
      if (r.status !== 412 && r.status !== 428) continue;
      const version = await currentVersion(deps.conn, op);
      if (version) retry.push({ ...op, version });
    }
    const failed = ops.filter((op) => book.status(op.opId) === 'failed').length;
    deps.onProgress?.(total - retry.length, total, failed);
    pending = retry;
  }
}

async function currentVersion(conn: OpenConnection, op: WriteOp): Promise<string | undefined> {
  if (!op.id) return undefined;
  return (await conn.client.find(op.endpoint, op.id))?.meta?.version;
}
