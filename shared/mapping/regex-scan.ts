/** Small scanning helpers shared by the regex safety checks (regex-ambiguity.ts, regex-runs.ts). */

/** Repetition limit above which `{n,m}` counts as repeating a group many times (like `*`). */
const SMALL_REPEAT = 16;

/**
 * The quantifier at `i`: its length (0 = none), whether it is unbounded (`*`, `+`, `{n,}`) and
 * whether it repeats more than a few times (unbounded, or `{n,m}` with m over 16).
 */
export function quantifierAt(
  pattern: string,
  i: number,
): { length: number; unbounded: boolean; repeats: boolean } {
  const c = pattern.charAt(i);
  const lazy = (n: number): number => (pattern.charAt(i + n) === '?' ? n + 1 : n);
  if (c === '*' || c === '+') return { length: lazy(1), unbounded: true, repeats: true };
  if (c === '?') return { length: lazy(1), unbounded: false, repeats: false };
  const counted = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24));
  if (c !== '{' || !counted) return { length: 0, unbounded: false, repeats: false };
  const min = Number(counted[1]);
  const max = counted[2] === undefined ? min : counted[3] === '' ? Infinity : Number(counted[3]);
  return {
    length: lazy(counted[0].length),
    unbounded: max === Infinity,
    repeats: max > SMALL_REPEAT,
  };
}

/** Index after the character class starting at `start` (escapes inside skipped). */
export function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern.charAt(i) === '^') i++;
  if (pattern.charAt(i) === ']') i++;
  while (i < pattern.length && pattern.charAt(i) !== ']') i += pattern.charAt(i) === '\\' ? 2 : 1;
  return i + 1;
}

/** Length of a group's opening: `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`. */
export function groupOpening(pattern: string, i: number): number {
  const m = /^\((\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(pattern.slice(i, i + 40));
  return m ? m[0].length : 1;
}
