import { describe, expect, it } from 'vitest';
import type { InputProblem } from '../../../../shared/import/types';
import { GROUP_LIMIT, GROUP_ROW_LIMIT, groupProblems } from '../../../../shared/problems/group';

function status(row: number, value: string): InputProblem {
  return {
    file: 'hr.csv',
    line: row + 1,
    row,
    column: 'Status',
    value,
    code: 'unknown_status',
    severity: 'error',
    message: `Row ${row}, active from "Status": "${value}" is not a known status (active: Active; inactive: Terminated).`,
    nextStep:
      'Correct the status, or add the word to trueWords or falseWords of the "active" mapping.',
  };
}

function missing(row: number, column: string): InputProblem {
  return {
    file: 'hr.csv',
    line: row + 1,
    row,
    column,
    code: 'required_missing',
    severity: 'error',
    message: `Row ${row}: userName from "${column}" is empty.`,
    nextStep: 'Fill it in.',
  };
}

describe('problems grouped by cause', () => {
  it('groups 934 unknown status words into one line with the fix, largest group first', () => {
    const problems = [
      ...Array.from({ length: 934 }, (_, i) => status(i + 1, 'On Leave')),
      ...Array.from({ length: 3 }, (_, i) => status(2000 + i, 'Sabbatical')),
      missing(5000, 'Email'),
    ];
    const { groups, otherCount } = groupProblems(problems);
    expect(otherCount).toBe(0);
    expect(groups.map((g) => [g.count, g.headline])).toEqual([
      [934, '934 rows: "On Leave" is not a known status word'],
      [3, '3 rows: "Sabbatical" is not a known status word'],
      [1, '1 row: userName from "Email" is empty.'],
    ]);
    expect(groups[0]?.fix).toEqual({ kind: 'status-word', word: 'On Leave' });
    expect(groups[2]?.fix).toBeUndefined();
    expect(groups[0]?.examples).toHaveLength(GROUP_ROW_LIMIT);
    expect(groups[0]?.examples[0]).toMatchObject({ row: 1, line: 2, value: 'On Leave' });
  });

  it('keeps different columns apart and words a mixed-value group by its code', () => {
    const { groups } = groupProblems([
      missing(1, 'Email'),
      missing(2, 'Email'),
      missing(3, 'Login'),
    ]);
    expect(groups.map((g) => g.headline)).toEqual([
      '2 rows in "Email": a required value is empty',
      '1 row: userName from "Login" is empty.',
    ]);
  });

  it('stays bounded: causes beyond the limit are counted, not kept', () => {
    const many = Array.from({ length: GROUP_LIMIT + 5 }, (_, i) => status(i + 1, `W${i}`));
    const { groups, otherCount } = groupProblems(many);
    expect(groups).toHaveLength(GROUP_LIMIT);
    expect(otherCount).toBe(5);
  });
});
