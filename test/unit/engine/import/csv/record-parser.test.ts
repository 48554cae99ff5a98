import { describe, expect, it } from 'vitest';
import {
  parseRecords,
  type CsvRecord,
  type RecordParserOptions,
} from '../../../../../engine/csv/record-parser';

const OPTS: RecordParserOptions = { delimiter: ',', newline: '\n', maxRecordChars: 1 << 20 };

/** A source that hands out `text` in pieces of `size` and counts how many were pulled. */
function pieces(text: string, size: number): AsyncIterable<string> & { pulled: number } {
  const source = {
    pulled: 0,
    async *[Symbol.asyncIterator](): AsyncGenerator<string> {
      for (let i = 0; i < text.length; i += size) {
        source.pulled++;
        await Promise.resolve();
        yield text.slice(i, i + size);
      }
    },
  };
  return source;
}

async function parse(
  text: string,
  size = text.length || 1,
  opts: RecordParserOptions = OPTS,
): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const batch of parseRecords(pieces(text, size), opts)) out.push(...batch);
  return out;
}

const TRICKY =
  'h1,h2,h3\r\n' +
  'a,"multi\r\nline, with ""quotes""",c\r\n' +
  '\r\n' +
  'd,e,f\n' +
  '"g"  ,h,"i\n\nj"\r\n' +
  '"bad"x,y",z\r\n' +
  '"p"q\nr",s,t\r\n' +
  'k,l\r\n' +
  'm,"open\r\nn,o,p\r\n';

describe('parseRecords', () => {
  it('records with start lines, last lines, terminators and quote damage', async () => {
    const records = await parse(TRICKY);
    expect(records.map((r) => [r.line, r.lastLine, r.terminator, r.blank, r.fields])).toEqual([
      [1, 1, 'crlf', false, ['h1', 'h2', 'h3']],
      [2, 3, 'crlf', false, ['a', 'multi\r\nline, with "quotes"', 'c']],
      [4, 4, 'crlf', true, ['']],
      [5, 5, 'lf', false, ['d', 'e', 'f']],
      [6, 8, 'crlf', false, ['g', 'h', 'i\n\nj']],
      [9, 9, 'crlf', false, ['bad"x,y', 'z']],
      [10, 11, 'crlf', false, ['p"q\nr', 's', 't']],
      [12, 12, 'crlf', false, ['k', 'l']],
      // An unclosed quote runs to the end of the text, line break included.
      [13, 14, 'crlf', false, ['m', 'open\r\nn,o,p\r\n']],
    ]);
    expect(records.map((r) => r.quote)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { code: 'bad_quote', field: 0, line: 9, excerpt: '"bad"x,y",z' },
      { code: 'bad_quote', field: 0, line: 10, excerpt: '"p"q' },
      undefined,
      { code: 'unclosed_quote', field: 1, line: 13, excerpt: '"open' },
    ]);
  });

  it.each([1, 2, 3, 5, 7, 16, 64])(
    'gives the same records in pieces of %i characters',
    async (size) => {
      expect(await parse(TRICKY, size)).toEqual(await parse(TRICKY));
    },
  );

  it('CR-only files, and CRLF lines in them', async () => {
    const records = await parse('a,b\r1,2\r\n3,4\r', 3, { ...OPTS, newline: '\r' });
    expect(records.map((r) => [r.line, r.terminator, r.fields])).toEqual([
      [1, 'cr', ['a', 'b']],
      [2, 'crlf', ['1', '2']],
      [3, 'cr', ['3', '4']],
    ]);
  });

  it('keeps a CR that is part of a quoted last cell', async () => {
    const records = await parse('a,"b\r"\r\nc,d\r\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b\r'],
      ['c', 'd'],
    ]);
  });

  it('respects back-pressure: reads only as far as the consumer has pulled', async () => {
    const line = 'x'.repeat(99) + '\n';
    const source = pieces(line.repeat(1000), 1000); // 100 pieces of 10 lines
    const it = parseRecords(source, OPTS)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(first.value).toHaveLength(10);
    expect(source.pulled).toBe(1);
    await it.next();
    expect(source.pulled).toBe(2);
    await it.return(undefined);
  });

  it('a growing tail is re-parsed only when the text has doubled', async () => {
    const cell = 'y'.repeat(1 << 20);
    const source = pieces(`a,"${cell}"\nb,c\n`, 1024);
    const started = performance.now();
    const records: CsvRecord[] = [];
    for await (const batch of parseRecords(source, { ...OPTS, maxRecordChars: 1 << 22 })) {
      records.push(...batch);
    }
    expect(records.map((r) => r.fields[1]?.length)).toEqual([1 << 20, 1]);
    // 1025 pieces: re-parsing the tail on each one would scan ~512 MB of text.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('cuts a record longer than maxRecordChars and stops reading', async () => {
    const text = `a,b\nc,"never closed\n${'d,e\n'.repeat(5000)}`;
    const source = pieces(text, 100);
    const records: CsvRecord[] = [];
    for await (const batch of parseRecords(source, { ...OPTS, maxRecordChars: 1000 })) {
      records.push(...batch);
    }
    expect(records.map((r) => [r.line, r.cut, r.quote?.code])).toEqual([
      [1, undefined, undefined],
      [2, 'unclosed_quote', 'unclosed_quote'],
    ]);
    expect(source.pulled).toBeLessThan(30);
  });

  it('cuts an over-long line without quotes as too_large', async () => {
    const records = await parse(`a\n${'z'.repeat(5000)}`, 100, { ...OPTS, maxRecordChars: 1000 });
    expect(records.map((r) => [r.line, r.cut])).toEqual([
      [1, undefined],
      [2, 'too_large'],
    ]);
  });

  it('an empty source gives no records', async () => {
    expect(await parse('')).toEqual([]);
  });
});
