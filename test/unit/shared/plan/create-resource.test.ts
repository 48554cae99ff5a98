import { describe, expect, it } from 'vitest';
import { buildCreateResource } from '../../../../engine/resources/create-resource';
import { ACME, ACME_SCHEMA, CORE, ENT, GROUP_TYPE, USER_TYPE, cols } from './helpers';

const OPTS = { schemas: [ACME_SCHEMA], resourceType: USER_TYPE };

describe('buildCreateResource', () => {
  it('builds a typed resource with the core URN and the extension URNs it uses', () => {
    const targets = cols(
      'userName',
      'name.givenName',
      'active',
      'emails[type eq "work"].value',
      'roles.value',
      `${ENT}:employeeNumber`,
      `${ENT}:manager.value`,
      `${ACME}:level`,
      `${ACME}:contractor`,
      `${ACME}:tags`,
    );
    const resource = buildCreateResource(
      targets,
      [
        'ada',
        'Ada',
        'TRUE',
        'ada@example.com',
        'analyst;ops\\;eu',
        '042',
        'u0',
        '3',
        'false',
        'a;b',
      ],
      OPTS,
    );
    expect(resource).toEqual({
      schemas: [CORE, ENT, ACME],
      userName: 'ada',
      name: { givenName: 'Ada' },
      active: true,
      emails: [{ type: 'work', value: 'ada@example.com', primary: true }],
      roles: [{ value: 'analyst' }, { value: 'ops;eu' }],
      [ENT]: { employeeNumber: '042', manager: { value: 'u0' } },
      [ACME]: { level: 3, contractor: false, tags: ['a', 'b'] },
    });
    expect(Object.keys(resource)[0]).toBe('schemas');
  });

  it('leaves out null, undefined and empty cells, and unused extensions', () => {
    const targets = cols('userName', 'title', 'nickName', 'displayName', `${ENT}:department`);
    expect(buildCreateResource(targets, ['ada', null, undefined, '', null], OPTS)).toEqual({
      schemas: [CORE],
      userName: 'ada',
    });
  });

  it('never includes read-only attributes or memberships', () => {
    const targets = cols('userName', 'id', 'meta.created', 'groups', `${ENT}:manager.displayName`);
    expect(
      buildCreateResource(targets, ['ada', 'x', '2024-01-01T00:00:00Z', 'Eng', 'Boss'], OPTS),
    ).toEqual({
      schemas: [CORE],
      userName: 'ada',
    });
    const groupTargets = cols('displayName', 'members');
    expect(
      buildCreateResource(groupTargets, ['Engineering', 'u1;u2'], { resourceType: GROUP_TYPE }),
    ).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Engineering',
    });
  });

  it('marks the only value of a typed attribute primary, unless a column says otherwise', () => {
    const two = cols('userName', 'emails[type eq "work"].value', 'emails[type eq "home"].value');
    expect(buildCreateResource(two, ['ada', 'w@x.example', 'h@x.example'], OPTS)['emails']).toEqual(
      [
        { type: 'work', value: 'w@x.example' },
        { type: 'home', value: 'h@x.example' },
      ],
    );
    const explicit = cols(
      'userName',
      'emails[type eq "work"].value',
      'emails[type eq "work"].primary',
    );
    expect(buildCreateResource(explicit, ['ada', 'w@x.example', 'false'], OPTS)['emails']).toEqual([
      { type: 'work', value: 'w@x.example', primary: false },
    ]);
    const phone = cols('userName', 'phoneNumbers[type eq "mobile"].value');
    expect(buildCreateResource(phone, ['ada', '+1 555 0100'], OPTS)['phoneNumbers']).toEqual([
      { type: 'mobile', value: '+1 555 0100', primary: true },
    ]);
  });

  it('spells extension URNs as the resource type does', () => {
    const targets = cols('userName', `${ENT.toLowerCase()}:employeeNumber`);
    expect(buildCreateResource(targets, ['ada', '7'], OPTS)).toEqual({
      schemas: [CORE, ENT],
      userName: 'ada',
      [ENT]: { employeeNumber: '7' },
    });
  });

  it('includes write-only attributes such as password', () => {
    const targets = cols('userName', 'password');
    expect(buildCreateResource(targets, ['ada', 's3cret!'], OPTS)).toEqual({
      schemas: [CORE],
      userName: 'ada',
      password: 's3cret!',
    });
  });
});
