import { describe, expect, it } from 'vitest';
import { hasNestedQuantifier, regexProblem } from '../../../../shared/mapping/regex';
import { parseTemplate } from '../../../../shared/mapping/template';
import {
  closestMatch,
  compactHeader,
  levenshtein,
  normalizeHeader,
} from '../../../../shared/mapping/text';
import { dateFormatError } from '../../../../shared/mapping/dates';

describe('header normalisation', () => {
  it('folds case, accents, separators and camelCase', () => {
    expect(normalizeHeader('Prénom_Usuel')).toBe('prenom usuel');
    expect(normalizeHeader('givenName')).toBe('given name');
    expect(normalizeHeader('  E-Mail (Work) ')).toBe('e mail work');
    expect(compactHeader('First Name')).toBe(compactHeader('first_name'));
    expect(compactHeader('firstName')).toBe('firstname');
    expect(compactHeader('Straße')).toBe('strasse');
  });
});

describe('levenshtein and closestMatch', () => {
  it('counts edits', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
  it('suggests a plausible header, not a random one', () => {
    const headers = ['First Name', 'Last Name', 'Work Email'];
    expect(closestMatch('Frist Name', headers)).toBe('First Name');
    expect(closestMatch('first_name', headers)).toBe('First Name');
    expect(closestMatch('WorkEmial', headers)).toBe('Work Email');
    expect(closestMatch('Department', headers)).toBeUndefined();
    expect(closestMatch('x', [])).toBeUndefined();
  });
});

describe('templates', () => {
  it('parses placeholders, optional ones and escaped braces', () => {
    expect(parseTemplate('{First Name}.{ Last Name }@x.com')).toEqual({
      ok: true,
      parts: [
        { column: 'First Name', optional: false, raw: 'First Name' },
        '.',
        { column: 'Last Name', optional: false, raw: 'Last Name' },
        '@x.com',
      ],
    });
    expect(parseTemplate('{Middle?}')).toEqual({
      ok: true,
      parts: [{ column: 'Middle', optional: true, raw: 'Middle?' }],
    });
    expect(parseTemplate('{{literal}} {A}')).toEqual({
      ok: true,
      parts: ['{literal} ', { column: 'A', optional: false, raw: 'A' }],
    });
  });
  it('rejects unbalanced braces and empty placeholders', () => {
    expect(parseTemplate('{A')).toEqual({
      ok: false,
      reason: 'the "{" at position 1 is never closed',
    });
    expect(parseTemplate('A}')).toEqual({
      ok: false,
      reason: 'a "}" at position 2 closes nothing (write "}}" for a brace)',
    });
    expect(parseTemplate('x{}')).toEqual({
      ok: false,
      reason: 'the placeholder at position 2 names no column',
    });
  });
});

describe('regex safety', () => {
  it('flags nested unbounded repetition', () => {
    for (const p of ['(a+)+', '(a*)*b', '(?:x+y?){2,}', '((ab)+c)*', '(\\w+\\s?)+$']) {
      expect(hasNestedQuantifier(p), p).toBe(true);
    }
  });
  it('accepts ordinary patterns', () => {
    for (const p of ['^(\\w+)\\.(\\w+)@', '(\\d{3})+', '[(+)]+', '\\(a+\\)+', '(a|b)+', 'a+b*']) {
      expect(hasNestedQuantifier(p), p).toBe(false);
    }
  });
  it('checks flags', () => {
    expect(regexProblem('a', 'gi')).toBeUndefined();
    expect(regexProblem('a', 'y')).toMatch(/flags "y" are not valid/);
    expect(regexProblem('a', 'gg')).toMatch(/flags "gg" are not valid/);
  });
});

describe('date formats', () => {
  it('validates tokens', () => {
    expect(dateFormatError('M/D/YYYY')).toBeUndefined();
    expect(dateFormatError('excelSerial')).toBeUndefined();
    expect(dateFormatError('iso')).toBeUndefined();
    expect(dateFormatError('DD.MM.YY')).toBeUndefined();
    expect(dateFormatError('YYYY-WW')).toBe(
      '"W" is not a date token (use YYYY, YY, M, MM, MMM, D, DD)',
    );
    expect(dateFormatError('MM/DD')).toBe('it needs one year (YYYY)');
    expect(dateFormatError('YYYY/DD')).toBe('it needs one month (M, MM or MMM)');
    expect(dateFormatError('YYYY/MM/MM')).toBe('it needs one month (M, MM or MMM)');
    expect(dateFormatError('YYYY/MM')).toBe('it needs one day (D or DD)');
  });
});
