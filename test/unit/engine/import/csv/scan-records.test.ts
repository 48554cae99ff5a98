import { describe, expect, it } from 'vitest';
import {
  countLineBreaks,
  fieldIndexAt,
  scanOne,
  scanRecords,
} from '../../../../../engine/csv/scan-records';

const COMMA = 0x2c;

describe('scanRecords', () => {
  it('finds records, field starts and line breaks of every kind', () => {
    const text = 'a,b\r\nc,"d\r\ne"\nf\rg';
    expect(scanRecords(text, ',', { eof: true })).toEqual([
      { start: 0, end: 5, fieldStarts: [0, 2], terminator: 'crlf', openQuote: false },
      { start: 5, end: 14, fieldStarts: [5, 7], terminator: 'lf', openQuote: false },
      { start: 14, end: 16, fieldStarts: [14], terminator: 'cr', openQuote: false },
      { start: 16, end: 17, fieldStarts: [16], terminator: 'none', openQuote: false },
    ]);
  });

  it('leaves out a record cut by the end of a sample', () => {
    expect(scanRecords('a,b\nc,"d', ',', { eof: false }).map((r) => r.end)).toEqual([4]);
    expect(scanRecords('a,b\nc,"d', ',', { eof: true })[1]).toMatchObject({
      terminator: 'none',
      openQuote: true,
    });
  });

  it('stops at maxRecords', () => {
    expect(scanRecords('a\nb\nc\n', ',', { eof: true, maxRecords: 2 })).toHaveLength(2);
  });

  it('follows Papa: doubled quotes, blanks after a closing quote, malformed quotes go on', () => {
    expect(scanOne('"a""b",c\n', 0, COMMA).fieldStarts).toEqual([0, 7]);
    expect(scanOne('"a"  ,c\n', 0, COMMA).fieldStarts).toEqual([0, 6]);
    // The quote after "x" is followed by "y": not a closing quote; the cell runs to `z",`.
    expect(scanOne('"x"y,z",w\n', 0, COMMA).fieldStarts).toEqual([0, 8]);
    // A quote inside an unquoted cell is plain text.
    expect(scanOne('5" disk,x\n', 0, COMMA).fieldStarts).toEqual([0, 8]);
  });
});

describe('fieldIndexAt / countLineBreaks', () => {
  it('maps an offset to its field', () => {
    const r = scanOne('aa,"b,b",cc\n', 0, COMMA);
    expect([0, 3, 5, 9, 10].map((o) => fieldIndexAt(r, o))).toEqual([0, 1, 1, 2, 2]);
  });

  it('counts CRLF, LF and CR once each', () => {
    expect(countLineBreaks('a\r\nb\nc\rd', 0, 8)).toBe(3);
    expect(countLineBreaks('a\r\nb', 2, 4)).toBe(1);
    expect(countLineBreaks('abc', 0, 3)).toBe(0);
  });
});
