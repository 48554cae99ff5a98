/**
 * Early rejection of files that are not CSV text: empty files, Excel workbooks saved under a .csv
 * name, and binary data. Runs on the head of the file, before anything is parsed.
 */
import { basename } from 'node:path';
import type { CsvEncoding } from '../../shared/import/types';
import { inputError } from './input-error';

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4: .xlsx/.xlsm/.ods are zip archives
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // Excel 97-2003 .xls

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

const SAVE_AS_CSV =
  'Open it in Excel and choose File › Save As › "CSV UTF-8 (Comma delimited) (*.csv)", then choose the saved file.';

/** Throws when the bytes cannot be a CSV file; `encoding` is the detected or forced one. */
export function rejectNonText(file: string, head: Uint8Array, encoding: CsvEncoding): void {
  const name = basename(file);
  if (head.length === 0) {
    throw inputError(
      `${name} is empty (0 bytes).`,
      'Choose the exported CSV file again; if it is the right file, export it again.',
    );
  }
  if (startsWith(head, ZIP_MAGIC)) {
    throw inputError(
      `${name} is an Excel workbook (.xlsx) or another zip archive, not a CSV file, although its name ends in ${extension(name)}.`,
      SAVE_AS_CSV,
    );
  }
  if (startsWith(head, OLE2_MAGIC)) {
    throw inputError(
      `${name} is an Excel 97-2003 workbook (.xls), not a CSV file, although its name ends in ${extension(name)}.`,
      SAVE_AS_CSV,
    );
  }
  if ((encoding === 'utf-8' || encoding === 'windows-1252') && head.includes(0)) {
    throw inputError(
      `${name} is not a text file: it contains binary data (NUL bytes).`,
      'Choose the CSV file itself; if it came from Excel, use File › Save As › "CSV UTF-8 (Comma delimited) (*.csv)".',
    );
  }
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `"${name.slice(dot)}"` : 'no extension';
}

/**
 * Throws when the decoded text (BOM removed) has no header row: only a byte-order mark, or only
 * blank lines and spaces. `complete`: the text is the whole file.
 */
export function rejectBlankText(file: string, text: string, bom: boolean, complete: boolean): void {
  if (!complete || text.trim() !== '') return;
  const name = basename(file);
  if (text === '') {
    throw inputError(
      bom
        ? `${name} is empty: it holds only a byte-order mark, no header row.`
        : `${name} is empty.`,
      'Choose the exported CSV file again; if it is the right file, export it again.',
    );
  }
  throw inputError(
    `${name} has no header row: it holds only blank lines.`,
    'Choose the exported CSV file again; the first line must name the columns.',
  );
}
