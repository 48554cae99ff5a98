/**
 * Issue 17 item 6: the regexReplace guard refuses the catastrophic shapes before any cell is
 * matched. (Their cost is measured, not timed here: `^(a|a)*$` takes about 15 s on 26 characters
 * and `^\s*\s*\s*$` about 0.6 s on 1,000 on Node 20; each extra repetition multiplies that.)
 */
import { describe, expect, it } from 'vitest';
import { hasAmbiguousRepeatedAlternation } from '../../../../shared/mapping/regex-ambiguity';
import { longestRepetitionRun } from '../../../../shared/mapping/regex-runs';
import { regexProblem } from '../../../../shared/mapping/regex';
import { compileTransforms } from '../../../../engine/mapping/transforms';

describe('repeated alternations whose alternatives overlap', () => {
  it('are refused', () => {
    for (const p of [
      '^(a|a)*$',
      '(a|aa)+',
      '(\\w|\\d)*',
      '(?:x|x)+y',
      '(Mr|Mrs)+',
      '(x(a|a)y)*',
      '(a|)*',
      '(a|a){2,100}',
      '((a|b)|a)+',
    ]) {
      expect(hasAmbiguousRepeatedAlternation(p), p).toBe(true);
      expect(regexProblem(p), p).toMatch(/alternatives can match the same text/);
    }
  });
  it('plain-text alternatives where none starts another, and unrepeated ones, are accepted', () => {
    for (const p of [
      '(a|b)+',
      '(ab|cd)+',
      '(Jr|Sr)*',
      '(a|a){3}',
      '^(Mr|Mrs)\\.? ',
      '[(|)]+',
      '\\(a|a\\)+',
    ]) {
      expect(hasAmbiguousRepeatedAlternation(p), p).toBe(false);
    }
  });
});

describe('runs of adjacent repetitions', () => {
  it('three or more with nothing fixed between them are refused', () => {
    for (const p of [
      '^\\s*\\s*\\s*$',
      '\\w+\\d*.*x',
      '(\\d+)(\\w+)(.+)',
      '^\\s*(.*?)\\s*$',
      'a*a*a*a*$',
    ]) {
      expect(longestRepetitionRun(p), p).toBeGreaterThan(2);
      expect(regexProblem(p), p).toMatch(/three or more repetitions/);
    }
  });
  it('two, or ones split by a plain character, are accepted', () => {
    for (const p of [
      '^(\\w+)\\.(\\w+)@.*$',
      '\\s*,\\s*',
      '\\d+-\\d+-\\d+',
      '^Sr\\.?\\s',
      '[^+\\d]',
    ]) {
      expect(regexProblem(p), p).toBeUndefined();
    }
  });
});

describe('planning with a pathological pattern', () => {
  it('never reaches the cell: the transform does not compile', () => {
    expect(() =>
      compileTransforms([{ op: 'regexReplace', pattern: '^(a|a)*$', replacement: 'x' }]),
    ).toThrow(/regexReplace: the pattern repeats a group whose alternatives/);
  });
});
