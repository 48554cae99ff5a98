/** The sentences the CLI prints and the app shows, from the same facts. */
import { describe, expect, it } from 'vitest';
import { PLAN_ACTIONS, type PlanAction } from '../../../../shared/import/types';
import type { SafeguardStatus } from '../../../../shared/plan/plan-format';
import {
  changingCount,
  describePlan,
  describeSafeguards,
  overrideText,
  rowAccessSentence,
} from '../../../../shared/plan/plan-words';

function counts(some: Partial<Record<PlanAction, number>>): Record<PlanAction, number> {
  return {
    ...(Object.fromEntries(PLAN_ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>),
    ...some,
  };
}

const blocked: SafeguardStatus = {
  checks: [
    {
      kind: 'deactivate',
      count: 1594,
      population: 100_000,
      percent: 1.6,
      limit: { maxCount: 500, maxPercent: 20 },
      exceeded: true,
      blocks: true,
      reason: 'The plan deactivates 1,594 accounts, more than the limit of 500.',
    },
    {
      kind: 'attribute',
      attribute: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      count: 412,
      population: 2000,
      percent: 20.6,
      limit: { maxCount: 200, maxPercent: 20 },
      exceeded: true,
      blocks: false,
    },
  ],
  blocked: true,
  overrideCount: 1594,
};

describe('describePlan', () => {
  it('says what happens to people, most consequential first', () => {
    const lines = describePlan({
      mode: 'upsert',
      counts: counts({
        create: 12,
        update: 340,
        deactivate: 1594,
        reactivate: 1,
        unchanged: 7,
        invalid: 2,
      }),
      memberships: { add: 30, remove: 2, groupsToCreate: 1, groupsToCreateSample: ['New'] },
      safeguards: blocked,
    });
    expect(lines.map((l) => l.text)).toEqual([
      '12 accounts will be created',
      '340 accounts will be updated',
      '1 person will get access back (reactivate)',
      '1,594 people will lose access (deactivate)',
      '30 group memberships added and 2 removed; 1 new group',
      '412 accounts change `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`',
      '7 accounts are already as the file says (unchanged)',
      '2 rows have problems and are skipped (invalid)',
    ]);
    expect(lines.find((l) => l.key === 'deactivate')?.tone).toBe('danger');
  });

  it('names listed keys that match nobody, and the protect list with entries that match nobody', () => {
    const protect = {
      entries: 3,
      spared: 2,
      unmatched: ['ghost'],
      unmatchedCount: 1,
      checked: true,
    };
    const listed = describePlan({
      mode: 'deactivate-listed',
      counts: counts({ deactivate: 4, 'not-found': 3, protected: 2, unchanged: 1 }),
      protect,
    });
    expect(listed.map((l) => l.text)).toEqual([
      '4 people will lose access (deactivate)',
      '1 listed account is already inactive (unchanged)',
      '3 listed accounts were not found',
      '2 protected accounts were left alone (1 protect entry matches nobody)',
    ]);
    const keep = describePlan({
      mode: 'delete-unlisted',
      counts: counts({ delete: 9, unchanged: 5, 'not-found': 1 }),
      protect: { ...protect, spared: 0, unmatchedCount: 2, unmatched: ['a', 'b'] },
    });
    expect(keep.map((l) => l.text)).toEqual([
      '9 accounts will be deleted (delete)',
      '5 accounts in the file are kept (unchanged)',
      '1 account in the keep list was not found',
      'No account needed the protect list (2 protect entries match nobody)',
    ]);
  });

  it('counts the rows and memberships that write something', () => {
    expect(
      changingCount({
        counts: counts({ create: 1, reactivate: 2, deactivate: 3, unchanged: 9, protected: 4 }),
        memberships: { add: 5, remove: 1, groupsToCreate: 0, groupsToCreateSample: [] },
      }),
    ).toBe(12);
  });
});

describe('describeSafeguards', () => {
  it('gives the reasons when blocked, and what to type back', () => {
    expect(describeSafeguards(blocked).map((l) => l.text)).toEqual([
      'The plan deactivates 1,594 accounts, more than the limit of 500.',
    ]);
    expect(overrideText(blocked)).toBe(
      'The plan is over its safeguards with 1,594 deactivations; running it anyway needs the count 1594 typed back.',
    );
  });

  it('says what the plan does to access when it passes, or that it does nothing to it', () => {
    const pass: SafeguardStatus = {
      checks: [
        { ...blocked.checks[0]!, count: 12, percent: 1.2, population: 1000, exceeded: false },
      ],
      blocked: false,
      overrideCount: 0,
    };
    expect(describeSafeguards(pass).map((l) => l.text)).toEqual([
      'Deactivations: 12 of 1,000 accounts in scope (1.2 %); limit 500 or 20 % — within it',
    ]);
    expect(describeSafeguards({ checks: [], blocked: false, overrideCount: 0 })[0]?.text).toBe(
      'The plan deactivates, reactivates and deletes nothing.',
    );
  });
});

describe('rowAccessSentence', () => {
  it('says a deactivation switches the person off and lists the other changes', () => {
    expect(
      rowAccessSentence({
        action: 'deactivate',
        changes: [
          { path: 'active', old: 'true', new: 'false' },
          { path: 'title', old: 'a', new: 'b' },
        ],
      }),
    ).toBe('This person loses access (active → false); the row also changes title.');
    expect(rowAccessSentence({ action: 'update', changes: [] })).toBeUndefined();
  });
});
