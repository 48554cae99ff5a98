/**
 * Undo of a run: an ordinary plan file (preview it, then apply it like any plan) that brings back
 * what the run changed, built from the run's journal (which ops succeeded), its saved prior states
 * (prior.jsonl) and a fresh GET of every resource involved.
 *
 * - a user the run created → `delete` (If-Match from the fresh GET; skipped when already gone, and
 *   when the journal shows the create met an existing account (409) and updated it instead);
 * - a user the run updated, reactivated or deactivated → a row whose PATCH restores every top-level
 *   attribute (and every attribute inside an extension object) that differs between the prior
 *   state and the server's current state (`replace`, or `remove` where the prior had no value),
 *   `meta`, `id`, `schemas` and `groups` excluded; a PUT body (the prior state) for servers without
 *   PATCH. Its kind follows from what it restores (plan/plan-kinds.ts): bringing back a deactivated
 *   account is a `reactivate`, undoing a reactivation a `deactivate`, anything else an `update`.
 *   Attributes the server marks read-only, and immutable ones, are left as they are (a warning on
 *   the row names each);
 * - a user the run deleted → `create` from the prior state plus its prior group memberships; the
 *   account gets a NEW id (said in the row's problems and in the notes);
 * - membership changes (`grp:<handle>:add|remove:*` ok) → the inverse change on the user's row,
 *   recomputed from the original plan rows' `groups`; users the run created are skipped (deleting
 *   them removes their memberships);
 * - groups the run created are left in place (noted) — they may hold members added since;
 * - managers set by the run (`s<seq>:manager`): restored with the other attributes from the prior
 *   state (updated rows), or gone with the user (created rows).
 */
import { isAppError } from '../../shared/errors/errors';
import type {
  AttributeChange,
  GroupChange,
  InputProblem,
  PlanRow,
} from '../../shared/import/types';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  type PlanFileSummary,
  type PlanHeader,
} from '../../shared/plan/plan-format';
import { createPlanSummary } from '../plan/summary';
import { unwritableChanges, writeProblems } from '../resources/write-rules';
import type { PatchOperation, ScimResource, ScimSchema } from '../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import { createPlanWriter, openPlan } from '../plan/plan-file';
import { kindOfChanges } from '../plan/plan-kinds';
import { safeguardsOfRows } from '../plan/safeguards';
import { join } from 'node:path';
import { loadJournal, journalState, type JournalOutcome } from './journal';
import { newGroupBulkId } from './plan-ops';
import { readPriorStates } from './prior-state';
import { loadRun, runDir } from './run-store';

export type UndoOptions = {
  dataDir: string;
  runId: string;
  conn: OpenConnection;
  /** Where to write the undo plan. */
  outFile: string;
  signal?: AbortSignal;
};

export type UndoResult = { file: string; summary: PlanFileSummary; notes: string[] };

/** Attributes never restored: server-managed, or membership (restored through the groups). */
const SKIPPED_ATTRIBUTES = new Set(['meta', 'id', 'groups', 'schemas']);

type Outcome = JournalOutcome;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, for comparing values regardless of key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function absent(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

function same(a: unknown, b: unknown): boolean {
  if (absent(a) && absent(b)) return true;
  return canonical(a) === canonical(b);
}

/** A value as cell text for display. */
function cellText(v: unknown): string | null {
  if (absent(v)) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return canonical(v);
}

/** The PATCH operations (and display changes) that turn `current` back into `prior`. */
export function restoreOperations(
  prior: ScimResource,
  current: ScimResource,
): { operations: PatchOperation[]; changes: AttributeChange[] } {
  const operations: PatchOperation[] = [];
  const changes: AttributeChange[] = [];
  const restore = (path: string, was: unknown, now: unknown): void => {
    if (same(was, now)) return;
    operations.push(absent(was) ? { op: 'remove', path } : { op: 'replace', path, value: was });
    changes.push({ path, old: cellText(now), new: cellText(was) });
  };
  const keys = new Set([...Object.keys(prior), ...Object.keys(current)]);
  for (const key of [...keys].sort()) {
    if (SKIPPED_ATTRIBUTES.has(key)) continue;
    const was = prior[key];
    const now = current[key];
    if (key.toLowerCase().startsWith('urn:') && (isObject(was) || isObject(now))) {
      // An extension: attribute by attribute (`urn:…:User:manager`).
      const w = isObject(was) ? was : {};
      const n = isObject(now) ? now : {};
      const subKeys = new Set([...Object.keys(w), ...Object.keys(n)]);
      for (const sub of [...subKeys].sort()) restore(`${key}:${sub}`, w[sub], n[sub]);
      continue;
    }
    restore(key, was, now);
  }
  return { operations, changes };
}

/** The prior state as a body to POST or PUT. */
function bodyOf(prior: ScimResource): ScimResource {
  const body: ScimResource = { ...prior };
  delete body.id;
  delete body.meta;
  delete body['groups'];
  return body;
}

function problem(file: string, code: string, message: string, nextStep: string): InputProblem {
  return { file, line: 1, code, severity: 'warning', message, nextStep };
}

/** Op ids of a run, parsed. */
const GROUP_OP = /^grp:(.+):(add|remove):\d+$/;
const GROUP_CREATE = /^grp:(g:.+):create$/;

type UserRow = {
  seq: number;
  display: string;
  id: string;
  version?: string;
  operations: PatchOperation[];
  changes: AttributeChange[];
  replace?: ScimResource;
  add: GroupChange[];
  remove: GroupChange[];
  problems: InputProblem[];
};

/** Builds the undo plan of a run; see the module comment. */
export async function buildUndoPlan(opts: UndoOptions): Promise<UndoResult> {
  const { conn, dataDir, runId } = opts;
  const run = await loadRun(dataDir, runId);
  const dir = runDir(dataDir, run.id);
  const notes: string[] = [];
  const readOpts = opts.signal ? { signal: opts.signal } : {};

  const { records, torn } = await loadJournal(join(dir, 'journal.jsonl'));
  if (torn) notes.push('The journal ended in a torn line (a crash); that last record was ignored.');
  const state = journalState(records);
  const ok = new Map<string, Outcome>();
  let unknown = 0;
  for (const [op, s] of state) {
    if (s.outcome?.status === 'ok') ok.set(op, s.outcome);
    else if (s.intent && (!s.outcome || s.outcome.status === 'unknown')) unknown += 1;
  }
  if (unknown > 0) {
    notes.push(
      `${unknown} operation(s) of the run have an unknown outcome; resume the run first for a complete undo — they are not undone.`,
    );
  }

  // The state of each resource before the run: the first saved entry per id.
  const priorById = new Map<string, ScimResource>();
  for await (const p of readPriorStates(dir)) {
    if (!priorById.has(p.id)) priorById.set(p.id, p.resource);
  }

  const plan = await openPlan(run.planFile);
  const header = plan.header;
  const userType = conn.client.resourceType(header.resourceType);
  const endpoint = userType?.endpoint ?? header.endpoint;
  const groupEndpoint = conn.client.resourceType('Group')?.endpoint ?? '/Groups';
  if (header.resourceType !== 'User') {
    notes.push(
      `The run applied ${header.resourceType} rows; undo handles users and their memberships only.`,
    );
  }

  const get = async (ep: string, id: string): Promise<ScimResource | undefined> => {
    try {
      return await conn.client.get(ep, id, readOpts);
    } catch (e) {
      if (isAppError(e) && e.facts.status === 404) return undefined;
      throw e;
    }
  };

  const deletes: PlanRow[] = [];
  const creates: PlanRow[] = [];
  const updates = new Map<string, UserRow>();
  const createdIds = new Set<string>();
  const planRows = new Map<number, PlanRow>();

  try {
    for (let seq = 0; seq < plan.count; seq++) {
      const row = plan.row(seq);
      const created = ok.get(`s${seq}:create`);
      const changed =
        ok.get(`s${seq}:update`) ?? ok.get(`s${seq}:reactivate`) ?? ok.get(`s${seq}:deactivate`);
      const deleted = ok.get(`s${seq}:delete`);
      const manager = ok.get(`s${seq}:manager`);
      if (row.groups) planRows.set(seq, row);
      if (!created && !changed && !deleted && !manager) continue;

      if (created) {
        const id = created.id;
        if (id === undefined) {
          notes.push(`${row.display}: created, but the journal has no id; delete it by hand.`);
          continue;
        }
        // A 409 on create is settled by updating the existing account (apply-run.ts): not ours.
        if (created.httpStatus !== undefined && created.httpStatus !== 201) {
          notes.push(
            `${row.display}: already existed when the run tried to create it and was updated instead; its earlier state was not saved, so it is left as is.`,
          );
          continue;
        }
        createdIds.add(id);
        const current = await get(endpoint, id);
        if (!current) {
          notes.push(`${row.display}: created by the run, already deleted since; skipped.`);
          continue;
        }
        const version = current.meta?.version;
        deletes.push({
          seq: 0,
          action: 'delete',
          display: row.display,
          id,
          ...(version !== undefined ? { version } : {}),
          match: { key: 'id', value: id, reason: `created by run ${run.id}` },
        });
        continue;
      }

      if (deleted) {
        const id = row.id ?? deleted.id;
        const prior = id !== undefined ? priorById.get(id) : undefined;
        if (!prior || id === undefined) {
          notes.push(
            `${row.display}: deleted by the run, but its earlier state was not saved; it cannot be re-created.`,
          );
          continue;
        }
        const groups = Array.isArray(prior['groups']) ? (prior['groups'] as unknown[]) : [];
        const add: GroupChange[] = [];
        for (const g of groups) {
          if (!isObject(g) || typeof g['value'] !== 'string') continue;
          const display = typeof g['display'] === 'string' ? g['display'] : g['value'];
          add.push({ display, id: g['value'] });
        }
        const message = `${row.display} was deleted by run ${run.id}; it is re-created from its saved state and gets a NEW id (was ${id}).`;
        notes.push(message);
        creates.push({
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
        continue;
      }

      // Updated, deactivated, or only its manager set.
      const id = row.id ?? changed?.id ?? manager?.id;
      if (id === undefined) continue;
      const prior = priorById.get(id);
      const current = await get(endpoint, id);
      if (!current) {
        notes.push(`${row.display}: changed by the run, deleted since; skipped.`);
        continue;
      }
      const u = userRow(updates, seq, row.display, id, current);
      if (!prior) {
        if (manager) {
          // Only the manager changed, and its earlier value was not saved (manager ops have no
          // prior state): remove the manager the run set.
          const path = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager';
          u.operations.push({ op: 'remove', path });
          u.changes.push({ path, old: '(set by the run)', new: null });
          notes.push(
            `${row.display}: the manager the run set is removed; the manager before the run was not saved.`,
          );
        } else {
          notes.push(`${row.display}: changed by the run, but its earlier state was not saved.`);
        }
        continue;
      }
      const { operations, changes } = restoreOperations(prior, current);
      if (
        ok.has(`s${seq}:deactivate`) &&
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
        notes.push(`${row.display}: already as before the run; nothing to restore.`);
      }
    }

    // Membership changes: the inverse of each group op that succeeded.
    // Per group handle and kind: every chunk ok ('all') or only some ('some').
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
    // Members a chunk found already in place (journalled `unchanged`): the run changed nothing
    // for them, so undo leaves them alone (issue 15: undo reverses only what the run changed).
    const unchanged = new Set<string>();
    for (const [op, o] of ok) {
      const m = GROUP_OP.exec(op);
      if (!m?.[1] || !m[2]) continue;
      for (const member of o.unchanged ?? []) unchanged.add(`${m[1]}\u0000${m[2]}\u0000${member}`);
    }
    const groupDone = (handle: string, kind: 'add' | 'remove'): 'all' | 'some' | undefined => {
      const t = tally.get(`${handle}\u0000${kind}`);
      if (!t || t.ok === 0) return undefined;
      return t.ok === t.total ? 'all' : 'some';
    };
    // Ids of the groups the run created (handle `g:<name>`).
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
    // Same resolution as membershipOps: a name some row knows the id of is that group.
    const idByName = new Map<string, string>();
    for (const row of planRows.values()) {
      for (const g of [...(row.groups?.add ?? []), ...(row.groups?.remove ?? [])]) {
        const name = g.display.normalize('NFC').toLowerCase();
        if (g.id !== undefined && !idByName.has(name)) idByName.set(name, g.id);
      }
    }
    const membersNow = new Map<string, Set<string> | undefined>();
    const isMember = async (groupId: string, userId: string): Promise<boolean | undefined> => {
      if (!membersNow.has(groupId)) {
        const g = await get(groupEndpoint, groupId);
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
    let skippedCreated = 0;
    for (const row of [...planRows.values()].sort((a, b) => a.seq - b.seq)) {
      if (!['create', 'update', 'reactivate', 'deactivate'].includes(row.action)) continue;
      const userId = row.action === 'create' ? ok.get(`s${row.seq}:create`)?.id : row.id;
      if (userId === undefined) continue;
      if (createdIds.has(userId)) {
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
          let u = updates.get(userId);
          if (!u) {
            const current = await get(endpoint, userId);
            if (!current) continue;
            u = userRow(updates, row.seq, row.display, userId, current);
          }
          (kind === 'add' ? u.remove : u.add).push({ display: g.display, id: groupId });
        }
      }
    }
    if (skippedCreated > 0) {
      notes.push(
        `${skippedCreated} user(s) the run created and added to groups leave those groups when they are deleted.`,
      );
    }
  } finally {
    plan.close();
  }

  // Write the plan: deletes, then restores, then re-creates.
  const schemas = conn.discovery.schemas;
  const rows: PlanRow[] = [...deletes];
  for (const u of [...updates.values()].sort((a, b) => a.seq - b.seq)) {
    const row = restoreRow(u, run.id, run.planFile, schemas);
    if (row) rows.push(row);
  }
  rows.push(...creates);

  const undoHeader: PlanHeader = {
    kind: PLAN_FORMAT,
    version: PLAN_VERSION,
    createdAt: new Date().toISOString(),
    resourceType: 'User',
    endpoint,
    mode: 'upsert',
    source: { kind: 'server', baseUrl: conn.discovery.baseUrl },
    csv: { file: `undo of run ${run.id}`, encoding: 'n/a', delimiter: 'n/a' },
    mapping: { resourceType: 'User' },
    patch: conn.discovery.effective.patch,
    etag: conn.discovery.effective.etag,
    undoOf: run.id,
  };
  const started = Date.now();
  const writer = await createPlanWriter(opts.outFile, undoHeader);
  const builder = createPlanSummary();
  try {
    for (const [seq, row] of rows.entries()) {
      const r = { ...row, seq };
      builder.add(r);
      await writer.row(r);
    }
    const result = builder.result();
    const summary: PlanFileSummary = {
      ...result,
      mode: 'upsert',
      resourceType: 'User',
      protect: { entries: 0, spared: 0, unmatched: [], unmatchedCount: 0, checked: true },
      // No population is known for an undo: the count limits apply (500 reactivations block).
      safeguards: safeguardsOfRows(result, builder.attributeRows(), undefined),
      warnings: [],
      notes,
      durationMs: Date.now() - started,
    };
    await writer.finish(summary);
    return { file: opts.outFile, summary, notes };
  } catch (e) {
    await writer.abort().catch(() => undefined);
    throw e;
  }
}

/**
 * The plan row restoring one user, its kind from what it restores; attributes the server does not
 * let a client write (read-only, or immutable once set) are left out with a warning naming them.
 */
function restoreRow(
  u: UserRow,
  runId: string,
  file: string,
  schemas: readonly ScimSchema[],
): PlanRow | undefined {
  const refused = writeProblems(u.changes, { schemas, file, line: 1, display: u.display }).map(
    (p) => ({
      ...p,
      severity: 'warning' as const,
      message: `${p.message} Undo leaves it as it is.`,
    }),
  );
  const skipped = new Set(unwritableChanges(u.changes, schemas).map((c) => c.path));
  const changes = u.changes.filter((c) => !skipped.has(c.path));
  const operations = u.operations.filter((op) => op.path === undefined || !skipped.has(op.path));
  const groups = u.add.length || u.remove.length ? { add: u.add, remove: u.remove } : undefined;
  if (operations.length === 0 && !groups) return undefined;
  const problems = [...u.problems, ...refused];
  return {
    seq: 0,
    action: kindOfChanges(changes, groups),
    display: u.display,
    id: u.id,
    ...(u.version !== undefined ? { version: u.version } : {}),
    match: { key: 'id', value: u.id, reason: `changed by run ${runId}` },
    ...(changes.length ? { changes } : {}),
    ...(operations.length ? { operations } : {}),
    ...(operations.length && u.replace ? { replace: u.replace } : {}),
    ...(groups ? { groups } : {}),
    ...(problems.length ? { problems } : {}),
  };
}

function userRow(
  rows: Map<string, UserRow>,
  seq: number,
  display: string,
  id: string,
  current: ScimResource,
): UserRow {
  let u = rows.get(id);
  if (!u) {
    const version = current.meta?.version;
    u = {
      seq,
      display,
      id,
      ...(version !== undefined ? { version } : {}),
      operations: [],
      changes: [],
      add: [],
      remove: [],
      problems: [],
    };
    rows.set(id, u);
  }
  return u;
}
