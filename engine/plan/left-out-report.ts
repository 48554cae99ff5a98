/**
 * The rows a plan leaves out, listed next to it (`plan.left-out.csv`: row, line, action, code,
 * column, message, value): the CSV rows the reader could not read (damaged, undecodable bytes,
 * control characters) and the plan rows that will not be written (`invalid` — held back by a
 * check — and `conflict`). One line per problem that holds a row back, in row order, so the admin
 * has one place to fix the file from.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { formatSafeCsvRow } from '../csv/csv-format';
import { PRIVATE_FILE_MODE } from '../files/private-files';
import type { CsvDiagnostics, InputProblem, PlanRow } from '../../shared/import/types';
import { openPlan } from './plan-file';

export type LeftOut = {
  /** Rows left out: damaged in the file, invalid or conflicting in the plan. */
  rows: number;
  damaged: number;
  invalid: number;
  conflict: number;
  /** Damaged rows not listed because the reader keeps at most its problem limit. */
  unlisted: number;
  file: string;
};

/** The report's name for a plan file: `plan.jsonl` → `plan.left-out.csv`. */
function leftOutFileFor(planFile: string): string {
  return planFile.replace(/(\.jsonl)?$/i, '.left-out.csv');
}

type Line = { row: number; line: number; action: string; problem: InputProblem };

/** The row's errors; a row without one is reported under its action (`invalid`, `conflict`). */
function heldBack(r: PlanRow, action: 'invalid' | 'conflict'): InputProblem[] {
  const errors = (r.problems ?? []).filter((p) => p.severity === 'error');
  if (errors.length > 0) return errors;
  return [
    {
      file: '',
      line: r.line ?? 0,
      code: action,
      severity: 'error',
      message: r.match?.reason ?? `The row is ${r.action}.`,
      nextStep: '',
    },
  ];
}

/** Writes the report when the plan left rows out; resolves with the counts. */
export async function writeLeftOutReport(
  planFile: string,
  diagnostics: Pick<CsvDiagnostics, 'problems' | 'damagedRows' | 'problemsOmitted'>,
): Promise<LeftOut> {
  const lines: Line[] = diagnostics.problems
    .filter((p) => p.severity === 'error' && p.row !== undefined)
    .map((p) => ({ row: p.row ?? 0, line: p.line, action: 'not read', problem: p }));
  const listedDamaged = new Set(lines.map((l) => l.row)).size;
  let invalid = 0;
  let conflict = 0;
  const plan = await openPlan(planFile);
  try {
    for await (const r of plan.rows()) {
      if (r.action !== 'invalid' && r.action !== 'conflict') continue;
      if (r.action === 'invalid') invalid++;
      else conflict++;
      for (const problem of heldBack(r, r.action)) {
        lines.push({ row: r.row ?? 0, line: r.line ?? problem.line, action: r.action, problem });
      }
    }
  } finally {
    plan.close();
  }
  const file = leftOutFileFor(planFile);
  const counts = {
    damaged: diagnostics.damagedRows,
    invalid,
    conflict,
    rows: diagnostics.damagedRows + invalid + conflict,
    unlisted: Math.max(0, diagnostics.damagedRows - listedDamaged),
    file,
  };
  if (counts.rows === 0) return counts;
  lines.sort((a, b) => a.row - b.row);
  const out = createWriteStream(file, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
  out.write(formatSafeCsvRow(['row', 'line', 'action', 'code', 'column', 'message', 'value']));
  for (const l of lines) {
    const p = l.problem;
    // Cells come from the file: defanged so a spreadsheet never runs them as formulas.
    const text = formatSafeCsvRow([
      String(l.row),
      String(l.line),
      l.action,
      p.code,
      p.column ?? '',
      p.message,
      p.value ?? '',
    ]);
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return counts;
}
