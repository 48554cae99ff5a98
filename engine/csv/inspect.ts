/**
 * What the reader works out before the first row: encoding, delimiter, line ending, where the
 * table starts and its headers — and the files it refuses outright (binary, workbooks, HTML,
 * JSON, PDF, a missing header row or title lines above it, each with a sentence and, where a read
 * option fixes it, that option).
 *
 *   head bytes ─► encoding ─► not text? not a table? ─► `sep=` line ─► delimiter, line ending
 *             ─► where the header is ─► header record ─► header names
 */
import { basename } from 'node:path';
import { unescapeFormula } from './csv-format';
import { AppError } from '../../shared/errors/errors';
import type {
  CsvDelimiter,
  CsvEncoding,
  CsvFileInfo,
  InputProblem,
} from '../../shared/import/types';
import { rejectBlankText, rejectNonText } from './binary-sniff';
import { createChunkDecoder, decodeFile } from './decode-stream';
import { bomLengthFor, detectEncoding, type DetectedEncoding } from './detect-encoding';
import { readHead, type FileStamp } from './file-access';
import { rejectForeignText } from './foreign-text';
import { makeHeaders } from './headers';
import { inputError, layoutError } from './input-error';
import { size } from './problems';
import { parseRecords, type CsvRecord } from './record-parser';
import { sepLineOf } from './sep-line';
import { sniffDelimiter, sniffLineEnding } from './sniff-delimiter';
import { columnCount, headerValue, shapeOf, titleRecords } from './table-shape';

/** Bytes read up front to detect the encoding and sniff the delimiter. */
const HEAD_BYTES = 1024 * 1024;

/** How one file is read, as {@link inspect} found it. */
export type Layout = {
  path: string;
  encoding: CsvEncoding;
  bomLength: number;
  delimiter: CsvDelimiter;
  newline: '\n' | '\r';
  maxRecordChars: number;
  /** Physical lines before the table (the skipped lines, or Excel's `sep=` line). */
  skipLines: number;
  /** The first record of the table is its header (false: the file has no header row). */
  header: boolean;
  /** The file as inspected: a read stops when it changes. */
  stamp: FileStamp;
  readChunkBytes?: number;
  afterChunk?: (bytesRead: number) => void | Promise<void>;
  notes: { literalReplacement: boolean };
};

/** What {@link inspect} needs from the read options. */
type InspectOptions = {
  encoding?: CsvEncoding;
  delimiter?: CsvDelimiter;
  skipLines?: number;
  header?: boolean;
  unescapeFormulas?: boolean;
  maxRecordChars: number;
  readChunkBytes?: number;
  afterChunk?: (bytesRead: number) => void | Promise<void>;
  signal?: AbortSignal;
};

function cancelled(path: string, signal: AbortSignal): AppError {
  return new AppError(
    'cancelled',
    `Reading ${basename(path)} was cancelled.`,
    {},
    { cause: signal.reason },
  );
}

/** Throws the `cancelled` error once `signal` is aborted. */
export function checkSignal(path: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(path, signal);
}

/** Batches of records of the whole file; `onText` sees each decoded chunk. */
export function records(
  layout: Layout,
  onText?: (text: string) => void,
): AsyncGenerator<CsvRecord[]> {
  async function* text(): AsyncGenerator<string> {
    const chunks = decodeFile(layout.path, layout.encoding, {
      start: layout.bomLength,
      stamp: layout.stamp,
      notes: layout.notes,
      ...(layout.readChunkBytes ? { chunkBytes: layout.readChunkBytes } : {}),
      ...(layout.afterChunk ? { afterChunk: layout.afterChunk } : {}),
    });
    for await (const chunk of chunks) {
      onText?.(chunk);
      yield chunk;
    }
  }
  return parseRecords(text(), layout);
}

/** True for records before the table: blank ones and those in the skipped lines. */
export function beforeTable(record: CsvRecord, skipLines: number): boolean {
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
async function readHeader(layout: Layout, signal: AbortSignal | undefined): Promise<CsvRecord> {
  const name = basename(layout.path);
  for await (const batch of records(layout)) {
    checkSignal(layout.path, signal);
    const header = batch.find((r) => !beforeTable(r, layout.skipLines));
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
  const skipped = layout.skipLines;
  throw inputError(
    skipped > 0
      ? `${name} has no header row after the ${skipped === 1 ? 'first line' : `first ${skipped} lines`} it skips.`
      : `${name} has no header row: it holds only blank lines.`,
    'Choose the exported CSV file again; the first line must name the columns.',
  );
}

function quoted(text: string, max = 60): string {
  const t = text.trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

/**
 * Refuses a table whose header is not where it is expected: title lines above it (offering to
 * skip them), or no header row at all (offering to read it without one). `text` starts at line
 * `skipLines + 1` of the file.
 */
function checkHeaderPlace(
  path: string,
  text: string,
  delimiter: CsvDelimiter,
  eof: boolean,
  skipLines: number,
): void {
  const name = basename(path);
  const shapes = shapeOf(text, delimiter, eof);
  const titles = titleRecords(shapes);
  const header = shapes[titles];
  if (titles > 0 && header) {
    const above = skipLines + header.line - 1;
    const line = above + 1;
    throw layoutError(
      `${name} has ${above} lines above its header row, starting with ${quoted(shapes[0]?.cells.filter((c) => c.trim() !== '').join(' ') ?? '')}; the header seems to be line ${line} (${quoted(header.cells.join(delimiter))}).`,
      `Skip the first ${above} lines when reading the file, then continue.`,
      { skipLines: above },
    );
  }
  const value = headerValue(shapes, 0);
  if (value !== undefined) {
    const line = skipLines + (shapes[0]?.line ?? 1);
    throw layoutError(
      `${name} seems to have no header row: line ${line} holds values such as ${quoted(value)}, like the rows below it, not column names.`,
      `If the file has no header row, read it without one (its columns are then called Column 1, Column 2, …); if line ${line} does name the columns, read it with a header row.`,
      { header: false },
    );
  }
}

/** Reads what the reader needs to know before the first row. */
export async function inspect(
  path: string,
  opts: InspectOptions,
): Promise<{ info: CsvFileInfo; layout: Layout; headerLine: number; problems: InputProblem[] }> {
  const { bytes, head, complete, stamp } = await readHead(path, HEAD_BYTES);
  const detected: DetectedEncoding = opts.encoding
    ? { encoding: opts.encoding, bomLength: bomLengthFor(head, opts.encoding) }
    : detectEncoding(head, complete);
  rejectNonText(path, head, detected.encoding);
  const decoder = createChunkDecoder(detected.encoding);
  const headText =
    decoder.write(head.subarray(detected.bomLength)) + (complete ? decoder.end() : '');
  rejectBlankText(path, headText, detected.bomLength > 0, complete);
  rejectForeignText(path, headText);

  const sep = sepLineOf(headText);
  const skipLines = Math.max(opts.skipLines ?? 0, sep ? 1 : 0);
  const sniffText = dropLines(headText, skipLines);
  const delimiter = opts.delimiter ?? sep?.delimiter ?? sniffDelimiter(sniffText, complete);
  const { lineEnding, newline } = sniffLineEnding(sniffText, delimiter, complete);
  if (opts.header === undefined) checkHeaderPlace(path, sniffText, delimiter, complete, skipLines);
  const layout: Layout = {
    path,
    encoding: detected.encoding,
    bomLength: detected.bomLength,
    delimiter,
    newline,
    maxRecordChars: opts.maxRecordChars,
    skipLines,
    header: opts.header !== false,
    stamp,
    ...(opts.readChunkBytes ? { readChunkBytes: opts.readChunkBytes } : {}),
    ...(opts.afterChunk ? { afterChunk: opts.afterChunk } : {}),
    notes: { literalReplacement: false },
  };
  const info: CsvFileInfo = {
    file: path,
    bytes,
    encoding: detected.encoding,
    bom: detected.bomLength > 0,
    delimiter,
    lineEnding,
    headers: [],
    originalHeaders: [],
  };
  if (!layout.header) {
    const width = columnCount(shapeOf(sniffText, delimiter, complete));
    info.headers = Array.from({ length: width }, (_, i) => `Column ${i + 1}`);
    return { info, layout, headerLine: skipLines, problems: [] };
  }
  const header = await readHeader(layout, opts.signal);
  const original = header.fields;
  const unescape = opts.unescapeFormulas !== false;
  const made = makeHeaders(unescape ? original.map(unescapeFormula) : original, path, header.line);
  info.headers = made.headers;
  info.originalHeaders = [...original];
  return { info, layout, headerLine: header.line, problems: made.problems };
}
