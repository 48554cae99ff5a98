/**
 * The CSV reader of import planning: opens a file, works out its encoding, delimiter, line ending
 * and headers, then streams its good rows while collecting what is wrong with the others.
 *
 *   bytes ─► detect-encoding / binary-sniff ─► decode-stream ─► record-parser (Papa Parse)
 *         ─► field-count and quote checks ─► formula unescaping ─► CsvRow
 *
 * Damaged rows (wrong number of fields, quote problems) are left out of `rows()` and reported;
 * renamed headers and Excel damage are warnings. Memory stays flat whatever the file size: text is
 * read as the consumer pulls rows, a chunk at a time.
 */
import { basename } from 'node:path';
import { unescapeFormula } from '../../../../shared/csv/csv-format';
import { AppError } from '../../../../shared/errors/errors';
import type {
  CsvDelimiter,
  CsvDiagnostics,
  CsvEncoding,
  CsvFileInfo,
  CsvRow,
  InputProblem,
} from '../../../../shared/import/types';
import { rejectBlankText, rejectNonText } from './binary-sniff';
import { createChunkDecoder, decodeFile } from './decode-stream';
import { bomLengthFor, detectEncoding, type DetectedEncoding } from './detect-encoding';
import { ExcelDamageDetector } from './excel-damage';
import { readHead } from './file-access';
import { makeHeaders } from './headers';
import { inputError } from './input-error';
import {
  badQuote,
  extraEmptyFields,
  noRows,
  ProblemSink,
  recordTooLarge,
  replacedCharacters,
  size,
  tooFewFields,
  tooManyFields,
  unclosedQuote,
  type RowContext,
} from './problems';
import { parseRecords, type CsvRecord } from './record-parser';
import type { LineBreak } from './scan-records';
import { lineEndingOf, sniffDelimiter, sniffLineEnding } from './sniff-delimiter';

export type CsvReadOptions = {
  /** Force an encoding / delimiter instead of detecting. */
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
  /** Reverse the exporter's formula escaping (`'=x` → `=x`) — default true. */
  unescapeFormulas?: boolean;
  /**
   * Physical lines before the header row to skip (the Microsoft Entra bulk template's
   * `version:v1.0` line); default 0. Line numbers still count them.
   */
  skipLines?: number;
  /** Keep at most this many problems in diagnostics (default 1000); count the rest in problemsOmitted. */
  maxProblems?: number;
  /**
   * Longest record, in characters, before the reader gives up on the rest of the file (default
   * 32 Mi): bounds memory when a quote is never closed.
   */
  maxRecordChars?: number;
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

export const DEFAULT_MAX_PROBLEMS = 1000;
export const DEFAULT_MAX_RECORD_CHARS = 32 * 1024 * 1024;
/** Bytes read up front to detect the encoding and sniff the delimiter. */
const HEAD_BYTES = 1024 * 1024;

type Layout = {
  path: string;
  encoding: CsvEncoding;
  bomLength: number;
  delimiter: CsvDelimiter;
  newline: '\n' | '\r';
  maxRecordChars: number;
};

function cancelled(path: string, signal: AbortSignal): AppError {
  return new AppError(
    'cancelled',
    `Reading ${basename(path)} was cancelled.`,
    {},
    { cause: signal.reason },
  );
}

function checkSignal(path: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(path, signal);
}

/** Batches of records of the whole file; `onText` sees each decoded chunk. */
function records(layout: Layout, onText?: (text: string) => void): AsyncGenerator<CsvRecord[]> {
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of decodeFile(layout.path, layout.encoding, layout.bomLength)) {
      onText?.(chunk);
      yield chunk;
    }
  }
  return parseRecords(text(), layout);
}

/** True for the records before the header: blank ones and those in the skipped lines. */
function beforeHeader(record: CsvRecord, skipLines: number): boolean {
  return record.blank || record.line <= skipLines;
}

/** The text after the first `n` physical lines. */
function dropLines(text: string, n: number): string {
  let at = 0;
  for (let i = 0; i < n; i++) {
    const lf = text.indexOf('\n', at);
    const cr = text.indexOf('\r', at);
    const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(cr, lf);
    if (end < 0) return '';
    at = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
  }
  return text.slice(at);
}

/** The header record: the first record after the skipped lines that is not a blank line. */
async function readHeader(
  layout: Layout,
  skipLines: number,
  signal: AbortSignal | undefined,
): Promise<CsvRecord> {
  const name = basename(layout.path);
  for await (const batch of records(layout)) {
    checkSignal(layout.path, signal);
    const header = batch.find((r) => !beforeHeader(r, skipLines));
    if (!header) continue;
    if (header.cut === 'too_large') {
      throw inputError(
        `The header row of ${name} (line ${header.line}) has no line break in its first ${size(layout.maxRecordChars)}.`,
        'Check that the file is a CSV export with one user or group per line.',
      );
    }
    if (header.quote) {
      const { line, code } = header.quote;
      throw inputError(
        code === 'bad_quote'
          ? `The header row of ${name} (line ${line}) has a misplaced double quote.`
          : `The header row of ${name} (line ${line}) opens a double quote that is never closed.`,
        'Fix the quotes in the first line of the file so it lists the column names, then import again.',
      );
    }
    return header;
  }
  throw inputError(
    skipLines > 0
      ? `${name} has no header row after the ${skipLines === 1 ? 'first line' : `first ${skipLines} lines`} it skips.`
      : `${name} has no header row: it holds only blank lines.`,
    'Choose the exported CSV file again; the first line must name the columns.',
  );
}

/** Reads what the reader needs to know before the first row. */
async function inspect(
  path: string,
  opts: CsvReadOptions,
): Promise<{ info: CsvFileInfo; layout: Layout; headerLine: number; problems: InputProblem[] }> {
  const { bytes, head, complete } = await readHead(path, HEAD_BYTES);
  const detected: DetectedEncoding = opts.encoding
    ? { encoding: opts.encoding, bomLength: bomLengthFor(head, opts.encoding) }
    : detectEncoding(head, complete);
  rejectNonText(path, head, detected.encoding);
  const decoder = createChunkDecoder(detected.encoding);
  const headText =
    decoder.write(head.subarray(detected.bomLength)) + (complete ? decoder.end() : '');
  rejectBlankText(path, headText, detected.bomLength > 0, complete);

  const skipLines = opts.skipLines ?? 0;
  const sniffText = dropLines(headText, skipLines);
  const delimiter = opts.delimiter ?? sniffDelimiter(sniffText, complete);
  const { lineEnding, newline } = sniffLineEnding(sniffText, delimiter, complete);
  const layout: Layout = {
    path,
    encoding: detected.encoding,
    bomLength: detected.bomLength,
    delimiter,
    newline,
    maxRecordChars: opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
  };
  const header = await readHeader(layout, skipLines, opts.signal);
  const original = header.fields;
  const unescape = opts.unescapeFormulas !== false;
  const made = makeHeaders(unescape ? original.map(unescapeFormula) : original, path, header.line);
  const info: CsvFileInfo = {
    file: path,
    bytes,
    encoding: detected.encoding,
    bom: detected.bomLength > 0,
    delimiter,
    lineEnding,
    headers: made.headers,
    originalHeaders: [...original],
  };
  return { info, layout, headerLine: header.line, problems: made.problems };
}

/** Opens a CSV file: `info` is ready when this resolves; rows stream from `rows()`. */
export async function openCsv(path: string, opts: CsvReadOptions = {}): Promise<CsvSource> {
  checkSignal(path, opts.signal);
  const { info, layout, headerLine, problems: headerProblems } = await inspect(path, opts);
  const { headers } = info;
  const unescape = opts.unescapeFormulas !== false;
  const skipLines = opts.skipLines ?? 0;
  const sink = new ProblemSink(opts.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  for (const p of headerProblems) sink.add(p);
  const excel = new ExcelDamageDetector(headers);
  const lineBreaks = new Set<LineBreak>();
  let rowsSeen = 0;
  let damagedRows = 0;
  let started = false;
  let finished = false;
  let replacementSeen = false;
  const extraEmpty = { count: 0, first: { line: 0, row: 0 } };
  const replaced = { count: 0, first: { line: 0, row: 0 } };

  /** The problem that excludes the record, if any. */
  function damage(record: CsvRecord, row: number): InputProblem | undefined {
    const { quote, fields } = record;
    if (!quote && !record.cut && fields.length === headers.length) return undefined;
    const c: RowContext = {
      file: path,
      line: record.line,
      row,
      headers,
      delimiter: layout.delimiter,
    };
    if (record.cut === 'too_large') return recordTooLarge(c, layout.maxRecordChars);
    if (quote) {
      const column = headers[quote.field];
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
    if (fields.length > headers.length) {
      for (let i = headers.length; i < fields.length; i++) {
        if (fields[i] !== '') return tooManyFields(c, fields);
      }
      return undefined;
    }
    if (fields.length < headers.length) return tooFewFields(c, fields);
    return undefined;
  }

  async function* rows(): AsyncGenerator<CsvRow> {
    if (started) {
      throw new AppError('internal', `The rows of ${basename(path)} can be read only once.`);
    }
    started = true;
    let headerSeen = false;
    const batches = records(layout, (text) => {
      if (!replacementSeen && text.includes('\uFFFD')) replacementSeen = true;
    });
    for await (const batch of batches) {
      checkSignal(path, opts.signal);
      for (const record of batch) {
        if (record.terminator !== 'none') lineBreaks.add(record.terminator);
        if (!headerSeen) {
          headerSeen = !beforeHeader(record, skipLines);
          continue;
        }
        if (record.blank) continue;
        const row = ++rowsSeen;
        const problem = damage(record, row);
        if (problem) {
          damagedRows++;
          sink.add(problem);
          continue;
        }
        const cells = record.fields;
        if (cells.length > headers.length) {
          if (extraEmpty.count++ === 0) extraEmpty.first = { line: record.line, row };
          cells.length = headers.length;
        }
        for (let i = 0; i < cells.length; i++) {
          const cell = cells[i] ?? '';
          cells[i] = ownString(unescape ? unescapeFormula(cell) : cell);
        }
        if (replacementSeen && cells.some((cell) => cell.includes('\uFFFD'))) {
          if (replaced.count++ === 0) replaced.first = { line: record.line, row };
        }
        excel.observe(cells, row, record.line);
        yield { row, line: record.line, cells };
        checkSignal(path, opts.signal);
      }
    }
    finished = true;
  }

  function diagnostics(): CsvDiagnostics {
    const extra: InputProblem[] = [];
    if (extraEmpty.count > 0)
      extra.push(extraEmptyFields(path, extraEmpty.count, extraEmpty.first));
    if (replaced.count > 0) {
      extra.push(
        replacedCharacters(path, encodingName(info.encoding), replaced.count, replaced.first),
      );
    }
    extra.push(...excel.problems(path));
    if (finished && rowsSeen === 0) extra.push(noRows(path, headerLine));
    const { problems, omitted } = sink.snapshot(extra);
    return {
      ...info,
      headers: [...info.headers],
      originalHeaders: [...info.originalHeaders],
      lineEnding: lineBreaks.size > 0 ? lineEndingOf(lineBreaks) : info.lineEnding,
      rows: rowsSeen,
      damagedRows,
      problems,
      problemsOmitted: omitted,
    };
  }

  return { info, rows, diagnostics };
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
