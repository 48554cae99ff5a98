/**
 * The membership part of an undo (engine/apply/undo.ts): the inverse of each group change the run
 * made, put on the user's restore row. Users the run created are skipped (deleting them removes
 * their memberships); groups the run created are left in place and noted.
 */
import type { PlanRow } from '../../shared/import/types';
import type { JournalOutcome, OpState } from './journal';
import { newGroupBulkId } from './plan-ops';
import type { UndoContext } from './undo-rows';
import { isObject, userRow } from './undo-restore';

/** Op ids of a run, parsed. */
const GROUP_OP = /^grp:(.+):(add|remove):\d+$/;
const GROUP_CREATE = /^grp:(g:.+):create$/;

type Kind = 'add' | 'remove';

/** Per group handle and kind: every chunk ok ('all'), only some ('some'), or none. */
function chunkTallies(
  state: ReadonlyMap<string, OpState>,
): (handle: string, kind: Kind) => 'all' | 'some' | undefined {
  const tally = new Map<string, { ok: number; total: number }>();
  for (const [op, s] of state) {
    const m = GROUP_OP.exec(op);
    if (!m?.[1] || !m[2]) continue;
    const k = `${m[1]}\u0000${m[2]}`;
    const t = tally.get(k) ?? { ok: 0, total: 0 };
    t.total += 1;
    if (s.outcome?.status === 'ok') t.ok += 1;
    tally.set(k, t);
  }
  return (handle, kind) => {
    const t = tally.get(`${handle}\u0000${kind}`);
    if (!t || t.ok === 0) return undefined;
    return t.ok === t.total ? 'all' : 'some';
  };
}

/**
 * Members a chunk found already in place (journalled `unchanged`): the run changed nothing for
 * them, so undo leaves them alone (undo reverses only what the run changed).
 */
function unchangedMembers(ok: ReadonlyMap<string, JournalOutcome>): Set<string> {
  const unchanged = new Set<string>();
  for (const [op, o] of ok) {
    const m = GROUP_OP.exec(op);
    if (!m?.[1] || !m[2]) continue;
    for (const member of o.unchanged ?? []) unchanged.add(`${m[1]}\u0000${m[2]}\u0000${member}`);
  }
  return unchanged;
}

/** Ids of the groups the run created (handle `g:<name>`); each is noted as left in place. */
function createdGroups(
  ok: ReadonlyMap<string, JournalOutcome>,
  notes: string[],
): Map<string, string> {
  const groupIdOf = new Map<string, string>();
  for (const [op, o] of ok) {
    const m = GROUP_CREATE.exec(op);
    if (m?.[1] && o.id) {
      groupIdOf.set(m[1], o.id);
      notes.push(
        `Group "${m[1].slice(2)}" was created by the run and is left in place; delete it by hand if it is no longer wanted.`,
      );
    }
  }
  return groupIdOf;
}

/** Same resolution as membershipOps: a name some row knows the id of is that group. */
function idsByName(planRows: ReadonlyMap<number, PlanRow>): Map<string, string> {
  const idByName = new Map<string, string>();
  for (const row of planRows.values()) {
    for (const g of [...(row.groups?.add ?? []), ...(row.groups?.remove ?? [])]) {
      const name = g.display.normalize('NFC').toLowerCase();
      if (g.id !== undefined && !idByName.has(name)) idByName.set(name, g.id);
    }
  }
  return idByName;
}

/** Whether a user is in a group now, one GET per group (undefined: the server lists no members). */
function memberCheck(
  ctx: UndoContext,
): (groupId: string, userId: string) => Promise<boolean | undefined> {
  const membersNow = new Map<string, Set<string> | undefined>();
  return async (groupId, userId) => {
    if (!membersNow.has(groupId)) {
      const g = await ctx.get(ctx.groupEndpoint, groupId);
      const members = Array.isArray(g?.['members']) ? (g['members'] as unknown[]) : undefined;
      membersNow.set(
        groupId,
        members
          ? new Set(
              members.flatMap((m) =>
                isObject(m) && typeof m['value'] === 'string' ? [m['value']] : [],
              ),
            )
          : undefined,
      );
    }
    return membersNow.get(groupId)?.has(userId);
  };
}

/** Puts the inverse of every membership change the run made on the users' restore rows. */
export async function undoMemberships(
  ctx: UndoContext,
  state: ReadonlyMap<string, OpState>,
  planRows: ReadonlyMap<number, PlanRow>,
): Promise<void> {
  const groupDone = chunkTallies(state);
  const unchanged = unchangedMembers(ctx.ok);
  const groupIdOf = createdGroups(ctx.ok, ctx.notes);
  const idByName = idsByName(planRows);
  const isMember = memberCheck(ctx);
  let skippedCreated = 0;
  for (const row of [...planRows.values()].sort((a, b) => a.seq - b.seq)) {
    if (!['create', 'update', 'reactivate', 'deactivate'].includes(row.action)) continue;
    const userId = row.action === 'create' ? ctx.ok.get(`s${row.seq}:create`)?.id : row.id;
    if (userId === undefined) continue;
    if (ctx.createdIds.has(userId)) {
      if (row.groups?.add.length) skippedCreated += 1;
      continue;
    }
    for (const kind of ['add', 'remove'] as const) {
      for (const g of row.groups?.[kind] ?? []) {
        const known = g.id ?? idByName.get(g.display.normalize('NFC').toLowerCase());
        const handle = known ?? newGroupBulkId(g.display);
        const done = groupDone(handle, kind);
        if (!done || unchanged.has(`${handle}\u0000${kind}\u0000${userId}`)) continue;
        const groupId = known ?? groupIdOf.get(handle);
        if (groupId === undefined) continue;
        if (done === 'some') {
          // Some chunks of this group failed: ask the server whether this member's change is in.
          const member = await isMember(groupId, userId);
          if (member === undefined || member !== (kind === 'add')) continue;
        }
        let u = ctx.updates.get(userId);
        if (!u) {
          const current = await ctx.get(ctx.endpoint, userId);
          if (!current) continue;
          u = userRow(ctx.updates, row.seq, row.display, userId, current);
        }
        (kind === 'add' ? u.remove : u.add).push({ display: g.display, id: groupId });
      }
    }
  }
  if (skippedCreated > 0) {
    ctx.notes.push(
      `${skippedCreated} user(s) the run created and added to groups leave those groups when they are deleted.`,
    );
  }
}
