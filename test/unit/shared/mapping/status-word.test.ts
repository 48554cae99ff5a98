import { describe, expect, it } from 'vitest';
import { withStatusWord } from '../../../../shared/mapping/status-word';
import { parseMappingSpec } from '../../../../shared/mapping/spec';
import { DEFAULT_FALSE_WORDS, DEFAULT_TRUE_WORDS } from '../../../../shared/mapping/words';

const spec = parseMappingSpec({
  version: 1,
  attributes: [{ target: 'userName', source: { column: 'Email' } }],
  active: { column: 'Status' },
  match: { keys: [['userName']] },
});

describe('withStatusWord (the one-click fix for an unknown status word)', () => {
  it('adds the word to the inactive words, keeping the defaults', () => {
    const next = withStatusWord(spec, 'On Leave', false);
    expect(next.active?.falseWords).toEqual([...DEFAULT_FALSE_WORDS, 'On Leave']);
    expect(next.active?.trueWords).toEqual([...DEFAULT_TRUE_WORDS]);
    expect(spec.active?.falseWords).toBeUndefined();
  });

  it('moves a word from one list to the other and never lists it twice', () => {
    const inactive = withStatusWord(spec, 'On Leave', false);
    const active = withStatusWord(inactive, 'on leave', true);
    expect(active.active?.falseWords).not.toContain('On Leave');
    expect(active.active?.trueWords?.filter((w) => /on leave/i.test(w))).toEqual(['on leave']);
    expect(withStatusWord(active, 'ON LEAVE', true).active?.trueWords).toEqual(
      active.active?.trueWords,
    );
  });

  it('leaves a spec without an "active" mapping alone', () => {
    const none = parseMappingSpec({
      version: 1,
      attributes: [{ target: 'userName', source: { column: 'Email' } }],
      match: { keys: [['userName']] },
    });
    expect(withStatusWord(none, 'On Leave', false)).toBe(none);
  });
});
