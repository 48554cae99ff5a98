import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import {
  CSV_LINE_END,
  escapeFormula,
  formatCsvField,
  formatCsvRow,
  needsFormulaEscape,
  unescapeFormula,
  UTF8_BOM,
} from '../../../../engine/csv/csv-format';

/** Hex of the UTF-8 bytes of `text`, to pin output byte for byte. */
function utf8Hex(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Every string of length ≤ `max` over `alphabet`. */
function allStrings(alphabet: readonly string[], max: number): string[] {
  let layer = [''];
  const out = [''];
  for (let n = 1; n <= max; n++) {
    layer = layer.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}

/** A small deterministic PRNG (mulberry32) for reproducible random inputs. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('formatCsvRow (RFC 4180)', () => {
  it('ends every row with CRLF and leaves plain fields unquoted', () => {
    expect(formatCsvRow(['userName', 'active'])).toBe('userName,active\r\n');
    expect(formatCsvRow(['a', '', 'c'])).toBe('a,,c\r\n');
    expect(formatCsvRow([])).toBe('\r\n');
    expect(CSV_LINE_END).toBe('\r\n');
  });

  it('writes a row with one empty field as "" so it is not a blank line', () => {
    expect(formatCsvRow([''])).toBe('""\r\n');
    expect(formatCsvRow(['', ''])).toBe(',\r\n');
  });

  it('quotes fields with the delimiter, quotes, CR or LF, doubling inner quotes', () => {
    expect(formatCsvRow(['Lovelace, Ada'])).toBe('"Lovelace, Ada"\r\n');
    expect(formatCsvRow(['He said "hi"'])).toBe('"He said ""hi"""\r\n');
    expect(formatCsvRow(['"'])).toBe('""""\r\n');
    expect(formatCsvRow(['line 1\r\nline 2', 'a\nb', 'c\rd'])).toBe(
      '"line 1\r\nline 2","a\nb","c\rd"\r\n',
    );
  });

  it('quotes fields with leading or trailing blanks', () => {
    expect(formatCsvRow([' Ada', 'Ada ', ' ', '\tx', 'a b'])).toBe(
      '" Ada","Ada "," ","\tx",a b\r\n',
    );
  });

  it('honours another delimiter and quotes only for it', () => {
    expect(formatCsvRow(['a,b', 'c;d'], { delimiter: ';' })).toBe('a,b;"c;d"\r\n');
    expect(formatCsvRow(['a\tb', 'c'], { delimiter: '\t' })).toBe('"a\tb"\tc\r\n');
  });

  it('rejects delimiters that would make the output ambiguous', () => {
    for (const delimiter of ['', '"', '\n', '\r', ';;']) {
      expect(() => formatCsvRow(['a'], { delimiter })).toThrow(/delimiter/);
    }
  });

  it('writes non-Latin scripts as they are, byte for byte in UTF-8', () => {
    const row = formatCsvRow(['山田 太郎', 'Zoë', 'Ñuñez', 'Ελένη', 'العربية']);
    expect(row).toBe('山田 太郎,Zoë,Ñuñez,Ελένη,العربية\r\n');
    expect(utf8Hex(UTF8_BOM + formatCsvRow(['Zoë', '山田']))).toBe(
      'ef bb bf 5a 6f c3 ab 2c e5 b1 b1 e7 94 b0 0d 0a',
    );
  });

  it('is parsed back to the same cells by an independent reader (papaparse)', () => {
    const alphabet = ['a', ' ', ',', '"', '\r', '\n', ';', 'ë', '山', '😀', '='];
    const next = rng(4180);
    for (let n = 0; n < 500; n++) {
      const cells = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
        Array.from(
          { length: Math.floor(next() * 6) },
          () => alphabet[Math.floor(next() * alphabet.length)],
        ).join(''),
      );
      const text = formatCsvRow(cells);
      const parsed = Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n', delimiter: ',' });
      expect(parsed.data).toEqual([cells]);
    }
  });

  it('formats a single field', () => {
    expect(formatCsvField('plain')).toBe('plain');
    expect(formatCsvField('a;b', ';')).toBe('"a;b"');
  });
});

describe('UTF8_BOM', () => {
  it('is U+FEFF, EF BB BF in UTF-8', () => {
    expect(UTF8_BOM).toBe('\uFEFF');
    expect(utf8Hex(UTF8_BOM)).toBe('ef bb bf');
  });
});

describe('formula escaping (OWASP CSV injection)', () => {
  it('prefixes a quote before every trigger character', () => {
    expect(escapeFormula('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(escapeFormula('+14155550100')).toBe("'+14155550100");
    expect(escapeFormula('-5')).toBe("'-5");
    expect(escapeFormula('@x')).toBe("'@x");
    expect(escapeFormula('\tx')).toBe("'\tx");
    expect(escapeFormula('\rx')).toBe("'\rx");
  });

  it('leaves other values alone, including a quote before an ordinary character', () => {
    for (const v of ['', 'ada', "'", "'x", "O'Brien", ' =1', 'a=b', '山田', '\nx', '１']) {
      expect(escapeFormula(v)).toBe(v);
      expect(needsFormulaEscape(v)).toBe(false);
    }
  });

  it('escapes a leading quote that precedes a trigger or another quote, so unescaping is exact', () => {
    expect(escapeFormula("'=x")).toBe("''=x");
    expect(escapeFormula("''x")).toBe("'''x");
    expect(escapeFormula("''")).toBe("'''");
    expect(unescapeFormula("''=x")).toBe("'=x");
    expect(unescapeFormula("'''x")).toBe("''x");
  });

  it('unescapes only what escaping adds', () => {
    expect(unescapeFormula("'=x")).toBe('=x');
    expect(unescapeFormula("'+1")).toBe('+1');
    expect(unescapeFormula("'x")).toBe("'x");
    expect(unescapeFormula("'")).toBe("'");
    expect(unescapeFormula('=x')).toBe('=x');
    expect(unescapeFormula('')).toBe('');
  });

  it('round-trips tricky values', () => {
    const tricky = [
      '',
      "'",
      "''",
      "'''",
      "''x",
      "'=x",
      "'-",
      "'\t",
      '-5',
      '+14155550100',
      '@x',
      '\tx',
      '\rx',
      '=1+1',
      '=HYPERLINK("http://evil.example","click")',
      "O'Brien",
      '山田 太郎',
      'Zoë',
      'Ñuñez',
      'Ελένη',
      'العربية',
      '😀',
      "'😀",
      ' -1',
    ];
    for (const v of tricky) {
      expect(unescapeFormula(escapeFormula(v))).toBe(v);
      expect(needsFormulaEscape(v)).toBe(escapeFormula(v) !== v);
    }
  });

  it('round-trips, never starts with a trigger, and is injective over every short string', () => {
    const strings = allStrings(["'", '=', '+', '-', '@', '\t', '\r', 'a', '😀'], 4);
    const seen = new Map<string, string>();
    for (const v of strings) {
      const escaped = escapeFormula(v);
      expect(unescapeFormula(escaped)).toBe(v);
      expect(['=', '+', '-', '@', '\t', '\r']).not.toContain(escaped[0]);
      expect(seen.get(escaped)).toBeUndefined();
      seen.set(escaped, v);
    }
    expect(seen.size).toBe(strings.length);
  });
});
