/**
 * The integrity corpus (test/fixtures/csv-corpus/integrity-cases.ts) through the public reader:
 * for every file class, the rows read, the rows left out and each problem with its row and column,
 * or the sentence the file is refused with (and the fix it offers).
 */
import {
  mkdtemp,
  rm,
  truncate,
  unlink,
  utimes,
  writeFile,
  rename,
  appendFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../../shared/errors/errors';
import type { ErrorPayload } from '../../../../../shared/errors/payload';
import type { CsvDiagnostics, CsvFileInfo, CsvRow } from '../../../../../shared/import/types';
import { openCsv, type CsvReadOptions } from '../../../../../engine/csv/read-csv';
import { firstLine } from '../../../../../engine/csv/first-line';
import {
  CORPUS,
  FOLDER_CASE,
  writeCorpus,
  type CorpusCase,
} from '../../../../fixtures/csv-corpus/make-corpus';
import { CHANGING_FILE_ROWS } from '../../../../fixtures/csv-corpus/integrity-cases';

let dir = '';
let paths = {} as Record<CorpusCase, string>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-integrity-'));
  paths = await writeCorpus(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Read = { info: CsvFileInfo; rows: CsvRow[]; diag: CsvDiagnostics };

async function read(name: CorpusCase, opts: CsvReadOptions = {}): Promise<Read> {
  const source = await openCsv(paths[name], opts);
  const rows: CsvRow[] = [];
  for await (const row of source.rows()) rows.push(row);
  return { info: source.info, rows, diag: source.diagnostics() };
}

function cells(r: Read): string[][] {
  return r.rows.map((row) => [String(row.line), ...row.cells]);
}

function codes(r: Read): string[] {
  return r.diag.problems.map(
    (p) => `${p.code}@${p.line}/${p.row ?? '-'}${p.column === undefined ? '' : `:${p.column}`}`,
  );
}

async function refusal(path: string, opts: CsvReadOptions = {}): Promise<ErrorPayload> {
  try {
    const source = await openCsv(path, opts);
    for await (const row of source.rows()) expect(row.row).toBeGreaterThan(0);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return e.toPayload();
  }
  throw new Error(`${path} was read without an error`);
}

describe('integrity corpus: line endings', () => {
  it('CRLF, LF and lone CR in one file: all nine rows, a quoted CR kept as data', async () => {
    const r = await read('mixedLineEndingsAll');
    expect(r.info.lineEnding).toBe('mixed');
    expect(cells(r)).toEqual([
      ['2', 'u1@example.com', 'One'],
      ['3', 'u2@example.com', 'Two'],
      ['4', 'u3@example.com', 'Three'],
      ['5', 'u4@example.com', 'Four'],
      ['6', 'u5@example.com', 'Five'],
      ['7', 'u6@example.com', 'Six\rQuoted'],
      ['9', 'u7@example.com', 'Seven'],
      ['10', 'u8@example.com', 'Eight'],
      ['11', 'u9@example.com', 'Nine'],
    ]);
    expect(r.diag).toMatchObject({ rows: 9, damagedRows: 0, problems: [] });
  });

  it('the same file read a few characters at a time', async () => {
    const whole = await read('mixedLineEndingsAll');
    const source = await openCsv(paths.mixedLineEndingsAll, { readChunkBytes: 7 });
    const rows: CsvRow[] = [];
    for await (const row of source.rows()) rows.push(row);
    expect(rows).toEqual(whole.rows);
  });

  it('mostly lone CR with LF lines among them', async () => {
    const r = await read('crMostlyWithLf');
    expect(r.diag.lineEnding).toBe('mixed');
    expect(cells(r)).toEqual([
      ['2', '1', '2'],
      ['3', '3', '4'],
      ['4', '5', '6'],
      ['5', '7', '8'],
    ]);
    expect(r.diag.problems).toEqual([]);
  });
});

describe('integrity corpus: Excel sep= line', () => {
  it('sep=| is honoured: pipe-separated, commas are data, the line is not a header', async () => {
    const r = await read('sepPipe');
    expect(r.info.delimiter).toBe('|');
    expect(r.info.headers).toEqual(['userName', 'displayName']);
    expect(cells(r)).toEqual([
      ['3', 'ada@example.com', 'Lovelace, Ada'],
      ['4', 'bob@example.com', 'Byte, Bob'],
    ]);
    expect(r.diag.problems).toEqual([]);
  });

  it('a quoted "sep=;" line', async () => {
    const r = await read('sepQuotedSemicolon');
    expect(r.info.delimiter).toBe(';');
    expect(cells(r)).toEqual([['3', 'ada@example.com', 'Ada, Countess']]);
  });

  it('any delimiter, not only the sniffed four (sep=^)', async () => {
    const r = await read('sepCaret');
    expect(r.info.delimiter).toBe('^');
    expect(cells(r)).toEqual([['3', 'ada@example.com', 'Ada; Lovelace, Countess']]);
  });

  it('after a BOM, with empty cells after it', async () => {
    const r = await read('sepAfterBom');
    expect(r.info).toMatchObject({ delimiter: ';', bom: true });
    expect(cells(r)).toEqual([['3', 'zoe@example.com', 'Zoë']]);
  });

  it('a forced delimiter still skips the sep= line', async () => {
    const r = await read('sepPipe', { delimiter: '|' });
    expect(r.rows.map((row) => row.line)).toEqual([3, 4]);
  });
});

describe('integrity corpus: invisible characters', () => {
  it('headers lose ZWSP, NBSP, BOM and bidi controls, each with a warning naming the column', async () => {
    const r = await read('invisibleHeaders');
    expect(r.info.headers).toEqual(['userName', 'display Name', 'Email', 'title']);
    expect(r.info.originalHeaders).toEqual([
      '\u200BuserName',
      'display\u00A0Name',
      '\u202EEmail\u202C',
      '\uFEFFtitle',
    ]);
    expect(codes(r)).toEqual([
      'invisible_header@1/-:userName',
      'invisible_header@1/-:display Name',
      'invisible_header@1/-:Email',
      'invisible_header@1/-:title',
    ]);
    expect(r.diag.problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        'The header of column 1 of invisibleHeaders.csv has an invisible character (zero-width space U+200B); it is read as "userName".',
      ],
      [
        'warning',
        'The header of column 2 of invisibleHeaders.csv has an invisible character (no-break space U+00A0); it is read as "display Name".',
      ],
      [
        'warning',
        'The header of column 3 of invisibleHeaders.csv has invisible characters (right-to-left override U+202E, pop directional formatting U+202C); it is read as "Email".',
      ],
      [
        'warning',
        'The header of column 4 of invisibleHeaders.csv has an invisible character (byte-order mark U+FEFF); it is read as "title".',
      ],
    ]);
    expect(cells(r)).toEqual([['2', 'ada@example.com', 'Ada', 'ada@example.com', 'Countess']]);
  });

  it('values are passed on as they are (the planner trims or refuses key and email values)', async () => {
    const r = await read('invisibleKeys');
    expect(r.rows.map((row) => row.cells[0])).toEqual([
      '\u200Bada@example.com',
      'b\u200Bob@example.com',
      '\uFEFFcy@example.com',
      'dee@example.com\u200F',
      'eve@example.com',
    ]);
    expect(r.diag.problems).toEqual([]);
  });
});

describe('integrity corpus: encodings', () => {
  it('one cell of invalid UTF-8 in a UTF-8 file: that row is left out, named by row and column', async () => {
    const r = await read('invalidUtf8Cell');
    expect(r.info.encoding).toBe('utf-8');
    expect(cells(r)).toEqual([
      ['2', 'zoe@example.com', 'Zoë'],
      ['4', 'li@example.com', '李小龙'],
    ]);
    expect(r.diag).toMatchObject({ rows: 3, damagedRows: 1 });
    expect(r.diag.problems).toEqual([
      {
        file: paths.invalidUtf8Cell,
        line: 3,
        row: 2,
        column: 'displayName',
        value: 'Caf\uFFFD Müller',
        code: 'invalid_encoding',
        severity: 'error',
        message:
          'Row 2 (line 3) of invalidUtf8Cell.csv has bytes in column "displayName" that are not valid UTF-8 (shown as �); the row is left out.',
        nextStep:
          'Correct that cell, or save the file again as UTF-8 (in Excel: "CSV UTF-8"). If the whole file is Windows-1252 (Excel\'s plain "CSV"), choose that encoding instead.',
      },
    ]);
  });

  it('a file that is wholly Windows-1252 is read as such, every row intact', async () => {
    const r = await read('windows1252Whole');
    expect(r.info.encoding).toBe('windows-1252');
    expect(cells(r)).toEqual([
      ['2', 'jose@example.com', 'José Núñez', 'Málaga'],
      ['3', 'anne@example.com', 'Anne Müller', 'Köln'],
      ['4', 'chloe@example.com', 'Chloé Brontë', 'Besançon'],
    ]);
    expect(r.diag.problems).toEqual([]);
  });

  it('invalid bytes after the first megabyte are left out as well', async () => {
    const r = await read('invalidUtf8Later');
    expect(r.rows.map((row) => row.cells[0])).toEqual(['a']);
    expect(codes(r)).toEqual(['invalid_encoding@3/2:note']);
  });
});

describe('integrity corpus: control characters', () => {
  it('terminal escapes, a bell and a C1 control leave their rows out; a quoted line break is data', async () => {
    const r = await read('controlCharacters');
    expect(cells(r)).toEqual([
      ['2', 'ada@example.com', 'Ada'],
      ['6', 'cy@example.com', 'Cy\r\nTwo Lines'],
    ]);
    expect(r.diag).toMatchObject({ rows: 5, damagedRows: 3 });
    expect(
      r.diag.problems.map((p) => [p.code, p.line, p.row, p.column, p.value, p.message]),
    ).toEqual([
      [
        'control_character',
        3,
        2,
        'displayName',
        'Red␛[31m Alert␛[0m',
        'Row 2 (line 3) of controlCharacters.csv has a control character (escape U+001B) in column "displayName"; the row is left out.',
      ],
      [
        'control_character',
        4,
        3,
        'displayName',
        'Bell␇',
        'Row 3 (line 4) of controlCharacters.csv has a control character (bell U+0007) in column "displayName"; the row is left out.',
      ],
      [
        'control_character',
        5,
        4,
        'displayName',
        'C1[U+009B]2J',
        'Row 4 (line 5) of controlCharacters.csv has a control character (control U+009B) in column "displayName"; the row is left out.',
      ],
    ]);
  });
});

describe('integrity corpus: what is not a table', () => {
  it.each([
    ['htmlPage', 'htmlPage.csv is an HTML page, not a CSV file.'],
    ['htmlFragment', 'htmlFragment.csv is an HTML page, not a CSV file.'],
    ['jsonArray', 'jsonArray.csv is JSON, not a CSV file.'],
    ['jsonLines', 'jsonLines.csv is JSON Lines (one JSON object per line), not a CSV file.'],
    ['pdfText', 'pdfText.csv is a PDF document, not a CSV file.'],
  ] as const)('%s is refused with a sentence', async (name, message) => {
    const e = await refusal(paths[name]);
    expect(e.code).toBe('input');
    expect(e.message).toBe(message);
    expect(e.nextStep).toMatch(/CSV/);
  });

  it('a folder named *.csv gets a sentence naming it', async () => {
    const folder = join(dir, FOLDER_CASE);
    const e = await refusal(folder);
    expect(e).toMatchObject({ code: 'input', message: `${folder} is a folder, not a CSV file.` });
    await expect(firstLine(folder)).resolves.toBe('');
  });

  it('a path that does not exist', async () => {
    const missing = join(dir, 'gone.csv');
    expect((await refusal(missing)).message).toBe(`The file ${missing} does not exist.`);
  });
});

describe('integrity corpus: where the header is', () => {
  it('no header row: refused, offering to read it without one', async () => {
    const e = await refusal(paths.noHeader);
    expect(e.message).toBe(
      'noHeader.csv seems to have no header row: line 1 holds values such as "ada@example.com", like the rows below it, not column names.',
    );
    expect(e.nextStep).toBe(
      'If the file has no header row, read it without one (its columns are then called Column 1, Column 2, …); if line 1 does name the columns, read it with a header row.',
    );
    expect(e.csvFix).toEqual({ header: false });
  });

  it('read with no header row: generated column names, every line is a row', async () => {
    const r = await read('noHeader', { header: false });
    expect(r.info.headers).toEqual(['Column 1', 'Column 2', 'Column 3']);
    expect(r.info.originalHeaders).toEqual([]);
    expect(r.rows).toEqual([
      { row: 1, line: 1, cells: ['ada@example.com', 'Ada', 'Lovelace'] },
      { row: 2, line: 2, cells: ['bob@example.com', 'Bob', 'Byte'] },
      { row: 3, line: 3, cells: ['cy@example.com', 'Cy', 'Young'] },
    ]);
  });

  it('told that line 1 is the header, the reader takes it as such', async () => {
    const r = await read('noHeader', { header: true });
    expect(r.info.headers).toEqual(['ada@example.com', 'Ada', 'Lovelace']);
    expect(r.rows).toHaveLength(2);
  });

  it('title lines above the header: refused, offering to skip them', async () => {
    const e = await refusal(paths.titleLines);
    expect(e.message).toBe(
      'titleLines.csv has 3 lines above its header row, starting with "Employee report"; the header seems to be line 4 ("userName,displayName,department").',
    );
    expect(e.nextStep).toBe('Skip the first 3 lines when reading the file, then continue.');
    expect(e.csvFix).toEqual({ skipLines: 3 });
    const r = await read('titleLines', { skipLines: 3 });
    expect(r.info.headers).toEqual(['userName', 'displayName', 'department']);
    expect(cells(r)).toEqual([
      ['5', 'ada@example.com', 'Ada', 'R&D'],
      ['6', 'bob@example.com', 'Bob', 'Ops'],
    ]);
  });

  it('a title padded with empty cells to the table width (as Excel saves it)', async () => {
    const e = await refusal(paths.titleLinesPadded);
    expect(e.csvFix).toEqual({ skipLines: 2 });
    const r = await read('titleLinesPadded', { skipLines: 2 });
    expect(r.info).toMatchObject({
      delimiter: ';',
      headers: ['userName', 'displayName', 'department'],
    });
    expect(r.rows).toHaveLength(2);
  });
});

describe('integrity corpus: Excel damage marks the row', () => {
  it('each damaged value is named on its row (the planner holds mapped ones back)', async () => {
    const r = await read('excelDamageMapped');
    expect(r.rows).toHaveLength(5);
    expect(
      r.rows.map((row) =>
        (row.problems ?? []).map((p) => `${p.code}:${p.column ?? ''}:${p.value ?? ''}`),
      ),
    ).toEqual([
      [],
      ['excel_scientific:phone:4.41632E+11'],
      ['excel_leading_zeros:employeeNumber:89'],
      ['excel_date_serial:startDate:45322'],
      [],
    ]);
    expect(r.rows[2]?.problems?.[0]).toMatchObject({
      severity: 'warning',
      line: 4,
      row: 3,
      message:
        'Row 3 (line 4) of excelDamageMapped.csv: "89" in column "employeeNumber" is shorter than the column\'s 6-digit zero-padded numbers; Excel probably removed its leading zeros.',
    });
  });
});

describe('integrity corpus: the file changes while it is read', () => {
  async function copy(tag: string): Promise<string> {
    const path = join(dir, `changing-${tag}.csv`);
    await writeFile(path, CORPUS.changingFile());
    return path;
  }

  /** Reads with `change` run after the first chunk; resolves with the refusal. */
  async function readWhile(
    tag: string,
    change: (path: string) => Promise<void>,
  ): Promise<ErrorPayload> {
    const path = await copy(tag);
    let chunks = 0;
    return refusal(path, {
      afterChunk: async () => {
        if (++chunks === 1) await change(path);
      },
    });
  }

  it('read undisturbed: every row', async () => {
    const path = await copy('quiet');
    const source = await openCsv(path);
    let n = 0;
    for await (const row of source.rows()) n += row.row > 0 ? 1 : 0;
    expect(n).toBe(CHANGING_FILE_ROWS);
  });

  it('truncated by another program', async () => {
    const e = await readWhile('truncated', (p) => truncate(p, 1000));
    expect(e.code).toBe('input');
    expect(e.message).toMatch(
      /^The file changing-truncated\.csv changed while it was read: it was shortened from \d+ to 1000 bytes\.$/,
    );
    expect(e.nextStep).toBe(
      'Wait until the program that writes the file has finished (or copy it and choose the copy), then start again.',
    );
  });

  it('grown by another program', async () => {
    const e = await readWhile('grown', (p) => appendFile(p, 'late@example.com,Late\n'));
    expect(e.message).toMatch(/changed while it was read: it grew from \d+ to \d+ bytes\.$/);
  });

  it('rewritten in place with the same size', async () => {
    const e = await readWhile('touched', async (p) => {
      const later = new Date(Date.now() + 60_000);
      await utimes(p, later, later);
    });
    expect(e.message).toMatch(/changed while it was read: it was modified\.$/);
  });

  it('deleted by another program', async () => {
    const e = await readWhile('deleted', (p) => unlink(p));
    expect(e.message).toBe(
      'The file changing-deleted.csv changed while it was read: it was deleted.',
    );
  });

  it('replaced by another file', async () => {
    const e = await readWhile('replaced', async (p) => {
      await writeFile(`${p}.new`, 'userName\nx@example.com\n');
      await rename(`${p}.new`, p);
    });
    expect(e.message).toBe(
      'The file changing-replaced.csv changed while it was read: it was replaced by another file.',
    );
  });

  it('changed between opening it and reading its rows', async () => {
    const path = await copy('between');
    const source = await openCsv(path);
    await truncate(path, 2000);
    const rows: CsvRow[] = [];
    let error: unknown;
    try {
      for await (const row of source.rows()) rows.push(row);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.message).toMatch(
      /changed while it was read: it was shortened/,
    );
  });
});
