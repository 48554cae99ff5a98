import { describe, expect, it } from 'vitest';
import type { Transform } from '../../../../shared/mapping/spec';
import {
  compileTransform,
  compileTransforms,
  TransformFailure,
} from '../../../../engine/mapping/transforms';

const run = (t: Transform, v: string): string => compileTransform(t)(v);

/** The failure message of a transform on a value. */
function failure(t: Transform, v: string): string {
  try {
    compileTransform(t)(v);
  } catch (e) {
    if (e instanceof TransformFailure) return e.message;
    throw e;
  }
  throw new Error(`expected ${t.op} to fail on ${v}`);
}

describe('simple transforms', () => {
  it('trim, lower, upper', () => {
    expect(run({ op: 'trim' }, '  a b  ')).toBe('a b');
    expect(run({ op: 'lower' }, 'ÀDA@Example.COM')).toBe('àda@example.com');
    expect(run({ op: 'upper' }, 'straße')).toBe('STRASSE');
  });

  it('title capitalises each word, including after hyphens and apostrophes', () => {
    expect(run({ op: 'title' }, "o'BRIEN-smith")).toBe("O'Brien-Smith");
    expect(run({ op: 'title' }, 'jean-luc  PICARD')).toBe('Jean-Luc  Picard');
    expect(run({ op: 'title' }, 'émile zola')).toBe('Émile Zola');
  });

  it('normalizeDiacritics strips accents and spells out special letters', () => {
    const n = (v: string) => run({ op: 'normalizeDiacritics' }, v);
    expect(n('José Müller')).toBe('Jose Muller');
    expect(n('Straße')).toBe('Strasse');
    expect(n('Søren Ødegård')).toBe('Soren Odegard');
    expect(n('Łukasz Æbelø Œuvre')).toBe('Lukasz AEbelo OEuvre');
    expect(n('Þór Đorđe')).toBe('THor Dorde');
    expect(n('ﬁle')).toBe('file');
    expect(n('plain ascii')).toBe('plain ascii');
  });

  it('collapseWhitespace', () => {
    expect(run({ op: 'collapseWhitespace' }, '  Ada \t\n  Lovelace ')).toBe('Ada Lovelace');
  });
});

describe('split and join', () => {
  it('split picks a part by index, negative from the end, empty when missing', () => {
    expect(run({ op: 'split', delimiter: '@', index: 0 }, 'ada@example.com')).toBe('ada');
    expect(run({ op: 'split', delimiter: ' ', index: -1 }, 'Ada King Lovelace')).toBe('Lovelace');
    expect(run({ op: 'split', delimiter: ',', index: 3 }, 'a,b')).toBe('');
    expect(run({ op: 'split', delimiter: ',', index: 0 }, '')).toBe('');
  });

  it('join re-joins parts as a multi-valued cell with escapes', () => {
    expect(run({ op: 'join', delimiter: ',' }, 'Sales, Admin ,, Ops')).toBe('Sales;Admin;Ops');
    expect(run({ op: 'join', delimiter: '|' }, 'a;b|c')).toBe('a\\;b;c');
  });
});

describe('regexReplace and replace', () => {
  it('replaces with capture groups and flags', () => {
    const t: Transform = {
      op: 'regexReplace',
      pattern: '^(\\w+)\\.(\\w+)@.*$',
      flags: 'i',
      replacement: '$2, $1',
    };
    expect(run(t, 'ada.lovelace@example.com')).toBe('lovelace, ada');
    expect(
      run({ op: 'regexReplace', pattern: '\\D', flags: 'g', replacement: '' }, '+1 (555) 01'),
    ).toBe('155501');
  });

  it('refuses cells longer than 1000 characters', () => {
    const t: Transform = { op: 'regexReplace', pattern: 'a', replacement: 'b' };
    expect(failure(t, 'x'.repeat(1001))).toMatch(
      /1001 characters long; regexReplace handles at most 1000/,
    );
  });

  it('refuses invalid or catastrophic patterns when compiled', () => {
    expect(() => compileTransform({ op: 'regexReplace', pattern: '(', replacement: '' })).toThrow(
      /not a valid regular expression/,
    );
    expect(() =>
      compileTransform({ op: 'regexReplace', pattern: '(\\w+\\s?)+$', replacement: '' }),
    ).toThrow(/exponential/);
  });

  it('replace is literal and global', () => {
    expect(run({ op: 'replace', find: '.', replacement: '' }, 'a.b.c')).toBe('abc');
  });
});

describe('default, constant, prefix, suffix', () => {
  it('default fills only empty values', () => {
    expect(run({ op: 'default', value: 'Staff' }, '')).toBe('Staff');
    expect(run({ op: 'default', value: 'Staff' }, 'Manager')).toBe('Manager');
  });
  it('constant ignores the value', () => {
    expect(run({ op: 'constant', value: 'Employee' }, 'x')).toBe('Employee');
    expect(run({ op: 'constant', value: 'Employee' }, '')).toBe('Employee');
  });
  it('prefix and suffix skip empty values', () => {
    expect(run({ op: 'prefix', value: 'E-' }, '42')).toBe('E-42');
    expect(run({ op: 'prefix', value: 'E-' }, '')).toBe('');
    expect(run({ op: 'suffix', value: '@example.com' }, 'ada')).toBe('ada@example.com');
    expect(run({ op: 'suffix', value: '@example.com' }, '')).toBe('');
  });
});

describe('lookup', () => {
  const table = { US: 'United States', FR: 'France' };
  it('maps known values, exactly or case-insensitively', () => {
    expect(run({ op: 'lookup', table }, 'FR')).toBe('France');
    expect(run({ op: 'lookup', table }, 'fr')).toBe('fr');
    expect(run({ op: 'lookup', table, caseInsensitive: true }, 'fr')).toBe('France');
  });
  it('handles unknown values by the otherwise policy', () => {
    expect(run({ op: 'lookup', table }, 'DE')).toBe('DE');
    expect(run({ op: 'lookup', table, otherwise: 'empty' }, 'DE')).toBe('');
    expect(failure({ op: 'lookup', table, otherwise: 'error' }, 'DE')).toBe(
      '"DE" is not in the lookup table ("US", "FR")',
    );
    expect(run({ op: 'lookup', table, otherwise: 'error' }, '')).toBe('');
  });
});

describe('date', () => {
  const date = (from: string[], v: string, to: 'iso-date' | 'iso-datetime' = 'iso-date') =>
    run({ op: 'date', from, to }, v);
  it('converts US, European and ISO dates', () => {
    expect(date(['M/D/YYYY'], '3/7/2021')).toBe('2021-03-07');
    expect(date(['D.M.YYYY'], '07.03.2021')).toBe('2021-03-07');
    expect(date(['YYYY-MM-DD'], '2021-03-07')).toBe('2021-03-07');
    expect(date(['DD-MMM-YYYY'], '07-Mar-2021')).toBe('2021-03-07');
    expect(date(['D MMM YYYY'], '7 September 2021')).toBe('2021-09-07');
    expect(date(['M/D/YY'], '3/7/21')).toBe('2021-03-07');
    expect(date(['M/D/YY'], '3/7/71')).toBe('1971-03-07');
  });
  it('tries formats in order', () => {
    expect(date(['D.M.YYYY', 'M/D/YYYY'], '12/31/2020')).toBe('2020-12-31');
  });
  it('writes date-times in UTC, with times, AM/PM and zones', () => {
    expect(date(['YYYY-MM-DD'], '2021-03-07', 'iso-datetime')).toBe('2021-03-07T00:00:00Z');
    expect(date(['M/D/YYYY'], '3/7/2021 1:05 PM', 'iso-datetime')).toBe('2021-03-07T13:05:00Z');
    expect(date(['M/D/YYYY'], '3/7/2021 12:00 AM', 'iso-datetime')).toBe('2021-03-07T00:00:00Z');
    expect(date(['iso'], '2021-03-07T23:30:00+02:00', 'iso-datetime')).toBe('2021-03-07T21:30:00Z');
    expect(date(['iso'], '2021-03-07T23:30:00-0130', 'iso-datetime')).toBe('2021-03-08T01:00:00Z');
    expect(date(['iso'], '2021-03-07T23:30:00Z')).toBe('2021-03-07');
  });
  it('reads Excel serial days, with the 1900 leap-year bug', () => {
    expect(date(['excelSerial'], '44197')).toBe('2021-01-01');
    expect(date(['excelSerial'], '1')).toBe('1900-01-01');
    expect(date(['excelSerial'], '59')).toBe('1900-02-28');
    expect(date(['excelSerial'], '61')).toBe('1900-03-01');
    expect(date(['excelSerial'], '44197.5', 'iso-datetime')).toBe('2021-01-01T12:00:00Z');
  });
  it('fails on impossible or unknown dates, and passes empty values', () => {
    expect(failure({ op: 'date', from: ['M/D/YYYY'], to: 'iso-date' }, '2/30/2021')).toBe(
      '"2/30/2021" is not a date in the format M/D/YYYY',
    );
    expect(() => date(['M/D/YYYY'], '2/29/2021')).toThrow(TransformFailure);
    expect(date(['M/D/YYYY'], '2/29/2024')).toBe('2024-02-29');
    expect(() => date(['M/D/YYYY'], '13/1/2021')).toThrow(TransformFailure);
    expect(() => date(['M/D/YYYY'], '1/1/2021 25:00')).toThrow(TransformFailure);
    expect(() => date(['excelSerial'], '60')).toThrow(TransformFailure);
    expect(() => date(['excelSerial'], 'soon')).toThrow(TransformFailure);
    expect(() => date(['DD-MMM-YYYY'], '07-Foo-2021')).toThrow(TransformFailure);
    expect(date(['M/D/YYYY'], '')).toBe('');
  });
});

describe('number', () => {
  it('normalises decimal marks and thousands separators', () => {
    expect(run({ op: 'number', decimal: ',' }, '1.234,50')).toBe('1234.5');
    expect(run({ op: 'number', decimal: '.' }, '1,234.50')).toBe('1234.5');
    expect(run({ op: 'number', decimal: ',' }, "1 234'5")).toBe('12345');
    expect(run({ op: 'number', decimal: '.' }, '007')).toBe('7');
    expect(run({ op: 'number', decimal: '.' }, '-0.0')).toBe('0');
    expect(run({ op: 'number', decimal: '.' }, '+12.10')).toBe('12.1');
    expect(run({ op: 'number', decimal: '.' }, '-3')).toBe('-3');
    expect(run({ op: 'number', decimal: '.' }, '')).toBe('');
  });
  it('fails on text that is not a number', () => {
    expect(failure({ op: 'number', decimal: '.' }, '12abc')).toBe(
      '"12abc" is not a number with "." as the decimal mark',
    );
    expect(() => run({ op: 'number', decimal: ',' }, '1,2,3')).toThrow(TransformFailure);
  });
});

describe('boolean', () => {
  it('reads the default yes/no words in any case', () => {
    const b = (v: string) => run({ op: 'boolean' }, v);
    expect([b('Yes'), b('Y'), b('TRUE'), b('1'), b('Enabled'), b('oui')]).toEqual(
      Array<string>(6).fill('true'),
    );
    expect([b('No'), b('n'), b('false'), b('0'), b('Disabled'), b('nein')]).toEqual(
      Array<string>(6).fill('false'),
    );
    expect(b('')).toBe('');
  });
  it('uses the given words, and fails on others', () => {
    const t: Transform = { op: 'boolean', true: ['X'], false: ['-'] };
    expect(run(t, 'x')).toBe('true');
    expect(run(t, '-')).toBe('false');
    expect(failure(t, 'yes')).toBe('"yes" is neither a yes word ("X") nor a no word ("-")');
  });
});

describe('compileTransforms', () => {
  it('applies transforms in order', () => {
    const f = compileTransforms([
      { op: 'normalizeDiacritics' },
      { op: 'lower' },
      { op: 'replace', find: ' ', replacement: '.' },
      { op: 'suffix', value: '@example.com' },
    ]);
    expect(f('José García')).toBe('jose.garcia@example.com');
    expect(compileTransforms([])('x')).toBe('x');
    expect(compileTransforms()('x')).toBe('x');
  });
});
