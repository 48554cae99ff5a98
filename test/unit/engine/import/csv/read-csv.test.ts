import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../../../shared/errors/errors';
import type { CsvRow } from '../../../../../shared/import/types';
import {
  openCsv,
  ownString,
  sampleCsv,
  type CsvReadOptions,
} from '../../../../../engine/csv/read-csv';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function all(path: string, opts?: CsvReadOptions): Promise<CsvRow[]> {
  const source = await openCsv(path, opts);
  const rows: CsvRow[] = [];
  for await (const row of source.rows()) rows.push(row);
  return rows;
}

async function error(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (e) {
    if (isAppError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('no error');
}

describe('openCsv', () => {
  it('info is known before the first row; diagnostics complete after', async () => {
    const path = await file('a.csv', 'userName,n\r\nada,1\r\nbob,2,3\r\n');
    const source = await openCsv(path);
    expect(source.info).toEqual({
      file: path,
      bytes: 28,
      encoding: 'utf-8',
      bom: false,
      delimiter: ',',
      lineEnding: 'crlf',
      headers: ['userName', 'n'],
      originalHeaders: ['userName', 'n'],
    });
    expect(source.diagnostics()).toMatchObject({ rows: 0, damagedRows: 0, problems: [] });
    const rows: CsvRow[] = [];
    for await (const row of source.rows()) rows.push(row);
    expect(rows).toEqual([{ row: 1, line: 2, cells: ['ada', '1'] }]);
    expect(source.diagnostics()).toMatchObject({
      rows: 2,
      damagedRows: 1,
      problemsOmitted: 0,
      problems: [{ code: 'too_many_fields', line: 3, row: 2 }],
    });
  });

  it('rows() can be iterated only once', async () => {
    const source = await openCsv(await file('once.csv', 'a\n1\n'));
    for await (const row of source.rows()) expect(row.cells).toEqual(['1']);
    await expect(async () => {
      for await (const row of source.rows()) expect(row).toBeUndefined();
    }).rejects.toThrow('The rows of once.csv can be read only once.');
  });

  it('does not trim cells', async () => {
    expect((await all(await file('sp.csv', 'a,b\n  x ,"  y  "\n')))[0]?.cells).toEqual([
      '  x ',
      '  y  ',
    ]);
  });

  it('unescapeFormulas: false keeps the escaping', async () => {
    const path = await file('f.csv', "a,b\n'=1+1,'-5\n");
    expect((await all(path))[0]?.cells).toEqual(['=1+1', '-5']);
    expect((await all(path, { unescapeFormulas: false }))[0]?.cells).toEqual(["'=1+1", "'-5"]);
  });

  it('headers are unescaped before trimming; originalHeaders are as in the file', async () => {
    const source = await openCsv(await file('h.csv', "'=x , b\n1,2\n"));
    expect(source.info.headers).toEqual(['=x', 'b']);
    expect(source.info.originalHeaders).toEqual(["'=x ", ' b']);
  });

  it('a forced encoding and delimiter win over detection', async () => {
    const path = await file('forced.csv', 'a;b;c\nJosé;x;y\n');
    expect(await all(path)).toEqual([{ row: 1, line: 2, cells: ['José', 'x', 'y'] }]);
    expect(await all(path, { encoding: 'windows-1252', delimiter: ',' })).toEqual([
      { row: 1, line: 2, cells: ['JosÃ©;x;y'] },
    ]);
  });

  it('skipLines skips lines before the header (Entra bulk template)', async () => {
    const path = await file(
      'entra.csv',
      'version:v1.0\nName [displayName] Required;User name [userPrincipalName] Required\nAda;ada@example.com\n',
    );
    const source = await openCsv(path, { skipLines: 1 });
    expect(source.info.delimiter).toBe(';');
    expect(source.info.headers).toEqual([
      'Name [displayName] Required',
      'User name [userPrincipalName] Required',
    ]);
    const rows: CsvRow[] = [];
    for await (const row of source.rows()) rows.push(row);
    expect(rows).toEqual([{ row: 1, line: 3, cells: ['Ada', 'ada@example.com'] }]);
    expect((await error(() => openCsv(path, { skipLines: 5 }))).message).toBe(
      'entra.csv has no header row after the first 5 lines it skips.',
    );
  });

  it('leading blank lines before the header are skipped', async () => {
    const source = await openCsv(await file('lead.csv', '\n\nuserName\nada\n'));
    expect(source.info.headers).toEqual(['userName']);
    const rows: CsvRow[] = [];
    for await (const row of source.rows()) rows.push(row);
    expect(rows).toEqual([{ row: 1, line: 4, cells: ['ada'] }]);
  });

  it('maxProblems keeps the first problems and counts the rest exactly', async () => {
    const lines = [
      'a,b',
      ...Array.from({ length: 5 }, (_, i) => `only${i}`),
      '1,2',
      '0001,x',
      '0002,x',
      '3,x',
    ];
    const source = await openCsv(await file('many.csv', lines.join('\n')), { maxProblems: 2 });
    for await (const row of source.rows()) expect(row.cells).toHaveLength(2);
    const d = source.diagnostics();
    expect(d.rows).toBe(9);
    expect(d.damagedRows).toBe(5);
    expect(d.problems.map((p) => [p.code, p.row])).toEqual([
      ['too_few_fields', 1],
      ['too_few_fields', 2],
    ]);
    // 3 more damaged rows and the lost-zeros warning for column a.
    expect(d.problemsOmitted).toBe(4);
  });

  it('a header with an unclosed quote cannot be read', async () => {
    const path = await file('hq.csv', 'a,"b\n1,2\n');
    expect(await error(() => openCsv(path))).toEqual({
      code: 'input',
      message: 'The header row of hq.csv (line 1) opens a double quote that is never closed.',
    });
  });

  it('a header without a line break within maxRecordChars cannot be read', async () => {
    const path = await file('long.csv', 'x'.repeat(5000));
    expect((await error(() => openCsv(path, { maxRecordChars: 1000 }))).message).toBe(
      'The header row of long.csv (line 1) has no line break in its first 1000 characters.',
    );
  });

  it('an unclosed quote longer than maxRecordChars stops the reading with a clear problem', async () => {
    const path = await file('cut.csv', `a,b\n1,2\n3,"x\n${'4,5\n'.repeat(20_000)}`);
    const source = await openCsv(path, { maxRecordChars: 10_000 });
    const rows: CsvRow[] = [];
    for await (const row of source.rows()) rows.push(row);
    expect(rows.map((r) => r.cells)).toEqual([['1', '2']]);
    const d = source.diagnostics();
    expect(d).toMatchObject({ rows: 2, damagedRows: 1 });
    expect(d.problems[0]?.message).toBe(
      'Row 2 (line 3) of cut.csv opens a quoted cell in column "b" on line 3 that is never properly closed; after 10 KB without the closing quote the rest of the file was not read.',
    );
  });

  it('files that cannot be read: missing, a folder', async () => {
    const missing = join(dir, 'nope.csv');
    expect(await error(() => openCsv(missing))).toEqual({
      code: 'input',
      message: `The file ${missing} does not exist.`,
    });
    const folder = join(dir, 'folder.csv');
    await mkdir(folder);
    expect(await error(() => openCsv(folder))).toEqual({
      code: 'input',
      message: `${folder} is a folder, not a CSV file.`,
    });
  });

  it('cancellation before opening and while reading', async () => {
    const path = await file('cancel.csv', `a\n${'x\n'.repeat(200_000)}`);
    const aborted = new AbortController();
    aborted.abort();
    expect((await error(() => openCsv(path, { signal: aborted.signal }))).code).toBe('cancelled');

    const controller = new AbortController();
    const source = await openCsv(path, { signal: controller.signal });
    let seen = 0;
    const failure = await error(async () => {
      for await (const row of source.rows()) {
        seen = row.row;
        if (seen === 10) controller.abort();
      }
    });
    expect(failure).toEqual({ code: 'cancelled', message: 'Reading cancel.csv was cancelled.' });
    expect(seen).toBe(10);
  });
});

describe('sampleCsv', () => {
  it('returns the first n good rows and the problems met so far, and stops early', async () => {
    const body = Array.from({ length: 300_000 }, (_, i) => `u${i},${i}`).join('\n');
    const path = await file('big.csv', `userName,n\nbroken\n${body}\n`);
    const sample = await sampleCsv(path, 3);
    expect(sample.info.headers).toEqual(['userName', 'n']);
    expect(sample.rows).toEqual([
      { row: 2, line: 3, cells: ['u0', '0'] },
      { row: 3, line: 4, cells: ['u1', '1'] },
      { row: 4, line: 5, cells: ['u2', '2'] },
    ]);
    expect(sample.problems.map((p) => [p.code, p.line])).toEqual([['too_few_fields', 2]]);
  });

  it('n = 0 gives the info and header warnings only', async () => {
    const sample = await sampleCsv(await file('zero.csv', 'a,a\n1,2\n'), 0);
    expect(sample.rows).toEqual([]);
    expect(sample.info.headers).toEqual(['a', 'a (2)']);
    expect(sample.problems.map((p) => p.code)).toEqual(['duplicate_header']);
  });
});

describe('ownString', () => {
  it('returns an equal string', () => {
    const parent = 'x'.repeat(100) + 'hello world, this is long';
    const cell = parent.slice(100);
    expect(ownString(cell)).toBe(cell);
    expect(ownString('short')).toBe('short');
  });
});
