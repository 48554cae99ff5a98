import { describe, expect, it } from 'vitest';
import {
  canonicaliseMessageKeys,
  isJsonContentType,
  normaliseResponseBody,
  parseBody,
  toInteger,
} from '../../../../engine/scim/quirks/wire';
import { URN } from '../../../../shared/scim/urns';

describe('wire quirks', () => {
  it('accepts scim+json, json and +json types with any charset', () => {
    expect(isJsonContentType('application/scim+json')).toBe(true);
    expect(isJsonContentType('application/json; charset=ISO-8859-1')).toBe(true);
    expect(isJsonContentType('Application/Problem+JSON')).toBe(true);
    expect(isJsonContentType('text/html; charset=utf-8')).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });

  it('parses JSON sent as text/plain or without a type, but not plain words', () => {
    expect(parseBody('{"a":1}', 'text/plain')).toEqual({ kind: 'json', value: { a: 1 } });
    expect(parseBody('[1]', undefined)).toEqual({ kind: 'json', value: [1] });
    expect(parseBody('true', 'text/plain').kind).toBe('not-json');
    expect(parseBody('\uFEFF{"a":2}', 'application/json')).toEqual({
      kind: 'json',
      value: { a: 2 },
    });
  });

  it('treats empty bodies as empty', () => {
    expect(parseBody('', 'application/scim+json')).toEqual({ kind: 'empty' });
    expect(parseBody('  \n', undefined)).toEqual({ kind: 'empty' });
  });

  it('classifies HTML, XML and broken JSON', () => {
    expect(
      parseBody('<html><head><title> Log  in </title></head></html>', undefined),
    ).toMatchObject({
      kind: 'not-json',
      looksLike: 'html',
      title: 'Log in',
    });
    expect(parseBody('<?xml version="1.0"?><a/>', 'application/xml')).toMatchObject({
      looksLike: 'xml',
    });
    expect(parseBody('{"Resources": [', 'application/scim+json')).toMatchObject({
      looksLike: 'broken-json',
    });
  });

  it('reads integers sent as strings', () => {
    expect(toInteger('42')).toBe(42);
    expect(toInteger(' 7 ')).toBe(7);
    expect(toInteger(3.9)).toBe(3);
    expect(toInteger('4x')).toBeUndefined();
  });

  it('normalises lowercase resources and string counts in a ListResponse', () => {
    const body = normaliseResponseBody({
      schemas: [URN.listResponse],
      totalresults: '2',
      ItemsPerPage: '2',
      startIndex: '1',
      resources: [{ id: 'a' }, { id: 'b' }],
    });
    expect(body).toEqual({
      schemas: [URN.listResponse],
      totalResults: 2,
      itemsPerPage: 2,
      startIndex: 1,
      Resources: [{ id: 'a' }, { id: 'b' }],
    });
  });

  it('gives an empty page a Resources array', () => {
    expect(normaliseResponseBody({ schemas: URN.listResponse, totalResults: 0 })).toEqual({
      schemas: [URN.listResponse],
      totalResults: 0,
      Resources: [],
    });
  });

  it('makes an error status a string and canonicalises bulk Operations', () => {
    expect(
      normaliseResponseBody({ schemas: [URN.error], Status: 409, scimtype: 'uniqueness' }),
    ).toEqual({
      schemas: [URN.error],
      status: '409',
      scimType: 'uniqueness',
    });
    expect(normaliseResponseBody({ schemas: [URN.bulkResponse], operations: [] })).toEqual({
      schemas: [URN.bulkResponse],
      Operations: [],
    });
  });

  it('leaves resources alone', () => {
    const user = {
      schemas: [URN.user],
      id: '1',
      userName: 'ada',
      status: 'x',
      resources: ['custom'],
    };
    expect(normaliseResponseBody(user)).toEqual(user);
    // A list without the schema URN is still recognised by its array-valued Resources.
    expect(normaliseResponseBody({ resources: [{ id: 'a' }] })).toEqual({
      Resources: [{ id: 'a' }],
    });
  });

  it('renames keys case-insensitively without touching exact ones', () => {
    expect(canonicaliseMessageKeys({ RESOURCES: [1] }, ['Resources'])).toEqual({ Resources: [1] });
    const same = { Resources: [] };
    expect(canonicaliseMessageKeys(same, ['Resources'])).toBe(same);
  });
});
