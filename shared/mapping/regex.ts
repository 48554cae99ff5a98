/**
 * Checks for the `regexReplace` transform. JavaScript regular expressions backtrack, so a pattern
 * such as `(a+)+$` or `^(a|a)*$` can take exponential time on a crafted cell. Three guards:
 * patterns with a quantified group that itself contains an unbounded quantifier, or a repeated
 * group whose alternatives can match the same text (regex-ambiguity.ts), are refused when the
 * spec is read, and cells longer than {@link MAX_REGEX_INPUT} characters are not matched at all
 * (a row problem).
 */

import { hasAmbiguousRepeatedAlternation } from './regex-ambiguity';
import { longestRepetitionRun, MAX_REPETITION_RUN } from './regex-runs';

/** Longest cell a `regexReplace` transform runs on. */
export const MAX_REGEX_INPUT = 1000;

/** Flags a spec may use: global, ignore case, multi-line, dot-all, Unicode. */
const ALLOWED_FLAGS = /^[gimsu]*$/;

/** Why `pattern`/`flags` cannot be used, or undefined when they can. */
export function regexProblem(pattern: string, flags = ''): string | undefined {
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    return `the flags "${flags}" are not valid (use any of g, i, m, s, u once)`;
  }
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    return `the pattern is not a valid regular expression (${e instanceof Error ? e.message : String(e)})`;
  }
  if (hasNestedQuantifier(pattern)) {
    return 'the pattern repeats a group that itself repeats (like (a+)+), which can take exponential time; rewrite it without the nested repetition';
  }
  if (hasAmbiguousRepeatedAlternation(pattern)) {
    return 'the pattern repeats a group whose alternatives can match the same text (like (a|a)* or (\\w|\\d)+), which can take exponential time; use a character class such as [ab]+, or alternatives of plain text where none starts another';
  }
  if (longestRepetitionRun(pattern) > MAX_REPETITION_RUN) {
    return 'the pattern has three or more repetitions of character sets in a row with nothing fixed between them (like \\s*\\s*\\s*), which can take minutes on a long cell; merge them, or put a plain character between them';
  }
  return undefined;
}

/**
 * True when a group followed by `*`, `+` or `{n,}` contains `*`, `+` or `{n,}` itself. A cheap,
 * conservative scan (character classes and escapes are skipped); it finds the classic
 * catastrophic shapes `(a+)+`, `(\w*\s?)*`, `(?:x+y?){2,}`.
 */
export function hasNestedQuantifier(pattern: string): boolean {
  /** For each open group: whether an unbounded quantifier occurred inside it. */
  const stack: boolean[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === '(') {
      stack.push(false);
      i++;
      continue;
    }
    if (c === ')') {
      const inner = stack.pop() ?? false;
      const q = unboundedQuantifierAt(pattern, i + 1);
      if (inner && q) return true;
      if ((inner || q) && stack.length > 0) stack[stack.length - 1] = true;
      i++;
      continue;
    }
    if (unboundedQuantifierAt(pattern, i) && stack.length > 0) stack[stack.length - 1] = true;
    i++;
  }
  return false;
}

/** True when an unbounded quantifier (`*`, `+`, `{n,}`) starts at `i`. */
function unboundedQuantifierAt(pattern: string, i: number): boolean {
  const c = pattern.charAt(i);
  if (c === '*' || c === '+') return true;
  return c === '{' && /^\{\d*,\}/.test(pattern.slice(i, i + 12));
}

/** The index after the character class starting at `start`. */
function skipClass(pattern: string, start: number): number {
  let i = start + 1;
  while (i < pattern.length && pattern.charAt(i) !== ']') i += pattern.charAt(i) === '\\' ? 2 : 1;
  return i + 1;
}
