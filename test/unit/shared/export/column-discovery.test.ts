import { describe, expect, it } from 'vitest';
import {
  createColumnCollector,
  type ColumnCollectorOptions,
} from '../../../../engine/columns/column-discovery';
import { ColumnHeaderError } from '../../../../shared/columns/columns';
import { attr, str } from '../../../../shared/scim/schemas/attribute';
import type { ScimSchema } from '../../../../shared/scim/types';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACME = 'urn:example:acme:2.0:User';

function headers(
  resources: readonly Record<string, unknown>[],
  opts: Partial<ColumnCollectorOptions> = {},
): string[] {
  const collector = createColumnCollector({ resourceKind: 'User', ...opts });
  for (const r of resources) collector.observe(r);
  return collector.columns().map((c) => c.header);
}

/** A user with every kind of attribute, written in an order unlike the column order. */
const RICH_USER: Record<string, unknown> = {
  zAttribute: 'z',
  [ACME]: { badge: 'B-1' },
  groups: [{ value: 'g1', display: 'Admins' }],
  [ENT]: {
    manager: { value: 'm1', $ref: '../Users/m1', displayName: 'Boss' },
    department: 'R&D',
    employeeNumber: '42',
  },
  x509Certificates: [{ value: 'MIIB' }],
  entitlements: [{ value: 'e1' }],
  roles: [{ value: 'admin' }],
  addresses: [{ type: 'work', locality: 'Paris', streetAddress: '1 rue', country: 'FR' }],
  photos: [{ type: 'photo', value: 'https://x/p.png' }],
  ims: [{ type: 'xmpp', value: 'ada@xmpp' }],
  phoneNumbers: [
    { type: 'mobile', value: '+33' },
    { type: 'work', value: '+44' },
  ],
  emails: [
    { value: 'u@x', primary: true },
    { type: 'zeta', value: 'z@x' },
    { type: 'other', value: 'o@x' },
    { type: 'alumni', value: 'a@x' },
    { type: 'home', value: 'h@x' },
    { type: 'work', value: 'w@x', primary: true, display: 'Work' },
  ],
  active: true,
  timezone: 'Europe/Paris',
  locale: 'fr-FR',
  preferredLanguage: 'fr',
  userType: 'Employee',
  title: 'Engineer',
  profileUrl: 'https://x/ada',
  nickName: 'Ada',
  displayName: 'Ada Lovelace',
  name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
  userName: 'ada',
  externalId: 'e-1',
  id: '1',
  aAttribute: 'a',
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  meta: { resourceType: 'User', version: 'W/"1"' },
  password: 'never',
};

const RICH_HEADERS = [
  'id',
  'externalId',
  'userName',
  'name.givenName',
  'name.familyName',
  'name.formatted',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'emails[type eq "work"].value',
  'emails[type eq "work"].display',
  'emails[type eq "work"].primary',
  'emails[type eq "home"].value',
  'emails[type eq "other"].value',
  'emails[type eq "alumni"].value',
  'emails[type eq "zeta"].value',
  'emails[primary eq true].value',
  'phoneNumbers[type eq "work"].value',
  'phoneNumbers[type eq "mobile"].value',
  'ims[type eq "xmpp"].value',
  'photos[type eq "photo"].value',
  'addresses[type eq "work"].streetAddress',
  'addresses[type eq "work"].locality',
  'addresses[type eq "work"].country',
  'roles.value',
  'entitlements.value',
  'x509Certificates.value',
  `${ENT}:employeeNumber`,
  `${ENT}:department`,
  `${ENT}:manager.value`,
  `${ENT}:manager.displayName`,
  `${ACME}:badge`,
  'groups',
  'aAttribute',
  'zAttribute',
];

describe('createColumnCollector: order', () => {
  it('orders user columns the human-friendly way, never meta, schemas or password', () => {
    expect(headers([RICH_USER])).toEqual(RICH_HEADERS);
  });

  it('gives the same columns whatever order resources and values arrive in', () => {
    const parts = Object.entries(RICH_USER).map(([k, v]) => ({ [k]: v }));
    expect(headers(parts)).toEqual(RICH_HEADERS);
    expect(headers([...parts].reverse())).toEqual(RICH_HEADERS);
  });

  it('orders group columns: id, externalId, displayName, members, then others', () => {
    const group = {
      members: [{ value: 'u1', display: 'Ada', type: 'User' }],
      owner: 'x',
      displayName: 'Admins',
      externalId: 'g-ext',
      id: 'g1',
      meta: { resourceType: 'Group' },
    };
    expect(headers([group], { resourceKind: 'Group' })).toEqual([
      'id',
      'externalId',
      'displayName',
      'members',
      'owner',
    ]);
  });

  it('orders extensions: enterprise first in schema order, then by URN, each in schema order', () => {
    const acme: ScimSchema = {
      id: ACME,
      attributes: [str('zFirst', 'Z.'), str('aSecond', 'A.')],
    };
    const r = {
      'urn:example:b:User': { x: '1' },
      [ACME]: { aSecond: 'a', unknown: 'u', zFirst: 'z' },
      [ENT]: { costCenter: 'c', employeeNumber: 'e' },
    };
    expect(headers([r], { schemas: [acme] })).toEqual([
      `${ENT}:employeeNumber`,
      `${ENT}:costCenter`,
      `${ACME}:zFirst`,
      `${ACME}:aSecond`,
      `${ACME}:unknown`,
      'urn:example:b:User:x',
    ]);
  });

  it('adds a primary column only when some value is primary', () => {
    expect(
      headers([
        { emails: [{ type: 'work', value: 'a', primary: false }] },
        { emails: [{ type: 'home', value: 'b', primary: true }] },
      ]),
    ).toEqual([
      'emails[type eq "work"].value',
      'emails[type eq "home"].value',
      'emails[type eq "home"].primary',
    ]);
  });

  it('adds a column per sub-attribute actually seen, types merged case-insensitively', () => {
    expect(
      headers([
        { emails: [{ type: 'Work', value: 'a' }] },
        { emails: [{ type: 'work', display: 'W' }] },
      ]),
    ).toEqual(['emails[type eq "Work"].value', 'emails[type eq "Work"].display']);
  });

  it('offers no column for values that cannot be represented', () => {
    expect(
      headers([{ emails: [{ value: 'untyped, not primary' }], name: { x: { y: 1 } } }]),
    ).toEqual([]);
  });

  it('puts untyped primary roles in a primary column and the other roles in roles.value', () => {
    expect(headers([{ roles: [{ value: 'lead', primary: true }, { value: 'dev' }] }])).toEqual([
      'roles[primary eq true].value',
      'roles.value',
    ]);
  });

  it('keeps memory bounded by the number of columns', () => {
    const collector = createColumnCollector({ resourceKind: 'User' });
    for (let i = 0; i < 5_000; i++) {
      collector.observe({
        id: String(i),
        userName: `u${i}`,
        emails: [{ type: 'work', value: `${i}@x` }],
      });
    }
    expect(collector.columns().map((c) => c.header)).toEqual([
      'id',
      'userName',
      'emails[type eq "work"].value',
    ]);
  });
});

describe('createColumnCollector: include (--attributes)', () => {
  /** The selected columns besides `id`, which every export has. */
  const only = (include: string[], resources = [RICH_USER]): string[] =>
    headers(resources, { include }).filter((h) => h !== 'id');

  it('always keeps id, the key that maps a row back onto its resource', () => {
    expect(headers([RICH_USER], { include: ['userName'] })).toEqual(['id', 'userName']);
    expect(headers([{ userName: 'no id' }], { include: ['userName'] })).toEqual(['userName']);
  });

  it('selects a whole multi-valued attribute', () => {
    expect(only(['emails'])).toEqual(RICH_HEADERS.filter((h) => h.startsWith('emails')));
  });

  it('selects one value filter or one column', () => {
    expect(only(['emails[type eq "work"]'])).toEqual([
      'emails[type eq "work"].value',
      'emails[type eq "work"].display',
      'emails[type eq "work"].primary',
    ]);
    expect(only(['name.givenName', 'emails.value'])).toEqual([
      'name.givenName',
      'emails[type eq "work"].value',
      'emails[type eq "home"].value',
      'emails[type eq "other"].value',
      'emails[type eq "alumni"].value',
      'emails[type eq "zeta"].value',
      'emails[primary eq true].value',
    ]);
    expect(only(['Name'])).toEqual(['name.givenName', 'name.familyName', 'name.formatted']);
  });

  it('selects extension attributes by full URN, and whole extensions', () => {
    expect(only([`${ENT}:manager`])).toEqual([
      `${ENT}:manager.value`,
      `${ENT}:manager.displayName`,
    ]);
    expect(only([`${ENT}:employeeNumber`])).toEqual([`${ENT}:employeeNumber`]);
    expect(only([ENT])).toEqual(RICH_HEADERS.filter((h) => h.startsWith(ENT)));
    expect(only([ACME])).toEqual([`${ACME}:badge`]);
  });

  it('selects the groups column, keeps the given order rule, and ignores case', () => {
    expect(only(['groups', 'USERNAME'])).toEqual(['userName', 'groups']);
  });

  it('adds a requested concrete column no resource has', () => {
    expect(
      only(
        [
          'userName',
          'title',
          'phoneNumbers[type eq "fax"].value',
          `${ENT}:costCenter`,
          'roles',
          'groups',
          'emails', // a whole typed attribute names no single column
          'name', // nor does a complex one
          'meta.created', // never exported
          'password',
          ACME, // a whole schema
        ],
        [{ userName: 'ada' }],
      ),
    ).toEqual([
      'userName',
      'title',
      'phoneNumbers[type eq "fax"].value',
      'roles.value',
      `${ENT}:costCenter`,
      'groups',
    ]);
  });

  it('treats an empty selection as none', () => {
    expect(headers([RICH_USER], { include: [] })).toEqual(RICH_HEADERS);
  });

  it('rejects an include entry that is not an attribute path', () => {
    expect(() => createColumnCollector({ resourceKind: 'User', include: ['user name'] })).toThrow(
      ColumnHeaderError,
    );
    expect(() =>
      createColumnCollector({ resourceKind: 'User', include: ['emails[value sw "a"]'] }),
    ).toThrow(/emails\[value sw "a"\]/);
  });
});

describe('createColumnCollector: schemas', () => {
  it('orders sub-attributes by the server schema when given', () => {
    const custom: ScimSchema = {
      id: ACME,
      attributes: [
        attr('badge', 'complex', 'Badge.', {
          subAttributes: [str('site', 'Site.'), str('number', 'Number.')],
        }),
      ],
    };
    expect(
      headers([{ [ACME]: { badge: { number: '1', site: 'HQ', zz: 'x' } } }], { schemas: [custom] }),
    ).toEqual([`${ACME}:badge.site`, `${ACME}:badge.number`, `${ACME}:badge.zz`]);
  });
});
