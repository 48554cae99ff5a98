/**
 * Header names the rest of import planning can rely on: trimmed, without invisible characters,
 * never blank, all distinct (compared case-insensitively, as SCIM attribute names are). Each
 * change is a warning naming the column.
 */
import { basename } from 'node:path';
import { charName, hiddenCharacters, visibleText } from './text-safety';
import type { InputProblem } from '../../shared/import/types';

type Headers = {
  headers: string[];
  problems: InputProblem[];
};

/** Makes `original` (the header cells as in the file, formula escaping already reversed) usable. */
export function makeHeaders(original: readonly string[], file: string, line: number): Headers {
  const name = basename(file);
  const trimmed = original.map(visibleText);
  // Names taken so far, lower-cased; non-blank headers are reserved first so that a generated
  // name (`Email (2)`, `Column 4`) never takes a name the file itself uses later.
  const taken = new Set<string>();
  const firstAt = new Map<string, number>();
  trimmed.forEach((h, i) => {
    if (h !== '' && !firstAt.has(h.toLowerCase())) firstAt.set(h.toLowerCase(), i);
  });
  for (const key of firstAt.keys()) taken.add(key);

  const problems: InputProblem[] = [];
  const headers = trimmed.map((h, i) => {
    const position = i + 1;
    if (h === '') {
      const made = distinct(`Column ${position}`, taken);
      problems.push({
        file,
        line,
        column: made,
        code: 'blank_header',
        severity: 'warning',
        message: `Column ${position} of ${name} has no header (line ${line}); it is called "${made}" here.`,
        nextStep: 'Type a header for that column in the file, or map it under this name.',
      });
      return made;
    }
    const hidden = hiddenCharacters(original[i] ?? '');
    if (hidden.length > 0) problems.push(invisibleHeader(file, line, position, h, hidden));
    if (h.includes('\uFFFD')) {
      problems.push({
        file,
        line,
        column: h,
        code: 'invalid_encoding',
        severity: 'warning',
        message: `The header of column ${position} of ${name} has bytes that are not valid in the file's encoding (shown as �): "${h}".`,
        nextStep:
          'Choose the encoding the file was saved in, or save it again as UTF-8 (in Excel: "CSV UTF-8"), so the column can be mapped by its real name.',
      });
    }
    const first = firstAt.get(h.toLowerCase());
    if (first === i) return h;
    const made = distinct(h, taken);
    problems.push({
      file,
      line,
      column: made,
      code: 'duplicate_header',
      severity: 'warning',
      message: `Column ${position} of ${name} repeats the header "${h}" of column ${(first ?? 0) + 1} (line ${line}); it is called "${made}" here.`,
      nextStep:
        'Rename one of the two columns in the file if they hold different data, or map the one you need.',
    });
    return made;
  });
  return { headers, problems };
}

/** `base` if free, else `base (2)`, `base (3)`, …; marks the result as taken. */
function distinct(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} (${n})`;
  taken.add(name.toLowerCase());
  return name;
}

/** A header that had invisible characters or unusual spaces, read without them. */
function invisibleHeader(
  file: string,
  line: number,
  position: number,
  header: string,
  hidden: readonly string[],
): InputProblem {
  const what =
    hidden.length === 1
      ? `an invisible character (${charName(hidden[0] ?? '')})`
      : `invisible characters (${hidden.map(charName).join(', ')})`;
  return {
    file,
    line,
    column: header,
    code: 'invisible_header',
    severity: 'warning',
    message: `The header of column ${position} of ${basename(file)} has ${what}; it is read as "${header}".`,
    nextStep:
      'Nothing to do: the header is read without them. To clean the file, type the header again.',
  };
}
