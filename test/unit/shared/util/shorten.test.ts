import { describe, expect, it } from 'vitest';
import { PROBLEM_VALUE_CHARS, shorten } from '../../../../shared/util/shorten';

describe('shorten', () => {
  it('keeps a value that fits, and cuts a longer one to max characters ending in …', () => {
    expect(shorten('abc', 3)).toBe('abc');
    expect(shorten('abcd', 3)).toBe('ab…');
    expect(shorten('', 1)).toBe('');
  });

  it('counts code points, so an astral character is kept whole or dropped, never split', () => {
    expect(shorten('😀😀😀😀', 3)).toBe('😀😀…');
    expect(shorten('😀😀😀', 3)).toBe('😀😀😀');
    expect(shorten(`ab😀cd`, 4)).toBe('ab😀…');
  });

  it('keeps 200 characters of a problem value', () => {
    expect(PROBLEM_VALUE_CHARS).toBe(200);
    expect(Array.from(shorten('é'.repeat(300), PROBLEM_VALUE_CHARS))).toHaveLength(200);
  });
});
