import { describe, expect, it } from 'vitest';
import type { InputProblem, PlanRow } from '../../../../shared/import/types';
import { createPlanSummary, SUMMARY_GROUP_ROWS } from '../../../../engine/plan/summary';
import type { ProblemCode } from '../../../../shared/problems/codes';

const problem = (code: ProblemCode, severity: InputProblem['severity']): InputProblem => ({
  file: 'hr.csv',
  line: 2,
  row: 1,
  code,
  severity,
  message: `${code}.`,
  nextStep: 'Fix it.',
});

describe('createPlanSummary', () => {
  it('starts with every action at zero', () => {
    expect(createPlanSummary().result()).toEqual({
      rows: 0,
      counts: {
        create: 0,
        update: 0,
        reactivate: 0,
        deactivate: 0,
        delete: 0,
        unchanged: 0,
        'not-found': 0,
        protected: 0,
        conflict: 0,
        invalid: 0,
      },
      changes: 0,
      memberships: { add: 0, remove: 0, groupsToCreate: 0, groupsToCreateSample: [] },
      attributes: [],
      compared: 0,
      conflicts: { total: 0, first: [] },
      invalid: { total: 0, first: [] },
      problems: { errors: 0, warnings: 0, byCode: {} },
      problemGroups: { groups: [], otherCount: 0 },
    });
  });

  it('counts actions, changes, memberships and problems', () => {
    const summary = createPlanSummary();
    summary.add({
      seq: 0,
      action: 'update',
      row: 1,
      line: 2,
      display: 'ada',
      changes: [
        { path: 'title', old: 'a', new: 'b' },
        { path: 'displayName', old: 'a', new: 'b' },
      ],
      groups: {
        add: [{ display: 'New Team' }, { display: 'Eng', id: 'g1' }],
        remove: [{ display: 'Old', id: 'g2' }],
      },
      problems: [problem('not_canonical', 'warning')],
    });
    summary.add({
      seq: 1,
      action: 'create',
      row: 2,
      line: 3,
      display: 'bob',
      groups: { add: [{ display: ' new team' }, { display: 'Other' }], remove: [] },
    });
    summary.add({
      seq: 2,
      action: 'update',
      row: 3,
      line: 4,
      display: 'cy',
      changes: [{ path: 'title', old: null, new: 'x' }],
    });
    summary.add({
      seq: 3,
      action: 'deactivate',
      display: 'dee',
      changes: [{ path: 'active', old: 'true', new: 'false' }],
    });
    const result = summary.result();
    expect(result.rows).toBe(4);
    expect(result.counts).toMatchObject({ update: 2, create: 1, deactivate: 1, invalid: 0 });
    expect(result.changes).toBe(4);
    expect(result.memberships).toEqual({
      add: 4,
      remove: 1,
      groupsToCreate: 2,
      groupsToCreateSample: ['New Team', 'Other'],
    });
    expect(result.attributes).toEqual([
      { path: 'title', rows: 2 },
      { path: 'active', rows: 1 },
      { path: 'displayName', rows: 1 },
    ]);
    expect(result.problems).toEqual({ errors: 0, warnings: 1, byCode: { not_canonical: 1 } });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('lists the top 10 attributes', () => {
    const summary = createPlanSummary();
    for (let i = 0; i < 15; i++) {
      const changes = Array.from({ length: i + 1 }, (_, k) => ({
        path: `a${k}`,
        old: null,
        new: 'x',
      }));
      summary.add({ seq: i, action: 'update', display: `u${i}`, changes });
    }
    const top = summary.result().attributes;
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ path: 'a0', rows: 15 });
    expect(top[9]).toEqual({ path: 'a9', rows: 6 });
  });

  it('keeps the first 50 conflicts and invalid rows, with exact totals', () => {
    const summary = createPlanSummary();
    for (let i = 0; i < 120; i++) {
      const row: PlanRow =
        i % 2 === 0
          ? {
              seq: i,
              action: 'conflict',
              row: i + 1,
              line: i + 2,
              display: `dup${i}`,
              match: { key: 'userName', value: `dup${i}`, reason: 'Two accounts match.' },
              candidates: ['a', 'b'],
              problems: [problem('ambiguous_match', 'error')],
            }
          : {
              seq: i,
              action: 'invalid',
              row: i + 1,
              line: i + 2,
              display: `bad${i}`,
              problems: [problem('not_boolean', 'error')],
            };
      summary.add(row);
    }
    const result = summary.result();
    expect(result.conflicts.total).toBe(60);
    expect(result.conflicts.first).toHaveLength(50);
    expect(result.conflicts.first[0]).toEqual({
      seq: 0,
      action: 'conflict',
      row: 1,
      line: 2,
      display: 'dup0',
      reason: 'Two accounts match.',
      candidates: ['a', 'b'],
      problems: [problem('ambiguous_match', 'error')],
    });
    expect(result.invalid.total).toBe(60);
    expect(result.invalid.first.map((e) => e.seq).slice(0, 3)).toEqual([1, 3, 5]);
    expect(result.problems).toEqual({
      errors: 120,
      warnings: 0,
      byCode: { ambiguous_match: 60, not_boolean: 60 },
    });
    // The same problems grouped by cause, counts exact, examples bounded.
    const groups = result.problemGroups?.groups ?? [];
    expect(groups.map((g) => [g.code, g.count])).toEqual([
      ['ambiguous_match', 60],
      ['not_boolean', 60],
    ]);
    expect(groups[0]?.examples).toHaveLength(SUMMARY_GROUP_ROWS);
  });
});
