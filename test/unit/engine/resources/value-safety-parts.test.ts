import { describe, expect, it } from 'vitest';
import {
  classifyTargets,
  describeCell,
  emailTooLong,
} from '../../../../engine/resources/value-safety';
import { cols, ENT } from '../../shared/plan/helpers';

describe('emailTooLong', () => {
  it('accepts an address at both limits', () => {
    expect(emailTooLong(`${'a'.repeat(64)}@example.com`)).toBeUndefined();
    expect(emailTooLong(`${'a'.repeat(64)}@${'b'.repeat(189)}`)).toBeUndefined();
  });

  it('names the local part when it is over 64 octets, counting octets not characters', () => {
    expect(emailTooLong(`${'a'.repeat(65)}@example.com`)).toMatch(/part before the @ is 65/);
    // 33 × "é" is 66 octets in UTF-8.
    expect(emailTooLong(`${'é'.repeat(33)}@example.com`)).toMatch(/part before the @ is 66/);
  });

  it('names the whole length when only the whole is over 254 octets', () => {
    expect(emailTooLong(`a@${'b'.repeat(253)}`)).toBe(
      'it is 255 characters long; an email address allows 254',
    );
  });
});

describe('describeCell', () => {
  const at = { row: 3, line: 4 };
  it('names no, one or several source columns', () => {
    expect(describeCell('hr.csv', at, 'userName', [])).toBe(
      'Row 3 (line 4) of hr.csv: the value of userName',
    );
    expect(describeCell('hr.csv', at, 'userName', ['Login'])).toBe(
      'Row 3 (line 4) of hr.csv: the value of userName in column "Login"',
    );
    expect(describeCell('hr.csv', at, 'displayName', ['First', 'Last'])).toBe(
      'Row 3 (line 4) of hr.csv: the value of displayName in columns "First", "Last"',
    );
  });
});

describe('classifyTargets', () => {
  it('keys are match keys (any case), userName, externalId and the manager; emails by path', () => {
    const targets = cols(
      'userName',
      'displayName',
      'emails[type eq "work"].value',
      `${ENT}:employeeNumber`,
      'externalId',
      `${ENT}:manager.value`,
      'emails',
    );
    const got = classifyTargets(targets, [[`${ENT}:EMPLOYEENUMBER`]], 5);
    expect([...got.keyTargets].sort()).toEqual([0, 3, 4, 5]);
    expect([...got.emailTargets].sort()).toEqual([2, 6]);
    expect([...got.userNameTargets]).toEqual([0]);
  });
});
