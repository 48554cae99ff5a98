import { describe, expect, it } from 'vitest';
import { createColumnCollector } from '../../../../engine/columns/column-discovery';
import { ColumnHeaderError, parseColumnHeader } from '../../../../shared/columns/columns';
import { flattenResource } from '../../../../engine/columns/flatten';
import { unflattenRow } from '../../../../engine/columns/unflatten';
import { attr } from '../../../../shared/scim/schemas/attribute';
import type { ScimSchema } from '../../../../shared/scim/types';
import { canonical, randomGroup, randomUser, representable, rng } from './fixtures';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Unflattens a header → cell record. */
function fromCells(
  row: Record<string, string>,
  opts?: Parameters<typeof unflattenRow>[2],
): Record<string, unknown> {
  const headers = Object.keys(row);
  const columns = headers.map((h) =>
    parseColumnHeader(h, opts?.schemas ? { schemas: opts.schemas } : {}),
  );
  return unflattenRow(
    columns,
    headers.map((h) => row[h] ?? ''),
    opts,
  );
}

describe('unflattenRow', () => {
  it('builds simple, complex and extension attributes, omitting empty cells', () => {
    expect(
      fromCells({
        id: '1',
        userName: 'ada',
        'name.givenName': 'Ada',
        'name.familyName': '',
        title: '',
        [`${ENT}:employeeNumber`]: '042',
        [`${ENT}:manager.value`]: 'm1',
      }),
    ).toEqual({
      id: '1',
      userName: 'ada',
      name: { givenName: 'Ada' },
      [ENT]: { employeeNumber: '042', manager: { value: 'm1' } },
    });
  });

  it('sets type from the value filter and primary as a boolean', () => {
    expect(
      fromCells({
        'emails[type eq "work"].value': 'w@x',
        'emails[type eq "work"].primary': 'TRUE',
        'emails[type eq "home"].value': 'h@x',
        'emails[type eq "home"].primary': 'false',
        'emails[primary eq true].value': 'u@x',
        'phoneNumbers[type eq "mobile"].value': '+14155550100',
        'addresses[type eq "work"].locality': 'Αθήνα',
        'addresses[type eq "work"].country': 'GR',
        'addresses[type eq "home"].locality': '',
      }),
    ).toEqual({
      emails: [
        { type: 'work', value: 'w@x', primary: true },
        { type: 'home', value: 'h@x', primary: false },
        { primary: true, value: 'u@x' },
      ],
      phoneNumbers: [{ type: 'mobile', value: '+14155550100' }],
      addresses: [{ type: 'work', locality: 'Αθήνα', country: 'GR' }],
    });
  });

  it('splits joined cells into values, groups and members', () => {
    expect(
      fromCells({
        'roles.value': 'admin;ops\\;eu;C:\\\\x',
        groups: 'R&D\\; EU;Admins',
      }),
    ).toEqual({
      roles: [{ value: 'admin' }, { value: 'ops;eu' }, { value: 'C:\\x' }],
      groups: [{ display: 'R&D; EU' }, { display: 'Admins' }],
    });
    expect(fromCells({ displayName: 'Admins', members: 'u1;u2' })).toEqual({
      displayName: 'Admins',
      members: [{ value: 'u1' }, { value: 'u2' }],
    });
  });

  it('lines up several joined columns of one attribute by position', () => {
    expect(fromCells({ 'roles.value': 'a;b', 'roles.display': 'A;B' })).toEqual({
      roles: [
        { value: 'a', display: 'A' },
        { value: 'b', display: 'B' },
      ],
    });
  });

  it('converts booleans and numbers by schema or option; other text stays a string', () => {
    const acme: ScimSchema = {
      id: 'urn:example:acme:User',
      attributes: [
        attr('level', 'integer', 'Level.'),
        attr('ratio', 'decimal', 'Ratio.'),
        attr('tags', 'string', 'Tags.', { multiValued: true }),
        attr('flags', 'boolean', 'Flags.', { multiValued: true }),
      ],
    };
    expect(
      fromCells(
        {
          active: 'False',
          'urn:example:acme:User:level': '3',
          'urn:example:acme:User:ratio': '-0.25',
          'urn:example:acme:User:tags': 'a;1',
          'urn:example:acme:User:flags': 'true;false',
          'urn:example:acme:User:isContractor': 'true',
          'urn:example:acme:User:notABoolean': 'true',
          title: 'true',
        },
        { schemas: [acme], booleans: new Set(['URN:example:acme:User:isContractor']) },
      ),
    ).toEqual({
      active: false,
      'urn:example:acme:User': {
        level: 3,
        ratio: -0.25,
        tags: ['a', '1'],
        flags: [true, false],
        isContractor: true,
        notABoolean: 'true',
      },
      title: 'true',
    });
    expect(fromCells({ active: 'yes' })).toEqual({ active: 'yes' });
    expect(fromCells({ 'urn:example:acme:User:level': 'high' }, { schemas: [acme] })).toEqual({
      'urn:example:acme:User': { level: 'high' },
    });
  });

  it('ignores extra cells and treats missing cells as empty', () => {
    const columns = [parseColumnHeader('userName'), parseColumnHeader('title')];
    expect(unflattenRow(columns, ['ada', 'x', 'extra'])).toEqual({ userName: 'ada', title: 'x' });
    expect(unflattenRow(columns, ['ada'])).toEqual({ userName: 'ada' });
  });

  it('refuses columns that set one attribute in two ways', () => {
    const conflict = (headers: string[]): unknown =>
      unflattenRow(
        headers.map((h) => parseColumnHeader(h)),
        headers.map((_, i) => `v${i}`),
      );
    expect(() => conflict(['userName', 'UserName'])).toThrow(ColumnHeaderError);
    expect(() => conflict(['urn:example:acme:User:x', 'urn:example:acme:User:x.y'])).toThrow(
      /urn:example:acme:User:x\.y/,
    );
    expect(() => conflict(['foo', 'foo[type eq "a"].value'])).toThrow(
      /another column already sets "foo"/,
    );
  });
});

describe('unflatten(flatten(r)) round trip', () => {
  it('restores typical users and groups, restricted to what CSV can hold', () => {
    const next = rng(7643);
    const users = Array.from({ length: 300 }, (_, i) => randomUser(next, i));
    const groups = Array.from({ length: 100 }, (_, i) => randomGroup(next, i));
    for (const [kind, resources] of [
      ['User', users],
      ['Group', groups],
    ] as const) {
      const collector = createColumnCollector({ resourceKind: kind });
      for (const r of resources) collector.observe(r);
      const columns = collector.columns();
      for (const r of resources) {
        const { cells, unrepresentable } = flattenResource(r, columns);
        expect(unrepresentable).toBe(0);
        expect(canonical(unflattenRow(columns, cells))).toEqual(canonical(representable(r)));
      }
    }
  });

  it('restores the representable part and counts the rest', () => {
    const r = {
      id: '9',
      userName: 'ada',
      emails: [
        { type: 'work', value: 'w1@x' },
        { type: 'work', value: 'w2@x' },
        { value: 'untyped@x' },
        { value: 'p@x', primary: true },
      ],
      roles: [{ value: 'a', display: 'Role A' }, { value: 'b' }],
    };
    const collector = createColumnCollector({ resourceKind: 'User' });
    collector.observe(r);
    const columns = collector.columns();
    const { cells, unrepresentable } = flattenResource(r, columns);
    expect(unrepresentable).toBe(3);
    expect(unflattenRow(columns, cells)).toEqual({
      id: '9',
      userName: 'ada',
      emails: [
        { type: 'work', value: 'w1@x' },
        { primary: true, value: 'p@x' },
      ],
      roles: [{ value: 'a' }, { value: 'b' }],
    });
  });
});
