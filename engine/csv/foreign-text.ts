/**
 * Text files that are not a table, refused before anything is parsed: an HTML page (a sign-in or
 * error page saved instead of the export), XML, JSON or JSON Lines, and a PDF whose body is text.
 * Parsed as CSV, each would become a "header" and rows of nonsense.
 */
import { basename } from 'node:path';
import { inputError } from './input-error';

const HTML = /^<(?:!doctype\s+html|html|head|body|meta|title|table|div|form|script|!--)[\s>]/i;
const XML = /^<\?xml[\s?]/i;
/** A JSON array or object: `[` then a value, `{` then a key or `}`. */
const JSON_START = /^(?:\[\s*(?:[{["\]\d-]|true|false|null)|\{\s*(?:"|\}))/;

const EXPORT_AS_CSV =
  'Export the data as CSV (comma, semicolon or tab separated) from the program it came from, and choose that file.';

/** True when the first line of `text` is a JSON object and so is the next non-blank line, if any. */
function isJsonLines(text: string): boolean {
  const lines = text.split(/\r\n|\n|\r/, 3).filter((l) => l.trim() !== '');
  const first = lines[0]?.trim() ?? '';
  if (!first.startsWith('{') || !first.endsWith('}')) return false;
  try {
    const value: unknown = JSON.parse(first);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Throws when the decoded head of the file (BOM removed) is HTML, XML, JSON or a PDF. */
export function rejectForeignText(file: string, text: string): void {
  const name = basename(file);
  const start = text.trimStart();
  if (start.startsWith('%PDF-')) {
    throw inputError(`${name} is a PDF document, not a CSV file.`, EXPORT_AS_CSV);
  }
  if (XML.test(start)) {
    throw inputError(
      `${name} is an XML document, not a CSV file.`,
      'If it is an Excel "XML Spreadsheet", open it in Excel and save it as "CSV UTF-8 (Comma delimited) (*.csv)"; otherwise export the data as CSV and choose that file.',
    );
  }
  if (HTML.test(start)) {
    throw inputError(
      `${name} is an HTML page, not a CSV file.`,
      'It may be a sign-in or error page that was saved instead of the export: download the export again as CSV and choose that file.',
    );
  }
  if (isJsonLines(start)) {
    throw inputError(
      `${name} is JSON Lines (one JSON object per line), not a CSV file.`,
      `${EXPORT_AS_CSV} A SCIM Porter JSON Lines export is a snapshot to plan against, not a list of rows.`,
    );
  }
  if (JSON_START.test(start)) {
    throw inputError(`${name} is JSON, not a CSV file.`, EXPORT_AS_CSV);
  }
}
