import { describe, expect, it } from 'vitest';
import { parse } from 'scim2-parse-filter';
import {
  and,
  co,
  eq,
  ew,
  FilterBuildError,
  ge,
  gt,
  le,
  lookupFilterFor,
  lt,
  ne,
  not,
  or,
  pr,
  sw,
  valuePath,
} from '../../../../shared/scim/filter';

describe('filter builder', () => {
  it('builds every comparison operator with JSON literals', () => {
    expect(eq('userName', 'ada@example.com').text).toBe('userName eq "ada@example.com"');
    expect(ne('active', true).text).toBe('active ne true');
    expect(eq('manager', null).text).toBe('manager eq null');
    expect(co('displayName', 'Lov').text).toBe('displayName co "Lov"');
    expect(sw('userName', 'a').text).toBe('userName sw "a"');
    expect(ew('userName', '@x.org').text).toBe('userName ew "@x.org"');
    expect(gt('meta.lastModified', new Date('2024-01-02T03:04:05Z')).text).toBe(
      'meta.lastModified gt "2024-01-02T03:04:05.000Z"',
    );
    expect(ge('age', 18).text).toBe('age ge 18');
    expect(lt('score', 1.5).text).toBe('score lt 1.5');
    expect(le('score', -2).text).toBe('score le -2');
    expect(pr('title').text).toBe('title pr');
  });

  it('escapes tricky string values as JSON strings', () => {
    expect(eq('userName', 'say "hi"').text).toBe('userName eq "say \\"hi\\""');
    expect(eq('userName', 'back\\slash').text).toBe('userName eq "back\\\\slash"');
    expect(eq('displayName', 'Zoë 名前 🚀').text).toBe('displayName eq "Zoë 名前 🚀"');
    expect(eq('userName', 'line\nbreak').text).toBe('userName eq "line\\nbreak"');
    // Logical keywords inside a value stay inside the quotes: one comparison, not two.
    const f = eq('userName', 'a" or userName pr or "b');
    expect(f.text).toBe('userName eq "a\\" or userName pr or \\"b"');
    expect(parse(f.text)).toEqual({
      op: 'eq',
      attrPath: 'userName',
      compValue: 'a" or userName pr or "b',
    });
    expect(parse(eq('displayName', 'x and y').text)).toEqual({
      op: 'eq',
      attrPath: 'displayName',
      compValue: 'x and y',
    });
  });

  it('accepts URN-prefixed paths and sub-attributes, rejects invalid paths', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber';
    expect(eq(urn, '701984').text).toBe(`${urn} eq "701984"`);
    expect(eq('name.familyName', "O'Hara").text).toBe('name.familyName eq "O\'Hara"');
    for (const bad of [
      '',
      'user name',
      'userName eq "x" or id',
      '1abc',
      'a.b.c',
      'urn:ietf:params:scim:schemas:core:2.0:User:',
      'emails[type eq "work"]',
    ]) {
      expect(() => eq(bad, 'x')).toThrow(FilterBuildError);
    }
  });

  it('rejects value types the operator cannot compare', () => {
    expect(() => gt('active', true as unknown as number)).toThrow(FilterBuildError);
    expect(() => co('count', 3 as unknown as string)).toThrow(FilterBuildError);
    expect(() => eq('n', Number.NaN)).toThrow(FilterBuildError);
    expect(() => eq('d', new Date('nope'))).toThrow(FilterBuildError);
  });

  it('combines with and/or/not respecting precedence', () => {
    const f = and(
      eq('userName', 'a'),
      or(eq('title', 'x'), pr('nickName')),
      not(eq('active', false)),
    );
    expect(f.text).toBe(
      'userName eq "a" and (title eq "x" or nickName pr) and not (active eq false)',
    );
    expect(or(and(eq('a', 1), eq('b', 2)), eq('c', 3)).text).toBe('a eq 1 and b eq 2 or c eq 3');
    expect(and(eq('a', 1)).text).toBe('a eq 1');
    expect(() => and()).toThrow(FilterBuildError);
    // The library parser agrees on the structure.
    expect(parse(f.text)).toMatchObject({ op: 'and' });
  });

  it('builds value filters on multi-valued attributes', () => {
    const f = valuePath('emails', and(eq('type', 'work'), co('value', '@example.com')));
    expect(f.text).toBe('emails[type eq "work" and value co "@example.com"]');
    expect(and(eq('userName', 'x'), f).text).toBe(`userName eq "x" and ${f.text}`);
    expect(() => valuePath('name.givenName', eq('type', 'x'))).toThrow(FilterBuildError);
    expect(() => valuePath('emails', f)).toThrow(FilterBuildError);
  });

  it('derives lookup filters from unique keys', () => {
    expect(lookupFilterFor({ userName: 'ada@x', externalId: 'e1' })?.text).toBe(
      'userName eq "ada@x"',
    );
    expect(lookupFilterFor({ displayName: 'Admins' })?.text).toBe('displayName eq "Admins"');
    expect(lookupFilterFor({ title: 'x' })).toBeUndefined();
  });
});
