import { describe, expect, it } from 'vitest';
import { DOUBTFUL_SCORE, honestConfidence } from '../../../../shared/mapping/honest-confidence';
import { profileColumn } from '../../../../shared/mapping/samples';
import { suggestMapping } from '../../../../shared/mapping/suggest';
import { URN } from '../../../../shared/scim/urns';

const EMPLOYEE_NUMBER = `${URN.enterpriseUser}:employeeNumber`;
const WORK_EMAIL = 'emails[type eq "work"].value';

function profile(values: string[]) {
  return profileColumn(
    values.map((v) => [v]),
    0,
  );
}

describe('honest suggestion confidence', () => {
  it('logins offered as employee numbers are not 95 % sure', () => {
    const r = honestConfidence(EMPLOYEE_NUMBER, profile(['jdoe', 'asmith', 'bwayne']), 0.95, 'x');
    expect(r.score).toBeLessThanOrEqual(DOUBTFUL_SCORE);
    expect(r.why).toContain('logins or names, not employee numbers');
  });

  it('emails offered as employee numbers are doubtful too', () => {
    const r = honestConfidence(EMPLOYEE_NUMBER, profile(['a@x.io', 'b@x.io']), 0.9, 'x');
    expect(r.score).toBeLessThanOrEqual(DOUBTFUL_SCORE);
    expect(r.why).toContain('email addresses, not employee numbers');
  });

  it('non-emails offered as emails are doubtful', () => {
    const r = honestConfidence(WORK_EMAIL, profile(['Ada Lovelace', 'Alan Turing']), 0.95, 'x');
    expect(r.score).toBeLessThanOrEqual(DOUBTFUL_SCORE);
    expect(r.why).toContain('only 0 % of its sample values are email addresses');
  });

  it('keeps the score when the values fit the target', () => {
    expect(honestConfidence(EMPLOYEE_NUMBER, profile(['E1001', 'E1002']), 0.95, 'x').score).toBe(
      0.95,
    );
    expect(honestConfidence(EMPLOYEE_NUMBER, profile(['1001', '1002']), 0.9, 'x').score).toBe(0.9);
    expect(honestConfidence(WORK_EMAIL, profile(['a@x.io', 'b@x.io']), 0.95, 'x').score).toBe(0.95);
    expect(honestConfidence('title', profile(['jdoe']), 0.9, 'x').score).toBe(0.9);
  });

  it('suggestMapping lowers the confidence of an "Employee ID" column holding logins', () => {
    const headers = ['Employee ID', 'First Name', 'Last Name', 'Work Email'];
    const rows = [
      ['jdoe', 'John', 'Doe', 'john@example.com'],
      ['asmith', 'Ann', 'Smith', 'ann@example.com'],
    ];
    const s = suggestMapping(headers, rows);
    const id = s.confidence.find((c) => c.column === 'Employee ID');
    expect(id?.target).toBe(EMPLOYEE_NUMBER);
    expect(id?.score).toBeLessThanOrEqual(DOUBTFUL_SCORE);
    const good = suggestMapping(headers, [
      ['E1', 'John', 'Doe', 'john@example.com'],
      ['E2', 'Ann', 'Smith', 'ann@example.com'],
    ]).confidence.find((c) => c.column === 'Employee ID');
    expect(good?.score).toBeGreaterThan(DOUBTFUL_SCORE);
  });
});
