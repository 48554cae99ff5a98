import { describe, expect, it } from 'vitest';
import { isClean, passesText, rowsText, runSummary } from '../../../../shared/plan/run-summary';

describe('run summary', () => {
  it('never counts a skipped or unchanged row as done', () => {
    const s = runSummary({
      counts: {
        create: { done: 3, failed: 1, pending: 2, unknown: 1 },
        unchanged: { done: 5, failed: 0, pending: 0 },
        invalid: { done: 2, failed: 0, pending: 0 },
      },
      passes: { membersAdded: { done: 10, failed: 2, unknown: 0, pending: 1 } },
    });
    expect(rowsText(s)).toBe('3 changed · 1 failed · 1 unknown · 1 not sent · 7 left alone');
    expect(passesText(s)).toBe('10 done · 2 failed · 0 unknown · 1 not sent');
    expect(isClean(s)).toBe(false);
  });
  it('a run with only pass failures is not clean', () => {
    const s = runSummary({
      counts: { update: { done: 2, failed: 0, pending: 0 } },
      passes: { managersSet: { done: 0, failed: 1, unknown: 0, pending: 0 } },
    });
    expect(isClean(s)).toBe(false);
    expect(isClean(runSummary({ counts: { update: { done: 2, failed: 0, pending: 0 } } }))).toBe(
      true,
    );
  });
});
