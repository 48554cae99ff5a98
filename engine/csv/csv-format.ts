/**
 * CSV output (RFC 4180) and spreadsheet formula-injection neutralisation (OWASP "CSV Injection").
 *
 * Pure string functions: no I/O, no Node or DOM APIs, so the engine, the CLI and the renderer share
 * them. Callers encode the returned text as UTF-8.
 */

/** The UTF-8 byte-order mark; written first so Excel opens a CSV file as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/** The RFC 4180 line break, which ends every row. */
export const CSV_LINE_END = '\r\n';

/** Options for {@link formatCsvRow}. */
type CsvRowOptions = {
  /** One character that separates fields; default `,`. Must not be `"`, CR or LF. */
  delimiter?: string;
};

/**
 * Formats one CSV row, including its trailing CRLF (RFC 4180 §2).
 *
 * A field is enclosed in double quotes when it contains the delimiter, `"`, CR or LF, or starts or
 * ends with a space or tab (so spreadsheets and trimming parsers keep the blanks); a `"` inside is
 * doubled. A row with a single empty field is written as `""` so it is not mistaken for a blank
 * line, which most CSV readers skip.
 */
export function formatCsvRow(cells: readonly string[], opts: CsvRowOptions = {}): string {
  const delimiter = opts.delimiter ?? ',';
  assertDelimiter(delimiter);
  if (cells.length === 1 && cells[0] === '') return `""${CSV_LINE_END}`;
  return cells.map((cell) => formatCsvField(cell, delimiter)).join(delimiter) + CSV_LINE_END;
}

/** Formats one field: quoted (with inner quotes doubled) only when RFC 4180 or blanks require it. */
export function formatCsvField(value: string, delimiter = ','): string {
  return needsQuotes(value, delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** True when a field must be enclosed in double quotes. */
function needsQuotes(value: string, delimiter: string): boolean {
  if (value === '') return false;
  if (
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\r') ||
    value.includes('\n')
  ) {
    return true;
  }
  return isBlank(value[0]) || isBlank(value[value.length - 1]);
}

/** A leading or trailing character that readers may trim. */
function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Rejects delimiters that would make the output ambiguous. */
function assertDelimiter(delimiter: string): void {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') {
    throw new Error(
      `The CSV delimiter must be one character other than a double quote or line break, got ${JSON.stringify(delimiter)}.`,
    );
  }
}

/** First characters that make a spreadsheet treat a cell as a formula (OWASP CSV Injection). */
const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

/** The prefix that defangs a formula: spreadsheets show the rest of the cell as text. */
const ESCAPE_PREFIX = "'";

/** True when `c` is one of the OWASP formula trigger characters `= + - @ TAB CR`. */
function isFormulaTrigger(c: string | undefined): boolean {
  return c !== undefined && FORMULA_TRIGGERS.has(c);
}

/**
 * True when {@link escapeFormula} changes `value`: it starts with a formula trigger, or with `'`
 * followed by a trigger or by another `'` (escaped too, so that unescaping is exact).
 */
export function needsFormulaEscape(value: string): boolean {
  if (isFormulaTrigger(value[0])) return true;
  return value[0] === ESCAPE_PREFIX && isEscapedTail(value[1]);
}

/** The character after a leading `'` that marks the `'` as added by {@link escapeFormula}. */
function isEscapedTail(c: string | undefined): boolean {
  return isFormulaTrigger(c) || c === ESCAPE_PREFIX;
}

/**
 * Neutralises a cell a spreadsheet would run as a formula by prefixing `'` (OWASP). Values such as
 * `+14155550100` or `-5` are changed too; {@link unescapeFormula} restores every value exactly.
 */
export function escapeFormula(value: string): string {
  return needsFormulaEscape(value) ? ESCAPE_PREFIX + value : value;
}

/**
 * Formats one row of a CSV that leaves the app (exports, reports, plan side files) with every cell
 * defanged by {@link escapeFormula}: the one row writer for engine-written CSVs.
 */
export function formatSafeCsvRow(cells: readonly string[], opts: CsvRowOptions = {}): string {
  return formatCsvRow(cells.map(escapeFormula), opts);
}

/**
 * Reverses {@link escapeFormula}: strips one leading `'` when it is followed by a formula trigger or
 * another `'`; any other value is returned unchanged. `unescapeFormula(escapeFormula(v)) === v`.
 */
export function unescapeFormula(value: string): string {
  return value[0] === ESCAPE_PREFIX && isEscapedTail(value[1]) ? value.slice(1) : value;
}
