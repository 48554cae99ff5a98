/**
 * A quote-aware scan of raw CSV text that finds record and field boundaries without building
 * cells. Papa Parse does the parsing; this scan serves the decisions taken around it: which
 * delimiter and line ending a file uses (sniffing a sample) and which column a quote problem is in.
 *
 * It follows Papa Parse's rules: a quote is special only at the start of a field; inside a quoted
 * field `""` is a quote; a quote closes the field when followed (after optional blanks) by the
 * delimiter, a line break or the end of the text; any other quote is malformed and scanning goes
 * on. Unlike Papa it accepts CRLF, LF and CR alike as the end of a record.
 */
export type LineBreak = 'crlf' | 'lf' | 'cr';

export type ScannedRecord = {
  /** Offset of the record's first character. */
  start: number;
  /** Offset just past its line break (or the end of the text). */
  end: number;
  /** Offset of each field's first character (an opening quote included). */
  fieldStarts: number[];
  terminator: LineBreak | 'none';
  /** A quoted field is still open at the end of the text. */
  openQuote: boolean;
};

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;

type ScanOptions = {
  /** Stop after this many records. */
  maxRecords?: number;
  /** The text is the end of the file: a last record without a line break is complete. */
  eof: boolean;
};

/** Scans records from the start of `text`; a record cut off by the end of a sample is left out. */
export function scanRecords(text: string, delimiter: string, opts: ScanOptions): ScannedRecord[] {
  const records: ScannedRecord[] = [];
  const max = opts.maxRecords ?? Number.POSITIVE_INFINITY;
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  while (i < n && records.length < max) {
    const record = scanOne(text, i, delim);
    if (record.terminator === 'none' && !opts.eof) break;
    records.push(record);
    i = record.end;
  }
  return records;
}

/** Scans the record starting at `start`. */
export function scanOne(text: string, start: number, delim: number): ScannedRecord {
  const n = text.length;
  const fieldStarts: number[] = [];
  let i = start;
  for (;;) {
    fieldStarts.push(i);
    if (text.charCodeAt(i) === QUOTE) {
      // Quoted field: find the quote that closes it.
      let search = i + 1;
      for (;;) {
        const q = text.indexOf('"', search);
        if (q < 0) {
          return { start, end: n, fieldStarts, terminator: 'none', openQuote: true };
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          search = q + 2;
          continue;
        }
        let k = q + 1;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c !== SPACE && (c !== TAB || delim === TAB)) break;
          k++;
        }
        if (k >= n) return { start, end: n, fieldStarts, terminator: 'none', openQuote: false };
        const c = text.charCodeAt(k);
        if (c === delim) {
          i = k + 1;
          break;
        }
        if (c === CR || c === LF) return ended(text, start, k, fieldStarts);
        search = q + 1; // a malformed quote inside the field
      }
      continue;
    }
    // Unquoted field: up to the next delimiter or line break.
    let k = i;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === delim || c === CR || c === LF) break;
      k++;
    }
    if (k >= n) return { start, end: n, fieldStarts, terminator: 'none', openQuote: false };
    if (text.charCodeAt(k) === delim) {
      i = k + 1;
      continue;
    }
    return ended(text, start, k, fieldStarts);
  }
}

function ended(text: string, start: number, at: number, fieldStarts: number[]): ScannedRecord {
  if (text.charCodeAt(at) === LF) {
    return { start, end: at + 1, fieldStarts, terminator: 'lf', openQuote: false };
  }
  if (text.charCodeAt(at + 1) === LF) {
    return { start, end: at + 2, fieldStarts, terminator: 'crlf', openQuote: false };
  }
  return { start, end: at + 1, fieldStarts, terminator: 'cr', openQuote: false };
}

/** Index of the field that `offset` (inside the record) falls in. */
export function fieldIndexAt(record: ScannedRecord, offset: number): number {
  let index = 0;
  for (let f = 1; f < record.fieldStarts.length; f++) {
    const s = record.fieldStarts[f];
    if (s === undefined || s > offset) break;
    index = f;
  }
  return index;
}

/** Physical line breaks (CRLF, LF and CR each count one) in `text[from, to)`. */
export function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (text.charCodeAt(i + 1) === LF) i++;
    }
  }
  return count;
}
