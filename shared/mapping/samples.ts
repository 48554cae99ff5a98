/** What a column's sample values look like, for auto-suggest. */
import { compileWords, normalizeWord } from './words';

/** Fractions (0–1) of a column's non-empty sample values of each shape. */
export type ColumnProfile = {
  /** Non-empty sample values seen. */
  count: number;
  email: number;
  /** Digits only. */
  digits: number;
  /** Short codes without spaces that contain digits: `E1042`, `100-23`, `00412`. */
  idLike: number;
  /** Known status or yes/no words (`Active`, `Terminated`, `Yes`, `0`). */
  status: number;
  /** Honorifics (`Mr`, `Dr`, `Mme`, `Herr`). */
  honorific: number;
  /** The most common list separator in the values, when any value has one. */
  separator?: ';' | ',' | '|';
  /** Up to five distinct values that are not known status words (for messages). */
  unknownStatus: string[];
  /** Distinct values from {@link EXTRA_ACTIVE_WORDS}, as written. */
  extraActive: string[];
};

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DIGITS_RE = /^\d+$/;
const ID_RE = /^[A-Za-z]{0,4}[-_]?\d[\d-]*[A-Za-z]?$/;
const HONORIFICS = new Set(
  ['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'herr', 'frau', 'm', 'mme', 'mlle'].map(
    normalizeWord,
  ),
);
/**
 * Status words beyond the defaults that identity providers write (Okta); all mean the account
 * exists and is not suspended, so auto-suggest adds them to the active words when it sees them.
 */
const EXTRA_ACTIVE_WORDS: readonly string[] = [
  'staged',
  'provisioned',
  'recovery',
  'locked out',
  'password expired',
];
const STATUS = compileWords();
const EXTRA = new Set(EXTRA_ACTIVE_WORDS.map(normalizeWord));

/** Profiles one column of the sample rows. */
export function profileColumn(rows: readonly (readonly string[])[], index: number): ColumnProfile {
  let count = 0;
  let email = 0;
  let digits = 0;
  let idLike = 0;
  let status = 0;
  let honorific = 0;
  const seps = { ';': 0, ',': 0, '|': 0 };
  const unknown = new Set<string>();
  const extra = new Map<string, string>();
  for (const row of rows) {
    const v = (row[index] ?? '').trim();
    if (v === '') continue;
    count++;
    if (EMAIL_RE.test(v)) email++;
    if (DIGITS_RE.test(v)) digits++;
    if (ID_RE.test(v)) idLike++;
    const word = normalizeWord(v);
    if (STATUS.get(word) !== undefined) status++;
    else if (EXTRA.has(word)) {
      status++;
      if (!extra.has(word)) extra.set(word, v);
    } else if (unknown.size < 5) unknown.add(v);
    if (HONORIFICS.has(word.replace(/\.$/, ''))) honorific++;
    for (const s of [';', ',', '|'] as const) if (v.includes(s)) seps[s]++;
  }
  const frac = (n: number): number => (count === 0 ? 0 : n / count);
  const best = (Object.entries(seps) as [';' | ',' | '|', number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])[0];
  return {
    count,
    email: frac(email),
    digits: frac(digits),
    idLike: frac(idLike),
    status: frac(status),
    honorific: frac(honorific),
    ...(best ? { separator: best[0] } : {}),
    unknownStatus: [...unknown],
    extraActive: [...extra.values()],
  };
}
