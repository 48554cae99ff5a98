import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvEncoding } from '../../../../../shared/import/types';
import { createChunkDecoder, decodeAll, decodeFile } from '../../../../../engine/csv/decode-stream';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-decode-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SAMPLE = 'a€😀é,李\r\n"x"';

function encode(s: string, e: CsvEncoding): Buffer {
  switch (e) {
    case 'utf-8':
      return Buffer.from(s, 'utf8');
    case 'utf-16le':
      return Buffer.from(s, 'utf16le');
    case 'utf-16be':
      return Buffer.from(s, 'utf16le').swap16();
    case 'windows-1252':
      throw new Error('not used');
  }
}

describe('createChunkDecoder', () => {
  it.each(['utf-8', 'utf-16le', 'utf-16be'] as const)(
    '%s: characters split across chunks at every byte decode exactly',
    (encoding) => {
      const bytes = encode(SAMPLE, encoding);
      const decoder = createChunkDecoder(encoding);
      let out = '';
      for (let i = 0; i < bytes.length; i++) out += decoder.write(bytes.subarray(i, i + 1));
      out += decoder.end();
      expect(out).toBe(SAMPLE);
    },
  );

  it('windows-1252 maps 0x80–0x9F to the WHATWG characters (€, Š, Ÿ…), the rest as Latin-1', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const out = decodeAll(all, 'windows-1252');
    expect(out.length).toBe(256);
    expect(out.slice(0x80, 0xa0)).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
    expect(out.slice(0x20, 0x7f)).toBe(Buffer.from(all.subarray(0x20, 0x7f)).toString('latin1'));
    expect(out.slice(0xa0)).toBe(Buffer.from(all.subarray(0xa0)).toString('latin1'));
    expect(decodeAll(Uint8Array.from([0x4a, 0x6f, 0x73, 0xe9, 0x20, 0x80]), 'windows-1252')).toBe(
      'José €',
    );
  });

  it('an incomplete UTF-8 sequence at the end becomes U+FFFD on end()', () => {
    const decoder = createChunkDecoder('utf-8');
    expect(decoder.write(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe('a');
    expect(decoder.end()).toBe('\uFFFD');
  });
});

describe('decodeFile', () => {
  it('streams from past the BOM with tiny chunks', async () => {
    const file = join(dir, 'bom.csv');
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encode(SAMPLE, 'utf-8')]),
    );
    const parts: string[] = [];
    for await (const t of decodeFile(file, 'utf-8', { start: 3, chunkBytes: 3 })) parts.push(t);
    expect(parts.join('')).toBe(SAMPLE);
    expect(parts.length).toBeGreaterThan(3);
  });

  it('UTF-16BE from a file, BOM skipped', async () => {
    const file = join(dir, 'be.csv');
    await writeFile(file, Buffer.concat([Buffer.from([0xfe, 0xff]), encode(SAMPLE, 'utf-16be')]));
    let out = '';
    for await (const t of decodeFile(file, 'utf-16be', { start: 2, chunkBytes: 5 })) out += t;
    expect(out).toBe(SAMPLE);
  });
});
