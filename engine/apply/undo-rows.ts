/**
 * The per-row part of an undo (engine/apply/undo.ts): for each plan row the run changed, what
 * brings it back — a delete for a user it created, a re-create for one it deleted, a restoring
 * PATCH for one it updated, reactivated, deactivated or gave a manager.
 */
import type { GroupChange, PlanRow } from '../../shared/import/types';
import type { ScimResource } from '../../shared/scim/types';
import type { PlanReader } from '../plan/plan-file';
import type { JournalOutcome } from './journal';
import type { RunRecord } from './run-store';
import {
  bodyOf,
  isObject,
  problem,
  restoreOperations,
  userRow,
  type UserRow,
} from './undo-restore';

/** What the steps of one undo share: what the run did, and what the undo plan gathers. */
export type UndoContext = {
  run: RunRecord;
  /** Successful outcomes by op id. */
  ok: Map<string, JournalOutcome>;
  /** Each resource's state before the run (the first saved entry per id). */
  priorById: Map<string, ScimResource>;
  endpoint: string;
  groupEndpoint: string;
  /** A fresh read; undefined when the server no longer has it. */
  get(endpoint: string, id: string): Promise<ScimResource | undefined>;
  notes: string[];
  deletes: PlanRow[];
  creates: PlanRow[];
  updates: Map<string, UserRow>;
  /** Users the run created (their memberships go with them). */
  createdIds: Set<string>;
};

/** A user the run created: delete it (If-Match from a fresh read), unless it was not ours. */
async function undoCreated(ctx: UndoContext, row: PlanRow, created: JournalOutcome): Promise<void> {
  const id = created.id;
  if (id === undefined) {
    ctx.notes.push(`${row.display}: created, but the journal has no id; delete it by hand.`);
    return;
  }
  // A 409 on create is settled by updating the existing account (apply-run.ts): not ours.
  if (created.httpStatus !== undefined && created.httpStatus !== 201) {
    ctx.notes.push(
      `${row.display}: already existed when the run tried to create it and was updated instead; its earlier state was not saved, so it is left as is.`,
    );
    return;
  }
  ctx.createdIds.add(id);
  const current = await ctx.get(ctx.endpoint, id);
  if (!current) {
    ctx.notes.push(`${row.display}: created by the run, already deleted since; skipped.`);
    return;
  }
  const version = current.meta?.version;
  ctx.deletes.push({
    seq: 0,
    action: 'delete',
    display: row.display,
    id,
    ...(version !== undefined ? { version } : {}),
    match: { key: 'id', value: id, reason: `created by run ${ctx.run.id}` },
  });
}

/** A user the run deleted: re-create it from its saved state, with its groups (a NEW id). */
function undoDeleted(ctx: UndoContext, row: PlanRow, deleted: JournalOutcome): void {
  const { run } = ctx;
  const id = row.id ?? deleted.id;
  const prior = id !== undefined ? ctx.priorById.get(id) : undefined;
  if (!prior || id === undefined) {
    ctx.notes.push(
      `${row.display}: deleted by the run, but its earlier state was not saved; it cannot be re-created.`,
    );
    return;
  }
  const groups = Array.isArray(prior['groups']) ? (prior['groups'] as unknown[]) : [];
  const add: GroupChange[] = [];
  for (const g of groups) {
    if (!isObject(g) || typeof g['value'] !== 'string') continue;
    const display = typeof g['display'] === 'string' ? g['display'] : g['value'];
    add.push({ display, id: g['value'] });
  }
  const message = `${row.display} was deleted by run ${run.id}; it is re-created from its saved state and gets a NEW id (was ${id}).`;
  ctx.notes.push(message);
  ctx.creates.push({
    seq: 0,
    action: 'create',
    display: row.display,
    match: { key: 'id', value: id, reason: `deleted by run ${run.id}` },
    create: bodyOf(prior),
    ...(add.length ? { groups: { add, remove: [] } } : {}),
    problems: [
      problem(
        run.planFile,
        'undo_new_id',
        message,
        'Systems that keep the old SCIM id (provisioning links, audit) must be updated to the new id.',
      ),
    ],
  });
}

/** A user the run updated, deactivated, reactivated or only gave a manager: restore it. */
async function undoChanged(
  ctx: UndoContext,
  seq: number,
  row: PlanRow,
  changed: JournalOutcome | undefined,
  manager: JournalOutcome | undefined,
): Promise<void> {
  const id = row.id ?? changed?.id ?? manager?.id;
  if (id === undefined) return;
  const prior = ctx.priorById.get(id);
  const current = await ctx.get(ctx.endpoint, id);
  if (!current) {
    ctx.notes.push(`${row.display}: changed by the run, deleted since; skipped.`);
    return;
  }
  const u = userRow(ctx.updates, seq, row.display, id, current);
  if (!prior) {
    if (manager) {
      // Only the manager changed, and its earlier value was not saved (manager ops have no
      // prior state): remove the manager the run set.
      const path = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';
      u.operations.push({ op: 'remove', path });
      u.changes.push({ path, old: '(set by the run)', new: null });
      ctx.notes.push(
        `${row.display}: the manager the run set is removed; the manager before the run was not saved.`,
      );
    } else {
      ctx.notes.push(`${row.display}: changed by the run, but its earlier state was not saved.`);
    }
    return;
  }
  const { operations, changes } = restoreOperations(prior, current);
  if (
    ctx.ok.has(`s${seq}:deactivate`) &&
    prior['active'] === undefined &&
    current['active'] === false
  ) {
    operations.push({ op: 'replace', path: 'active', value: true });
    changes.push({ path: 'active', old: 'false', new: 'true' });
  }
  u.operations.push(...operations);
  u.changes.push(...changes);
  u.replace = bodyOf(prior);
  if (changes.some((c) => c.path === 'active' && c.new === 'true')) u.replace['active'] = true;
  if (operations.length === 0) {
    ctx.notes.push(`${row.display}: already as before the run; nothing to restore.`);
  }
}

/**
 * Walks the plan the run applied and gathers each changed row's undo into `ctx`. Returns the rows
 * that carry group changes (the membership step needs them).
 */
export async function undoRows(ctx: UndoContext, plan: PlanReader): Promise<Map<number, PlanRow>> {
  const planRows = new Map<number, PlanRow>();
  for (let seq = 0; seq < plan.count; seq++) {
    const row = plan.row(seq);
    const created = ctx.ok.get(`s${seq}:create`);
    const changed =
      ctx.ok.get(`s${seq}:update`) ??
      ctx.ok.get(`s${seq}:reactivate`) ??
      ctx.ok.get(`s${seq}:deactivate`);
    const deleted = ctx.ok.get(`s${seq}:delete`);
    const manager = ctx.ok.get(`s${seq}:manager`);
    if (row.groups) planRows.set(seq, row);
    if (created) await undoCreated(ctx, row, created);
    else if (deleted) undoDeleted(ctx, row, deleted);
    else if (changed || manager) await undoChanged(ctx, seq, row, changed, manager);
  }
  return planRows;
}
