import { describe, expect, it } from 'vitest';
import { parseColumnHeader, type ColumnSpec } from '../../../../shared/columns/columns';
import {
  decomposeResource,
  flattenCells,
  flattenResource,
} from '../../../../engine/columns/flatten';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function cols(...headers: string[]): ColumnSpec[] {
  return headers.map((h) => parseColumnHeader(h));
}

/** The cells of `resource` for `headers`, as a header → cell record for readable expectations. */
function cellsOf(
  resource: Record<string, unknown>,
  headers: string[],
  extras?: { groups?: string[] },
): Record<string, string> {
  const columns = cols(...headers);
  const { cells } = flattenResource(resource, columns, extras);
  // Planning's flattenCells decomposes only the attributes the columns read: same cells.
  if (!extras?.groups) expect(flattenCells(resource, columns)).toEqual(cells);
  return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '<missing>']));
}

function lost(resource: Record<string, unknown>, headers: string[] = ['id']): number {
  return flattenResource(resource, cols(...headers)).unrepresentable;
}

describe('flattenResource: cells', () => {
  it('writes strings as is, booleans as true/false, numbers via String, missing as empty', () => {
    const r = { userName: 'ada', active: false, age: 36, score: 1.5, big: 1e21, neg: -0 };
    expect(
      cellsOf(r, ['userName', 'active', 'age', 'score', 'big', 'neg', 'title', 'name.givenName']),
    ).toEqual({
      userName: 'ada',
      active: 'false',
      age: '36',
      score: '1.5',
      big: '1e+21',
      neg: '0',
      title: '',
      'name.givenName': '',
    });
  });

  it('keeps tricky text untouched (no formula escaping, no trimming)', () => {
    const r = {
      displayName: '=HYPERLINK("x")',
      nickName: ' spaced ',
      title: 'a "b", c\r\nd',
      name: { familyName: '山田', givenName: '太郎' },
    };
    expect(cellsOf(r, ['displayName', 'nickName', 'title', 'name.familyName'])).toEqual({
      displayName: '=HYPERLINK("x")',
      nickName: ' spaced ',
      title: 'a "b", c\r\nd',
      'name.familyName': '山田',
    });
  });

  it('matches attribute names and types case-insensitively (RFC 7643 §2.1)', () => {
    const r = {
      UserName: 'ada',
      NAME: { GivenName: 'Ada' },
      Emails: [{ Type: 'Work', Value: 'ada@work.example', Primary: true }],
      [ENT.toLowerCase()]: { EmployeeNumber: '7' },
    };
    expect(
      cellsOf(r, [
        'userName',
        'name.givenName',
        'emails[type eq "work"].value',
        'emails[type eq "WORK"].primary',
        `${ENT}:employeeNumber`,
      ]),
    ).toEqual({
      userName: 'ada',
      'name.givenName': 'Ada',
      'emails[type eq "work"].value': 'ada@work.example',
      'emails[type eq "WORK"].primary': 'true',
      [`${ENT}:employeeNumber`]: '7',
    });
  });

  it('places multi-valued values by type and the untyped primary', () => {
    const r = {
      emails: [
        { value: 'home@x.example', type: 'home' },
        { value: 'work@x.example', type: 'work', primary: false, display: 'Work' },
        { value: 'plain@x.example', primary: true },
      ],
      phoneNumbers: [{ value: '+14155550100', type: 'mobile' }],
      addresses: [{ type: 'work', streetAddress: '1 Main St\nFloor 2', locality: 'Zürich' }],
    };
    expect(
      cellsOf(r, [
        'emails[type eq "work"].value',
        'emails[type eq "work"].display',
        'emails[type eq "work"].primary',
        'emails[type eq "home"].value',
        'emails[type eq "home"].primary',
        'emails[primary eq true].value',
        'phoneNumbers[type eq "mobile"].value',
        'addresses[type eq "work"].streetAddress',
        'addresses[type eq "work"].locality',
      ]),
    ).toEqual({
      'emails[type eq "work"].value': 'work@x.example',
      'emails[type eq "work"].display': 'Work',
      'emails[type eq "work"].primary': 'false',
      'emails[type eq "home"].value': 'home@x.example',
      'emails[type eq "home"].primary': '',
      'emails[primary eq true].value': 'plain@x.example',
      'phoneNumbers[type eq "mobile"].value': '+14155550100',
      'addresses[type eq "work"].streetAddress': '1 Main St\nFloor 2',
      'addresses[type eq "work"].locality': 'Zürich',
    });
  });

  it('joins multi-valued simple values and untyped roles, escaping ; and \\', () => {
    const r = {
      roles: [{ value: 'admin' }, { value: 'ops;eu' }, { value: 'C:\\x' }],
      [`urn:example:acme:User`]: { tags: ['a', 'b;c', 3, true] },
    };
    expect(cellsOf(r, ['roles.value', 'urn:example:acme:User:tags'])).toEqual({
      'roles.value': 'admin;ops\\;eu;C:\\\\x',
      'urn:example:acme:User:tags': 'a;b\\;c;3;true',
    });
  });

  it('puts the values a set has no selector column for into its joined column', () => {
    const r = {
      emails: [{ value: 'w@x', type: 'work' }, { value: 'h@x', type: 'home' }, { value: 'u@x' }],
    };
    expect(cellsOf(r, ['emails[type eq "work"].value', 'emails.value'])).toEqual({
      'emails[type eq "work"].value': 'w@x',
      'emails.value': 'h@x;u@x',
    });
  });

  it('writes the groups column from the resource or from extras, and the members column', () => {
    const user = {
      groups: [
        { value: 'g1', display: 'R&D; EU' },
        { value: 'g2', display: 'Admins' },
        { value: 'g3' },
      ],
    };
    expect(cellsOf(user, ['groups'])).toEqual({ groups: 'R&D\\; EU;Admins;g3' });
    expect(cellsOf(user, ['groups'], { groups: ['Ελένη', 'a;b', ''] })).toEqual({
      groups: 'Ελένη;a\\;b',
    });
    expect(cellsOf({}, ['groups'], { groups: [] })).toEqual({ groups: '' });
    const group = {
      displayName: 'Admins',
      members: [
        { value: 'u1', display: 'Ada', type: 'User', $ref: 'https://x/Users/u1' },
        { value: 'u;2' },
      ],
    };
    expect(cellsOf(group, ['displayName', 'members'])).toEqual({
      displayName: 'Admins',
      members: 'u1;u\\;2',
    });
  });

  it('fills extension attributes and never exports meta, schemas or password', () => {
    const r = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      meta: { version: 'W/"1"', created: '2024-01-01T00:00:00Z' },
      password: 'secret',
      [ENT]: { employeeNumber: '001', manager: { value: 'm1', $ref: '../Users/m1' } },
    };
    expect(
      cellsOf(r, [
        `${ENT}:employeeNumber`,
        `${ENT}:manager.value`,
        'meta.version',
        'schemas',
        'password',
      ]),
    ).toEqual({
      [`${ENT}:employeeNumber`]: '001',
      [`${ENT}:manager.value`]: 'm1',
      'meta.version': '',
      schemas: '',
      password: '',
    });
  });

  it('returns one cell per column even with duplicate headers', () => {
    const { cells } = flattenResource({ userName: 'a' }, cols('userName', 'userName', 'title'));
    expect(cells).toEqual(['a', '', '']);
  });
});

describe('flattenResource: unrepresentable values', () => {
  it('counts nothing for representable resources', () => {
    expect(
      lost({
        id: '1',
        schemas: ['x'],
        meta: { created: 'x' },
        emails: [
          { value: 'a', type: 'work', primary: true },
          { value: 'b', primary: true },
        ],
        roles: [{ value: 'r1' }, { value: 'r2', primary: false }],
        groups: [{ value: 'g', display: 'G' }],
        members: [{ value: 'u', display: 'U', type: 'User' }],
        name: { givenName: 'A' },
        [ENT]: { manager: { value: 'm', $ref: 'x', displayName: 'M' } },
      }),
    ).toBe(0);
  });

  it('counts a second value of the same type', () => {
    const r = {
      emails: [
        { value: 'a', type: 'work' },
        { value: 'b', type: 'Work' },
      ],
    };
    expect(lost(r, ['emails[type eq "work"].value'])).toBe(1);
  });

  it('counts untyped non-primary values of typed attributes, and a second untyped primary', () => {
    expect(lost({ emails: [{ value: 'a' }] })).toBe(1);
    expect(
      lost({
        emails: [{ value: 'a', primary: true }, { value: 'b', primary: true }, { value: 'c' }],
      }),
    ).toBe(2);
  });

  it('counts joined values whose other parts are lost', () => {
    expect(lost({ roles: [{ value: 'a', display: 'A' }, { value: 'b' }] })).toBe(1);
    expect(lost({ roles: [{ display: 'no value' }] })).toBe(1);
    expect(
      lost({
        roles: [
          { value: 'a', type: 'x' },
          { value: 'b', type: 'x' },
        ],
      }),
    ).toBe(1);
  });

  it('counts values nested too deep for a column', () => {
    expect(lost({ name: { givenName: 'A', extra: { deep: 1 } } })).toBe(1);
    expect(lost({ name: { parts: ['a', 'b'] } })).toBe(1);
    expect(lost({ emails: [{ value: 'a', type: 'work', extra: { x: 1 } }] })).toBe(1);
    expect(lost({ tags: [['nested']] })).toBe(1);
    expect(lost({ 'urn:example:acme:User': 'not an object' })).toBe(1);
    expect(lost({ 'bad name': 'x' })).toBe(1);
  });

  it('counts independently of the chosen columns', () => {
    const r = { emails: [{ value: 'a' }, { value: 'b', type: 'home' }] };
    expect(lost(r, ['userName'])).toBe(1);
    expect(lost(r, ['emails.value'])).toBe(1);
  });
});

describe('decomposeResource', () => {
  it('offers a primary column only for primary: true', () => {
    const { slots } = decomposeResource({
      emails: [
        { value: 'a', type: 'work', primary: false },
        { value: 'b', type: 'home', primary: true },
      ],
    });
    const primary = slots.filter(
      (s) => s.path.kind === 'valueFilter' && s.path.subAttr === 'primary',
    );
    expect(primary.map((s) => [s.value, s.opensColumn])).toEqual([
      ['false', false],
      ['true', true],
    ]);
  });
});

describe('flattenCells: only the attributes the columns read', () => {
  const resource = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
    id: '1',
    userName: 'ada',
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [
      { value: 'ada@work.example', type: 'work' },
      { value: 'ada@home.example', type: 'home' },
      { value: 'other@example.com' },
    ],
    roles: [{ value: 'admin' }, { value: 'dev' }],
    groups: [{ value: 'g1', display: 'Staff' }],
    'urn:ietf:params:scim:schemas:core:2.0:User': { title: 'Countess' },
    [ENT]: { employeeNumber: 'E1', manager: { value: 'm1' } },
  };
  const headers = [
    'userName',
    'name.givenName',
    'emails[type eq "work"].value',
    'emails.value',
    'roles.value',
    'groups',
    'title',
    `${ENT}:employeeNumber`,
    `${ENT}:manager.value`,
    'nickName',
  ];

  it('gives the same cells as flattenResource for every single column and for all of them', () => {
    for (const h of headers) {
      const c = cols(h);
      expect(flattenCells(resource, c), h).toEqual(flattenResource(resource, c).cells);
    }
    const all = cols(...headers);
    expect(flattenCells(resource, all)).toEqual(flattenResource(resource, all).cells);
    expect(flattenCells(resource, all)).toContain('ada@work.example');
  });

  it('does not decompose attributes no column reads', () => {
    const only = new Set(['|username']);
    const { slots } = decomposeResource(resource, undefined, only);
    expect(slots.map((s) => s.value)).toEqual(['ada']);
  });
});
