/**
 * What a canary changed, checked on the server (issue 19 item 6): every row op of the run's
 * journal (create, update, reactivate, deactivate, delete) with its outcome, and the account as the
 * server holds it now — one GET per account, at most {@link CANARY_EVIDENCE_MAX} — next to what the
 * plan asked for. The app shows it on the canary's results, the CLI prints it after `--canary N`.
 */
import { join } from 'node:path';
import { parseColumnHeader, columnSpec, type ColumnSpec } from '../../shared/columns/columns';
import { toErrorPayload } from '../../shared/errors/errors';
import {
  CANARY_EVIDENCE_MAX,
  type CanaryAccount,
  type CanaryAfter,
  type CanaryEvidence,
} from '../../shared/ipc/schemas/canary';
import { CHANGING_ACTIONS, type PlanRow } from '../../shared/import/types';
import type { ScimSchema } from '../../shared/scim/types';
import { decomposeResource, flattenResource } from '../columns/flatten';
import type { OpenConnection } from '../connections/open-connection';
import { openPlan } from '../plan/plan-file';
import { JOURNAL_FILE, journalState, loadJournal, type OpState } from './journal';
import { loadRun, runDir } from './run-store';

export type CanaryEvidenceOptions = {
  conn: Pick<OpenConnection, 'client' | 'discovery'>;
  dataDir: string;
  runId: string;
  /** Accounts read back at most (default {@link CANARY_EVIDENCE_MAX}). */
  limit?: number;
  signal?: AbortSignal;
};

const ROW_KINDS: ReadonlySet<string> = new Set(CHANGING_ACTIONS);

/**
 * The attributes the plan set on the row: its changes (update…), or its create body (without the
 * userName, which names the account). `active` is shown on its own, so it is left out here.
 */
function plannedOf(row: PlanRow | undefined, schemas: readonly ScimSchema[]) {
  const out: { spec: ColumnSpec; planned: string | null }[] = [];
  if (row?.create) {
    for (const slot of decomposeResource(row.create).slots) {
      const spec = columnSpec(slot.path);
      if (spec.header !== 'userName') out.push({ spec, planned: slot.value });
    }
  }
  for (const change of row?.changes ?? []) {
    try {
      out.push({ spec: parseColumnHeader(change.path, { schemas }), planned: change.new });
    } catch {
      // A header this server's schemas no longer know: shown without a value read back.
    }
  }
  return out.filter((p) => p.spec.header !== 'active');
}

/** Cell text, with no value (`''`) as `null`. */
function orNull(cell: string | null | undefined): string | null {
  return cell === undefined || cell === null || cell === '' ? null : cell;
}

/** The account's state on the server after the canary, with the planned attributes beside it. */
async function readBack(
  opts: CanaryEvidenceOptions,
  endpoint: string,
  id: string | undefined,
  row: PlanRow | undefined,
): Promise<CanaryAfter> {
  if (id === undefined) return { state: 'gone' };
  try {
    const signal = opts.signal ? { signal: opts.signal } : {};
    const server = await opts.conn.client.find(endpoint, id, signal);
    if (!server) return { state: 'gone' };
    const planned = plannedOf(row, opts.conn.discovery.schemas);
    const cells = flattenResource(
      server,
      planned.map((p) => p.spec),
    ).cells;
    const active = server['active'];
    const displayName = server['displayName'];
    return {
      state: 'present',
      ...(typeof active === 'boolean' ? { active } : {}),
      ...(typeof displayName === 'string' ? { displayName } : {}),
      attributes: planned.map((p, i) => ({
        path: p.spec.header,
        planned: orNull(p.planned),
        now: orNull(cells[i]),
      })),
    };
  } catch (e) {
    return { state: 'unread', message: toErrorPayload(e).message };
  }
}

/** The run's row ops in journal order (the run log's order). */
function rowOps(state: Map<string, OpState>): (OpState & { op: string })[] {
  const out: (OpState & { op: string })[] = [];
  for (const [op, s] of state) if (s.intent && ROW_KINDS.has(s.intent.kind)) out.push({ op, ...s });
  return out;
}

/** The accounts run `runId` changed (or tried to), each read back from the server. */
export async function readCanaryEvidence(opts: CanaryEvidenceOptions): Promise<CanaryEvidence> {
  const run = await loadRun(opts.dataDir, opts.runId);
  const { records } = await loadJournal(join(runDir(opts.dataDir, run.id), JOURNAL_FILE));
  const ops = rowOps(journalState(records));
  const shown = ops.slice(0, opts.limit ?? CANARY_EVIDENCE_MAX);
  const plan = await openPlan(run.planFile);
  try {
    const endpoint =
      opts.conn.client.resourceType(plan.header.resourceType)?.endpoint ?? plan.header.endpoint;
    const accounts: CanaryAccount[] = [];
    for (const s of shown) {
      const seq = s.intent?.seq ?? -1;
      const row = seq >= 0 && seq < plan.count ? plan.row(seq) : undefined;
      const id = s.outcome?.id ?? row?.id;
      accounts.push({
        op: s.op,
        kind: s.intent?.kind ?? '',
        display: row?.display ?? s.intent?.key ?? '',
        outcome: s.outcome?.status ?? 'unknown',
        ...(id !== undefined ? { id } : {}),
        after: await readBack(opts, endpoint, id, row),
      });
    }
    return { runId: run.id, total: ops.length, accounts };
  } finally {
    plan.close();
  }
}
