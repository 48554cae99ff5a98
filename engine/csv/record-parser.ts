/**
 * Streams CSV records out of decoded text chunks with Papa Parse, keeping memory flat.
 *
 * Papa's core parser (`Papa.Parser`) is fed the text a chunk at a time with `ignoreLastRow` set,
 * so it stops before a record the chunk cuts off; that tail is carried into the next parse. A tail
 * that keeps growing (a very long cell) is re-parsed only each time the text has doubled, so a
 * 10 MB cell costs a few passes rather than one per chunk; past `maxRecordChars` it is cut off —
 * almost always a quote that is never closed, which otherwise swallows the rest of the file.
 *
 * Each record carries the physical line it starts on (line breaks inside quoted cells count).
 * Papa splits records on one newline sequence: `\n` for CRLF and LF files (the CR a CRLF leaves at
 * the end of an unquoted last cell is removed here), `\r` for old Mac files. A file that mixes in
 * the other kind — a lone CR among LF lines, a lone LF among CR lines, as files pasted together
 * from several systems do — would lose rows: Papa keeps the foreign break inside a cell and two
 * records become one damaged one. So a record Papa returns with a foreign line break outside its
 * quotes is split again at every line break ({@link scanOne} accepts all three, quote-aware) and
 * each part parsed on its own. Files with one kind of line break never take that path.
 */
import Papa from 'papaparse';
import type { CsvDelimiter } from '../../shared/import/types';
import {
  countLineBreaks,
  fieldIndexAt,
  scanOne,
  type LineBreak,
  type ScannedRecord,
} from './scan-records';
import { LineTracker } from './line-tracker';

const CR = 0x0d;
const LF = 0x0a;

export type QuoteDamage = {
  code: 'bad_quote' | 'unclosed_quote';
  /** Index of the field the quote problem is in. */
  field: number;
  /** Physical line of the field's opening quote. */
  line: number;
  /** The raw text from the opening quote to the end of its line (at most 200 characters). */
  excerpt: string;
};

export type CsvRecord = {
  /** Cells as Papa parsed them (quotes removed, nothing trimmed). */
  fields: string[];
  /** Physical line the record starts on. */
  line: number;
  /** Physical line the record ends on (its line break excluded). */
  lastLine: number;
  /** Only blanks and delimiters, no quotes: a blank line, skipped by the reader. */
  blank: boolean;
  terminator: LineBreak | 'none';
  quote?: QuoteDamage;
  /**
   * The record was longer than the limit and the reading stopped there: `unclosed_quote` when it
   * is a quoted cell that was never closed, else `too_large`.
   */
  cut?: 'unclosed_quote' | 'too_large';
};

export type RecordParserOptions = {
  delimiter: CsvDelimiter;
  newline: '\n' | '\r';
  /** Longest record (in characters) read before giving up on the rest of the file. */
  maxRecordChars: number;
};

const EXCERPT_CHARS = 200;

function excerptFrom(text: string, at: number): string {
  let end = Math.min(text.length, at + EXCERPT_CHARS);
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === CR || c === LF) {
      end = i;
      break;
    }
  }
  return text.slice(at, end);
}

/**
 * LF mode: the record's terminator; the CR a CRLF leaves at the end of an unquoted last cell (Papa
 * splits CRLF on LF) is removed from `fields`.
 */
function lfTerminator(text: string, end: number, fields: string[]): CsvRecord['terminator'] {
  if (text.charCodeAt(end - 1) !== LF) return 'none';
  const terminator = text.charCodeAt(end - 2) === CR ? 'crlf' : 'lf';
  const last = fields.length - 1;
  const cell = fields[last];
  if (
    terminator === 'crlf' &&
    cell !== undefined &&
    cell.endsWith('\r') &&
    text.startsWith(cell, end - 1 - cell.length)
  ) {
    fields[last] = cell.slice(0, -1);
  }
  return terminator;
}

/**
 * CR mode: the record's terminator; the LF a CRLF leaves at the start of the next record (Papa
 * splits CRLF on CR) is removed from `fields`.
 */
function crTerminator(
  text: string,
  start: number,
  end: number,
  fields: string[],
): CsvRecord['terminator'] {
  const terminator =
    text.charCodeAt(end - 1) === CR ? (text.charCodeAt(end) === LF ? 'crlf' : 'cr') : 'none';
  const first = fields[0];
  if (text.charCodeAt(start) === LF && first?.startsWith('\n')) fields[0] = first.slice(1);
  return terminator;
}

/** The quote problem Papa reported for the record at `text[start…]`, if any. */
function quoteDamage(
  text: string,
  start: number,
  line: number,
  errors: readonly Papa.ParseError[],
  delimCode: number,
): QuoteDamage | undefined {
  const error =
    errors.find((e) => e.code === 'MissingQuotes') ??
    errors.find((e) => e.code === 'InvalidQuotes');
  if (!error) return undefined;
  const openAt = Math.max(start, (error.index ?? start + 1) - 1);
  return {
    code: error.code === 'MissingQuotes' ? 'unclosed_quote' : 'bad_quote',
    field: fieldIndexAt(scanOne(text, start, delimCode), openAt),
    line: line + countLineBreaks(text, start, openAt),
    excerpt: excerptFrom(text, openAt),
  };
}

/** Parses one record's text that holds no line break outside quotes. */
function parseAlone(
  content: string,
  offset: number,
  delimiter: CsvDelimiter,
): { fields: string[]; errors: Papa.ParseError[] } {
  const result = Papa.parse<string[]>(content, { delimiter, newline: '\n', quoteChar: '"' });
  const errors = result.errors.map((e) =>
    e.index === undefined ? e : { ...e, index: e.index + offset },
  );
  return { fields: result.data[0] ?? [''], errors };
}

/** Turns texts (each the unparsed tail of the last plus new chunks) into records, in order. */
class ChunkParser {
  /** The last character consumed before the text parsed next (NaN at the start). */
  previous = Number.NaN;
  private readonly delimiter: CsvDelimiter;
  private readonly newline: '\n' | '\r';
  private readonly delimCode: number;
  private readonly tracker = new LineTracker();

  constructor(delimiter: CsvDelimiter, newline: '\n' | '\r') {
    this.delimiter = delimiter;
    this.newline = newline;
    this.delimCode = delimiter.charCodeAt(0);
  }

  /** Parses `text`; with `final` false the last, possibly cut-off record is left unparsed. */
  parse(text: string, final: boolean): { records: CsvRecord[]; consumed: number } {
    this.tracker.setText(text);
    const records: CsvRecord[] = [];
    let start = 0;
    const foreign = this.foreignBreaks(text);
    let f = 0;
    const parser = new Papa.Parser({
      delimiter: this.delimiter,
      newline: this.newline,
      quoteChar: '"',
      step: (result: Papa.ParseStepResult<string[][]>) => {
        const end = result.meta.cursor;
        // In final mode Papa ends text that ends with a line break with an empty row: not a record.
        if (end === start) return;
        while (f < foreign.length && (foreign[f] ?? 0) < start) f++;
        if (f < foreign.length && (foreign[f] ?? end) < end) {
          records.push(...this.split(text, start, end));
        } else {
          records.push(this.build(text, start, end, result.data[0] ?? [''], result.errors));
        }
        start = end;
      },
    });
    parser.parse(text, 0, !final);
    this.tracker.consume(start);
    return { records, consumed: start };
  }

  /** The record `text[start, end)` with `fields`; `split` is set for a part of a split record. */
  private build(
    text: string,
    start: number,
    end: number,
    fields: string[],
    errors: readonly Papa.ParseError[],
    split?: LineBreak | 'none',
  ): CsvRecord {
    const line = this.tracker.line;
    this.tracker.advanceTo(end);
    // A part of a record split at a foreign line break: its fields are already clean.
    const terminator =
      split ??
      (this.newline === '\n'
        ? lfTerminator(text, end, fields)
        : crTerminator(text, start, end, fields));
    const lastLine = this.tracker.line - (terminator === 'none' ? 0 : 1);
    const blank = fields.every((f) => f.trim() === '') && !text.slice(start, end).includes('"');
    const record: CsvRecord = {
      fields,
      line,
      lastLine: Math.max(line, lastLine),
      blank,
      terminator,
    };
    const quote =
      errors.length === 0 ? undefined : quoteDamage(text, start, line, errors, this.delimCode);
    if (quote) record.quote = quote;
    return record;
  }

  /** `text[start, end)` split at each of its line breaks outside quotes, each part parsed alone. */
  private split(text: string, start: number, end: number): CsvRecord[] {
    const out: CsvRecord[] = [];
    let at = start;
    // In CR mode a CRLF leaves its LF at the start of the next record; it belongs to the break.
    if (this.newline === '\r' && text.charCodeAt(at) === LF && this.charBefore(text, at) === CR) {
      at++;
    }
    const part = text.slice(0, end);
    while (at < end) {
      const r: ScannedRecord = scanOne(part, at, this.delimCode);
      const stop = Math.min(r.end, end);
      const breakLength = r.terminator === 'crlf' ? 2 : r.terminator === 'none' ? 0 : 1;
      const content = text.slice(at, stop - breakLength);
      const { fields, errors } = parseAlone(content, at, this.delimiter);
      out.push(this.build(text, at, stop, fields, errors, r.terminator));
      at = stop;
    }
    return out;
  }

  /** Positions of the line breaks Papa does not split on: lone CR (LF mode), lone LF (CR mode). */
  private foreignBreaks(text: string): number[] {
    const found: number[] = [];
    const lf = this.newline === '\n';
    if (!text.includes(lf ? '\r' : '\n')) return found;
    for (const m of text.matchAll(lf ? /\r(?!\n)/g : /(?<!\r)\n/g)) {
      // An LF first in the text pairs with a CR at the end of the text before it.
      if (m.index === 0 && !lf && this.previous === CR) continue;
      found.push(m.index);
    }
    return found;
  }

  /** The character code before `text[at]`, looking into the text already consumed. */
  private charBefore(text: string, at: number): number {
    return at > 0 ? text.charCodeAt(at - 1) : this.previous;
  }
}

/** Marks the records of a tail cut off at `maxRecordChars`: an unclosed quote, or too large. */
function markCut(records: CsvRecord[]): CsvRecord[] {
  for (const record of records) {
    record.cut = record.quote?.code === 'unclosed_quote' ? 'unclosed_quote' : 'too_large';
  }
  return records;
}

/** Parses records out of decoded text chunks, in batches (one batch per parsed chunk). */
export async function* parseRecords(
  chunks: AsyncIterable<string>,
  opts: RecordParserOptions,
): AsyncGenerator<CsvRecord[]> {
  const { maxRecordChars } = opts;
  const parser = new ChunkParser(opts.delimiter, opts.newline);
  let pending = '';
  const parts: string[] = [];
  let partsLength = 0;
  let waitFor = 0;
  const source = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await source.next();
      if (!next.done) {
        parts.push(next.value);
        partsLength += next.value.length;
        if (pending.length + partsLength < waitFor) continue;
      }
      const text = pending + parts.join('');
      parts.length = 0;
      partsLength = 0;
      if (next.done && text === '') return;
      const { records, consumed } = parser.parse(text, next.done === true);
      if (records.length > 0) yield records;
      if (next.done) return;
      if (consumed > 0) parser.previous = text.charCodeAt(consumed - 1);
      pending = text.slice(consumed);
      if (pending.length > maxRecordChars) {
        yield markCut(parser.parse(pending, true).records);
        return;
      }
      // Re-parse a growing tail only once the text has doubled (linear time for huge cells).
      waitFor = Math.min(pending.length * 2, maxRecordChars + 1);
    }
  } finally {
    await source.return?.();
  }
}
