/**
 * What a run may start from: before any request is sent, the plan file is checked to be the plan
 * that was made, for this server, and re-derived from its rows — never trusted as written.
 *
 *  1. sealed: as many rows as it was made with, numbered 0…n−1, its header as it was made
 *     (plan-file.ts writes digests and a copy of the header in the last line);
 *  2. for this server: a plan compared with one server holds that server's ids and versions;
 *  3. every row valid (PlanRowSchema) and sending what it shows (plan/row-consistency.ts), and the
 *     rows' digest unchanged;
 *  4. the summary re-derived: counts and the safeguard verdict recomputed from the rows (with the
 *     limits it was made with, never looser than the engine's) must be what it says, and its
 *     digest unchanged;
 *  5. a resumed run: the plan's digest is the one stored in the run when it started;
 *  6. a new run over its safeguards: the count typed back must be the recomputed count.
 *
 * Each refusal is one sentence saying what changed. The digests detect edits made after planning;
 * steps 3 and 4 hold even against a plan whose digests were recomputed, as they only trust rows.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors/errors';
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';
import {
  PlanRowSchema,
  type PlanHeader,
  type SafeguardStatus,
} from '../../shared/plan/plan-format';
import { KIND_LABELS, formatNumber } from '../../shared/plan/plan-words';
import { createPlanSummary, type PlanSummaryBuilder } from '../plan/summary';
import { openPlan, type PlanReader } from '../plan/plan-file';
import { rowInconsistency } from '../plan/row-consistency';
import {
  checkSafeguards,
  DEFAULT_SAFEGUARDS,
  limitsOf,
  safeguardsOfRows,
  type SafeguardSettings,
} from '../plan/safeguards';
import type { RunRecord } from './run-store';

type AdmitOptions = {
  planFile: string;
  /** The connection's base URL. */
  baseUrl: string;
  /** A resumed run: the plan must be the one it started with. */
  run?: Pick<RunRecord, 'id' | 'planDigest'>;
  /** The count typed back to run a plan over its safeguards (new runs). */
  overrideSafeguards?: number;
  /** The engine's limits: a plan's own limits may be stricter, never looser. */
  safeguards?: SafeguardSettings;
  /** Each row once checked, in order: the run gathers what it needs in this same read. */
  onRow?: (row: PlanRow) => void;
};

type AdmittedPlan = {
  header: PlanHeader;
  /** Rows per kind, counted from the rows. */
  counts: Record<PlanAction, number>;
  /** The safeguard verdict recomputed from the rows. */
  safeguards: SafeguardStatus;
  /** SHA-256 over the header, rows and summary digests: what a resume must find again. */
  digest: string;
  /** The plan as admitted, still open: the run reads these rows (the caller closes it). */
  reader: PlanReader;
};

function edited(file: string, what: string): AppError {
  return new AppError(
    'input',
    `The plan ${basename(file)} was changed after it was made: ${what}.`,
    {
      nextStep:
        'Nothing was sent. Plan the CSV again (or use the original plan file); a changed plan is never run.',
    },
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first field where two JSON values differ, as `source.baseUrl`. */
function firstDifference(a: unknown, b: unknown, at = ''): string | undefined {
  if (!isRecord(a) || !isRecord(b)) {
    return JSON.stringify(a) === JSON.stringify(b) ? undefined : at || '(the header)';
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const diff = firstDifference(a[k], b[k], at ? `${at}.${k}` : k);
    if (diff) return diff;
  }
  return undefined;
}

function valueAt(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), obj);
}

/** Step 1 (see the file comment). */
function sealProblem(plan: PlanReader): string | undefined {
  const made = plan.integrity.rows;
  if (plan.count !== made) {
    return plan.count < made
      ? `it has ${formatNumber(plan.count)} rows but was made with ${formatNumber(made)} (rows were removed, or the file was cut short)`
      : `it has ${formatNumber(plan.count)} rows but was made with ${formatNumber(made)} (rows were added)`;
  }
  if (plan.seqGap) {
    const { position, seq } = plan.seqGap;
    return seq > position
      ? `row ${position} is missing (the rows go from ${position - 1} to ${seq})`
      : `row ${seq} appears twice or out of order (at position ${position})`;
  }
  const field = firstDifference(plan.header, plan.integrity.madeWith);
  if (field) {
    return `its header's ${field} is ${JSON.stringify(valueAt(plan.header, field) ?? null)}, but it was made with ${JSON.stringify(valueAt(plan.integrity.madeWith, field) ?? null)}`;
  }
  return plan.digests.header === plan.integrity.header
    ? undefined
    : 'its header no longer matches its checksum';
}

/**
 * The cheap check the preview shows (no row is parsed): what changed since the plan was made, by
 * its row count and numbering, header, and digests; undefined when the seal is intact.
 */
export function describeEdits(plan: PlanReader): string | undefined {
  const problem =
    sealProblem(plan) ??
    (plan.digests.rows !== plan.integrity.rowsDigest
      ? 'its rows no longer match their checksum'
      : plan.digests.summary !== plan.integrity.summary
        ? 'its summary no longer matches its checksum'
        : undefined);
  return problem === undefined
    ? undefined
    : `The plan was changed after it was made: ${problem}. It cannot be run.`;
}

/**
 * A plan compared with one server holds that server's ids and versions: running it against
 * another would update or delete the wrong accounts (or fail on every id). Plans made offline
 * from a snapshot name no server and may be run anywhere.
 */
function checkTarget(header: PlanHeader, baseUrl: string): void {
  if (header.source.kind !== 'server') return;
  const planned = header.source.baseUrl.replace(/\/+$/, '');
  if (planned.toLowerCase() === baseUrl.replace(/\/+$/, '').toLowerCase()) return;
  throw new AppError(
    'config',
    `This plan was made against ${planned}, not ${baseUrl}: its ids and versions belong to that server.`,
    { nextStep: `Run it against ${planned}, or plan the CSV again against ${baseUrl}.` },
  );
}

/** Step 3: every row parsed, checked and added up. */
async function rowsProblem(
  plan: PlanReader,
  builder: PlanSummaryBuilder,
  onRow?: (row: PlanRow) => void,
): Promise<string | undefined> {
  for await (const raw of plan.rows()) {
    const parsed = PlanRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `row ${raw.seq} is damaged (${issue?.message ?? 'invalid'} at ${issue?.path.join('.') ?? '?'})`;
    }
    const wrong = rowInconsistency(parsed.data);
    if (wrong) return `row ${raw.seq} (${raw.display}): ${wrong}`;
    builder.add(parsed.data);
    onRow?.(raw);
  }
  return plan.digests.rows === plan.integrity.rowsDigest
    ? undefined
    : 'its rows no longer match their checksum';
}

function verdictWords(s: SafeguardStatus): string {
  if (!s.blocked) return 'the safeguards pass';
  return `the safeguards block it (type ${s.overrideCount} to run it)`;
}

/** Step 4: the summary's counts and verdict, recomputed from the rows. */
function summaryProblem(
  plan: PlanReader,
  builder: PlanSummaryBuilder,
  ceiling: SafeguardSettings,
): { problem?: string; safeguards: SafeguardStatus } {
  const rows = builder.result();
  const written = plan.summary;
  const safeguards = safeguardsOfRows(
    rows,
    builder.attributeRows(),
    written.server?.inScope,
    limitsOf(written.safeguards.checks, ceiling),
  );
  const kind = PLAN_ACTIONS.find((a) => written.counts[a] !== rows.counts[a]);
  if (kind) {
    return {
      safeguards,
      problem: `its summary counts ${formatNumber(written.counts[kind])} "${KIND_LABELS[kind]}" rows, but its rows hold ${formatNumber(rows.counts[kind])}`,
    };
  }
  const w = written.safeguards;
  if (w.blocked !== safeguards.blocked || w.overrideCount !== safeguards.overrideCount) {
    const why = safeguards.checks.find((c) => c.exceeded && c.blocks)?.reason;
    return {
      safeguards,
      problem: `its summary says ${verdictWords(w)}, but its rows say ${verdictWords(safeguards)}${why ? ` — ${why.replace(/\.$/, '')}` : ''}`,
    };
  }
  if (plan.digests.summary !== plan.integrity.summary) {
    return { safeguards, problem: 'its summary no longer matches its checksum' };
  }
  return { safeguards };
}

/** The safeguard refusal: the count typed back must be the one recomputed from the rows. */
function requireOverride(s: SafeguardStatus, override: number | undefined): void {
  if (!s.blocked || override === s.overrideCount) return;
  const reasons = s.checks
    .filter((c) => c.exceeded && c.blocks)
    .map((c) => c.reason)
    .join(' ');
  throw new AppError('config', `The plan exceeds a safeguard. ${reasons}`, {
    nextStep: `Review the plan; to run it anyway, type the count back: --override-safeguards ${s.overrideCount}.`,
  });
}

/**
 * The cheap up-front check (the CLI and the app, before connecting): the verdict recomputed from
 * the rows' kinds, against the count typed back. `admitPlan` repeats it with every other check.
 */
export function checkOverride(plan: PlanReader, override: number | undefined): void {
  const c = plan.counts;
  const status = checkSafeguards(
    {
      counts: { deactivate: c.deactivate, delete: c.delete, reactivate: c.reactivate },
      ...(plan.summary.server ? { population: plan.summary.server.inScope } : {}),
    },
    limitsOf(plan.summary.safeguards.checks),
  );
  requireOverride(status, override);
}

/** Admits a plan for a new or resumed run, or refuses it (see the file comment). */
export async function admitPlan(opts: AdmitOptions): Promise<AdmittedPlan> {
  const plan = await openPlan(opts.planFile);
  // Closed only when refused: an admitted plan is read by its run without indexing it again.
  let admitted = false;
  try {
    const sealed = sealProblem(plan);
    if (sealed) throw edited(opts.planFile, sealed);
    checkTarget(plan.header, opts.baseUrl);
    const builder = createPlanSummary();
    const rows = await rowsProblem(plan, builder, opts.onRow);
    if (rows) throw edited(opts.planFile, rows);
    const summary = summaryProblem(plan, builder, opts.safeguards ?? DEFAULT_SAFEGUARDS);
    if (summary.problem) throw edited(opts.planFile, summary.problem);
    const digest = createHash('sha256')
      .update(`${plan.digests.header}\n${plan.digests.rows}\n${plan.digests.summary}`)
      .digest('hex');
    if (opts.run && opts.run.planDigest !== digest) {
      throw edited(
        opts.planFile,
        opts.run.planDigest === undefined
          ? `run ${opts.run.id} holds no checksum of the plan it started with, so it cannot be resumed safely`
          : `it is not the plan run ${opts.run.id} started with (its checksum differs)`,
      );
    }
    if (!opts.run) requireOverride(summary.safeguards, opts.overrideSafeguards);
    admitted = true;
    return {
      header: plan.header,
      counts: { ...plan.counts },
      safeguards: summary.safeguards,
      digest,
      reader: plan,
    };
  } finally {
    if (!admitted) plan.close();
  }
}
