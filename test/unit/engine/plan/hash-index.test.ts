import { describe, expect, it } from 'vitest';
import { createHashIndex, hash53 } from '../../../../engine/plan/hash-index';

describe('createHashIndex', () => {
  it('finds every ordinal of every key, including repeated keys, through growth', () => {
    const index = createHashIndex(4);
    for (let i = 0; i < 100_000; i++) index.add(`user${i}@example.com`, i);
    index.add('user7@example.com', 100_000);
    index.add('user7@example.com', 100_001);
    expect(index.get('user5@example.com')).toEqual([5]);
    expect(index.get('user99999@example.com')).toEqual([99_999]);
    expect(index.get('user7@example.com')).toEqual([7, 100_000, 100_001]);
    expect(index.get('nobody@example.com')).toEqual([]);
    expect(index.size).toBe(100_000);
  });

  it('takes keys already hashed, the same entries as their text', () => {
    const index = createHashIndex(4);
    for (let i = 0; i < 5_000; i++) index.addHash(hash53(`E${i}`), i);
    index.add('E42', 5_000);
    expect(index.getHash(hash53('E42'))).toEqual([42, 5_000]);
    expect(index.get('E4999')).toEqual([4_999]);
    expect(index.getHash(hash53('E5000'))).toEqual([]);
    expect(index.size).toBe(5_000);
  });

  it('hashes to 53-bit non-zero integers that differ for near-identical keys', () => {
    const seen = new Set<number>();
    for (const k of ['', 'a', 'A', 'ab', 'ba', 'E0000001', 'E0000010']) {
      const h = hash53(k);
      expect(Number.isSafeInteger(h) && h > 0).toBe(true);
      seen.add(h);
    }
    expect(seen.size).toBe(7);
  });
});
