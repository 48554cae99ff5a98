import { describe, expect, it } from 'vitest';
import { checkSafeguards, DEFAULT_SAFEGUARDS } from '../../../../electron/engine/plan/safeguards';

describe('checkSafeguards', () => {
  it('passes a plan within 20 % and 500', () => {
    const s = checkSafeguards({ deactivate: 20, delete: 0 }, 100);
    expect(s.blocked).toBe(false);
    expect(s.checks[0]).toMatchObject({
      action: 'deactivate',
      count: 20,
      percent: 20,
      exceeded: false,
    });
  });

  it('blocks above the percentage, naming the numbers, and asks for the total back', () => {
    const s = checkSafeguards({ deactivate: 21, delete: 3 }, 100);
    expect(s.blocked).toBe(true);
    expect(s.overrideCount).toBe(24);
    expect(s.checks[0]?.reason).toBe(
      'The plan deactivates 21 of 100 accounts in scope (21.0 %), more than the limit of 20 %.',
    );
    expect(s.checks[1]?.exceeded).toBe(false);
  });

  it('blocks above the absolute limit whatever the percentage', () => {
    const s = checkSafeguards({ deactivate: 0, delete: 501 }, 100_000);
    expect(s.checks[1]).toMatchObject({ exceeded: true });
    expect(s.checks[1]?.reason).toBe('The plan deletes 501 accounts, more than the limit of 500.');
  });

  it('does not apply the percentage to tiny changes (1 of 3 test users)', () => {
    expect(checkSafeguards({ deactivate: 1, delete: 1 }, 3).blocked).toBe(false);
    expect(checkSafeguards({ deactivate: 10, delete: 0 }, 12).blocked).toBe(true);
  });

  it('takes custom limits per action', () => {
    const s = checkSafeguards({ deactivate: 40, delete: 2 }, 100, {
      deactivate: { maxCount: 1000, maxPercent: 50 },
      delete: { maxCount: 1, maxPercent: 100 },
    });
    expect(s.checks.map((c) => c.exceeded)).toEqual([false, true]);
    expect(DEFAULT_SAFEGUARDS.delete.maxPercent).toBe(20);
  });
});
