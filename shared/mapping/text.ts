/** Text helpers for transforms and header matching: diacritics, case, white space, distance. */

/** Letters NFKD does not decompose into a base letter plus marks. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'SS',
  Ø: 'O',
  ø: 'o',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Ł: 'L',
  ł: 'l',
  Þ: 'TH',
  þ: 'th',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŀ: 'L',
  ŀ: 'l',
};
const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'g');
const MARKS_RE = /\p{M}+/gu;
const ASCII_RE = /^[\x20-\x7e]*$/;

/**
 * Latin letters without their accents: NFKD, combining marks removed, and `ß`→`ss`, `Ø`→`O`,
 * `Æ`→`AE`, `Ł`→`L`, `Þ`→`TH` and the like. `José Müller-Łukasz` → `Jose Muller-Lukasz`.
 */
export function normalizeDiacritics(value: string): string {
  if (ASCII_RE.test(value)) return value;
  return value
    .replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c)
    .normalize('NFKD')
    .replace(MARKS_RE, '');
}

const WORD_START_RE = /(^|[\s\-'’./(])(\p{L})/gu;

/** Each word capitalised, the rest lower case: `o'BRIEN-smith` → `O'Brien-Smith`. */
export function titleCase(value: string): string {
  return value
    .toLowerCase()
    .replace(WORD_START_RE, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

const SPACES_RE = /\s+/g;

/** Runs of white space as one space, trimmed. */
export function collapseWhitespace(value: string): string {
  return value.replace(SPACES_RE, ' ').trim();
}

/**
 * A header in a comparable form: no accents, lower case, camelCase split into words, bracketed
 * parts kept, anything but letters and digits as one space. `Prénom_Usuel` → `prenom usuel`,
 * `givenName` → `given name`.
 */
export function normalizeHeader(header: string): string {
  return normalizeDiacritics(header)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** {@link normalizeHeader} without spaces: `First Name`, `first_name`, `firstName` → `firstname`. */
export function compactHeader(header: string): string {
  return normalizeHeader(header).replace(/ /g, '');
}

/** Levenshtein edit distance (insertions, deletions, substitutions), iterative, O(n·m). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_v, i) => i);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `name` (compared as {@link compactHeader}), when it is close enough to
 * be a plausible typo: at most a third of the longer name's length, and at least one character.
 */
export function closestMatch(name: string, candidates: readonly string[]): string | undefined {
  const wanted = compactHeader(name);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const compact = compactHeader(c);
    const d = compact === wanted ? 0 : levenshtein(wanted, compact);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(wanted.length, compactHeader(best).length) / 3));
  return bestDistance <= limit ? best : undefined;
}
