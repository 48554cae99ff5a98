/** Splits a cell of group display names into distinct names. */
import { splitMultiValue } from '../../shared/columns/columns';

/**
 * A function from a groups cell to group display names: cut at `delimiter` (with `;`, the
 * export's `\;` and `\\` escapes are understood), trimmed unless `trim` is false, blanks dropped,
 * duplicates (compared case-insensitively) dropped keeping the first spelling.
 */
export function compileGroupSplitter(
  delimiter: ';' | ',' | '|' = ';',
  trim = true,
): (cell: string) => string[] {
  const split =
    delimiter === ';' ? splitMultiValue : (cell: string): string[] => cell.split(delimiter);
  return (cell) => {
    const out: string[] = [];
    let seen: Set<string> | undefined;
    for (const raw of split(cell)) {
      const name = trim ? raw.trim() : raw;
      if (name === '' || name.trim() === '') continue;
      const key = name.toLowerCase();
      seen ??= new Set();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(name);
    }
    return out;
  };
}
