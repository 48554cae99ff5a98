/**
 * Guards every mapped row before it is matched and planned, so nothing reaches the server in a
 * form the file did not mean. A row a guard holds back carries an error problem, which makes it
 * `invalid` in the plan (it is not written):
 *
 * - value safety (engine/resources/value-safety.ts): control characters, invisible characters inside
 *   keys and emails (edges are trimmed, with a warning), over-long email addresses;
 * - Excel damage (lost leading zeros, numbers in scientific notation, date serials) in a column the
 *   mapping sends, as the reader marked it on the row — unless the admin accepts Excel damage;
 * - manager cycles (A reports to B, B reports to A, or someone to themself), given as `cycles`:
 *   the planner finds them while it plans (manager-refs.ts) and, when there are any, plans the
 *   file again with them known (planner.ts) — unless the admin accepts manager cycles.
 *
 * A sweep of unlisted accounts must not run on a partial list: the accounts of rows the reader
 * left out, or whose key a guard refused, would be swept. {@link RowGuards.assertCompleteList}
 * stops such a plan.
 */
import { basename } from 'node:path';
import { AppError } from '../../shared/errors/errors';
import type { CsvDiagnostics, CsvRow, InputProblem, MappedRow } from '../../shared/import/types';
import type { CompiledMapping } from '../mapping/compile';
import { isUnlistedMode, type PlanMode } from '../../shared/plan/plan-format';
import { createValueSafety } from '../resources/value-safety';
import type { ProblemCode } from '../../shared/problems/codes';

/** What the admin accepts explicitly (default: nothing; such rows are held back). */
export type PlanAcceptance = {
  /** Send values Excel damaged (lost leading zeros, scientific notation, date serials) as they are. */
  excelDamage?: boolean;
  /** Write managers that form a cycle. */
  managerCycles?: boolean;
};

type RowGuardOptions = {
  file: string;
  compiled: CompiledMapping;
  /** The CSV's headers. */
  headers: readonly string[];
  accept?: PlanAcceptance;
  /** The rows in a manager cycle, each with its cycle ({@link cycleRows}); held back unless accepted. */
  cycles?: ReadonlyMap<number, readonly number[]>;
};

export type RowGuards = {
  /** Checks a mapped row (trimming its key values in place) and adds the problems to it. */
  check(csvRow: CsvRow, mapped: MappedRow): MappedRow;
  /** Throws when a sweep of unlisted accounts would run on a list with rows left out. */
  assertCompleteList(mode: PlanMode, diagnostics: CsvDiagnostics): void;
};

const EXCEL_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'excel_leading_zeros',
  'excel_scientific',
  'excel_date_serial',
]);

/** Rows named in a message, at most this many. */
const ROWS_NAMED = 5;

/** Each row of the cycles (row numbers in reporting order, from manager-refs.ts) → its cycle. */
export function cycleRows(cycles: readonly (readonly number[])[]): Map<number, readonly number[]> {
  const byRow = new Map<number, readonly number[]>();
  for (const cycle of cycles) for (const row of cycle) byRow.set(row, cycle);
  return byRow;
}

function cycleProblem(file: string, mapped: MappedRow, cycle: readonly number[]): InputProblem {
  const chain = [...cycle, cycle[0]].map((r) => String(r)).join(' → ');
  return {
    file,
    line: mapped.line,
    row: mapped.row,
    code: 'manager_cycle',
    severity: 'error',
    message:
      cycle.length === 1
        ? `Row ${mapped.row} (line ${mapped.line}) of ${basename(file)}: the row names itself as its manager; the row is held back so the loop is not written.`
        : `Row ${mapped.row} (line ${mapped.line}) of ${basename(file)}: its manager chain loops back to it (rows ${chain}); the row is held back so the loop is not written.`,
    nextStep:
      'Correct the manager column of these rows; if the loop is intended, plan again accepting manager cycles (--accept-manager-cycles).',
  };
}

function heldExcel(p: InputProblem): InputProblem {
  return {
    ...p,
    severity: 'error',
    message: `${p.message} The row is held back.`,
    nextStep: `${p.nextStep} To send the value as it is, plan again accepting Excel damage (--accept-excel-damage).`,
  };
}

/** The guards of one plan. */
export function createRowGuards(opts: RowGuardOptions): RowGuards {
  const { compiled, file } = opts;
  const values = createValueSafety({
    file,
    targets: compiled.targets,
    matchKeys: compiled.matchKeys,
    sources: compiled.sources,
    headers: opts.headers,
    ...(compiled.manager ? { managerTarget: compiled.manager.target } : {}),
  });
  const sent = new Set(compiled.sources.flat());
  if (compiled.groups) sent.add(compiled.groups.column);
  const keyColumns = new Set([...values.keyTargets].flatMap((i) => compiled.sources[i] ?? []));
  const cycles = opts.accept?.managerCycles ? undefined : opts.cycles;
  const keyHeld: { row: number; line: number }[] = [];
  let keyHeldCount = 0;

  return {
    check(csvRow, mapped) {
      const found = values.check(mapped, csvRow);
      for (const p of csvRow.problems ?? []) {
        if (!EXCEL_CODES.has(p.code) || p.column === undefined || !sent.has(p.column)) continue;
        found.push(opts.accept?.excelDamage ? p : heldExcel(p));
      }
      const cycle = cycles?.get(mapped.row);
      if (cycle) found.push(cycleProblem(file, mapped, cycle));
      if (
        found.some(
          (p) => p.severity === 'error' && p.column !== undefined && keyColumns.has(p.column),
        )
      ) {
        if (keyHeldCount++ < ROWS_NAMED) keyHeld.push({ row: mapped.row, line: mapped.line });
      }
      mapped.problems.push(...found);
      return mapped;
    },

    assertCompleteList(mode, diagnostics) {
      if (!isUnlistedMode(mode)) return;
      const damaged = diagnostics.damagedRows;
      if (damaged + keyHeldCount === 0) return;
      const named = [
        ...diagnostics.problems.filter((p) => p.severity === 'error' && p.row !== undefined),
        ...keyHeld,
      ]
        .slice(0, ROWS_NAMED)
        .map((p) => `row ${p.row ?? '?'} (line ${p.line})`);
      const total = damaged + keyHeldCount;
      throw new AppError(
        'input',
        `A sweep of unlisted accounts needs every row of ${basename(file)}, but ${total} ${total === 1 ? 'row was' : 'rows were'} left out (${named.join(', ')}${total > named.length ? ', …' : ''}): the accounts ${total === 1 ? 'it names' : 'they name'} would be swept.`,
        {
          nextStep:
            'Fix those rows (the file check names what is wrong with each) or remove them on purpose, then plan again.',
        },
      );
    },
  };
}
