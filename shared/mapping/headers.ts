/** Finds the CSV columns a mapping names: exactly, else case-insensitively, else a suggestion. */
import { closestMatch } from './text';

/** The CSV headers of a file, searchable by name. */
export type HeaderIndex = {
  readonly headers: readonly string[];
  /** The index of the column called `name` (exact, then unique case-insensitive match). */
  find(name: string): number | undefined;
  /** Why `name` is not a column, with the closest header when there is a plausible one. */
  missing(name: string): string;
};

/** Indexes `headers` (as made distinct by the CSV reader). */
export function indexHeaders(headers: readonly string[]): HeaderIndex {
  const exact = new Map<string, number>();
  const folded = new Map<string, number | 'ambiguous'>();
  headers.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const key = h.trim().toLowerCase();
    folded.set(key, folded.has(key) ? 'ambiguous' : i);
  });
  return {
    headers,
    find(name) {
      const hit = exact.get(name);
      if (hit !== undefined) return hit;
      const f = folded.get(name.trim().toLowerCase());
      return typeof f === 'number' ? f : undefined;
    },
    missing(name) {
      const guess = closestMatch(name, headers);
      const hint = guess !== undefined ? ` (did you mean "${guess}"?)` : '';
      return `there is no CSV column "${name}"${hint}`;
    },
  };
}
