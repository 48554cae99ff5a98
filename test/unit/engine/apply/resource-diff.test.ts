import { describe, expect, it } from 'vitest';
import {
  droppedAttributes,
  droppedByPatch,
  mergedReplace,
  minimalPatch,
  sameValue,
} from '../../../../engine/apply/resource-diff';
import { URN } from '../../../../shared/scim/urns';

const ENT = URN.enterpriseUser;

describe('sameValue', () => {
  it('compares strings trimmed and case-insensitively, objects by the keys sent', () => {
    expect(sameValue('Ann@Example.com', 'ann@example.com ')).toBe(true);
    expect(sameValue({ givenName: 'Ann' }, { givenName: 'Ann', formatted: 'Ann Q' })).toBe(true);
    expect(sameValue({ givenName: 'Ann' }, { givenName: 'Anne' })).toBe(false);
    expect(sameValue(false, undefined)).toBe(false);
  });
  it('treats a multi-valued attribute as "every sent item is there"', () => {
    const sent = [{ value: 'a@x', type: 'work' }];
    expect(sameValue(sent, [{ value: 'b@x' }, { value: 'a@x', type: 'work', primary: true }])).toBe(
      true,
    );
    expect(sameValue(sent, [{ value: 'b@x', type: 'work' }])).toBe(false);
  });
});

describe('minimalPatch (409 on create)', () => {
  const body = {
    schemas: [URN.user, ENT],
    userName: 'ann@x',
    password: 'secret',
    title: 'Analyst',
    name: { givenName: 'Ann' },
    [ENT]: { employeeNumber: 'E1', department: 'Ops' },
  };
  it('sends one replace per attribute that differs, extension attributes one by one', () => {
    const existing = {
      schemas: [URN.user, ENT],
      id: '1',
      userName: 'ANN@x',
      title: 'Analyst',
      name: { givenName: 'Anne' },
      [ENT]: { employeeNumber: 'E1' },
    };
    expect(minimalPatch(body, existing)).toEqual([
      { op: 'replace', path: 'name', value: { givenName: 'Ann' } },
      { op: 'replace', path: `${ENT}:department`, value: 'Ops' },
    ]);
  });
  it('sends nothing when the account already matches (never the password, never pathless)', () => {
    const existing = { ...body, id: '1' };
    expect(minimalPatch(body, existing)).toEqual([]);
  });
  it('builds a PUT from the existing account for servers without PATCH', () => {
    const existing = { schemas: [URN.user], id: '1', userName: 'ann@x', nickName: 'A', meta: {} };
    const put = mergedReplace(body, existing);
    expect(put['nickName']).toBe('A');
    expect(put['title']).toBe('Analyst');
    expect(put[ENT]).toEqual({ employeeNumber: 'E1', department: 'Ops' });
    expect(put.meta).toBeUndefined();
    expect(put.schemas).toEqual([URN.user, ENT]);
  });
});

describe('dropped attributes (answers checked against what was sent)', () => {
  it('lists what a create answer lacks or changed', () => {
    const sent = { schemas: [URN.user], userName: 'ann@x', title: 'Analyst', nickName: 'A' };
    const answer = { schemas: [URN.user], id: '1', userName: 'ann@x', nickName: 'B' };
    expect(droppedAttributes(sent, answer)).toEqual(['title', 'nickName']);
  });
  it('checks PATCH values at plain paths, extension paths included', () => {
    const ops = [
      { op: 'replace' as const, path: 'title', value: 'Boss' },
      { op: 'replace' as const, path: `${ENT}:manager`, value: { value: 'm1' } },
      { op: 'add' as const, path: 'emails[type eq "work"].value', value: 'x' },
    ];
    expect(
      droppedByPatch(ops, { schemas: [], title: 'Boss', [ENT]: { manager: { value: 'm1' } } }),
    ).toEqual([]);
    expect(droppedByPatch(ops, { schemas: [], title: 'Clerk' })).toEqual([
      'title',
      `${ENT}:manager`,
    ]);
  });
});
