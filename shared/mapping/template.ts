/**
 * Templates build one value from several CSV columns: `{First Name}.{Last Name}@example.com`.
 *
 * - `{Column}` is the cell of that column. When a column's cell is empty the whole template is
 *   empty (so `{First Name}.{Last Name}@example.com` never yields `.smith@example.com`), and the
 *   attribute's empty policy applies;
 * - `{Column?}` is optional: an empty cell there just contributes nothing
 *   (`{First Name} {Middle Name?} {Last Name}`, then `collapseWhitespace`);
 * - `{{` and `}}` are literal braces.
 *
 * A column whose header itself ends in `?` is found by its full name first.
 */

/** One part of a template: literal text, or a column reference. */
type TemplatePart =
  | string
  | {
      /** The column name without a trailing `?`. */
      column: string;
      optional: boolean;
      /** The placeholder text as written (trimmed), `?` included. */
      raw: string;
    };

/** Parses a template; returns a reason when the braces are unbalanced or a placeholder is empty. */
export function parseTemplate(
  template: string,
): { ok: true; parts: TemplatePart[] } | { ok: false; reason: string } {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const c = template.charAt(i);
    const next = template.charAt(i + 1);
    if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
      text += c;
      i += 2;
    } else if (c === '}') {
      return {
        ok: false,
        reason: `a "}" at position ${i + 1} closes nothing (write "}}" for a brace)`,
      };
    } else if (c === '{') {
      const end = template.indexOf('}', i + 1);
      if (end < 0) return { ok: false, reason: `the "{" at position ${i + 1} is never closed` };
      const name = template.slice(i + 1, end).trim();
      if (name === '' || name === '?') {
        return { ok: false, reason: `the placeholder at position ${i + 1} names no column` };
      }
      if (text !== '') parts.push(text);
      text = '';
      const optional = name.endsWith('?');
      parts.push({ column: optional ? name.slice(0, -1).trimEnd() : name, optional, raw: name });
      i = end + 1;
    } else {
      text += c;
      i++;
    }
  }
  if (text !== '') parts.push(text);
  return { ok: true, parts };
}

/** A template part with its column resolved to a cell index. */
export type ResolvedPart = string | { index: number; optional: boolean };

/**
 * Compiles resolved parts into a function of a row's cells. `clean` is applied to every cell (the
 * spec's trimming) before the emptiness test.
 */
export function compileTemplate(
  parts: readonly ResolvedPart[],
  clean: (cell: string) => string,
): (cells: readonly string[]) => string {
  const n = parts.length;
  return (cells) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      const p = parts[i];
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      if (p === undefined) continue;
      const v = clean(cells[p.index] ?? '');
      if (v === '' && !p.optional) return '';
      out += v;
    }
    return out;
  };
}
