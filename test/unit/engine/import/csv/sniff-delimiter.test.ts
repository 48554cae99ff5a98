import { describe, expect, it } from 'vitest';
import {
  lineEndingOf,
  sniffDelimiter,
  sniffLineEnding,
} from '../../../../../engine/csv/sniff-delimiter';

describe('sniffDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2;3\n', ';'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['a|b|c\n1|2|3\n', '|'],
  ] as const)('%j → %j', (text, delimiter) => {
    expect(sniffDelimiter(text, true)).toBe(delimiter);
  });

  it('ignores delimiters inside quoted cells', () => {
    expect(sniffDelimiter('"a,b";"c,d"\n"1,2";"3,4"\n', true)).toBe(';');
    expect(sniffDelimiter('name,groups\n"Ada","x;y;z"\n"Bob","q;r"\n', true)).toBe(',');
  });

  it('European Excel: semicolons with decimal commas', () => {
    expect(sniffDelimiter('Name;Amount\nAda;1,5\nBob;2,25\nCy;3\n', true)).toBe(';');
  });

  it('prefers the delimiter that splits the data rows like the header', () => {
    // Commas split the header in 2 but the rows in 3, 1, 2; semicolons split every line in 2.
    expect(sniffDelimiter('a,x;b\n1,2,3;4\n5;6\n7,8;9\n', true)).toBe(';');
  });

  it('a single column, or a header only, defaults sensibly', () => {
    expect(sniffDelimiter('userName\nada\nbob\n', true)).toBe(',');
    expect(sniffDelimiter('userName;displayName', true)).toBe(';');
  });

  it('judges a first record longer than the sample by its beginning', () => {
    expect(sniffDelimiter(`a;b;"${'x'.repeat(300_000)}`, false)).toBe(';');
  });
});

describe('sniffLineEnding', () => {
  it.each([
    ['a,b\r\n1,2\r\n', 'crlf', '\n'],
    ['a,b\n1,2\n', 'lf', '\n'],
    ['a,b\r1,2\r', 'cr', '\r'],
    ['a,b\r\n1,2\n', 'mixed', '\n'],
    ['a,b', 'none', '\n'],
  ] as const)('%j → %s (Papa splits on %j)', (text, lineEnding, newline) => {
    expect(sniffLineEnding(text, ',', true)).toEqual({ lineEnding, newline });
  });

  it('line breaks inside quoted cells do not count', () => {
    expect(sniffLineEnding('a,b\r\n"x\ny\rz",w\r\n', ',', true).lineEnding).toBe('crlf');
  });

  it('lineEndingOf', () => {
    expect(lineEndingOf([])).toBe('none');
    expect(lineEndingOf(['lf', 'lf'])).toBe('lf');
    expect(lineEndingOf(['lf', 'cr'])).toBe('mixed');
  });
});
