/**
 * Problems grouped by cause: one entry per problem code + column (+ value, for codes whose value
 * is the cause, such as an unknown status word), with the exact count, the first few rows as
 * examples, and the fix when one is a single click. Accumulates in bounded memory, so the planner
 * can group a million rows' problems as it goes.
 */
import type { InputProblem } from '../import/types';
import type { ProblemCode } from './codes';

/** A fix the app can apply for the admin: add a status word to the "active" mapping. */
export type ProblemFix = { kind: 'status-word'; word: string };

/** One example row of a group. */
export type ProblemExample = {
  row?: number;
  line: number;
  value?: string;
  message: string;
};

export type ProblemGroup = {
  /** Stable key: code, column and (for value causes) the value. */
  key: string;
  code: ProblemCode;
  severity: 'error' | 'warning';
  column?: string;
  /** The value that is the cause (status words, yes/no words). */
  value?: string;
  /** Rows (problems) in the group, exact. */
  count: number;
  /** One line for the admin: "934 rows: "On Leave" is not a known status word". */
  headline: string;
  nextStep: string;
  /** The first rows, at most {@link GROUP_ROW_LIMIT} (fewer in a plan's summary). */
  examples: ProblemExample[];
  fix?: ProblemFix;
};

/** Rows kept per group (the count stays exact). */
export const GROUP_ROW_LIMIT = 200;
/** Groups kept (problems of further causes are counted in {@link GroupedProblems.otherCount}). */
export const GROUP_LIMIT = 100;

export type GroupedProblems = { groups: ProblemGroup[]; otherCount: number };

/** Codes whose value is the cause: rows with different values are different problems. */
const VALUE_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'unknown_status',
  'invalid_boolean',
]);

/** Words per code for groups mixing values; falls back to the first message. */
export const CODE_WORDS: Partial<Record<ProblemCode, string>> = {
  required_missing: 'a required value is empty',
  too_many_fields: 'more fields than the header',
  too_few_fields: 'fewer fields than the header',
  unclosed_quote: 'a quote is never closed',
  transform_failed: 'a transform could not be applied',
  not_integer: 'the value is not a whole number',
  not_decimal: 'the value is not a number',
  not_boolean: 'the value is not true or false',
  not_datetime: 'the value is not a date and time',
  excel_leading_zeros: 'Excel removed leading zeros',
  excel_scientific: 'Excel wrote the number in scientific notation',
  excel_date_serial: 'Excel turned the value into a date number',
};

function plural(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
}

/** The message without its "Row 12, " / "Row 12: " / "Line 4: " prefix. */
function withoutRowPrefix(message: string): string {
  return message.replace(/^(Row|Line) \d+[,:]\s*/, '');
}

function keyOf(p: InputProblem): string {
  const value = VALUE_CODES.has(p.code) ? (p.value ?? '') : '';
  return `${p.code}\u0000${p.column ?? ''}\u0000${value}`;
}

function headlineOf(g: ProblemGroup, first: InputProblem): string {
  const where = g.column !== undefined ? ` in "${g.column}"` : '';
  if (g.code === 'unknown_status' && g.value !== undefined) {
    return `${plural(g.count)}: "${g.value}" is not a known status word`;
  }
  if (g.count === 1 || VALUE_CODES.has(g.code)) {
    return `${plural(g.count)}: ${withoutRowPrefix(first.message)}`;
  }
  const words = CODE_WORDS[g.code] ?? withoutRowPrefix(first.message);
  return `${plural(g.count)}${where}: ${words}`;
}

/** Groups problems as they come; `result()` lists the groups, largest first. */
export function createProblemGrouper(rowLimit: number = GROUP_ROW_LIMIT) {
  const groups = new Map<string, { group: ProblemGroup; first: InputProblem }>();
  let otherCount = 0;
  return {
    add(p: InputProblem): void {
      const key = keyOf(p);
      let entry = groups.get(key);
      if (!entry) {
        if (groups.size >= GROUP_LIMIT) {
          otherCount += 1;
          return;
        }
        const value = VALUE_CODES.has(p.code) ? p.value : undefined;
        const group: ProblemGroup = {
          key,
          code: p.code,
          severity: p.severity,
          ...(p.column !== undefined ? { column: p.column } : {}),
          ...(value !== undefined ? { value } : {}),
          count: 0,
          headline: '',
          nextStep: p.nextStep,
          examples: [],
          ...(p.code === 'unknown_status' && value
            ? { fix: { kind: 'status-word', word: value } }
            : {}),
        };
        entry = { group, first: p };
        groups.set(key, entry);
      }
      const g = entry.group;
      g.count += 1;
      if (p.severity === 'error') g.severity = 'error';
      if (g.examples.length < rowLimit) {
        g.examples.push({
          ...(p.row !== undefined ? { row: p.row } : {}),
          line: p.line,
          ...(p.value !== undefined ? { value: p.value } : {}),
          message: p.message,
        });
      }
    },
    result(): GroupedProblems {
      const list = [...groups.values()]
        .map(({ group, first }) => ({
          ...group,
          examples: [...group.examples],
          headline: headlineOf(group, first),
        }))
        .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return { groups: list, otherCount };
    },
  };
}

/** Groups a list of problems at once. */
export function groupProblems(problems: readonly InputProblem[]): GroupedProblems {
  const grouper = createProblemGrouper();
  for (const p of problems) grouper.add(p);
  return grouper.result();
}
