/**
 * The CSV reader of import planning: opens a file, works out its encoding, delimiter, line ending
 * and headers (inspect.ts), then streams its good rows while collecting what is wrong with the
 * others.
 *
 *   bytes ─► inspect (encoding, refusals, `sep=`, delimiter, header place, headers)
 *         ─► decode-stream (stamp checked per chunk) ─► record-parser (Papa Parse)
 *         ─► field-count and quote checks ─► formula unescaping ─► encoding and control checks
 *         ─► Excel damage marks ─► CsvRow
 *
 * Damaged rows (wrong number of fields, quote problems, bytes the encoding cannot decode, control
 * characters) are left out of `rows()` and reported with row and column; renamed headers and
 * Excel damage are warnings. A file another program changes while it is read stops the read.
 * Memory stays flat whatever the file size: text is read as the consumer pulls rows, a chunk at a
 * time.
 */
import { basename } from 'node:path';
import { controlCharacterAt, hasControlOrReplacement } from './text-safety';
import { unescapeFormula } from './csv-format';
import { AppError } from '../../shared/errors/errors';
import type {
  CsvDelimiter,
  CsvDiagnostics,
  CsvEncoding,
  CsvFileInfo,
  CsvRow,
  InputProblem,
} from '../../shared/import/types';
import { ExcelDamageDetector } from './excel-damage';
import { beforeTable, checkSignal, inspect, records, type Layout } from './inspect';
import {
  badQuote,
  controlCharacter,
  extraEmptyFields,
  invalidEncoding,
  noRows,
  ProblemSink,
  recordTooLarge,
  tooFewFields,
  tooManyFields,
  unclosedQuote,
  type RowContext,
} from './problems';
import type { CsvRecord } from './record-parser';
import type { LineBreak } from './scan-records';
import { lineEndingOf } from './sniff-delimiter';

export type CsvReadOptions = {
  /** Force an encoding / delimiter instead of detecting. */
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
  /** Reverse the exporter's formula escaping (`'=x` → `=x`) — default true. */
  unescapeFormulas?: boolean;
  /**
   * Physical lines before the header row to skip (the Microsoft Entra bulk template's
   * `version:v1.0` line, report titles); default 0. Line numbers still count them. An Excel
   * `sep=` first line is skipped whatever this says.
   */
  skipLines?: number;
  /**
   * Whether the first record (after the skipped lines) is the header. Unset: it is, and the reader
   * refuses a file whose first record looks like data (no header row) or like a title above the
   * header, naming the fix. `true`: it is, no questions asked. `false`: the file has no header
   * row; its columns are called `Column 1`, `Column 2`, … and every record is a row.
   */
  header?: boolean;
  /** Keep at most this many problems in diagnostics (default 1000); count the rest in problemsOmitted. */
  maxProblems?: number;
  /**
   * Longest record, in characters, before the reader gives up on the rest of the file (default
   * 32 Mi): bounds memory when a quote is never closed.
   */
  maxRecordChars?: number;
  /** Bytes read from disk at a time (default 256 KiB). */
  readChunkBytes?: number;
  /**
   * Awaited after each chunk is read from disk, before the file is checked for changes: a seam
   * for tests that change the file mid-read.
   */
  afterChunk?: (bytesRead: number) => void | Promise<void>;
  signal?: AbortSignal;
};

export type CsvSource = {
  /** Known before the first row. */
  info: CsvFileInfo;
  /** Good rows only, streaming, read as they are pulled; iterate once. */
  rows(): AsyncIterable<CsvRow>;
  /** Complete after rows() finished; before that, what was found so far. */
  diagnostics(): CsvDiagnostics;
};

const DEFAULT_MAX_PROBLEMS = 1000;
const DEFAULT_MAX_RECORD_CHARS = 32 * 1024 * 1024;
/** Rows held back before the first is yielded, so Excel damage is judged on column statistics. */
const EXCEL_LOOKAHEAD_ROWS = 2000;
/** …or this many characters of cells, whichever comes first. */
const EXCEL_LOOKAHEAD_CHARS = 8 * 1024 * 1024;

/** The problem that excludes a record for its shape (fields, quotes, size), if any. */
function shapeDamage(record: CsvRecord, c: RowContext, layout: Layout): InputProblem | undefined {
  const { quote, fields } = record;
  const width = c.headers.length;
  if (!quote && !record.cut && fields.length === width) return undefined;
  if (record.cut === 'too_large') return recordTooLarge(c, layout.maxRecordChars);
  if (quote) {
    const column = c.headers[quote.field];
    return quote.code === 'unclosed_quote'
      ? unclosedQuote(
          c,
          column,
          quote.line,
          record.lastLine,
          record.cut ? layout.maxRecordChars : undefined,
        )
      : badQuote(c, column, quote.line, record.lastLine, quote.excerpt);
  }
  if (fields.length > width) {
    for (let i = width; i < fields.length; i++) {
      if (fields[i] !== '') return tooManyFields(c, fields);
    }
    return undefined;
  }
  if (fields.length < width) return tooFewFields(c, fields);
  return undefined;
}

/** The problem that excludes a row for a cell's characters: undecodable bytes, control characters. */
function textDamage(
  cells: readonly string[],
  c: RowContext,
  layout: Layout,
): InputProblem | undefined {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] ?? '';
    if (!hasControlOrReplacement(cell)) continue;
    if (cell.includes('\uFFFD')) {
      const name = encodingName(layout.encoding);
      return invalidEncoding(c, c.headers[i], cell, name, layout.notes.literalReplacement);
    }
    const at = controlCharacterAt(cell);
    if (at >= 0) return controlCharacter(c, c.headers[i], cell, cell[at] ?? '');
  }
  return undefined;
}

/** Opens a CSV file: `info` is ready when this resolves; rows stream from `rows()`. */
export async function openCsv(path: string, opts: CsvReadOptions = {}): Promise<CsvSource> {
  checkSignal(path, opts.signal);
  const inspected = await inspect(path, {
    ...opts,
    maxRecordChars: opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
  });
  const reader = new CsvReader(path, opts, inspected);
  return {
    info: inspected.info,
    rows: () => reader.rows(),
    diagnostics: () => reader.diagnostics(),
  };
}

/** The read of one inspected file: its good rows, and what was wrong with the others. */
class CsvReader {
  private readonly path: string;
  private readonly opts: CsvReadOptions;
  private readonly info: CsvFileInfo;
  private readonly layout: Layout;
  private readonly headerLine: number;
  private readonly headers: readonly string[];
  private readonly unescape: boolean;
  private readonly sink: ProblemSink;
  private readonly excel: ExcelDamageDetector;
  private readonly lineBreaks = new Set<LineBreak>();
  private rowsSeen = 0;
  private damagedRows = 0;
  private started = false;
  private finished = false;
  /** The text read so far holds a control character or U+FFFD: cells are checked for them. */
  private suspect = false;
  private readonly extraEmpty = { count: 0, first: { line: 0, row: 0 } };
  private headerPending: boolean;

  constructor(
    path: string,
    opts: CsvReadOptions,
    inspected: { info: CsvFileInfo; layout: Layout; headerLine: number; problems: InputProblem[] },
  ) {
    this.path = path;
    this.opts = opts;
    this.info = inspected.info;
    this.layout = inspected.layout;
    this.headerLine = inspected.headerLine;
    this.headers = inspected.info.headers;
    this.unescape = opts.unescapeFormulas !== false;
    this.sink = new ProblemSink(opts.maxProblems ?? DEFAULT_MAX_PROBLEMS);
    for (const p of inspected.problems) this.sink.add(p);
    this.excel = new ExcelDamageDetector(this.headers);
    this.headerPending = inspected.layout.header;
  }

  /**
   * Good rows with their Excel damage marked. The first few thousand are held until the column
   * statistics can judge them; the rest are judged as they come.
   */
  async *rows(): AsyncGenerator<CsvRow> {
    const { path, excel } = this;
    if (this.started) {
      throw new AppError('internal', `The rows of ${basename(path)} can be read only once.`);
    }
    this.started = true;
    const ahead: CsvRow[] = [];
    let chars = 0;
    let judge: ((row: CsvRow) => InputProblem[]) | undefined;
    const marked = (row: CsvRow): CsvRow => {
      const problems = judge?.(row) ?? [];
      return problems.length > 0 ? { ...row, problems } : row;
    };
    const batches = records(this.layout, (text) => {
      if (!this.suspect && hasControlOrReplacement(text)) this.suspect = true;
    });
    for await (const batch of batches) {
      checkSignal(path, this.opts.signal);
      for (const row of this.goodRows(batch)) {
        if (!judge) {
          ahead.push(row);
          for (const cell of row.cells) chars += cell.length;
          if (ahead.length < EXCEL_LOOKAHEAD_ROWS && chars < EXCEL_LOOKAHEAD_CHARS) continue;
          judge = excel.rowJudge(path);
        }
        for (const held of ahead.length > 0 ? ahead.splice(0) : [row]) {
          yield marked(held);
          checkSignal(path, this.opts.signal);
        }
      }
    }
    this.finished = true;
    judge ??= excel.rowJudge(path);
    for (const held of ahead.splice(0)) {
      yield marked(held);
      checkSignal(path, this.opts.signal);
    }
  }

  /** Complete after rows() finished; before that, what was found so far. */
  diagnostics(): CsvDiagnostics {
    const { path, info, extraEmpty } = this;
    const extra: InputProblem[] = [];
    if (extraEmpty.count > 0)
      extra.push(extraEmptyFields(path, extraEmpty.count, extraEmpty.first));
    extra.push(...this.excel.problems(path));
    if (this.finished && this.rowsSeen === 0) {
      extra.push(noRows(path, this.headerLine, this.layout.header));
    }
    const { problems, omitted } = this.sink.snapshot(extra);
    return {
      ...info,
      headers: [...info.headers],
      originalHeaders: [...info.originalHeaders],
      lineEnding: this.lineBreaks.size > 0 ? lineEndingOf(this.lineBreaks) : info.lineEnding,
      rows: this.rowsSeen,
      damagedRows: this.damagedRows,
      problems,
      problemsOmitted: omitted,
    };
  }

  /** The good rows of one batch of records, each observed for Excel damage. */
  private goodRows(batch: readonly CsvRecord[]): CsvRow[] {
    const { headers, layout, unescape } = this;
    const good: CsvRow[] = [];
    for (const record of batch) {
      if (record.terminator !== 'none') this.lineBreaks.add(record.terminator);
      if (beforeTable(record, layout.skipLines)) continue;
      if (this.headerPending) {
        this.headerPending = false;
        continue;
      }
      const row = ++this.rowsSeen;
      const c: RowContext = {
        file: this.path,
        line: record.line,
        row,
        headers,
        delimiter: layout.delimiter,
      };
      const cells = record.fields;
      const problem =
        shapeDamage(record, c, layout) ?? (this.suspect ? textDamage(cells, c, layout) : undefined);
      if (problem) {
        this.damagedRows++;
        this.sink.add(problem);
        continue;
      }
      if (cells.length > headers.length) {
        if (this.extraEmpty.count++ === 0) this.extraEmpty.first = { line: record.line, row };
        cells.length = headers.length;
      }
      for (let i = 0; i < cells.length; i++) {
        const cell = cells[i] ?? '';
        cells[i] = ownString(unescape ? unescapeFormula(cell) : cell);
      }
      this.excel.observe(cells, row, record.line);
      good.push({ row, line: record.line, cells });
    }
    return good;
  }
}

/**
 * A copy of `s` that does not share memory with the text chunk it was cut from. V8 represents a
 * substring of 13+ characters as a view on its parent, so a kept cell (a match key, say) would
 * otherwise keep its whole 64 KB chunk alive — keeping every row's userName would hold the whole
 * file in memory. Concatenating and slicing makes V8 copy the characters into a fresh string.
 */
export function ownString(s: string): string {
  return s.length < 13 ? s : (s + ' ').slice(0, -1);
}

function encodingName(e: CsvEncoding): string {
  switch (e) {
    case 'utf-8':
      return 'UTF-8';
    case 'utf-16le':
      return 'UTF-16LE';
    case 'utf-16be':
      return 'UTF-16BE';
    case 'windows-1252':
      return 'Windows-1252';
  }
}

/** The read options a mapping spec carries: lines to skip, and whether there is a header row. */
export function readOptionsOf(spec: {
  skipLines?: number;
  header?: boolean;
}): Pick<CsvReadOptions, 'skipLines' | 'header'> {
  return {
    ...(spec.skipLines ? { skipLines: spec.skipLines } : {}),
    ...(spec.header !== undefined ? { header: spec.header } : {}),
  };
}

/** First n good rows + info, for previews and mapping suggestions (stops reading early). */
export async function sampleCsv(
  path: string,
  n: number,
  opts: CsvReadOptions = {},
): Promise<{ info: CsvFileInfo; rows: CsvRow[]; problems: InputProblem[] }> {
  const source = await openCsv(path, opts);
  const rows: CsvRow[] = [];
  if (n > 0) {
    for await (const row of source.rows()) {
      rows.push(row);
      if (rows.length >= n) break;
    }
  }
  return { info: source.info, rows, problems: source.diagnostics().problems };
}
