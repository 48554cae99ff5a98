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
import { join } from 'node:path';
import type { PlanRow } from '../../shared/import/types';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  type PlanFileSummary,
  type PlanHeader,
} from '../../shared/plan/plan-format';
import type { ScimResource } from '../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import { createPlanWriter, openPlan } from '../plan/plan-file';
import { safeguardsOfRows } from '../plan/safeguards';
import { createPlanSummary } from '../plan/summary';
import { journalState, loadJournal, type JournalOutcome, type JournalState } from './journal';
import { readPriorStates } from './prior-state';
import { loadRun, runDir, type RunRecord } from './run-store';
import { undoMemberships } from './undo-groups';
import { restoreRow, type UserRow } from './undo-restore';
import { undoRows, type UndoContext } from './undo-rows';

export { restoreOperations } from './undo-restore';

export type UndoOptions = {
  dataDir: string;
  runId: string;
  conn: OpenConnection;
  /** Where to write the undo plan. */
  outFile: string;
  signal?: AbortSignal;
};

export type UndoResult = { file: string; summary: PlanFileSummary; notes: string[] };

/** What the run's journal says succeeded, noting a torn last line and outcomes still unknown. */
async function readOutcomes(
  dir: string,
  notes: string[],
): Promise<{ state: JournalState; ok: Map<string, JournalOutcome> }> {
  const { records, torn } = await loadJournal(join(dir, 'journal.jsonl'));
  if (torn) notes.push('The journal ended in a torn line (a crash); that last record was ignored.');
  const state = journalState(records);
  const ok = new Map<string, JournalOutcome>();
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
  return { state, ok };
}

/** The state of each resource before the run: the first saved entry per id. */
async function readPriors(dir: string): Promise<Map<string, ScimResource>> {
  const priorById = new Map<string, ScimResource>();
  for await (const p of readPriorStates(dir)) {
    if (!priorById.has(p.id)) priorById.set(p.id, p.resource);
  }
  return priorById;
}

/** Builds the undo plan of a run; see the module comment. */
export async function buildUndoPlan(opts: UndoOptions): Promise<UndoResult> {
  const { conn, dataDir, runId } = opts;
  const run = await loadRun(dataDir, runId);
  const dir = runDir(dataDir, run.id);
  const notes: string[] = [];
  const readOpts = opts.signal ? { signal: opts.signal } : {};
  const { state, ok } = await readOutcomes(dir, notes);
  const priorById = await readPriors(dir);

  const plan = await openPlan(run.planFile);
  const header = plan.header;
  const endpoint = conn.client.resourceType(header.resourceType)?.endpoint ?? header.endpoint;
  if (header.resourceType !== 'User') {
    notes.push(
      `The run applied ${header.resourceType} rows; undo handles users and their memberships only.`,
    );
  }
  const ctx: UndoContext = {
    run,
    ok,
    priorById,
    endpoint,
    groupEndpoint: conn.client.resourceType('Group')?.endpoint ?? '/Groups',
    get: (ep, id) => conn.client.find(ep, id, readOpts),
    notes,
    deletes: [],
    creates: [],
    updates: new Map<string, UserRow>(),
    createdIds: new Set<string>(),
  };
  try {
    const planRows = await undoRows(ctx, plan);
    await undoMemberships(ctx, state, planRows);
  } finally {
    plan.close();
  }
  return writeUndoPlan(opts, run, ctx);
}

/** Writes the plan: deletes, then restores, then re-creates. */
async function writeUndoPlan(
  opts: UndoOptions,
  run: RunRecord,
  ctx: UndoContext,
): Promise<UndoResult> {
  const { conn } = opts;
  const { endpoint, notes } = ctx;
  const schemas = conn.discovery.schemas;
  const rows: PlanRow[] = [...ctx.deletes];
  for (const u of [...ctx.updates.values()].sort((a, b) => a.seq - b.seq)) {
    const row = restoreRow(u, run.id, run.planFile, schemas);
    if (row) rows.push(row);
  }
  rows.push(...ctx.creates);

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
