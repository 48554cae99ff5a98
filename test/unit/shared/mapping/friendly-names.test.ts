import { describe, expect, it } from 'vitest';
import { attributeLabel, friendlyName } from '../../../../shared/mapping/friendly-names';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('friendlyName', () => {
  it.each([
    ['userName', 'User name'],
    ['externalId', 'External ID'],
    ['name.givenName', 'First name'],
    ['name.familyName', 'Last name'],
    ['displayName', 'Display name'],
    ['title', 'Job title'],
    ['active', 'Active'],
    ['groups', 'Groups'],
    ['emails[type eq "work"].value', 'Work email'],
    ['emails[type eq "home"].value', 'Home email'],
    ['emails[type eq "work"].primary', 'Work email is primary'],
    ['phoneNumbers[type eq "mobile"].value', 'Mobile phone'],
    ['phoneNumbers[type eq "work"].value', 'Work phone'],
    ['addresses[type eq "work"].locality', 'Work city'],
    ['addresses[type eq "work"].postalCode', 'Work postal code'],
    ['addresses[type eq "home"].streetAddress', 'Home street'],
    [`${ENT}:department`, 'Department'],
    [`${ENT}:employeeNumber`, 'Employee number'],
    [`${ENT}:manager`, 'Manager'],
    [`${ENT}:manager.value`, 'Manager'],
    [`${ENT}:costCenter`, 'Cost center'],
    [`${CORE}:name.givenName`, 'First name'],
    ['department', 'Department'],
    ['manager', 'Manager'],
  ])('%s → %s', (path, name) => {
    expect(friendlyName(path)).toBe(name);
  });

  it('is case-insensitive on attribute names and the URN', () => {
    expect(friendlyName('USERNAME')).toBe('User name');
    expect(friendlyName(`${ENT.toUpperCase()}:Department`)).toBe('Department');
    expect(friendlyName('Emails[type eq "WORK"].Value')).toBe('Work email');
  });

  it('names an unknown type from its own word', () => {
    expect(friendlyName('emails[type eq "school"].value')).toBe('School email');
  });

  it('has no name for paths it does not know', () => {
    expect(friendlyName('')).toBeUndefined();
    expect(friendlyName('favouriteColour')).toBeUndefined();
    expect(friendlyName(`${ENT}:favouriteColour`)).toBeUndefined();
    expect(friendlyName('urn:example:params:scim:schemas:extension:acme:2.0:User:badge')).toBe(
      undefined,
    );
    expect(friendlyName('emails[type eq "work"].nonsense')).toBeUndefined();
    expect(friendlyName('name.givenName.extra')).toBeUndefined();
  });
});

describe('attributeLabel', () => {
  it('falls back to the path itself', () => {
    expect(attributeLabel('title')).toBe('Job title');
    expect(attributeLabel('favouriteColour')).toBe('favouriteColour');
  });
});
