import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors/errors';
import { findFilterProblem, validateFilter } from '../../../../engine/scim/filter-parse';

function reject(text: string): AppError {
  try {
    validateFilter(text);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error(`accepted: ${text}`);
}

describe('validateFilter', () => {
  it('accepts RFC 7644 §3.4.2.2 examples', () => {
    for (const f of [
      'userName eq "bjensen"',
      'name.familyName co "O\'Malley"',
      'meta.lastModified gt "2011-05-13T04:42:34Z"',
      'title pr and userType eq "Employee"',
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"',
    ]) {
      expect(validateFilter(f)).toBe(f);
    }
  });

  it('names the position and reason of a broken filter', () => {
    const unclosed = reject('userName eq "ada');
    expect(unclosed.code).toBe('invalid_filter');
    expect(unclosed.message).toBe(
      'The filter is not valid at character 13: a quoted value is not closed.',
    );
    expect(reject('(userName eq "a"').message).toContain('character 1: "(" is never closed');
    expect(reject('userName eq "a")').message).toContain('character 16: unexpected ")"');
    expect(reject('userName equals "a"').message).toMatch(
      /^The filter is not valid at character \d+: expected an attribute/,
    );
    expect(reject('userName eq ada').code).toBe('invalid_filter');
    expect(reject('   ').message).toContain('the filter is empty');
    expect(findFilterProblem('user.name.x eq "a"')?.reason).toContain(
      'more than one sub-attribute level',
    );
  });
});
