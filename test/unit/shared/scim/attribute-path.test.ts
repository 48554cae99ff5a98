import { describe, expect, it } from 'vitest';
import { isAttrPath, parseAttrPath, parsePatchPath } from '../../../../shared/scim/attribute-path';

describe('attribute paths (RFC 7644 §3.10)', () => {
  it('parses plain, sub-attribute and URN-prefixed paths', () => {
    expect(parseAttrPath('userName')).toEqual({ ok: true, path: { attr: 'userName' } });
    expect(parseAttrPath('name.givenName')).toEqual({
      ok: true,
      path: { attr: 'name', subAttr: 'givenName' },
    });
    expect(
      parseAttrPath('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value'),
    ).toEqual({
      ok: true,
      path: {
        uri: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        attr: 'manager',
        subAttr: 'value',
      },
    });
    expect(isAttrPath('$ref')).toBe(false);
    expect(isAttrPath('a-b_c1')).toBe(true);
    expect(isAttrPath('a b')).toBe(false);
  });

  it('parses PATCH paths with value filters', () => {
    expect(parsePatchPath('emails[type eq "work"].value')).toEqual({
      ok: true,
      path: { attr: 'emails', valueFilter: 'type eq "work"', subAttr: 'value' },
    });
    expect(parsePatchPath('members[value eq "a]b"]')).toEqual({
      ok: true,
      path: { attr: 'members', valueFilter: 'value eq "a]b"' },
    });
    expect(parsePatchPath('emails[type eq "work"').ok).toBe(false);
    expect(parsePatchPath('emails[]').ok).toBe(false);
    expect(parsePatchPath('emails[type eq "w"]x').ok).toBe(false);
    expect(parsePatchPath('name.givenName[x eq 1]').ok).toBe(false);
  });
});
