/**
 * Excel's delimiter line: a first line `sep=;` (any one character after the `=`) tells Excel which
 * delimiter the file uses, whatever the computer's list separator. Other tools re-save it quoted
 * (`"sep=;"`) or padded with empty cells (`sep=;;;`). The line is not part of the table.
 */

/** The delimiter a `sep=` line names. */
type SepLine = { delimiter: string };

const SEP = /^"?sep=([^"\r\n])"?([^\r\n]*)$/i;
/** What may follow the `sep=X` of a re-saved file: empty cells. */
const PADDING = /^[,;\t| ]*$/;

/** The `sep=` line at the start of `text` (decoded, BOM removed), if there is one. */
export function sepLineOf(text: string): SepLine | undefined {
  const cr = text.indexOf('\r');
  const lf = text.indexOf('\n');
  const end = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
  const line = end < 0 ? text : text.slice(0, end);
  const m = SEP.exec(line);
  const delimiter = m?.[1];
  if (!m || delimiter === undefined) return undefined;
  const rest = m[2] ?? '';
  if (!PADDING.test(rest) && rest !== delimiter.repeat(rest.length)) return undefined;
  return { delimiter };
}
