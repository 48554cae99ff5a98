/**
 * The per-row decision, as one pure function: a prepared CSV row and what matching found become
 * its plan row, in every mode. No files, no server, no state: `decideRow` is unit-tested with
 * plain objects (test/unit/engine/plan/decide-row.test.ts).
 *
 *   match: many ──────────────────────────────► conflict (invalid when the row also has errors)
 *   match: one, on the protect list ──────────► protected
 *   upsert:  errors ─► invalid · none ─► create · one ─► update | reactivate | deactivate | unchanged
 *            (a change to an immutable or read-only attribute ─► invalid, naming the attribute)
 *   listed sweeps:   none or gone ─► not-found · errors ─► invalid · one ─► deactivate | delete |
 *                    unchanged (already inactive)
 *   unlisted sweeps (the rows are a keep list): none ─► not-found · one ─► unchanged (kept)
 */
import type { DesiredCell, InputProblem, MappedRow, PlanRow } from '../../shared/import/types';
import { isUnlistedMode } from '../../shared/plan/plan-format';
import { validateDesired } from './validate-row';
import { writeProblems } from '../resources/write-rules';
import type { ScimResource } from '../../shared/scim/types';
import { deactivation, displayOf, planUpsert, type RowPlanContext } from './row-plan';
import type { PlanProblemCode } from '../../shared/problems/codes';

/** A CSV row after mapping and the within-file checks. */
export type PreparedRow = {
  seq: number;
  mapped: MappedRow;
  /** Desired cells, index-aligned with the targets. */
  cells: readonly DesiredCell[];
  /** Mapping and within-file problems so far. */
  problems: readonly InputProblem[];
};

/** What matching found (and, in listed sweeps, re-reading the account by id just now). */
export type RowMatch =
  | { kind: 'none'; reason: string }
  | { kind: 'many'; key: string; value: string; reason: string; candidates: readonly string[] }
  | {
      kind: 'one';
      key: string;
      value: string;
      reason: string;
      server: ScimResource;
      /** Listed sweeps: the account as re-read by id; null when it is gone since the snapshot. */
      fresh?: ScimResource | null;
      /** Listed sweeps: the re-read answered another account (read-verify.ts); the row stops. */
      mismatch?: string;
    };

/** What every row of one plan shares. */
export type DecideContext = RowPlanContext & {
  /** The CSV file (problems name it). */
  file: string;
  /** Per match key, the targets holding its parts (a display name when nothing matched). */
  keyTargets: readonly (readonly number[])[];
  /** The CSV columns each target is built from (problems name them). */
  sourceColumns: readonly (readonly string[])[];
  /** The protect-list entry that spares an account, if any. */
  protects(resource: ScimResource): string | undefined;
  /** The manager column and how a manager key resolves to an account id. */
  manager?: {
    targetIndex: number;
    resolve(value: string): { id: string } | { matches: number };
  };
};

type Found = Extract<RowMatch, { kind: 'one' }>;

function problem(
  p: PreparedRow,
  ctx: DecideContext,
  code: PlanProblemCode,
  message: string,
  nextStep: string,
  value?: string,
): InputProblem {
  return {
    file: ctx.file,
    line: p.mapped.line,
    row: p.mapped.row,
    ...(value !== undefined ? { value } : {}),
    code,
    severity: code === 'ambiguous_match' || code === 'read_mismatch' ? 'error' : 'warning',
    message,
    nextStep,
  };
}

function hasErrors(problems: readonly InputProblem[]): boolean {
  return problems.some((x) => x.severity === 'error');
}

/** What the admin recognises a row by when no account matched: its first key value. */
function guessDisplay(p: PreparedRow, ctx: DecideContext): string {
  for (const targets of ctx.keyTargets) {
    const v = targets.map((i) => p.cells[i]).find((c) => typeof c === 'string' && c !== '');
    if (typeof v === 'string') return v;
  }
  return `row ${p.mapped.row}`;
}

function matchInfo(match: RowMatch): NonNullable<PlanRow['match']> {
  return match.kind === 'one'
    ? { key: match.key, value: match.value, reason: match.reason }
    : { reason: match.reason };
}

/** A row that writes nothing: the kind, who it is, the match and its problems. */
function reportRow(
  p: PreparedRow,
  action: PlanRow['action'],
  display: string,
  match: RowMatch,
  problems: readonly InputProblem[],
  account?: ScimResource,
): PlanRow {
  return {
    seq: p.seq,
    action,
    row: p.mapped.row,
    line: p.mapped.line,
    display,
    match: matchInfo(match),
    ...(account?.id ? { id: account.id } : {}),
    ...(problems.length ? { problems: [...problems] } : {}),
  };
}

function conflictRow(
  p: PreparedRow,
  match: Extract<RowMatch, { kind: 'many' }>,
  ctx: DecideContext,
): PlanRow {
  const hadErrors = hasErrors(p.problems);
  const problems = hadErrors
    ? [...p.problems]
    : [
        ...p.problems,
        problem(
          p,
          ctx,
          'ambiguous_match',
          `${ctx.file}, row ${p.mapped.row}: ${match.reason}`,
          'Make the key unique on the server, or add a key that tells the accounts apart (e.g. externalId).',
          match.value,
        ),
      ];
  return {
    ...reportRow(p, hadErrors ? 'invalid' : 'conflict', match.value, match, problems),
    match: { key: match.key, value: match.value, reason: match.reason },
    candidates: [...match.candidates],
  };
}

function protectedRow(p: PreparedRow, match: Found, guard: string, ctx: DecideContext): PlanRow {
  const who = displayOf(match.server);
  const spared = problem(
    p,
    ctx,
    'protected',
    `${who} is on the protect list ("${guard}"); it is left as it is.`,
    'Remove it from the protect list to change it.',
  );
  return reportRow(p, 'protected', who, match, [...p.problems, spared], match.server);
}

function decideKeep(p: PreparedRow, match: RowMatch, ctx: DecideContext): PlanRow {
  if (match.kind === 'one') {
    return reportRow(p, 'unchanged', displayOf(match.server), match, p.problems, match.server);
  }
  const missing = problem(
    p,
    ctx,
    'keep_not_found',
    `${ctx.file}, row ${p.mapped.row}: no account matches this entry of the keep list.`,
    'Check the key: if it is misspelt, the account it means is not kept and is swept with the others.',
  );
  return reportRow(p, 'not-found', guessDisplay(p, ctx), match, [...p.problems, missing]);
}

function decideListed(p: PreparedRow, match: RowMatch, ctx: DecideContext): PlanRow {
  const verb = ctx.mode === 'delete-listed' ? 'delete' : 'deactivate';
  if (match.kind !== 'one') {
    const missing = problem(
      p,
      ctx,
      'not_found',
      `${ctx.file}, row ${p.mapped.row}: no account matches; there is nothing to ${verb}.`,
      'Check the key in this row.',
    );
    return reportRow(p, 'not-found', guessDisplay(p, ctx), match, [...p.problems, missing]);
  }
  const who = displayOf(match.server);
  if (hasErrors(p.problems)) return reportRow(p, 'invalid', who, match, p.problems, match.server);
  if (match.mismatch !== undefined) {
    const wrong = problem(
      p,
      ctx,
      'read_mismatch',
      match.mismatch,
      'Nothing is planned for this account; plan again later, and report it to the server vendor if it persists.',
    );
    return reportRow(p, 'invalid', who, match, [...p.problems, wrong], match.server);
  }
  if (match.fresh === null) {
    const gone = problem(
      p,
      ctx,
      'gone',
      `${who} no longer exists on the server.`,
      'Nothing to do.',
    );
    return reportRow(p, 'not-found', who, match, [...p.problems, gone]);
  }
  const account = match.fresh ?? match.server;
  const base = {
    ...reportRow(p, 'unchanged', displayOf(account), match, p.problems, account),
    ...(account.meta?.version ? { version: account.meta.version } : {}),
  };
  if (ctx.mode === 'delete-listed') return { ...base, action: 'delete' };
  const change = deactivation(account, ctx.patch);
  if (!change) return base;
  const refused = writeProblems(change.changes, {
    schemas: ctx.schemas,
    file: ctx.file,
    line: p.mapped.line,
    row: p.mapped.row,
  });
  if (refused.length) return { ...base, action: 'invalid', problems: [...p.problems, ...refused] };
  return { ...base, action: 'deactivate', ...change };
}

/** Resolves the row's manager key to an id (in `cells`), or defers it to the run. */
function resolveManager(
  p: PreparedRow,
  cells: DesiredCell[],
  problems: InputProblem[],
  ctx: DecideContext,
): PlanRow['managerRef'] {
  const manager = p.mapped.manager;
  if (!manager || !ctx.manager) return undefined;
  const found = ctx.manager.resolve(manager.value);
  if ('id' in found) {
    cells[ctx.manager.targetIndex] = found.id;
    return undefined;
  }
  // Not on the server (yet): resolved when the run has created it, or reported missing.
  cells[ctx.manager.targetIndex] = undefined;
  if (found.matches > 1) {
    problems.push(
      problem(
        p,
        ctx,
        'manager_ambiguous',
        `${ctx.file}, row ${p.mapped.row}: the manager "${manager.value}" matches ${found.matches} accounts; the manager is left as it is.`,
        'Make the manager key unique.',
      ),
    );
  }
  return manager;
}

function decideUpsert(p: PreparedRow, match: RowMatch, ctx: DecideContext): PlanRow {
  const server = match.kind === 'one' ? match.server : undefined;
  const found = validateDesired(ctx.targets, p.cells, {
    schemas: ctx.schemas,
    resourceType: ctx.resourceType,
    forCreate: !server,
    file: ctx.file,
    row: p.mapped.row,
    line: p.mapped.line,
    sourceColumns: ctx.sourceColumns,
  });
  const problems = p.problems.length ? [...p.problems, ...found] : found;
  const display = server ? displayOf(server) : guessDisplay(p, ctx);
  if (hasErrors(problems)) return reportRow(p, 'invalid', display, match, problems, server);
  const cells = [...p.cells];
  const managerRef = resolveManager(p, cells, problems, ctx);
  const against =
    match.kind === 'one'
      ? { server: match.server, key: match.key, value: match.value, reason: match.reason }
      : { reason: match.reason };
  const planned = planUpsert(ctx, p.seq, p.mapped, cells, against, problems, managerRef);
  if (!planned.changes?.length) return planned;
  const refused = writeProblems(planned.changes, {
    schemas: ctx.schemas,
    file: ctx.file,
    line: p.mapped.line,
    row: p.mapped.row,
    targets: ctx.targets,
    sourceColumns: ctx.sourceColumns,
  });
  if (refused.length === 0) return planned;
  return reportRow(p, 'invalid', planned.display, match, [...problems, ...refused], server);
}

/** The plan row of one prepared CSV row (see the file comment). */
export function decideRow(p: PreparedRow, match: RowMatch, ctx: DecideContext): PlanRow {
  if (match.kind === 'many') return conflictRow(p, match, ctx);
  if (match.kind === 'one') {
    const guard = ctx.protects(match.server);
    if (guard !== undefined) return protectedRow(p, match, guard, ctx);
  }
  if (ctx.mode === 'upsert') return decideUpsert(p, match, ctx);
  if (isUnlistedMode(ctx.mode)) return decideKeep(p, match, ctx);
  return decideListed(p, match, ctx);
}
