/**
 * The bad-input corpus (test/fixtures/csv-corpus/make-corpus.ts): every case read through the
 * public reader, with its exact outcome — rows and cells, problems, or the error.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../../shared/errors/errors';
import type { CsvDiagnostics, CsvFileInfo, CsvRow } from '../../../../../shared/import/types';
import { openCsv } from '../../../../../engine/csv/read-csv';
import {
  FORMULA_CELLS,
  HUGE_CELL_CHARS,
  writeCorpus,
  type CorpusCase,
} from '../../../../fixtures/csv-corpus/make-corpus';

let dir = '';
let paths = {} as Record<CorpusCase, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-corpus-'));
  paths = await writeCorpus(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Read = { info: CsvFileInfo; rows: CsvRow[]; diag: CsvDiagnostics };

async function read(name: CorpusCase): Promise<Read> {
  const source = await openCsv(paths[name]);
  const rows: CsvRow[] = [];
  for await (const row of source.rows()) rows.push(row);
  return { info: source.info, rows, diag: source.diagnostics() };
}

/** Rows as `[line, ...cells]` for compact assertions (row numbers are checked separately). */
function cells(r: Read): string[][] {
  return r.rows.map((row) => [String(row.line), ...row.cells]);
}

/** Problems as `code@line/row:column`. */
function codes(r: Read): string[] {
  return r.diag.problems.map(
    (p) => `${p.code}@${p.line}/${p.row ?? '-'}${p.column === undefined ? '' : `:${p.column}`}`,
  );
}

async function failure(
  name: CorpusCase,
): Promise<{ code: string; message: string; next?: string }> {
  try {
    await openCsv(paths[name]);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: e.code, message: e.message, next: e.facts.nextStep };
  }
  throw new Error(`${name} opened without an error`);
}

describe('CSV corpus: encodings', () => {
  it('UTF-8 with a BOM: BOM removed and reported', async () => {
    const r = await read('utf8Bom');
    expect(r.info).toMatchObject({
      encoding: 'utf-8',
      bom: true,
      delimiter: ',',
      lineEnding: 'crlf',
    });
    expect(r.info.headers).toEqual(['userName', 'displayName']);
    expect(cells(r)).toEqual([['2', 'ada@example.com', 'Ada Lovelace']]);
    expect(r.diag.problems).toEqual([]);
  });

  it('UTF-8 without a BOM is detected as UTF-8 (accents intact)', async () => {
    const r = await read('utf8NoBom');
    expect(r.info).toMatchObject({ encoding: 'utf-8', bom: false, lineEnding: 'lf' });
    expect(cells(r)).toEqual([['2', 'zoe@example.com', 'Zoë Müller']]);
  });

  it('UTF-16LE with a BOM and tabs (Excel "Unicode text")', async () => {
    const r = await read('utf16leBomTab');
    expect(r.info).toMatchObject({ encoding: 'utf-16le', bom: true, delimiter: '\t' });
    expect(cells(r)).toEqual([
      ['2', 'ada@example.com', 'Ada Lovelace'],
      ['3', 'li@example.com', '李小龙'],
    ]);
  });

  it('UTF-16BE with a BOM', async () => {
    const r = await read('utf16beBom');
    expect(r.info).toMatchObject({ encoding: 'utf-16be', bom: true, delimiter: ',' });
    expect(cells(r)).toEqual([['2', 'ada@example.com', 'Ada Lovelace']]);
  });

  it('UTF-16LE without a BOM, by its NUL pattern', async () => {
    const r = await read('utf16leNoBom');
    expect(r.info).toMatchObject({ encoding: 'utf-16le', bom: false });
    expect(cells(r)).toEqual([['2', 'bob@example.com', 'Bob']]);
  });

  it('Windows-1252 with é, ü and € (0x80)', async () => {
    const r = await read('windows1252');
    expect(r.info).toMatchObject({ encoding: 'windows-1252', bom: false, delimiter: ';' });
    expect(cells(r)).toEqual([['2', 'jose@example.com', 'José Müller', '€5 für Café']]);
  });

  it('non-Latin scripts: CJK, Arabic, emoji with ZWJ and flags', async () => {
    const r = await read('nonLatin');
    expect(cells(r)).toEqual([
      ['2', 'wang@example.cn', '王小明', '東京'],
      ['3', 'amal@example.eg', 'أمل حسن', 'مرحبا'],
      ['4', 'emoji@example.com', '😀 Smile', '👩‍💻🇯🇵'],
    ]);
  });

  it('invalid UTF-8 after the detection window: that row is left out, never read with �', async () => {
    const r = await read('invalidUtf8Later');
    expect(r.info.encoding).toBe('utf-8');
    expect(r.rows.map((row) => row.cells[0])).toEqual(['a']);
    expect(r.diag).toMatchObject({ rows: 2, damagedRows: 1 });
    expect(codes(r)).toEqual(['invalid_encoding@3/2:note']);
    expect(r.diag.problems[0]?.severity).toBe('error');
  });
});

describe('CSV corpus: delimiters and line endings', () => {
  it('semicolon (European Excel): commas are data', async () => {
    const r = await read('semicolon');
    expect(r.info.delimiter).toBe(';');
    expect(cells(r)).toEqual([
      ['2', 'Ada', '1,5', 'a,b'],
      ['3', 'Bob', '2,25', 'c'],
    ]);
  });

  it('tab', async () => {
    const r = await read('tab');
    expect(r.info.delimiter).toBe('\t');
    expect(cells(r)).toEqual([['2', 'ada@example.com', 'Lovelace, Ada']]);
  });

  it('pipe', async () => {
    const r = await read('pipe');
    expect(r.info.delimiter).toBe('|');
    expect(cells(r)).toEqual([['2', 'ada@example.com', 'Ada; Lovelace, Countess']]);
  });

  it.each([
    ['crlf', 'crlf'],
    ['lf', 'lf'],
    ['crOnly', 'cr'],
  ] as const)('%s line endings', async (name, ending) => {
    const r = await read(name);
    expect(r.info.lineEnding).toBe(ending);
    expect(r.diag.lineEnding).toBe(ending);
    expect(r.rows).toEqual([
      { row: 1, line: 2, cells: ['1', '2'] },
      { row: 2, line: 3, cells: ['3', '4'] },
    ]);
  });

  it('mixed CRLF and LF: every record split, no stray CR in cells', async () => {
    const r = await read('mixedLineEndings');
    expect(r.info.lineEnding).toBe('mixed');
    expect(cells(r)).toEqual([
      ['2', '1', '2'],
      ['3', '3', '4'],
      ['4', '5', '6'],
    ]);
  });

  it('quoted cells with line breaks, delimiters and doubled quotes; lines count the breaks', async () => {
    const r = await read('quoted');
    expect(r.rows).toEqual([
      {
        row: 1,
        line: 2,
        cells: ['ada@example.com', '12 Main St\r\nApt 4, Springfield', 'She said "hi"'],
      },
      { row: 2, line: 4, cells: ['bob@example.com', 'line1\nline2\nline3', ''] },
      { row: 3, line: 7, cells: ['cy@example.com', 'plain', 'a,b'] },
    ]);
    expect(r.diag.problems).toEqual([]);
  });

  it('trailing delimiter on every line: a generated header for the empty last column', async () => {
    const r = await read('trailingDelimiter');
    expect(r.info.headers).toEqual(['a', 'b', 'Column 3']);
    expect(r.info.originalHeaders).toEqual(['a', 'b', '']);
    expect(cells(r)).toEqual([
      ['2', '1', '2', ''],
      ['3', '3', '4', ''],
    ]);
    expect(codes(r)).toEqual(['blank_header@1/-:Column 3']);
  });

  it('trailing delimiters on data rows only: empty extra cells dropped, one warning', async () => {
    const r = await read('trailingDelimiterDataOnly');
    expect(cells(r)).toEqual([
      ['2', '1', '2'],
      ['3', '3', '4'],
      ['4', '5', '6'],
    ]);
    expect(codes(r)).toEqual(['extra_empty_fields@2/1']);
    expect(r.diag.problems[0]?.message).toBe(
      '2 rows of trailingDelimiterDataOnly.csv have more fields than the header, first row 1 (line 2); the extra cells are empty and were ignored.',
    );
  });
});

describe('CSV corpus: headers', () => {
  it('duplicate headers (case-insensitive) are numbered past names the file uses', async () => {
    const r = await read('duplicateHeaders');
    expect(r.info.headers).toEqual(['Email', 'userName', 'Email (3)', 'email (4)', 'Email (2)']);
    expect(codes(r)).toEqual(['duplicate_header@1/-:Email (3)', 'duplicate_header@1/-:email (4)']);
    expect(r.diag.problems[0]?.message).toBe(
      'Column 3 of duplicateHeaders.csv repeats the header "Email" of column 1 (line 1); it is called "Email (3)" here.',
    );
    expect(cells(r)).toEqual([['2', 'a', 'b', 'c', 'd', 'e']]);
  });

  it('blank and whitespace headers become "Column N"', async () => {
    const r = await read('blankHeaders');
    expect(r.info.headers).toEqual(['userName', 'Column 2', 'displayName', 'Column 4']);
    expect(r.info.originalHeaders).toEqual(['userName', '', 'displayName', '  ']);
    expect(codes(r)).toEqual(['blank_header@1/-:Column 2', 'blank_header@1/-:Column 4']);
  });
});

describe('CSV corpus: damaged rows are excluded and the rest is read', () => {
  it('too many fields', async () => {
    const r = await read('tooManyFields');
    expect(r.rows.map((row) => row.row)).toEqual([1, 3]);
    expect(cells(r)).toEqual([
      ['2', '1', '2', '3'],
      ['4', '8', '9', '10'],
    ]);
    expect(r.diag).toMatchObject({ rows: 3, damagedRows: 1 });
    expect(r.diag.problems).toEqual([
      {
        file: paths.tooManyFields,
        line: 3,
        row: 2,
        value: '7',
        code: 'too_many_fields',
        severity: 'error',
        message: 'Row 2 (line 3) of tooManyFields.csv has 4 fields; the header has 3.',
        nextStep:
          'Put double quotes around a cell that contains a comma, or remove the extra comma, so the row has 3 fields, then import again.',
      },
    ]);
  });

  it('too few fields (column = the first missing one)', async () => {
    const r = await read('tooFewFields');
    expect(cells(r)).toEqual([
      ['2', '1', '2', '3'],
      ['4', '6', '7', '8'],
    ]);
    expect(codes(r)).toEqual(['too_few_fields@3/2:c']);
    expect(r.diag.problems[0]?.message).toBe(
      'Row 2 (line 3) of tooFewFields.csv has 2 fields; the header has 3.',
    );
  });

  it('unclosed quote: reported where it opens; it swallows the rest of the file', async () => {
    const r = await read('unclosedQuote');
    expect(cells(r)).toEqual([['2', 'ada', 'Ada']]);
    expect(r.diag).toMatchObject({ rows: 2, damagedRows: 1 });
    expect(codes(r)).toEqual(['unclosed_quote@3/2:displayName']);
    expect(r.diag.problems[0]?.message).toBe(
      'Row 2 (line 3) of unclosedQuote.csv opens a quoted cell in column "displayName" on line 3 that is never properly closed, so the rest of the file (lines 3–5) was read as one cell and skipped.',
    );
  });

  it('bad quote inside a quoted cell: that row only', async () => {
    const r = await read('badQuote');
    expect(r.rows).toEqual([{ row: 2, line: 3, cells: ['bob', 'Bob', 'Ops'] }]);
    expect(codes(r)).toEqual(['bad_quote@2/1:displayName']);
    expect(r.diag.problems[0]).toMatchObject({
      value: '"Ada "The Countess" L",Eng',
      message:
        'Row 1 (line 2) of badQuote.csv has a misplaced double quote in column "displayName".',
    });
  });

  it('blank, whitespace-only and all-empty lines are skipped silently; lines still count', async () => {
    const r = await read('whitespaceLines');
    expect(r.rows).toEqual([
      { row: 1, line: 4, cells: ['ada', 'Ada'] },
      { row: 2, line: 7, cells: ['bob', 'Bob'] },
    ]);
    expect(r.diag).toMatchObject({ rows: 2, damagedRows: 0, problems: [] });
  });

  it('a row of empty cells is skipped, but a quoted empty cell is data', async () => {
    const r = await read('emptyCellRows');
    expect(cells(r)).toEqual([
      ['2', '1', '2', '3'],
      ['4', '4', '5', '6'],
    ]);
    expect(codes(r)).toEqual(['too_few_fields@5/3:b']);
  });
});

describe('CSV corpus: files that cannot be read', () => {
  it('empty file', async () => {
    expect(await failure('empty')).toEqual({
      code: 'input',
      message: 'empty.csv is empty (0 bytes).',
      next: 'Choose the exported CSV file again; if it is the right file, export it again.',
    });
  });

  it('BOM only', async () => {
    expect((await failure('bomOnly')).message).toBe(
      'bomOnly.csv is empty: it holds only a byte-order mark, no header row.',
    );
  });

  it('a file holding only a line break', async () => {
    expect((await failure('onlyNewline')).message).toBe(
      'onlyNewline.csv has no header row: it holds only blank lines.',
    );
  });

  it('binary garbage', async () => {
    const f = await failure('binaryGarbage');
    expect(f.code).toBe('input');
    expect(f.message).toBe(
      'binaryGarbage.csv is not a text file: it contains binary data (NUL bytes).',
    );
  });

  it('an .xlsx saved under a .csv name: tells the admin to Save As CSV UTF-8', async () => {
    const f = await failure('xlsxRenamed');
    expect(f.message).toBe(
      'xlsxRenamed.csv is an Excel workbook (.xlsx) or another zip archive, not a CSV file, although its name ends in ".csv".',
    );
    expect(f.next).toContain('Save As › "CSV UTF-8 (Comma delimited) (*.csv)"');
  });

  it('an Excel 97-2003 .xls under a .csv name', async () => {
    expect((await failure('xlsLegacy')).message).toBe(
      'xlsLegacy.csv is an Excel 97-2003 workbook (.xls), not a CSV file, although its name ends in ".csv".',
    );
  });
});

describe('CSV corpus: edge sizes and content', () => {
  it('header only: 0 rows and a warning', async () => {
    const r = await read('headerOnly');
    expect(r.info.headers).toEqual(['userName', 'displayName']);
    expect(r.rows).toEqual([]);
    expect(r.diag).toMatchObject({ rows: 0, damagedRows: 0 });
    expect(codes(r)).toEqual(['no_rows@1/-']);
    expect(r.diag.problems[0]?.message).toBe(
      'headerOnly.csv has a header (line 1) but no data rows.',
    );
  });

  it('a 10 MB cell is read whole, quickly', async () => {
    const started = performance.now();
    const r = await read('hugeField');
    const ms = performance.now() - started;
    expect(r.rows.map((row) => [row.row, row.line, row.cells[0], row.cells[2]])).toEqual([
      [1, 2, 'ada', 'Eng'],
      [2, 4, 'bob', 'Ops'],
    ]);
    const bio = r.rows[0]?.cells[1] ?? '';
    expect(bio.length).toBe(HUGE_CELL_CHARS);
    expect(bio.endsWith('x\r\n')).toBe(true);
    expect(ms).toBeLessThan(10_000);
  });

  it('Excel damage: lost leading zeros, scientific ids, reformatted and serial dates', async () => {
    const r = await read('excelDamage');
    expect(r.rows).toHaveLength(5);
    expect(r.diag.damagedRows).toBe(0);
    expect(
      r.diag.problems.map((p) => [p.code, p.severity, p.column, p.line, p.row, p.value]),
    ).toEqual([
      ['excel_leading_zeros', 'warning', 'employeeNumber', 4, 3, '89'],
      ['excel_scientific', 'warning', 'externalId', 3, 2, '1.23457E+11'],
      ['excel_date_format', 'warning', 'hireDate', 4, 3, '1/31/2024'],
      ['excel_date_serial', 'warning', 'startDate', 3, 2, '45322'],
    ]);
    expect(r.diag.problems.map((p) => p.message)).toEqual([
      'Column "employeeNumber" of excelDamage.csv holds 6-digit zero-padded numbers, but 2 values are shorter, first "89" on line 4 (row 3): Excel probably removed their leading zeros.',
      'Column "externalId" of excelDamage.csv has 2 values in scientific notation, first "1.23457E+11" on line 3 (row 2): Excel rounded these numbers and their digits are lost.',
      'Column "hireDate" of excelDamage.csv mixes date formats: 2 values such as "1/31/2024" on line 4 (row 3) are not written YYYY-MM-DD like the others; Excel probably reformatted them.',
      'Column "startDate" of excelDamage.csv has 2 values that look like Excel date numbers, first "45322" on line 3 (row 2) (which Excel means as 2024-01-31).',
    ]);
  });

  it("cells formula-escaped by our exporter come back exactly (the `'` is removed)", async () => {
    const r = await read('formulaEscaped');
    expect(r.info).toMatchObject({ bom: true, lineEnding: 'crlf' });
    expect(r.rows.map((row) => row.cells[1])).toEqual(FORMULA_CELLS);
  });
});
