/**
 * The line reader decodes all-ASCII blocks as Latin-1 (line-blocks.ts): a file whose first part
 * is plain ASCII and whose later lines carry accents, emoji and a stray invalid byte reads back
 * exactly as UTF-8 decoding gives it, in order, backwards, in far jumps, and across block edges.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLineReader } from '../../../../engine/files/line-blocks';

const dir = mkdtempSync(join(tmpdir(), 'line-blocks-ascii-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('createLineReader on ASCII and non-ASCII blocks', () => {
  const parts: Buffer[] = [];
  for (let i = 0; i < 4000; i++) {
    const body = 'x'.repeat(30 + ((i * 7919) % 400));
    const text = i < 2500 ? `${i}:${body}` : i % 50 === 0 ? `${i}:Zoë 🙂 ${body}` : `${i}:${body}`;
    parts.push(Buffer.from(text, 'utf8'));
    if (i === 3100) parts.push(Buffer.from([0x41, 0xff, 0x42])); // invalid UTF-8 in one line
    parts.push(Buffer.from('\n'));
  }
  const bytes = Buffer.concat(parts);
  const file = join(dir, 'mixed.jsonl');
  writeFileSync(file, bytes);
  const offsets: number[] = [];
  const lengths: number[] = [];
  const expected: string[] = [];
  for (let at = 0; at < bytes.length;) {
    const end = bytes.indexOf(10, at);
    offsets.push(at);
    lengths.push(end - at);
    expected.push(bytes.toString('utf8', at, end));
    at = end + 1;
  }

  it('reads every line as UTF-8 decoding gives it', () => {
    expect(expected.some((l) => l.includes('\ufffd'))).toBe(true);
    const fd = openSync(file, 'r');
    try {
      const read = createLineReader(fd, { offsets, lengths });
      for (let i = 0; i < expected.length; i++) expect(read(i)).toBe(expected[i]);
      for (let i = expected.length - 1; i >= 0; i -= 3) expect(read(i)).toBe(expected[i]);
      for (let k = 0; k < 3000; k++) {
        const i = (k * 104_729) % expected.length;
        expect(read(i)).toBe(expected[i]);
      }
    } finally {
      closeSync(fd);
    }
  });
});
