import { describe, expect, it } from 'vitest';
import { checkSafeguards, DEFAULT_SAFEGUARDS, limitsOf } from '../../../../engine/plan/safeguards';

const none = { deactivate: 0, delete: 0, reactivate: 0 };

describe('checkSafeguards', () => {
  it('passes a plan within 20 % and 500', () => {
    const s = checkSafeguards({ counts: { ...none, deactivate: 20 }, population: 100 });
    expect(s.blocked).toBe(false);
    expect(s.overrideCount).toBe(0);
    expect(s.checks[0]).toMatchObject({
      kind: 'deactivate',
      count: 20,
      percent: 20,
      exceeded: false,
      blocks: true,
    });
  });

  it('blocks above the percentage, naming the numbers, and asks for the exceeded count back', () => {
    const s = checkSafeguards({ counts: { ...none, deactivate: 21, delete: 3 }, population: 100 });
    expect(s.blocked).toBe(true);
    expect(s.overrideCount).toBe(21);
    expect(s.checks[0]?.reason).toBe(
      'The plan deactivates 21 of 100 accounts in scope (21.0 %), more than the limit of 20 %.',
    );
    expect(s.checks[1]?.exceeded).toBe(false);
  });

  it('blocks above the absolute limit whatever the percentage, with thousands separators', () => {
    const s = checkSafeguards({ counts: { ...none, delete: 1594 }, population: 100_000 });
    expect(s.checks[1]).toMatchObject({ kind: 'delete', exceeded: true });
    expect(s.checks[1]?.reason).toBe(
      'The plan deletes 1,594 accounts, more than the limit of 500.',
    );
  });

  it('guards reactivations like deactivations: giving access back by mistake is as bad', () => {
    const s = checkSafeguards({ counts: { ...none, reactivate: 501 }, population: 100_000 });
    expect(s.blocked).toBe(true);
    expect(s.checks[2]).toMatchObject({ kind: 'reactivate', exceeded: true, blocks: true });
    expect(s.checks[2]?.reason).toBe(
      'The plan reactivates 501 accounts, more than the limit of 500.',
    );
  });

  it('sums every exceeded check into the count to type back', () => {
    const s = checkSafeguards({ counts: { deactivate: 600, delete: 700, reactivate: 3 } });
    expect(s.overrideCount).toBe(1300);
  });

  it('does not apply the percentage to tiny changes (1 of 3 test users)', () => {
    expect(
      checkSafeguards({ counts: { ...none, deactivate: 1, delete: 1 }, population: 3 }).blocked,
    ).toBe(false);
    expect(checkSafeguards({ counts: { ...none, deactivate: 10 }, population: 12 }).blocked).toBe(
      true,
    );
  });

  it('without a population (undo plans), only the counts apply', () => {
    const s = checkSafeguards({ counts: { ...none, reactivate: 400 } });
    expect(s.blocked).toBe(false);
    expect(s.checks[2]).not.toHaveProperty('percent');
  });

  it('gives an attribute changed on many accounts its own warning line, never blocking', () => {
    const s = checkSafeguards({
      counts: none,
      population: 1000,
      compared: 1000,
      attributes: new Map([
        ['title', 30],
        [`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`, 412],
        ['active', 900],
      ]),
    });
    expect(s.blocked).toBe(false);
    const lines = s.checks.filter((c) => c.kind === 'attribute');
    expect(lines).toEqual([
      expect.objectContaining({
        attribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
        count: 412,
        percent: 41.2,
        exceeded: true,
        blocks: false,
      }),
    ]);
  });

  it('takes custom limits per kind', () => {
    const s = checkSafeguards(
      { counts: { ...none, deactivate: 40, delete: 2 }, population: 100 },
      {
        deactivate: { maxCount: 1000, maxPercent: 50 },
        delete: { maxCount: 1, maxPercent: 100 },
      },
    );
    expect(s.checks.map((c) => c.exceeded)).toEqual([false, true, false]);
    expect(DEFAULT_SAFEGUARDS.delete.maxPercent).toBe(20);
  });
});

describe('limitsOf', () => {
  it('keeps stricter limits a plan was made with, and never loosens the engine limits', () => {
    const strict = checkSafeguards(
      { counts: none },
      { deactivate: { maxCount: 3, maxPercent: 20 } },
    );
    expect(limitsOf(strict.checks).deactivate).toEqual({ maxCount: 3, maxPercent: 20 });
    const loose = checkSafeguards(
      { counts: none },
      { delete: { maxCount: 1_000_000, maxPercent: 100 } },
    );
    expect(limitsOf(loose.checks).delete).toEqual(DEFAULT_SAFEGUARDS.delete);
  });
});
