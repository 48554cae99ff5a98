import { describe, expect, it } from 'vitest';
import { applyPatchLocally } from '../../../../engine/scim/patch';
import { flattenResource } from '../../../../engine/columns/flatten';
import type { DesiredCell } from '../../../../shared/import/types';
import { diffResource, type DiffOptions } from '../../../../engine/resources/diff-resource';
import type { PatchOperation, ScimResource } from '../../../../shared/scim/types';
import { ACME, ACME_SCHEMA, ADA_HEADERS, ENT, GROUP_TYPE, USER_TYPE, ada, cols } from './helpers';

const SCHEMAS = [ACME_SCHEMA];
const PATCH: DiffOptions = { schemas: SCHEMAS, patch: true, resourceType: USER_TYPE };
const PUT: DiffOptions = { ...PATCH, patch: false };

/** A copy of `resource` without `keys`. */
function omit(resource: ScimResource, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(resource).filter(([k]) => !keys.includes(k)));
}

/** Diffs a header → desired cell record (headers not given are `undefined`: keep). */
function diff(
  row: Record<string, DesiredCell>,
  server: ScimResource = ada(),
  opts: DiffOptions = PATCH,
  extraHeaders: string[] = [],
): ReturnType<typeof diffResource> {
  const headers = [...Object.keys(row), ...extraHeaders];
  return diffResource(
    cols(...headers),
    headers.map((h) => row[h]),
    server,
    opts,
  );
}

/** The operations for a row, checked to turn the server into the desired state. */
function ops(row: Record<string, DesiredCell>, server: ScimResource = ada()): PatchOperation[] {
  const result = diff(row, server);
  if (result.operations.length > 0) {
    const patched = applyPatchLocally(server, structuredClone(result.operations));
    expect(diff(row, patched).changes).toEqual([]);
  }
  return result.operations;
}

/** Makes `ops` accept extra headers: they are added with `undefined` (keep) cells. */
function opsWith(
  row: Record<string, DesiredCell>,
  server: ScimResource,
  extra: string[],
): PatchOperation[] {
  const result = diff(row, server, PATCH, extra);
  const patched = applyPatchLocally(server, structuredClone(result.operations));
  expect(diff(row, patched, PATCH, extra).changes).toEqual([]);
  return result.operations;
}

describe('diffResource: round trip', () => {
  it('finds no change when a realistic user is re-imported from its own export', () => {
    const targets = cols(...ADA_HEADERS);
    const { cells } = flattenResource(ada(), targets);
    for (const opts of [PATCH, PUT]) {
      expect(diffResource(targets, cells, ada(), opts)).toEqual({ changes: [], operations: [] });
    }
  });

  it('finds no change for a group re-imported from its export, members included', () => {
    const group: ScimResource = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'g1',
      displayName: 'Engineering',
      members: [{ value: 'u1' }, { value: 'u2' }],
    };
    const targets = cols('displayName', 'members');
    const { cells } = flattenResource(group, targets);
    expect(
      diffResource(targets, cells, group, { patch: true, resourceType: GROUP_TYPE }).changes,
    ).toEqual([]);
  });

  it('skips kept cells, and clearing what the server lacks is no change', () => {
    expect(diff({ title: undefined, nickName: null, 'name.middleName': '' }).changes).toEqual([]);
  });
});

describe('diffResource: comparison by type', () => {
  it('compares booleans case-insensitively and numbers numerically', () => {
    const server: ScimResource = {
      ...ada(),
      [ACME]: { level: 3, score: 1.5, contractor: false },
    };
    expect(
      diff(
        {
          active: 'True',
          [`${ACME}:level`]: '3.0',
          [`${ACME}:score`]: '1.50',
          [`${ACME}:contractor`]: 'FALSE',
        },
        server,
      ).changes,
    ).toEqual([]);
  });

  it('compares dateTimes by instant', () => {
    const server: ScimResource = { ...ada(), [ACME]: { startDate: '2024-01-01T00:00:00Z' } };
    const path = `${ACME}:startDate`;
    expect(diff({ [path]: '2024-01-01T00:00:00.000Z' }, server).changes).toEqual([]);
    expect(diff({ [path]: '2024-01-01T01:00:00+01:00' }, server).changes).toEqual([]);
    expect(diff({ [path]: '2024-01-01T00:00:01Z' }, server).changes).toEqual([
      { path, old: '2024-01-01T00:00:00Z', new: '2024-01-01T00:00:01Z' },
    ]);
  });

  it('treats a change of letter case in a string as a change', () => {
    expect(diff({ displayName: 'ada lovelace' }).changes).toEqual([
      { path: 'displayName', old: 'Ada Lovelace', new: 'ada lovelace' },
    ]);
  });

  it('compares joined cells as sets (order and repeats do not matter)', () => {
    expect(diff({ 'roles.value': 'writer;analyst;writer' }).changes).toEqual([]);
    expect(diff({ 'roles.value': 'writer' }).changes).toEqual([
      { path: 'roles.value', old: 'analyst;writer', new: 'writer' },
    ]);
  });

  it('reports old and new as cell text, null for no value', () => {
    expect(diff({ title: null, nickName: 'Countess' }).changes).toEqual([
      { path: 'title', old: 'Analyst', new: null },
      { path: 'nickName', old: null, new: 'Countess' },
    ]);
  });
});

describe('diffResource: PATCH operation shapes', () => {
  it('replaces and removes simple attributes with typed values', () => {
    expect(ops({ displayName: 'Ada King', active: 'FALSE', title: null })).toEqual([
      { op: 'replace', path: 'displayName', value: 'Ada King' },
      { op: 'replace', path: 'active', value: false },
      { op: 'remove', path: 'title' },
    ]);
    expect(ops({ [`${ACME}:level`]: '7', [`${ACME}:score`]: '2.25' })).toEqual([
      { op: 'replace', path: `${ACME}:level`, value: 7 },
      { op: 'replace', path: `${ACME}:score`, value: 2.25 },
    ]);
  });

  it('addresses core sub-attributes by their dotted path', () => {
    expect(ops({ 'name.givenName': 'Augusta', 'name.formatted': null })).toEqual([
      { op: 'replace', path: 'name.givenName', value: 'Augusta' },
      { op: 'remove', path: 'name.formatted' },
    ]);
  });

  it('addresses extension attributes by full URN', () => {
    expect(ops({ [`${ENT}:employeeNumber`]: '2002', [`${ENT}:department`]: null })).toEqual([
      { op: 'replace', path: `${ENT}:employeeNumber`, value: '2002' },
      { op: 'remove', path: `${ENT}:department` },
    ]);
  });

  it('sets the manager as a complex value and removes it as a whole', () => {
    expect(ops({ [`${ENT}:manager.value`]: 'u9' })).toEqual([
      { op: 'replace', path: `${ENT}:manager`, value: { value: 'u9' } },
    ]);
    expect(ops({ [`${ENT}:manager.value`]: null })).toEqual([
      { op: 'remove', path: `${ENT}:manager` },
    ]);
    const noManager = ada();
    delete (noManager[ENT] as Record<string, unknown>)['manager'];
    expect(ops({ [`${ENT}:manager.value`]: 'u9' }, noManager)).toEqual([
      { op: 'replace', path: `${ENT}:manager`, value: { value: 'u9' } },
    ]);
  });

  it('merges the changed sub-attributes of an extension complex attribute in one operation', () => {
    const server: ScimResource = { ...ada(), [ACME]: { badge: { color: 'red', number: 1 } } };
    expect(ops({ [`${ACME}:badge.color`]: 'blue', [`${ACME}:badge.number`]: '2' }, server)).toEqual(
      [{ op: 'replace', path: `${ACME}:badge`, value: { color: 'blue', number: 2 } }],
    );
    expect(ops({ [`${ACME}:badge.color`]: null, [`${ACME}:badge.number`]: '1' }, server)).toEqual([
      { op: 'remove', path: `${ACME}:badge.color` },
    ]);
  });

  it('replaces a selected value the server has, using the server spelling of the type', () => {
    expect(ops({ 'emails[type eq "work"].value': 'ada@new.example' })).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@new.example' },
    ]);
    const server = ada();
    server['emails'] = [{ type: 'Work', value: 'ada@example.com' }];
    expect(ops({ 'emails[type eq "work"].value': 'ada@new.example' }, server)).toEqual([
      { op: 'replace', path: 'emails[type eq "Work"].value', value: 'ada@new.example' },
    ]);
  });

  it('adds a value the server lacks, with primary when it is the only one', () => {
    expect(ops({ 'emails[type eq "other"].value': 'a@other.example' })).toEqual([
      { op: 'add', path: 'emails', value: [{ type: 'other', value: 'a@other.example' }] },
    ]);
    const bare: ScimResource = { schemas: [], id: 'u2', userName: 'bare' };
    expect(ops({ 'emails[type eq "work"].value': 'b@example.com' }, bare)).toEqual([
      {
        op: 'add',
        path: 'emails',
        value: [{ type: 'work', value: 'b@example.com', primary: true }],
      },
    ]);
    expect(
      ops(
        { 'emails[type eq "work"].value': 'b@example.com', 'emails[type eq "home"].value': 'b@h' },
        bare,
      ),
    ).toEqual([
      {
        op: 'add',
        path: 'emails',
        value: [
          { type: 'work', value: 'b@example.com' },
          { type: 'home', value: 'b@h' },
        ],
      },
    ]);
    expect(
      ops(
        {
          'emails[type eq "work"].value': 'b@example.com',
          'emails[type eq "work"].primary': 'false',
        },
        bare,
      ),
    ).toEqual([
      {
        op: 'add',
        path: 'emails',
        value: [{ type: 'work', value: 'b@example.com', primary: false }],
      },
    ]);
  });

  it('builds one new value from all of its columns', () => {
    const server = ada();
    delete server['addresses'];
    expect(
      ops(
        {
          'addresses[type eq "home"].locality': 'Paris',
          'addresses[type eq "home"].country': 'FR',
        },
        server,
      ),
    ).toEqual([
      {
        op: 'add',
        path: 'addresses',
        value: [{ type: 'home', locality: 'Paris', country: 'FR', primary: true }],
      },
    ]);
  });

  it('removes a selected value when its value is cleared, else only the sub-attribute', () => {
    expect(ops({ 'emails[type eq "home"].value': null })).toEqual([
      { op: 'remove', path: 'emails[type eq "home"]' },
    ]);
    expect(
      ops({ 'emails[type eq "home"].value': null, 'emails[type eq "home"].display': 'Home' }),
    ).toEqual([
      { op: 'remove', path: 'emails[type eq "home"].value' },
      { op: 'replace', path: 'emails[type eq "home"].display', value: 'Home' },
    ]);
    expect(ops({ 'addresses[type eq "work"].postalCode': null })).toEqual([
      { op: 'remove', path: 'addresses[type eq "work"].postalCode' },
    ]);
  });

  it('edits the untyped primary value through [primary eq true]', () => {
    const server = ada();
    server['emails'] = [{ value: 'ada@example.com', primary: true }];
    expect(ops({ 'emails[primary eq true].value': 'ada@new.example' }, server)).toEqual([
      { op: 'replace', path: 'emails[primary eq true].value', value: 'ada@new.example' },
    ]);
    expect(ops({ 'emails[primary eq true].value': null }, server)).toEqual([
      { op: 'remove', path: 'emails[primary eq true]' },
    ]);
  });

  it('escapes types in value filters with the filter builder', () => {
    const server = ada();
    server['emails'] = [{ type: 'a "b"', value: 'x@example.com' }];
    expect(ops({ 'emails[type eq "a \\"b\\""].value': 'y@example.com' }, server)).toEqual([
      { op: 'replace', path: 'emails[type eq "a \\"b\\""].value', value: 'y@example.com' },
    ]);
  });

  it('replaces a joined attribute with its new list, keeping the sub-attributes of kept values', () => {
    expect(ops({ 'roles.value': 'analyst;auditor' })).toEqual([
      {
        op: 'replace',
        path: 'roles',
        value: [{ value: 'analyst', display: 'Analyst' }, { value: 'auditor' }],
      },
    ]);
    expect(ops({ 'roles.value': null })).toEqual([{ op: 'remove', path: 'roles' }]);
  });

  it('keeps the values other columns show when replacing a joined attribute', () => {
    const server = ada();
    server['roles'] = [
      { value: 'lead', primary: true },
      { value: 'analyst', display: 'Analyst' },
      { value: 'writer' },
    ];
    expect(opsWith({ 'roles.value': null }, server, ['roles[primary eq true].value'])).toEqual([
      { op: 'replace', path: 'roles', value: [{ value: 'lead', primary: true }] },
    ]);
    expect(
      ops({ 'roles.value': 'auditor', 'roles[primary eq true].value': 'chief' }, server),
    ).toEqual([
      {
        op: 'replace',
        path: 'roles',
        value: [{ value: 'lead', primary: true }, { value: 'auditor' }],
      },
      { op: 'replace', path: 'roles[primary eq true].value', value: 'chief' },
    ]);
    expect(
      opsWith({ 'roles.value': 'writer;auditor' }, server, ['roles[primary eq true].value']),
    ).toEqual([
      {
        op: 'replace',
        path: 'roles',
        value: [{ value: 'lead', primary: true }, { value: 'writer' }, { value: 'auditor' }],
      },
    ]);
  });

  it('replaces a multi-valued simple attribute with typed items', () => {
    const server: ScimResource = { ...ada(), [ACME]: { tags: ['b', 'c'] } };
    expect(ops({ [`${ACME}:tags`]: 'a;b' }, server)).toEqual([
      { op: 'replace', path: `${ACME}:tags`, value: ['b', 'a'] },
    ]);
  });

  it('does not diff memberships, read-only or write-only targets', () => {
    expect(
      diff({
        groups: 'Sales',
        id: 'other',
        'meta.version': 'x',
        [`${ENT}:manager.displayName`]: 'Someone',
        password: 'secret',
      }),
    ).toEqual({ changes: [], operations: [] });
  });
});

describe('diffResource: PUT bodies', () => {
  it('returns the server resource with the changes, without meta and read-only attributes', () => {
    const result = diff({ displayName: 'Ada King', [`${ACME}:level`]: '3' }, ada(), PUT);
    expect(result.operations).toEqual([]);
    const rest = omit(ada(), 'meta', 'groups', 'schemas');
    expect(result.replace).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT, ACME],
      ...rest,
      displayName: 'Ada King',
      [ACME]: { level: 3 },
    });
  });

  it('keeps the id and a group’s members', () => {
    const group: ScimResource = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'g1',
      displayName: 'Eng',
      members: [{ value: 'u1', display: 'Ada' }],
      meta: { resourceType: 'Group' },
    };
    const result = diffResource(cols('displayName'), ['Engineering'], group, {
      patch: false,
      resourceType: GROUP_TYPE,
    });
    expect(result.replace).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      id: 'g1',
      displayName: 'Engineering',
      members: [{ value: 'u1', display: 'Ada' }],
    });
  });

  it('applies every operation shape like PATCH would', () => {
    const rows: Record<string, DesiredCell>[] = [
      { 'emails[type eq "home"].value': null, 'roles.value': 'auditor' },
      { 'emails[type eq "other"].value': 'o@example.com', [`${ENT}:manager.value`]: null },
      { 'name.givenName': 'A', [`${ENT}:manager.value`]: 'u7', active: 'false' },
    ];
    for (const row of rows) {
      const put = diff(row, ada(), PUT).replace;
      expect(put).toBeDefined();
      const patched = applyPatchLocally(ada(), diff(row, ada()).operations);
      expect(put).toEqual(omit(patched, 'meta', 'groups'));
    }
  });

  it('has no body when nothing changed', () => {
    expect(diff({ displayName: 'Ada Lovelace' }, ada(), PUT)).toEqual({
      changes: [],
      operations: [],
    });
  });
});
