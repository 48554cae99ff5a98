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

/** Walks a text forward counting physical lines (CRLF, LF and CR each count one). */
class LineTracker {
  line = 1;
  private text = '';
  private pos = 0;
  private nextCr = -1;
  private nextLf = -1;
  /** A CR was the last character of the previous text: a LF first in the next one is its pair. */
  private crAtEnd = false;

  setText(text: string): void {
    this.text = text;
    this.nextCr = -1;
    this.nextLf = -1;
    if (this.crAtEnd && this.pos === 0 && text.charCodeAt(0) === LF) this.pos = 1;
    this.crAtEnd = false;
  }

  /** The next text starts at `offset` of this one. */
  consume(offset: number): void {
    this.pos = Math.max(0, this.pos - offset);
  }

  advanceTo(end: number): void {
    const text = this.text;
    while (this.pos < end) {
      if (this.nextCr !== Infinity && this.nextCr < this.pos) {
        const i = text.indexOf('\r', this.pos);
        this.nextCr = i < 0 ? Infinity : i;
      }
      if (this.nextLf !== Infinity && this.nextLf < this.pos) {
        const i = text.indexOf('\n', this.pos);
        this.nextLf = i < 0 ? Infinity : i;
      }
      const b = Math.min(this.nextCr, this.nextLf);
      if (b >= end) {
        this.pos = end;
        return;
      }
      this.line++;
      if (b === this.nextCr && text.charCodeAt(b + 1) === LF) {
        this.pos = b + 2;
      } else {
        this.pos = b + 1;
        if (b === this.nextCr && b + 1 === text.length) this.crAtEnd = true;
      }
    }
  }
}

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

/** Parses records out of decoded text chunks, in batches (one batch per parsed chunk). */
export async function* parseRecords(
  chunks: AsyncIterable<string>,
  opts: RecordParserOptions,
): AsyncGenerator<CsvRecord[]> {
  const { delimiter, newline, maxRecordChars } = opts;
  const delimCode = delimiter.charCodeAt(0);
  const tracker = new LineTracker();

  function build(
    text: string,
    start: number,
    end: number,
    fields: string[],
    errors: readonly Papa.ParseError[],
    split?: LineBreak | 'none',
  ): CsvRecord {
    const line = tracker.line;
    tracker.advanceTo(end);
    let terminator: CsvRecord['terminator'] = split ?? 'none';
    if (split !== undefined) {
      // A part of a record split at a foreign line break: its fields are already clean.
    } else if (newline === '\n') {
      if (text.charCodeAt(end - 1) === LF) {
        terminator = text.charCodeAt(end - 2) === CR ? 'crlf' : 'lf';
      }
      // CRLF split on LF leaves the CR at the end of an unquoted last cell.
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
    } else {
      if (text.charCodeAt(end - 1) === CR) {
        terminator = text.charCodeAt(end) === LF ? 'crlf' : 'cr';
      }
      // CRLF split on CR leaves the LF at the start of the next record.
      const first = fields[0];
      if (text.charCodeAt(start) === LF && first?.startsWith('\n')) fields[0] = first.slice(1);
    }
    const lastLine = tracker.line - (terminator === 'none' ? 0 : 1);
    const blank = fields.every((f) => f.trim() === '') && !text.slice(start, end).includes('"');
    const record: CsvRecord = {
      fields,
      line,
      lastLine: Math.max(line, lastLine),
      blank,
      terminator,
    };
    const error =
      errors.length === 0
        ? undefined
        : (errors.find((e) => e.code === 'MissingQuotes') ??
          errors.find((e) => e.code === 'InvalidQuotes'));
    if (error) {
      const openAt = Math.max(start, (error.index ?? start + 1) - 1);
      record.quote = {
        code: error.code === 'MissingQuotes' ? 'unclosed_quote' : 'bad_quote',
        field: fieldIndexAt(scanOne(text, start, delimCode), openAt),
        line: line + countLineBreaks(text, start, openAt),
        excerpt: excerptFrom(text, openAt),
      };
    }
    return record;
  }

  /** Parses one record's text that holds no line break outside quotes. */
  function parseAlone(
    content: string,
    offset: number,
  ): { fields: string[]; errors: Papa.ParseError[] } {
    const result = Papa.parse<string[]>(content, { delimiter, newline: '\n', quoteChar: '"' });
    const errors = result.errors.map((e) =>
      e.index === undefined ? e : { ...e, index: e.index + offset },
    );
    return { fields: result.data[0] ?? [''], errors };
  }

  /** `text[start, end)` split at each of its line breaks outside quotes, each part parsed alone. */
  function split(text: string, start: number, end: number): CsvRecord[] {
    const out: CsvRecord[] = [];
    let at = start;
    // In CR mode a CRLF leaves its LF at the start of the next record; it belongs to the break.
    if (newline === '\r' && text.charCodeAt(at) === LF && charBefore(text, at) === CR) at++;
    const part = text.slice(0, end);
    while (at < end) {
      const r: ScannedRecord = scanOne(part, at, delimCode);
      const stop = Math.min(r.end, end);
      const breakLength = r.terminator === 'crlf' ? 2 : r.terminator === 'none' ? 0 : 1;
      const { fields, errors } = parseAlone(text.slice(at, stop - breakLength), at);
      out.push(build(text, at, stop, fields, errors, r.terminator));
      at = stop;
    }
    return out;
  }

  /** Positions of the line breaks Papa does not split on: lone CR (LF mode), lone LF (CR mode). */
  function foreignBreaks(text: string): number[] {
    const found: number[] = [];
    const pattern = newline === '\n' ? /\r(?!\n)/g : /(?<!\r)\n/g;
    if (!text.includes(newline === '\n' ? '\r' : '\n')) return found;
    for (const m of text.matchAll(pattern)) {
      // An LF first in the text pairs with a CR at the end of the text before it.
      if (m.index === 0 && newline === '\r' && previous === CR) continue;
      found.push(m.index);
    }
    return found;
  }

  /** The character code before `text[at]`, looking into the text already consumed. */
  function charBefore(text: string, at: number): number {
    return at > 0 ? text.charCodeAt(at - 1) : previous;
  }

  /** Parses `text`; with `final` false the last, possibly cut-off record is left unparsed. */
  function parse(text: string, final: boolean): { records: CsvRecord[]; consumed: number } {
    tracker.setText(text);
    const records: CsvRecord[] = [];
    let start = 0;
    const foreign = foreignBreaks(text);
    let f = 0;
    const parser = new Papa.Parser({
      delimiter,
      newline,
      quoteChar: '"',
      step(result: Papa.ParseStepResult<string[][]>) {
        const end = result.meta.cursor;
        // In final mode Papa ends text that ends with a line break with an empty row: not a record.
        if (end === start) return;
        while (f < foreign.length && (foreign[f] ?? 0) < start) f++;
        if (f < foreign.length && (foreign[f] ?? end) < end) {
          records.push(...split(text, start, end));
        } else {
          records.push(build(text, start, end, result.data[0] ?? [''], result.errors));
        }
        start = end;
      },
    });
    parser.parse(text, 0, !final);
    tracker.consume(start);
    return { records, consumed: start };
  }

  let pending = '';
  /** The last character consumed before `pending` (NaN at the start). */
  let previous = Number.NaN;
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
      const { records, consumed } = parse(text, next.done === true);
      if (records.length > 0) yield records;
      if (next.done) return;
      if (consumed > 0) previous = text.charCodeAt(consumed - 1);
      pending = text.slice(consumed);
      if (pending.length > maxRecordChars) {
        const cut = parse(pending, true).records;
        for (const record of cut) {
          record.cut = record.quote?.code === 'unclosed_quote' ? 'unclosed_quote' : 'too_large';
        }
        yield cut;
        return;
      }
      // Re-parse a growing tail only once the text has doubled (linear time for huge cells).
      waitFor = Math.min(pending.length * 2, maxRecordChars + 1);
    }
  } finally {
    await source.return?.();
  }
}
