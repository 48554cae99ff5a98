/**
 * The per-row hot path of a compiled mapping: read each target's source, run its transforms, apply
 * its empty policy. Runs once per CSV row (millions of times), so everything that can be is built
 * beforehand; a failing transform costs a problem object, nothing else does.
 */
import type { CsvRow, DesiredCell, InputProblem, MappedRow } from '../../shared/import/types';
import type { SourceReader } from '../../shared/mapping/sources';
import { TransformFailure, type StringFn } from './transforms';
import { PROBLEM_VALUE_CHARS, shorten } from '../../shared/util/shorten';

/** How one target cell is made. */
export type CellPlan = {
  /** The target header (for messages). */
  target: string;
  /** The CSV columns it reads (for messages). */
  columns: readonly string[];
  read: SourceReader;
  transform: StringFn;
  /** Applied to a non-empty value after the transforms (boolean and status words); may throw. */
  finish?: StringFn;
  /** The cell for an empty value: undefined (keep), null (clear) or a default text. */
  empty: DesiredCell;
};

/** Everything {@link createRowMapper} needs. */
export type RowMapperPlan = {
  file: string;
  cells: readonly CellPlan[];
  /** The target index of `manager.value`, and the key kind it holds. */
  manager?: { index: number; by: string };
  groups?: {
    read: SourceReader;
    split: (cell: string) => string[];
    /** The groups of an empty cell: undefined (leave memberships alone) or [] (no groups). */
    empty: string[] | undefined;
  };
};

/** Builds `mapRow` for a plan. */
export function createRowMapper(plan: RowMapperPlan): (row: CsvRow) => MappedRow {
  const cellPlans = plan.cells;
  const n = cellPlans.length;
  const managerAt = plan.manager?.index ?? -1;
  const managerBy = plan.manager?.by ?? '';
  const groups = plan.groups;
  return (row) => {
    const cells = row.cells;
    const out: DesiredCell[] = [];
    let problems: InputProblem[] | undefined;
    let manager: MappedRow['manager'];
    for (let i = 0; i < n; i++) {
      const p = cellPlans[i];
      if (p === undefined) continue;
      let v: string;
      try {
        v = p.transform(p.read(cells));
        if (v !== '' && p.finish) v = p.finish(v);
      } catch (e) {
        if (!(e instanceof TransformFailure)) throw e;
        (problems ??= []).push(cellProblem(plan.file, row, p, e));
        out.push(undefined);
        continue;
      }
      if (v === '') {
        out.push(p.empty);
      } else {
        out.push(v);
        if (i === managerAt) manager = { by: managerBy, value: v };
      }
    }
    let groupNames: string[] | undefined;
    if (groups) {
      const cell = groups.read(cells);
      groupNames = cell === '' ? groups.empty : groups.split(cell);
    }
    return {
      row: row.row,
      line: row.line,
      cells: out,
      groups: groupNames,
      manager,
      problems: problems ?? [],
    };
  };
}

/** The row problem for a failed transform, naming row, column and value. */
function cellProblem(file: string, row: CsvRow, p: CellPlan, e: TransformFailure): InputProblem {
  const column = p.columns.length === 1 ? p.columns[0] : undefined;
  let value: string | undefined;
  try {
    value = shorten(p.read(row.cells), PROBLEM_VALUE_CHARS);
  } catch {
    value = undefined;
  }
  const from = p.columns.length === 0 ? '' : ` from ${p.columns.map((c) => `"${c}"`).join(', ')}`;
  return {
    file,
    line: row.line,
    row: row.row,
    ...(column !== undefined ? { column } : {}),
    ...(value !== undefined ? { value } : {}),
    code: e.code,
    severity: 'error',
    message: `Row ${row.row}, ${p.target}${from}: ${e.message}.`,
    nextStep: e.nextStep,
  };
}
