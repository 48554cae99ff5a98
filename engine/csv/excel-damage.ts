/**
 * Signs that a CSV went through Excel and lost data on the way — warnings, not errors, reported
 * once per column with a count and the first example:
 *
 * - `excel_leading_zeros`: a column of zero-padded fixed-width numbers (`000123`) where some values
 *   are shorter (`123`): Excel stores ids as numbers and drops the zeros;
 * - `excel_scientific`: values like `1.23457E+11`: Excel shows long numbers that way and saves
 *   what it shows, so the digits are lost;
 * - `excel_date_format`: a date column mixing ISO `2024-01-31` with `1/31/2024` or `31.01.2024`;
 * - `excel_date_serial`: numbers like `45322` (days since 1899-12-30) in a column named like a date.
 *
 * Statistics are kept per column in constant memory, so it runs on files of any size.
 *
 * Besides these file-level warnings, {@link ExcelDamageDetector.rowJudge} marks each row whose
 * values carry the damage (a lost zero, a rounded number, a date serial) with a warning of its
 * own, so the planner can hold back the rows whose damaged value it would send. Zeros are judged
 * against the column statistics of the rows seen before the judge was made (the reader makes it
 * after a look-ahead of a few thousand rows).
 */
import { basename } from 'node:path';
import type { CsvRow, InputProblem } from '../../shared/import/types';

type Example = { row: number; line: number; value: string };

type ColumnStats = {
  digitValues: number;
  /** Digit-only values by length. */
  byLength: Map<number, number>;
  /** Zero-padded (`0…`, length > 1) values by length. */
  paddedByLength: Map<number, number>;
  /** First digit-only value of each length (for the example of a short one). */
  firstOfLength: Map<number, Example>;
  scientific: number;
  firstScientific?: Example;
  iso: number;
  otherDate: number;
  firstOtherDate?: Example;
  serial: number;
  firstSerial?: Example;
};

const DIGITS = /^\d+$/;
const SCIENTIFIC = /^-?\d+(?:\.\d+)?E\+\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ].*)?$/;
const LOCAL_DATE = /^\d{1,2}[/.]\d{1,2}[/.](?:\d{2}|\d{4})(?: .*)?$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;
/** Words of a header that mark a date column (`hireDate`, `meta.created`, `valid_until`). */
const DATE_WORDS: ReadonlySet<string> = new Set(
  'date dates time timestamp day birthday dob born hire hired created modified updated changed expires expiry expiration valid since until start end at on'.split(
    ' ',
  ),
);

/** True when a header names a date: one of its words (camelCase, `_`, `.`, spaces) is a date word. */
export function isDateNamed(header: string): boolean {
  const words = header
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/);
  return words.some((w) => DATE_WORDS.has(w));
}

/** Excel serial numbers plausible as dates: 1954-10-03 … 2119-01-10. */
const SERIAL_MIN = 20_000;
const SERIAL_MAX = 80_000;

function emptyStats(): ColumnStats {
  return {
    digitValues: 0,
    byLength: new Map(),
    paddedByLength: new Map(),
    firstOfLength: new Map(),
    scientific: 0,
    iso: 0,
    otherDate: 0,
    serial: 0,
  };
}

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** `45322` → `2024-01-31`. */
export function excelSerialToIso(serial: number): string {
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

export class ExcelDamageDetector {
  private readonly stats: ColumnStats[];
  private readonly dateNamed: boolean[];

  constructor(private readonly headers: readonly string[]) {
    this.stats = headers.map(emptyStats);
    this.dateNamed = headers.map(isDateNamed);
  }

  /** Looks at one good row (cells as read, before any mapping). */
  observe(cells: readonly string[], row: number, line: number): void {
    const n = Math.min(cells.length, this.stats.length);
    for (let i = 0; i < n; i++) {
      const value = cells[i];
      if (value === undefined || value === '') continue;
      const c = value.charCodeAt(0);
      // Every pattern starts with a digit (or `-` for a negative scientific value).
      if ((c < 0x30 || c > 0x39) && c !== 0x2d) continue;
      const s = this.stats[i];
      if (s) this.classify(s, i, value, row, line);
    }
  }

  private classify(s: ColumnStats, i: number, value: string, row: number, line: number): void {
    if (DIGITS.test(value)) {
      s.digitValues++;
      bump(s.byLength, value.length);
      if (value.length > 1 && value.charCodeAt(0) === 0x30) bump(s.paddedByLength, value.length);
      if (!s.firstOfLength.has(value.length)) {
        s.firstOfLength.set(value.length, { row, line, value });
      }
      if (this.dateNamed[i] && SERIAL.test(value)) this.serial(s, value, row, line);
      return;
    }
    if (SCIENTIFIC.test(value)) {
      s.scientific++;
      s.firstScientific ??= { row, line, value };
      return;
    }
    if (ISO_DATE.test(value)) {
      s.iso++;
      return;
    }
    if (LOCAL_DATE.test(value)) {
      s.otherDate++;
      s.firstOtherDate ??= { row, line, value };
      return;
    }
    if (this.dateNamed[i] && SERIAL.test(value)) this.serial(s, value, row, line);
  }

  private serial(s: ColumnStats, value: string, row: number, line: number): void {
    const n = Number(value);
    if (n < SERIAL_MIN || n > SERIAL_MAX) return;
    s.serial++;
    s.firstSerial ??= { row, line, value };
  }

  /**
   * A function that names the damaged values of one row (warnings with its row and column), by
   * the column statistics observed so far, which it keeps as they are now.
   */
  rowJudge(file: string): (row: CsvRow) => InputProblem[] {
    const widths = this.stats.map(paddedWidth);
    const headers = this.headers;
    const dateNamed = this.dateNamed;
    return (row) => {
      let out: InputProblem[] | undefined;
      const n = Math.min(row.cells.length, headers.length);
      for (let i = 0; i < n; i++) {
        const value = row.cells[i] ?? '';
        const c = value.charCodeAt(0);
        if ((c < 0x30 || c > 0x39) && c !== 0x2d) continue;
        const code = damageOf(value, widths[i], dateNamed[i] === true);
        if (code) (out ??= []).push(rowDamage(file, row, headers[i] ?? '', value, code, widths[i]));
      }
      return out ?? [];
    };
  }

  /** The warnings for everything observed so far (one per column and kind). */
  problems(file: string): InputProblem[] {
    const out: InputProblem[] = [];
    this.stats.forEach((s, i) => {
      const column = this.headers[i] ?? `Column ${i + 1}`;
      const zeros = lostZeros(s);
      if (zeros) out.push(leadingZerosProblem(file, column, zeros));
      if (s.firstScientific) {
        out.push(scientificProblem(file, column, s.scientific, s.firstScientific));
      }
      if (s.iso > 0 && s.firstOtherDate) {
        out.push(dateFormatProblem(file, column, s.otherDate, s.firstOtherDate));
      }
      if (s.firstSerial) out.push(serialProblem(file, column, s.serial, s.firstSerial));
    });
    return out;
  }
}

type RowDamageCode = 'excel_leading_zeros' | 'excel_scientific' | 'excel_date_serial';

/** The width of a column's zero-padded numbers, when it is mostly made of them. */
function paddedWidth(s: ColumnStats): number | undefined {
  let width = 0;
  let padded = 0;
  for (const [length, count] of s.paddedByLength) {
    if (count > padded || (count === padded && length > width)) {
      width = length;
      padded = count;
    }
  }
  if (padded < 2 || (s.byLength.get(width) ?? 0) * 2 < s.digitValues) return undefined;
  return width;
}

/** Which damage one value shows, by its column's padded width and whether it names a date. */
function damageOf(
  value: string,
  width: number | undefined,
  dateNamed: boolean,
): RowDamageCode | undefined {
  if (DIGITS.test(value)) {
    if (width !== undefined && value.length < width) return 'excel_leading_zeros';
    if (dateNamed && isSerial(value)) return 'excel_date_serial';
    return undefined;
  }
  if (SCIENTIFIC.test(value)) return 'excel_scientific';
  if (dateNamed && isSerial(value)) return 'excel_date_serial';
  return undefined;
}

function isSerial(value: string): boolean {
  if (!SERIAL.test(value)) return false;
  const n = Number(value);
  return n >= SERIAL_MIN && n <= SERIAL_MAX;
}

function rowDamage(
  file: string,
  row: CsvRow,
  column: string,
  value: string,
  code: RowDamageCode,
  width: number | undefined,
): InputProblem {
  const at = `Row ${row.row} (line ${row.line}) of ${basename(file)}: "${value}" in column "${column}"`;
  const message =
    code === 'excel_leading_zeros'
      ? `${at} is shorter than the column's ${width ?? 0}-digit zero-padded numbers; Excel probably removed its leading zeros.`
      : code === 'excel_scientific'
        ? `${at} is a number in scientific notation; Excel rounded it and its digits are lost.`
        : `${at} looks like an Excel date number (Excel means ${excelSerialToIso(Number(value))}).`;
  return {
    file,
    line: row.line,
    row: row.row,
    column,
    value,
    code,
    severity: 'warning',
    message,
    nextStep: OPEN_AS_TEXT,
  };
}

type LostZeros = { width: number; count: number; first: Example };

/**
 * The column is mostly `width`-digit values, some zero-padded, and `count` digit values are
 * shorter than that.
 */
function lostZeros(s: ColumnStats): LostZeros | undefined {
  const width = paddedWidth(s);
  if (width === undefined) return undefined;
  let count = 0;
  let first: Example | undefined;
  for (const [length, n] of s.byLength) {
    if (length >= width) continue;
    count += n;
    const example = s.firstOfLength.get(length);
    if (example && (!first || example.row < first.row)) first = example;
  }
  return first ? { width, count, first } : undefined;
}

function where(e: Example): string {
  return `line ${e.line} (row ${e.row})`;
}

function values(n: number): string {
  return n === 1 ? '1 value' : `${n} values`;
}

function located(file: string, column: string, e: Example) {
  return { file, line: e.line, row: e.row, column, value: e.value } as const;
}

const OPEN_AS_TEXT =
  'Fix the values in the file (or export it again) and, if you edit it in Excel, open it with Data › From Text/CSV and set this column to Text.';

function leadingZerosProblem(file: string, column: string, z: LostZeros): InputProblem {
  return {
    ...located(file, column, z.first),
    code: 'excel_leading_zeros',
    severity: 'warning',
    message: `Column "${column}" of ${basename(file)} holds ${z.width}-digit zero-padded numbers, but ${values(z.count)} ${z.count === 1 ? 'is' : 'are'} shorter, first "${z.first.value}" on ${where(z.first)}: Excel probably removed their leading zeros.`,
    nextStep: OPEN_AS_TEXT,
  };
}

function scientificProblem(file: string, column: string, n: number, e: Example): InputProblem {
  return {
    ...located(file, column, e),
    code: 'excel_scientific',
    severity: 'warning',
    message: `Column "${column}" of ${basename(file)} has ${values(n)} in scientific notation, first "${e.value}" on ${where(e)}: Excel rounded these numbers and their digits are lost.`,
    nextStep: OPEN_AS_TEXT,
  };
}

function dateFormatProblem(file: string, column: string, n: number, e: Example): InputProblem {
  return {
    ...located(file, column, e),
    code: 'excel_date_format',
    severity: 'warning',
    message: `Column "${column}" of ${basename(file)} mixes date formats: ${values(n)} such as "${e.value}" on ${where(e)} ${n === 1 ? 'is' : 'are'} not written YYYY-MM-DD like the others; Excel probably reformatted them.`,
    nextStep: `Write every date as YYYY-MM-DD. ${OPEN_AS_TEXT}`,
  };
}

function serialProblem(file: string, column: string, n: number, e: Example): InputProblem {
  return {
    ...located(file, column, e),
    code: 'excel_date_serial',
    severity: 'warning',
    message: `Column "${column}" of ${basename(file)} has ${values(n)} that look like Excel date numbers, first "${e.value}" on ${where(e)} (which Excel means as ${excelSerialToIso(Number(e.value))}).`,
    nextStep: `Write the dates as YYYY-MM-DD. ${OPEN_AS_TEXT}`,
  };
}
