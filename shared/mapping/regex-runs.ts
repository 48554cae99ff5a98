/**
 * The third slow shape: several unbounded repetitions of character sets one after another with
 * nothing fixed between them, like `^\s*\s*\s*$` or `\w+\d*.*x`. Each one can give characters to
 * its neighbours, so a cell that almost matches costs n^k steps for k of them: on the 1,000
 * characters a `regexReplace` cell may hold, three already take about half a second and four take
 * minutes. Two are fine (n^2); a plain character between them (`(\w+)\.(\w+)@.*`) splits the run.
 */
import { quantifierAt, skipClass, groupOpening } from './regex-scan';

/** Most unbounded set repetitions allowed in a row without a plain character between them. */
export const MAX_REPETITION_RUN = 2;

type Frame = { run: number; hasUnbounded: boolean };

/** The longest run of adjacent unbounded repetitions in `pattern` (a fixed plain character ends one). */
export function longestRepetitionRun(pattern: string): number {
  const stack: Frame[] = [{ run: 0, hasUnbounded: false }];
  const top = (): Frame => stack[stack.length - 1] ?? { run: 0, hasUnbounded: false };
  let worst = 0;
  const count = (frame: Frame, unbounded: boolean, literal: boolean): void => {
    // Any repeated atom counts (a*a*a* overlaps as much as \s*\s*\s*); a fixed plain character ends the run.
    if (unbounded) frame.run += 1;
    else if (literal) frame.run = 0;
    if (unbounded) frame.hasUnbounded = true;
    worst = Math.max(worst, frame.run);
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '(') {
      // A group starts its own run, continuing the one before it (its first atoms are adjacent).
      stack.push({ run: top().run, hasUnbounded: false });
      i += groupOpening(pattern, i);
      continue;
    }
    if (c === '|') {
      top().run = stack.length > 1 ? (stack[stack.length - 2]?.run ?? 0) : 0;
      i++;
      continue;
    }
    if (c === ')' && stack.length > 1) {
      const inner = stack.pop() ?? { run: 0, hasUnbounded: false };
      const q = quantifierAt(pattern, i + 1);
      const parent = top();
      // The run goes on through the group; repeating the group itself adds one more repetition.
      parent.run = inner.run + (q.unbounded ? 1 : 0);
      parent.hasUnbounded ||= inner.hasUnbounded || q.unbounded;
      worst = Math.max(worst, parent.run);
      i += 1 + q.length;
      continue;
    }
    let step = 1;
    let literal = false;
    if (c === '\\') {
      literal = !/[A-Za-z0-9]/.test(pattern.charAt(i + 1));
      step = 2;
    } else if (c === '[') {
      step = skipClass(pattern, i) - i;
    } else if (c === '^' || c === '$') {
      i++;
      continue;
    } else {
      literal = c !== '.';
    }
    const q = quantifierAt(pattern, i + step);
    count(top(), q.unbounded, literal);
    i += step + q.length;
  }
  return worst;
}
