import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLineReader } from '../../../../engine/files/line-blocks';

const dir = mkdtempSync(join(tmpdir(), 'line-blocks-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Lines of varied sizes (some across 64 KiB block edges, one longer than a block, non-ASCII). */
function lines(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const size = i === 1500 ? 70_000 : 20 + ((i * 7919) % 300);
    out.push(`${i}:${'é'.repeat(i % 3)}${'x'.repeat(size)}`);
  }
  return out;
}

describe('createLineReader', () => {
  const all = lines();
  const file = join(dir, 'lines.jsonl');
  writeFileSync(file, all.map((l) => `${l}\n`).join(''));
  const offsets: number[] = [];
  const lengths: number[] = [];
  let at = 0;
  for (const l of all) {
    const bytes = Buffer.byteLength(l, 'utf8');
    offsets.push(at);
    lengths.push(bytes);
    at += bytes + 1;
  }

  it('reads every line in order, backwards and in jumps, exactly', () => {
    const fd = openSync(file, 'r');
    try {
      const read = createLineReader(fd, { offsets, lengths });
      for (let i = 0; i < all.length; i++) expect(read(i)).toBe(all[i]);
      for (let i = all.length - 1; i >= 0; i -= 7) expect(read(i)).toBe(all[i]);
      for (let k = 0; k < 2000; k++) {
        const i = (k * 104_729) % all.length;
        expect(read(i)).toBe(all[i]);
      }
    } finally {
      closeSync(fd);
    }
  });
});
