import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineFileWriter, readJsonLines, readLines } from '../../../../engine/files/line-file';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'line-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLines', () => {
  it('splits LF and CRLF, keeps a last line without newline, and lines across chunk boundaries', async () => {
    const long = 'x'.repeat(600_000);
    const file = join(dir, 'lines.txt');
    await writeFile(file, `a\r\nb\n\n${long}\nü€😀\r\nlast`);
    expect(await collect(readLines(file))).toEqual(['a', 'b', '', long, 'ü€😀', 'last']);
  });

  it('reads an empty file as no lines', async () => {
    const file = join(dir, 'empty.txt');
    await writeFile(file, '');
    expect(await collect(readLines(file))).toEqual([]);
  });
});

describe('readJsonLines', () => {
  it('skips blank lines and names the file and line of bad JSON', async () => {
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, '{"a":1}\n\n{"b":2}\n{oops\n');
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const v of readJsonLines(file)) seen.push(v);
      })(),
    ).rejects.toThrow(`${file}, line 4: not valid JSON`);
    expect(seen).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe('createLineFileWriter', () => {
  it('writes to .partial and appears under its name only on commit', async () => {
    const file = join(dir, 'out.csv');
    const w = createLineFileWriter(file);
    await w.write('a,b\r\n');
    await expect(access(file)).rejects.toThrow();
    await w.commit();
    expect(await readFile(file, 'utf8')).toBe('a,b\r\n');
    expect(w.bytes()).toBe(5);
  });

  it('abort leaves nothing behind', async () => {
    const file = join(dir, 'aborted.csv');
    const w = createLineFileWriter(file);
    await w.write('x\n');
    await w.abort();
    await expect(access(file)).rejects.toThrow();
    await expect(access(`${file}.partial`)).rejects.toThrow();
  });
});
