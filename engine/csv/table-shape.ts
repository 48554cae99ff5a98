/**
 * The shape of the first records of a file — how many fields each has and how many are filled —
 * and what it says about where the table starts: report title lines above the header ("Employee
 * report", "Generated 2024-01-31"; Excel pads them with empty cells to the table's width), and a
 * header row that is missing (line 1 holds values like the rows below it). Works on a decoded
 * sample with {@link scanRecords}; the cells it looks at are cut from the raw text.
 */
import { countLineBreaks, scanRecords, type ScannedRecord } from './scan-records';

/** One non-blank record of the sample. */
type RecordShape = {
  /** Physical line of its first character, counted from the start of the sample (1-based). */
  line: number;
  /** Its cells, quotes removed (`""` → `"`), not trimmed. */
  cells: string[];
  /** Cells that are not blank. */
  filled: number;
};

/** Records looked at. */
const SAMPLE_RECORDS = 50;
/** Characters looked at. */
const SAMPLE_CHARS = 256 * 1024;
/** Title lines looked for above a header. */
const MAX_TITLE_LINES = 10;
/** Data rows compared with the header when judging whether it is one. */
const HEADER_CHECK_ROWS = 20;

function cellText(raw: string): string {
  const t = raw.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"'))
    return t.slice(1, -1).replaceAll('""', '"');
  return raw;
}

function cellsOf(text: string, r: ScannedRecord): string[] {
  const contentEnd =
    r.terminator === 'crlf' ? r.end - 2 : r.terminator === 'none' ? r.end : r.end - 1;
  return r.fieldStarts.map((s, k) => {
    const next = r.fieldStarts[k + 1];
    return cellText(text.slice(s, next === undefined ? contentEnd : next - 1));
  });
}

/** The non-blank records at the start of `text` (a record of empty cells is blank). */
export function shapeOf(text: string, delimiter: string, eof: boolean): RecordShape[] {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const sampleEof = eof && sample.length === text.length;
  const records = scanRecords(sample, delimiter, { eof: sampleEof, maxRecords: SAMPLE_RECORDS });
  const shapes: RecordShape[] = [];
  let line = 1;
  let at = 0;
  for (const r of records) {
    line += countLineBreaks(sample, at, r.start);
    at = r.start;
    const cells = cellsOf(sample, r);
    const filled = cells.filter((c) => c.trim() !== '').length;
    if (filled > 0) shapes.push({ line, cells, filled });
  }
  return shapes;
}

/** Fields up to the last filled one: Excel pads short lines with empty cells to the table width. */
function used(s: RecordShape): number {
  let n = s.cells.length;
  while (n > 0 && (s.cells[n - 1] ?? '').trim() === '') n--;
  return n;
}

/**
 * The width most records share (counting fields up to the last filled one), when two or more
 * records and at least half of them have it; 0 when no width stands out.
 */
function tableWidth(shapes: readonly RecordShape[]): number {
  const counts = new Map<number, number>();
  for (const s of shapes) counts.set(used(s), (counts.get(used(s)) ?? 0) + 1);
  let width = 0;
  let best = 0;
  for (const [w, n] of counts) {
    if (n > best || (n === best && w > width)) {
      width = w;
      best = n;
    }
  }
  return best >= 2 && best * 2 >= shapes.length ? width : 0;
}

/**
 * How many leading records are title lines rather than the header: records narrower than the
 * table (or with a single filled cell), followed by a record of the table's width with two or
 * more filled cells, followed by rows of that width. 0 when the first record looks like a header.
 */
export function titleRecords(shapes: readonly RecordShape[]): number {
  if (shapes.length < 3) return 0;
  const width = tableWidth(shapes.slice(1));
  if (width < 2) return 0;
  let lead = 0;
  const limit = Math.min(MAX_TITLE_LINES, shapes.length - 1);
  while (lead < limit) {
    const s = shapes[lead];
    if (!s || (used(s) >= width && s.filled > 1)) break;
    lead++;
  }
  const header = shapes[lead];
  if (lead === 0 || !header || used(header) !== width || header.filled < 2) return 0;
  // The rows below must be a table of that width (not lines a delimiter in the data splits).
  const rows = shapes.slice(lead + 1);
  const fitting = rows.filter((r) => used(r) === width).length;
  return rows.length > 0 && fitting >= rows.length * 0.8 ? lead : 0;
}

/** The most frequent number of fields (ties: the larger); the header width of a file without one. */
export function columnCount(shapes: readonly RecordShape[]): number {
  const counts = new Map<number, number>();
  for (const s of shapes) counts.set(s.cells.length, (counts.get(s.cells.length) ?? 0) + 1);
  let width = 1;
  let best = 0;
  for (const [w, n] of counts) {
    if (n > best || (n === best && w > width)) {
      width = w;
      best = n;
    }
  }
  return width;
}

type ValueKind = 'email' | 'number' | 'date';

const EMAIL = /^[^\s@",;<>]+@[^\s@",;<>]+\.[^\s@",;<>]+$/;
const NUMBER = /^[+-]?\d+(?:[.,]\d+)*$/;
const DATE = /^(?:\d{4}-\d{2}-\d{2}(?:[T ].*)?|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$/;

/** What kind of value a cell holds, when it is one no header would be named. */
function valueKind(cell: string): ValueKind | undefined {
  const t = cell.trim();
  if (EMAIL.test(t)) return 'email';
  if (DATE.test(t)) return 'date';
  if (NUMBER.test(t)) return 'number';
  return undefined;
}

/**
 * A cell of the header record that is a value (an email address, a number, a date) in a column
 * whose cells below are values of the same kind: the file has no header row, its first record is
 * data. Undefined when the header looks like column names.
 */
export function headerValue(shapes: readonly RecordShape[], at: number): string | undefined {
  const header = shapes[at];
  if (!header) return undefined;
  const rows = shapes
    .slice(at + 1, at + 1 + HEADER_CHECK_ROWS)
    .filter((s) => s.cells.length === header.cells.length);
  if (rows.length === 0) return undefined;
  for (let j = 0; j < header.cells.length; j++) {
    const cell = header.cells[j] ?? '';
    const kind = valueKind(cell);
    if (!kind) continue;
    const same = rows.filter((r) => valueKind(r.cells[j] ?? '') === kind).length;
    if (same >= Math.ceil(rows.length * 0.8)) return cell.trim();
  }
  return undefined;
}
