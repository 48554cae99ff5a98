/**
 * Yes/no words: the status words an HR file uses for "this person is active" and the spellings of
 * booleans, in English with the common French, German and Spanish ones. Words compare without
 * case or accents, and `_`, `-` and runs of spaces are the same, so `LOCKED_OUT`, `Locked-out`
 * and `locked out` are one word.
 */
import { normalizeDiacritics } from './text';

/** Words meaning active / true when a mapping gives none. */
export const DEFAULT_TRUE_WORDS: readonly string[] = [
  'active',
  'enabled',
  'true',
  '1',
  'yes',
  'y',
  'actif',
  'aktiv',
  'activo',
  'oui',
  'ja',
];

/**
 * Words meaning inactive / false when a mapping gives none. "On leave" is deliberately absent:
 * whether a person on leave keeps their account is a policy decision, so it is a row problem until
 * the mapping lists it.
 */
export const DEFAULT_FALSE_WORDS: readonly string[] = [
  'terminated',
  'inactive',
  'disabled',
  'suspended',
  'deactivated',
  'deprovisioned',
  'false',
  '0',
  'no',
  'n',
  'inactif',
  'désactivé',
  'suspendu',
  'inaktiv',
  'deaktiviert',
  'gesperrt',
  'ausgeschieden',
  'inactivo',
  'non',
  'nein',
];

/**
 * The form words are compared in: no accents, lower case, `_`/`-`/white space runs as one space,
 * trimmed.
 */
export function normalizeWord(word: string): string {
  return normalizeDiacritics(word)
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** Word → boolean lookup compiled from a true list and a false list. */
export type WordMap = {
  /** `true`/`false`, or undefined for a word in neither list. */
  get(word: string): boolean | undefined;
  /** The words of both lists, as configured (for messages). */
  readonly trueWords: readonly string[];
  readonly falseWords: readonly string[];
};

/** Distinct raw spellings a {@link WordMap} remembers. */
const SEEN_LIMIT = 1024;

/** Compiles word lists (the defaults for a list not given). */
export function compileWords(
  trueWords: readonly string[] = DEFAULT_TRUE_WORDS,
  falseWords: readonly string[] = DEFAULT_FALSE_WORDS,
): WordMap {
  const map = new Map<string, boolean>();
  for (const w of falseWords) map.set(normalizeWord(w), false);
  for (const w of trueWords) map.set(normalizeWord(w), true);
  const seen = new Map<string, boolean | undefined>();
  return {
    get(word) {
      // Cells already in the compared form skip normalisation; a status column has few distinct
      // spellings, so the others are remembered (up to a bound).
      const direct = map.get(word);
      if (direct !== undefined) return direct;
      if (seen.has(word)) return seen.get(word);
      const found = map.get(normalizeWord(word));
      if (seen.size < SEEN_LIMIT) seen.set(word, found);
      return found;
    },
    trueWords,
    falseWords,
  };
}

/** Words present in both lists (after normalisation), for spec validation. */
export function overlappingWords(
  trueWords: readonly string[],
  falseWords: readonly string[],
): string[] {
  const t = new Set(trueWords.map(normalizeWord));
  return falseWords.filter((w) => t.has(normalizeWord(w)));
}
