/** Compiles the `source` of an attribute mapping into a reader of a row's cells. */
import type { HeaderIndex } from './headers';
import type { Source } from './spec';
import { compileTemplate, parseTemplate, type ResolvedPart } from './template';

/** Reads an attribute's source value (cells cleaned, e.g. trimmed) from a row. */
export type SourceReader = (cells: readonly string[]) => string;

/** A compiled source, or why it cannot be compiled. */
type CompiledSource =
  | {
      ok: true;
      read: SourceReader;
      /** The CSV headers it reads, in order. */
      columns: string[];
    }
  | {
      ok: false;
      /** Problems, each with the JSON path suffix under `source` (`column`, `columns[1]`, `template`). */
      problems: { at: string; message: string }[];
      /** True when every problem is a missing column (an `optional` mapping is then dropped). */
      onlyMissing: boolean;
    };

/**
 * Resolves the columns of a source against the CSV headers. With `columns` (coalesce), missing
 * columns are problems unless `lenient` (an optional mapping keeps the columns present).
 */
export function compileSource(
  source: Source,
  headers: HeaderIndex,
  clean: (cell: string) => string,
  lenient = false,
): CompiledSource {
  if ('constant' in source) {
    const value = source.constant;
    return { ok: true, read: () => value, columns: [] };
  }
  if ('column' in source) {
    const i = headers.find(source.column);
    if (i === undefined) {
      return {
        ok: false,
        problems: [{ at: 'column', message: headers.missing(source.column) }],
        onlyMissing: true,
      };
    }
    return { ok: true, read: (cells) => clean(cells[i] ?? ''), columns: [headerAt(headers, i)] };
  }
  if ('columns' in source) return coalesce(source.columns, headers, clean, lenient);
  return template(source.template, headers, clean);
}

function headerAt(headers: HeaderIndex, i: number): string {
  return headers.headers[i] ?? '';
}

/** `{columns: [...]}`: the first non-empty cell. */
function coalesce(
  names: readonly string[],
  headers: HeaderIndex,
  clean: (cell: string) => string,
  lenient: boolean,
): CompiledSource {
  const indexes: number[] = [];
  const problems: { at: string; message: string }[] = [];
  names.forEach((name, k) => {
    const i = headers.find(name);
    if (i === undefined) problems.push({ at: `columns[${k}]`, message: headers.missing(name) });
    else indexes.push(i);
  });
  if ((problems.length > 0 && !lenient) || indexes.length === 0) {
    return { ok: false, problems, onlyMissing: true };
  }
  const n = indexes.length;
  return {
    ok: true,
    read: (cells) => {
      for (let k = 0; k < n; k++) {
        const v = clean(cells[indexes[k] ?? -1] ?? '');
        if (v !== '') return v;
      }
      return '';
    },
    columns: indexes.map((i) => headerAt(headers, i)),
  };
}

/** `{template}`: placeholders resolved to cell indexes. */
function template(
  text: string,
  headers: HeaderIndex,
  clean: (cell: string) => string,
): CompiledSource {
  const parsed = parseTemplate(text);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: [{ at: 'template', message: `the template is not valid: ${parsed.reason}` }],
      onlyMissing: false,
    };
  }
  const parts: ResolvedPart[] = [];
  const columns: string[] = [];
  const problems: { at: string; message: string }[] = [];
  for (const p of parsed.parts) {
    if (typeof p === 'string') {
      parts.push(p);
      continue;
    }
    // A header that itself ends in "?" wins over the optional marker.
    const whole = p.optional ? headers.find(p.raw) : undefined;
    const i = whole ?? headers.find(p.column);
    if (i === undefined) {
      problems.push({
        at: 'template',
        message: `the template refers to a missing column: ${headers.missing(p.column)}`,
      });
      continue;
    }
    parts.push({ index: i, optional: whole === undefined && p.optional });
    columns.push(headerAt(headers, i));
  }
  if (problems.length > 0) return { ok: false, problems, onlyMissing: true };
  return { ok: true, read: compileTemplate(parts, clean), columns };
}
