/**
 * The second catastrophic-backtracking shape (after nested repetition, see `regex.ts`): a
 * repeated group whose alternatives can match the same text, like `^(a|a)*$`, `(a|aa)+` or
 * `(\w|\d)*`. On a cell that almost matches, the engine tries every way of splitting it between
 * the alternatives: 2^n for n characters.
 *
 * Deciding whether two arbitrary alternatives overlap is hard, so the scan is conservative: a
 * repeated group with alternatives is accepted only when every alternative is plain text and none
 * is a prefix of another (`(ab|cd)+`, `(Jr|Sr)*`), which a backtracking engine walks in one way
 * only. Anything else (`(\d|x)*`, `(a|)*`, `(Mr|Mrs)+`) is refused with a sentence.
 */

import { groupOpening, quantifierAt, skipClass } from './regex-scan';

/** One open group while scanning: its alternatives so far, as plain text or null (not plain). */
type Frame = { branches: (string | null)[]; current: string | null; unsafe: boolean };

/** Characters that mean something outside a class; any other character matches itself. */
const META = new Set(['\\', '.', '[', ']', '(', ')', '*', '+', '?', '{', '}', '^', '$', '|']);

/** True when some alternative is empty, not plain text, or a prefix of another (case-folded). */
function ambiguous(branches: readonly (string | null)[]): boolean {
  if (branches.length < 2) return false;
  const texts: string[] = [];
  for (const b of branches) {
    if (b === null || b === '') return true;
    texts.push(b.toLowerCase());
  }
  return texts.some((a, i) => texts.some((b, j) => i !== j && b.startsWith(a)));
}

/** True when `pattern` repeats a group whose alternatives can match the same text. */
export function hasAmbiguousRepeatedAlternation(pattern: string): boolean {
  const stack: Frame[] = [{ branches: [], current: '', unsafe: false }];
  const top = (): Frame =>
    stack[stack.length - 1] ?? { branches: [], current: null, unsafe: false };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    const frame = top();
    if (c === '(') {
      if (frame.current !== null) frame.current = null;
      stack.push({ branches: [], current: '', unsafe: false });
      i += groupOpening(pattern, i);
      continue;
    }
    if (c === '|') {
      frame.branches.push(frame.current);
      frame.current = '';
      i++;
      continue;
    }
    if (c === ')' && stack.length > 1) {
      stack.pop();
      frame.branches.push(frame.current);
      const unsafe = frame.unsafe || ambiguous(frame.branches);
      const q = quantifierAt(pattern, i + 1);
      if (unsafe && q.repeats) return true;
      const parent = top();
      parent.unsafe ||= unsafe;
      parent.current = null;
      i += 1 + q.length;
      continue;
    }
    let literal: string | undefined;
    let step = 1;
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      // An escaped punctuation character is itself; \d, \w, \b, \1, \u… are not plain text.
      if (next !== '' && !/[A-Za-z0-9]/.test(next)) literal = next;
      step = 2;
    } else if (c === '[') {
      step = skipClass(pattern, i) - i;
    } else if (!META.has(c)) {
      literal = c;
    }
    const q = quantifierAt(pattern, i + step);
    if (literal !== undefined && q.length === 0 && frame.current !== null) frame.current += literal;
    else frame.current = null;
    i += step + q.length;
  }
  return false;
}
