/**
 * The reader's problems: a bounded list (the count of the rest is exact) and the sentences for
 * damaged rows. Messages name the file, the line and the row; next steps say what to change.
 */
import { basename } from 'node:path';
import { charName, showControls } from './text-safety';
import type { CsvDelimiter, InputProblem } from '../../shared/import/types';
import { PROBLEM_VALUE_CHARS, shorten } from '../../shared/util/shorten';

/** The offending cell as a problem keeps it. */
function shortValue(value: string): string {
  return shorten(value, PROBLEM_VALUE_CHARS);
}

/** Keeps the first `max` problems and counts the others. */
export class ProblemSink {
  private readonly kept: InputProblem[] = [];
  private omitted = 0;

  constructor(private readonly max: number) {}

  add(problem: InputProblem): void {
    if (this.kept.length < this.max) this.kept.push(problem);
    else this.omitted++;
  }

  /** The problems so far plus `extra` (end-of-file summaries), under the same limit. */
  snapshot(extra: readonly InputProblem[] = []): { problems: InputProblem[]; omitted: number } {
    const room = Math.max(0, this.max - this.kept.length);
    return {
      problems: [...this.kept, ...extra.slice(0, room)],
      omitted: this.omitted + Math.max(0, extra.length - room),
    };
  }
}

function delimiterName(d: CsvDelimiter): string {
  switch (d) {
    case ',':
      return 'comma';
    case ';':
      return 'semicolon';
    case '\t':
      return 'tab';
    case '|':
      return 'pipe (|)';
    default:
      return `"${d}"`;
  }
}

/** A length in characters, as the admin thinks of file sizes. */
export function size(chars: number): string {
  if (chars >= 1024 * 1024) return `${Math.round(chars / (1024 * 1024))} MB`;
  if (chars >= 1024) return `${Math.round(chars / 1024)} KB`;
  return plural(chars, 'character');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What all row problems share. */
export type RowContext = {
  file: string;
  line: number;
  row: number;
  headers: readonly string[];
  delimiter: CsvDelimiter;
};

function at(c: RowContext): string {
  return `Row ${c.row} (line ${c.line}) of ${basename(c.file)}`;
}

export function tooManyFields(c: RowContext, fields: readonly string[]): InputProblem {
  const extra = fields[c.headers.length] ?? '';
  const d = delimiterName(c.delimiter);
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    value: shortValue(extra),
    code: 'too_many_fields',
    severity: 'error',
    message: `${at(c)} has ${plural(fields.length, 'field')}; the header has ${c.headers.length}.`,
    nextStep: `Put double quotes around a cell that contains a ${d}, or remove the extra ${d}, so the row has ${c.headers.length} fields, then import again.`,
  };
}

export function tooFewFields(c: RowContext, fields: readonly string[]): InputProblem {
  const d = delimiterName(c.delimiter);
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    column: c.headers[fields.length],
    code: 'too_few_fields',
    severity: 'error',
    message: `${at(c)} has ${plural(fields.length, 'field')}; the header has ${c.headers.length}.`,
    nextStep: `Add the missing ${d}s (an empty cell is fine) so the row has ${c.headers.length} fields, then import again.`,
  };
}

export function badQuote(
  c: RowContext,
  column: string | undefined,
  quoteLine: number,
  lastLine: number,
  excerpt: string,
): InputProblem {
  const cell = column === undefined ? 'a cell' : `column "${column}"`;
  const span =
    lastLine > c.line ? `, so lines ${c.line}–${lastLine} were read as one row and skipped` : '';
  const on = quoteLine !== c.line ? ` on line ${quoteLine}` : '';
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    column,
    value: shortValue(excerpt),
    code: 'bad_quote',
    severity: 'error',
    message: `${at(c)} has a misplaced double quote in ${cell}${on}${span}.`,
    nextStep:
      'Inside a quoted cell write a double quote twice (""), and make sure the closing quote is followed by the delimiter or the end of the line, then import again.',
  };
}

export function unclosedQuote(
  c: RowContext,
  column: string | undefined,
  quoteLine: number,
  lastLine: number,
  cutAt?: number,
): InputProblem {
  const cell = column === undefined ? 'a cell' : `column "${column}"`;
  const rest =
    cutAt !== undefined
      ? `; after ${size(cutAt)} without the closing quote the rest of the file was not read`
      : lastLine > quoteLine
        ? `, so the rest of the file (lines ${quoteLine}–${lastLine}) was read as one cell and skipped`
        : '';
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    column,
    code: 'unclosed_quote',
    severity: 'error',
    message: `${at(c)} opens a quoted cell in ${cell} on line ${quoteLine} that is never properly closed${rest}.`,
    nextStep: `Close the quoted cell on line ${quoteLine} with a double quote followed by the delimiter or the end of the line (a double quote inside a cell is written twice: ""), or remove the opening quote, then import again.`,
  };
}

export function recordTooLarge(c: RowContext, maxChars: number): InputProblem {
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    code: 'record_too_large',
    severity: 'error',
    message: `${at(c)} is longer than ${size(maxChars)} without a line break; the rest of the file was not read.`,
    nextStep: 'Check that the file is a CSV export with one user or group per line.',
  };
}

/** Summary of rows that ended with empty cells beyond the header (trailing delimiters). */
export function extraEmptyFields(
  file: string,
  count: number,
  first: { line: number; row: number },
): InputProblem {
  return {
    file,
    line: first.line,
    row: first.row,
    code: 'extra_empty_fields',
    severity: 'warning',
    message: `${plural(count, 'row')} of ${basename(file)} ${count === 1 ? 'has' : 'have'} more fields than the header, first row ${first.row} (line ${first.line}); the extra cells are empty and were ignored.`,
    nextStep: 'Nothing to do, unless a column header is missing: then add it and import again.',
  };
}

/**
 * A row with bytes the encoding cannot decode (shown as U+FFFD), or with U+FFFD itself (text that
 * was damaged before it was saved): left out, never sent.
 */
export function invalidEncoding(
  c: RowContext,
  column: string | undefined,
  value: string,
  encoding: string,
  literal: boolean,
): InputProblem {
  const cell = column === undefined ? 'a cell' : `column "${column}"`;
  const what = literal
    ? `the replacement character � (or bytes that are not valid ${encoding})`
    : `bytes that are not valid ${encoding} (shown as �)`;
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    column,
    value: shortValue(value),
    code: 'invalid_encoding',
    severity: 'error',
    message: literal
      ? `${at(c)} has ${what} in ${cell}; the row is left out.`
      : `${at(c)} has bytes in ${cell} that are not valid ${encoding} (shown as �); the row is left out.`,
    nextStep:
      encoding === 'UTF-8'
        ? 'Correct that cell, or save the file again as UTF-8 (in Excel: "CSV UTF-8"). If the whole file is Windows-1252 (Excel\'s plain "CSV"), choose that encoding instead.'
        : 'Correct that cell, or choose the encoding the file was saved in.',
  };
}

/** A row with a control character (a terminal escape, a bell…): left out, never sent. */
export function controlCharacter(
  c: RowContext,
  column: string | undefined,
  value: string,
  char: string,
): InputProblem {
  const cell = column === undefined ? 'a cell' : `column "${column}"`;
  return {
    file: c.file,
    line: c.line,
    row: c.row,
    column,
    value: shortValue(showControls(value)),
    code: 'control_character',
    severity: 'error',
    message: `${at(c)} has a control character (${charName(char)}) in ${cell}; the row is left out.`,
    nextStep:
      'Remove the control character from the cell (most editors do not show it; it often comes from text copied out of a terminal or another program), then import again.',
  };
}

export function noRows(file: string, headerLine: number, header = true): InputProblem {
  return {
    file,
    line: headerLine,
    code: 'no_rows',
    severity: 'warning',
    message: header
      ? `${basename(file)} has a header (line ${headerLine}) but no data rows.`
      : `${basename(file)} has no data rows.`,
    nextStep: 'Check that you chose the right file, or add rows below the header.',
  };
}
