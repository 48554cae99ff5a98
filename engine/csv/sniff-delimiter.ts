/**
 * Guesses the delimiter (comma, semicolon, tab, pipe) and the line ending of a CSV file from its
 * first records, respecting quotes: a delimiter inside a quoted cell does not count.
 *
 * A candidate wins when it splits the header into more than one column and the most data rows
 * into the header's number of fields; ties go to more columns, then to the order , ; TAB |.
 */
import type { CsvDelimiter, CsvFileInfo } from '../../shared/import/types';
import { scanOne, scanRecords, type LineBreak } from './scan-records';
import { shapeOf, titleRecords } from './table-shape';

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/** Records looked at for the line ending. */
const SAMPLE_RECORDS = 50;
/** Characters looked at. */
const SAMPLE_CHARS = 256 * 1024;

/**
 * Field counts of the header and the records after it, with the title lines above the header
 * skipped (and counted).
 */
function fieldCounts(
  text: string,
  delimiter: string,
  eof: boolean,
): { counts: number[]; titles: number } {
  const shapes = shapeOf(text, delimiter, eof);
  if (shapes.length === 0 && text.length > 0) {
    // The first record is longer than the sample: judge its beginning.
    const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
    return { counts: [scanOne(sample, 0, delimiter.charCodeAt(0)).fieldStarts.length], titles: 0 };
  }
  const titles = titleRecords(shapes);
  return { counts: shapes.slice(titles).map((r) => r.cells.length), titles };
}

type Score = { delimiter: CsvDelimiter; columns: number; consistency: number; titles: number };

/** More consistent rows first; then fewer title lines to look past; then more columns. */
function better(a: Score, b: Score): boolean {
  if (a.consistency !== b.consistency) return a.consistency > b.consistency;
  if (a.titles !== b.titles) return a.titles < b.titles;
  return a.columns > b.columns;
}

/**
 * The delimiter of the text (decoded, BOM and `sep=` line removed); `,` when nothing splits the
 * header. Title lines above the header are looked past.
 */
export function sniffDelimiter(text: string, eof: boolean): CsvDelimiter {
  let best: Score | undefined;
  for (const delimiter of DELIMITERS) {
    const { counts, titles } = fieldCounts(text, delimiter, eof);
    const columns = counts[0] ?? 1;
    if (columns < 2) continue;
    const data = counts.slice(1);
    const consistency =
      data.length === 0 ? 1 : data.filter((c) => c === columns).length / data.length;
    const score: Score = { delimiter, columns, consistency, titles };
    if (!best || better(score, best)) best = score;
  }
  return best?.delimiter ?? ',';
}

type SniffedLineEnding = {
  lineEnding: CsvFileInfo['lineEnding'];
  /** What Papa Parse splits records on: `\n` (CRLF records keep a trailing CR the reader strips) or `\r`. */
  newline: '\n' | '\r';
};

/** The line ending used between records (line breaks inside quoted cells do not count). */
export function sniffLineEnding(
  text: string,
  delimiter: CsvDelimiter,
  eof: boolean,
): SniffedLineEnding {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const sampleEof = eof && sample.length === text.length;
  const seen = new Map<LineBreak, number>();
  for (const r of scanRecords(sample, delimiter, { eof: sampleEof, maxRecords: SAMPLE_RECORDS })) {
    if (r.terminator !== 'none') seen.set(r.terminator, (seen.get(r.terminator) ?? 0) + 1);
  }
  const cr = seen.get('cr') ?? 0;
  const viaLf = (seen.get('lf') ?? 0) + (seen.get('crlf') ?? 0);
  const newline = cr > viaLf ? '\r' : '\n';
  return { lineEnding: lineEndingOf(seen.keys()), newline };
}

/** The lineEnding report for a set of line breaks seen. */
export function lineEndingOf(kinds: Iterable<LineBreak>): CsvFileInfo['lineEnding'] {
  const all = [...new Set(kinds)];
  if (all.length === 0) return 'none';
  if (all.length > 1) return 'mixed';
  return all[0] ?? 'none';
}
