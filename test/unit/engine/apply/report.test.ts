import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  writeFailedRowsCsv,
  writeRunReport,
  type ReportRow,
} from '../../../../engine/apply/report';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

describe('writeRunReport', () => {
  it('writes byte-exact CSV with quoting and formula escaping', async () => {
    const file = join(dir, 'report.csv');
    const rows: ReportRow[] = [
      { row: 1, key: 'ann@example.com', action: 'create', status: 'done', scimId: 'u-1' },
      {
        row: 2,
        key: 'Smith, "Bob"',
        action: 'update',
        status: 'failed',
        error: 'The server refused the change.\nSee detail.',
        serverDetail: '400 invalidValue: title, too long',
      },
      { key: '=cmd|"/c calc"!A1', action: 'delete', status: 'unknown', serverDetail: '+1 -2' },
      { row: 4, key: ' padded ', action: 'update', status: 'done', error: '@SUM(1)' },
    ];
    expect(await writeRunReport(file, from(rows))).toBe(4);
    expect(await readFile(file, 'utf8')).toBe(
      'row,key,action,status,scim_id,error,server_detail\r\n' +
        '1,ann@example.com,create,done,u-1,,\r\n' +
        '2,"Smith, ""Bob""",update,failed,,"The server refused the change.\nSee detail.","400 invalidValue: title, too long"\r\n' +
        ',"\'=cmd|""/c calc""!A1",delete,unknown,,,\'+1 -2\r\n' +
        '4," padded ",update,done,,\'@SUM(1),\r\n',
    );
    expect(await readdir(dir)).not.toContain('report.csv.partial');
  });

  it('writes a BOM for Excel on request', async () => {
    const file = join(dir, 'bom.csv');
    await writeRunReport(file, from([]), { excel: true });
    expect(await readFile(file)).toEqual(
      Buffer.from('\uFEFFrow,key,action,status,scim_id,error,server_detail\r\n', 'utf8'),
    );
  });

  it('leaves no file when the rows fail', async () => {
    const file = join(dir, 'broken.csv');
    async function* broken(): AsyncGenerator<ReportRow> {
      yield { row: 1, key: 'a', action: 'create', status: 'done' };
      await Promise.resolve();
      throw new Error('boom');
    }
    await expect(writeRunReport(file, broken())).rejects.toThrow('boom');
    const names = await readdir(dir);
    expect(names).not.toContain('broken.csv');
    expect(names).not.toContain('broken.csv.partial');
  });

  it('streams many rows', async () => {
    const file = join(dir, 'many.csv');
    async function* many(): AsyncGenerator<ReportRow> {
      for (let i = 1; i <= 50_000; i++) {
        if (i % 1000 === 0) await Promise.resolve();
        yield {
          row: i,
          key: `user${i}@example.com`,
          action: 'create',
          status: 'done',
          scimId: `id-${i}`,
        };
      }
    }
    expect(await writeRunReport(file, many())).toBe(50_000);
    const text = await readFile(file, 'utf8');
    expect(text.split('\r\n')).toHaveLength(50_002);
    expect(text.endsWith('50000,user50000@example.com,create,done,id-50000,,\r\n')).toBe(true);
  });
});

describe('writeFailedRowsCsv', () => {
  it('writes the failed rows in the source columns, escaped and padded', async () => {
    const file = join(dir, 'failed.csv');
    const count = await writeFailedRowsCsv(
      file,
      ['userName', 'Display, Name', 'phone'],
      from([
        { cells: ['ann', 'Ann "A" Lee', '+14155550100'] },
        { cells: ['bob', 'line1\r\nline2'] },
        { cells: ['=1+1', '', '-5'] },
      ]),
    );
    expect(count).toBe(3);
    expect(await readFile(file, 'utf8')).toBe(
      'userName,"Display, Name",phone\r\n' +
        'ann,"Ann ""A"" Lee",\'+14155550100\r\n' +
        'bob,"line1\r\nline2",\r\n' +
        "'=1+1,,'-5\r\n",
    );
  });
});
