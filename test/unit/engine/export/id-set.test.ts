import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdSet } from '../../../../engine/export/listing/id-set';

describe('createIdSet', () => {
  it('holds exactly the ids added, through many growths', () => {
    const set = createIdSet(4);
    const ids = Array.from({ length: 50_000 }, () => randomUUID());
    for (const id of ids) set.add(id);
    for (const id of ids.slice(0, 1000)) set.add(id);
    expect(set.size).toBe(ids.length);
    expect(ids.every((id) => set.has(id))).toBe(true);
    const absent = Array.from({ length: 50_000 }, () => randomUUID());
    expect(absent.filter((id) => set.has(id))).toEqual([]);
  });

  it('tells apart ids that differ in one character, case, or length', () => {
    const set = createIdSet();
    for (const id of ['a', 'ab', 'abc', '00001', '00010', 'User-1', '']) set.add(id);
    expect(set.size).toBe(7);
    for (const id of ['A', 'ba', 'abcd', '00100', 'user-1', ' ']) expect(set.has(id)).toBe(false);
    expect(set.has('')).toBe(true);
    expect(set.has('User-1')).toBe(true);
  });
});
