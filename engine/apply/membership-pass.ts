/**
 * The membership pass (issue 14): groups the plan creates, then each group's member chunks.
 *
 * - Group creates go first; an unknown outcome (answer lost, or a kill) is settled by looking the
 *   group up by `displayName` before anything else, so its member chunks can go in the same run.
 *   Ids learned in any earlier process of the run resolve `bulkId:g:…` (the op book).
 * - Each group's chunks run in order, one at a time, from the group as read just before: only the
 *   members it lacks are added (only those it has are removed) — which is also how an unknown chunk
 *   is settled — and the version read is sent as If-Match when the server uses ETags. A 412 re-reads
 *   and retries (bounded); a 428 means "this server needs If-Match": switched on, re-read, retried.
 *   Members that were already in place are journalled as `unchanged`, so undo leaves them alone.
 * - Without PATCH a chunk is a PUT of the group's member list with the chunk applied.
 */
import type { ScimResource } from '../../shared/scim/types';
import { eq, valuePath } from '../../shared/scim/filter';
import { URN } from '../../shared/scim/urns';
import type { OpenConnection } from '../connections/open-connection';
import { substituteBulkIds, type WriteOp } from '../scim/ops';
import type { ExecItem, Executor } from './executor';
import type { OpBook } from './op-book';

const MAX_TRIES = 4;
const GROUPS_IN_FLIGHT = 4;
const REMOVE_PATH = /^members\[value eq "((?:[^"\\]|\\.)*)"\]$/;

type MembershipPassDeps = {
  conn: OpenConnection;
  book: OpBook;
  exec: Executor;
  /** The server supports PATCH (else chunks are PUTs of the member list). */
  patch: boolean;
  /** If-Match in use (ETags advertised, or a 428 seen); the pass may switch it on. */
  ifMatch: { on: boolean };
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, failed: number) => void;
};

/** The members a chunk op adds or removes (user ids or `bulkId:s…` refs). */
export function chunkMembers(op: WriteOp): { kind: 'add' | 'remove'; members: string[] } {
  const data = op.data;
  const ops =
    typeof data === 'object' && data !== null && 'Operations' in data ? data.Operations : [];
  const members: string[] = [];
  let kind: 'add' | 'remove' = 'add';
  for (const o of Array.isArray(ops) ? (ops as unknown[]) : []) {
    if (typeof o !== 'object' || o === null) continue;
    const { op: k, path, value } = o as { op?: unknown; path?: unknown; value?: unknown };
    if (k === 'add' && Array.isArray(value)) {
      for (const v of value as unknown[]) {
        const id = typeof v === 'object' && v !== null ? (v as { value?: unknown }).value : v;
        if (typeof id === 'string') members.push(id);
      }
    } else if (k === 'remove' && typeof path === 'string') {
      kind = 'remove';
      const m = REMOVE_PATH.exec(path);
      if (m?.[1] !== undefined) members.push(m[1].replace(/\\(.)/g, '$1'));
    }
  }
  return { kind, members };
}

type GroupView = {
  members: Set<string> | undefined;
  version: string | undefined;
  body: ScimResource;
};

function membersOf(r: ScimResource): Set<string> | undefined {
  const m = r['members'];
  if (!Array.isArray(m)) return undefined;
  const out = new Set<string>();
  for (const x of m as unknown[]) {
    const v = typeof x === 'object' && x !== null ? (x as { value?: unknown }).value : undefined;
    if (typeof v === 'string') out.add(v);
  }
  return out;
}

function patchOf(kind: 'add' | 'remove', members: readonly string[]): unknown {
  const Operations =
    kind === 'add'
      ? [{ op: 'add', path: 'members', value: members.map((value) => ({ value })) }]
      : members.map((uid) => ({ op: 'remove', path: valuePath('members', eq('value', uid)).text }));
  return { schemas: [URN.patchOp], Operations };
}

function putOf(view: GroupView, kind: 'add' | 'remove', members: readonly string[]): ScimResource {
  const now = new Set(view.members ?? []);
  for (const m of members) {
    if (kind === 'add') now.add(m);
    else now.delete(m);
  }
  const body: ScimResource = { ...view.body, members: [...now].map((value) => ({ value })) };
  delete body.meta;
  return body;
}

/** Runs the pass: group creates, then every group's chunks. */
export async function membershipPass(
  deps: MembershipPassDeps,
  ops: readonly WriteOp[],
): Promise<void> {
  const { book, exec } = deps;
  const creates = ops.filter((op) => op.method === 'POST' && !book.settled(op.opId));
  if (creates.length) {
    await exec.run(creates.map((op) => item(op, op.lookupKey ?? op.opId)));
  }
  const byGroup = new Map<string, WriteOp[]>();
  for (const op of ops) {
    if (op.method === 'POST' || op.id === undefined) continue;
    const list = byGroup.get(op.id) ?? [];
    list.push(op);
    byGroup.set(op.id, list);
  }
  const total = ops.length;
  let done = ops.length - [...byGroup.values()].flat().length;
  let failed = 0;
  const queue = [...byGroup.entries()];
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (deps.signal?.aborted) return;
      const [target, chunks] = next;
      failed += await groupChunks(deps, target, chunks);
      done += chunks.length;
      deps.onProgress?.(done, total, failed);
    }
  };
  await Promise.all(Array.from({ length: GROUPS_IN_FLIGHT }, lane));
}

function item(op: WriteOp, key: string, extra: Partial<ExecItem> = {}): ExecItem {
  return { op, seq: -1, key, kind: op.opId.split(':').slice(-2).join(':'), ...extra };
}

async function readGroup(
  conn: OpenConnection,
  endpoint: string,
  id: string,
): Promise<GroupView | undefined> {
  const body = await conn.client.find(endpoint, id);
  return body && { members: membersOf(body), version: body.meta?.version, body };
}

/** One group's chunks in order; returns how many failed. */
async function groupChunks(
  deps: MembershipPassDeps,
  target: string,
  chunks: readonly WriteOp[],
): Promise<number> {
  const { book } = deps;
  const id = substituteBulkIds(target, book.ids());
  const open = chunks.filter((op) => !book.settled(op.opId));
  if (open.length === 0) return 0;
  if (id.startsWith('bulkId:')) {
    // Its create failed (recorded there) or is still unknown: nothing can be sent to it.
    const create = `grp:${id.slice('bulkId:'.length)}:create`;
    if (book.status(create) !== 'failed') return 0;
    await book.record(
      open.map((op) => ({
        op: op.opId,
        status: 'failed' as const,
        error: { message: 'Not sent: the group was not created (see its create).' },
      })),
    );
    return open.length;
  }
  let view: GroupView | undefined;
  let failed = 0;
  for (const op of open) {
    if (deps.signal?.aborted) return failed;
    view ??= await readGroup(deps.conn, op.endpoint, id);
    if (!view) {
      await book.record([
        {
          op: op.opId,
          status: 'failed',
          httpStatus: 404,
          error: { message: 'The group is gone.' },
        },
      ]);
      failed += 1;
      continue;
    }
    const result = await sendChunk(deps, op, id, view);
    view = result.view;
    if (!result.ok) failed += 1;
  }
  return failed;
}

/** Sends one chunk from the group as read; re-reads on 412/428/unknown, bounded. */
async function sendChunk(
  deps: MembershipPassDeps,
  op: WriteOp,
  id: string,
  first: GroupView,
): Promise<{ ok: boolean; view: GroupView | undefined }> {
  const { book, exec } = deps;
  const { kind, members: planned } = chunkMembers(op);
  const members = planned.map((m) => substituteBulkIds(m, book.ids()));
  let view: GroupView | undefined = first;
  for (let attempt = 0; attempt < MAX_TRIES && view; attempt++) {
    const known = view.members;
    const effective = members.filter(
      (m) =>
        !m.startsWith('bulkId:') && (known === undefined || known.has(m) === (kind === 'remove')),
    );
    const unchanged = known === undefined ? [] : members.filter((m) => !effective.includes(m));
    if (effective.length === 0) {
      await book.intend([{ op: op.opId, seq: -1, kind: `groups:${kind}`, key: id }]);
      await book.record([
        { op: op.opId, status: 'ok', id, ...(unchanged.length ? { unchanged } : {}) },
      ]);
      return { ok: true, view };
    }
    const version = deps.ifMatch.on ? view.version : undefined;
    const send: WriteOp = {
      opId: op.opId,
      endpoint: op.endpoint,
      id,
      ...(deps.patch
        ? { method: 'PATCH', data: patchOf(kind, effective) }
        : { method: 'PUT', data: putOf(view, kind, effective) }),
      ...(version ? { version } : {}),
    };
    const [r] = await exec.run([item(send, id, { presettled: true, unchanged })]);
    if (r?.ok) {
      const next = new Set(known ?? []);
      for (const m of effective) {
        if (kind === 'add') next.add(m);
        else next.delete(m);
      }
      // The answer's version is the one to send next; without one, read again before the next.
      return r.version && known
        ? { ok: true, view: { ...view, members: next, version: r.version } }
        : { ok: true, view: undefined };
    }
    if (r?.status === 428) deps.ifMatch.on = true;
    const again = r?.status === 412 || r?.status === 428 || r?.error?.code === 'outcome_unknown';
    if (!again) return { ok: false, view };
    view = await readGroup(deps.conn, op.endpoint, id);
  }
  return { ok: book.status(op.opId) === 'ok', view: undefined };
}
