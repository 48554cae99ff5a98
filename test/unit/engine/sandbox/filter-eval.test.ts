import { describe, expect, it } from 'vitest';
import { compileFilter, parseFilter } from '../../../../sandbox/filter-eval';
import { SandboxError } from '../../../../sandbox/sandbox-error';
import { URN } from '../../../../shared/scim/urns';

const user = {
  id: 'abc-1',
  userName: 'Ada.Lovelace@Example.com',
  externalId: 'Ext-9',
  active: true,
  title: 'Countess',
  emails: [
    { value: 'ada@work.example', type: 'work', primary: true },
    { value: 'ada@home.example', type: 'home' },
  ],
  meta: { created: '2024-05-01T10:00:00Z', lastModified: '2024-06-01T10:00:00Z' },
  [URN.enterpriseUser]: { department: 'Analytics', manager: { value: 'm-1' } },
};

const matches = (filter: string) => compileFilter('User', parseFilter(filter))(user);

describe('compileFilter', () => {
  it.each([
    ['userName eq "ada.lovelace@example.com"', true],
    ['USERNAME eq "ADA.LOVELACE@EXAMPLE.COM"', true],
    ['externalId eq "Ext-9"', true],
    ['externalId eq "ext-9"', false],
    ['id eq "ABC-1"', false],
    ['emails eq "ADA@HOME.EXAMPLE"', true],
    ['emails.value sw "ada@w"', true],
    ['emails[type eq "home" and value co "home"]', true],
    ['emails[type eq "other"]', false],
    ['title ne "Countess"', false],
    ['title ne "Duchess"', true],
    ['nickName pr', false],
    ['title pr and active eq true', true],
    ['active eq false or title ew "tess"', true],
    ['not (active eq true)', false],
    [`${URN.enterpriseUser}:department eq "analytics"`, true],
    [`${URN.enterpriseUser}:manager.value eq "m-1"`, true],
    ['meta.created lt "2024-05-02T00:00:00Z"', true],
    ['meta.lastModified ge "2024-06-01T10:00:00.000Z"', true],
    ['userName gt "ada"', true],
    ['nickName eq null', true],
  ])('%s → %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it.each([
    'shoeSize eq 1',
    'active gt true',
    'active co "t"',
    'userName eq',
    'emails.nope eq "x"',
  ])('rejects %s with 400 invalidFilter', (filter) => {
    let error: unknown;
    try {
      matches(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).status).toBe(400);
    expect((error as SandboxError).scimType).toBe('invalidFilter');
  });
});
