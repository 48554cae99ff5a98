import { describe, expect, it } from 'vitest';
import {
  ColumnHeaderError,
  columnKey,
  formatColumnHeader,
  joinMultiValue,
  parseColumnHeader,
  parseColumnSelection,
  splitMultiValue,
  type ParsedColumnPath,
} from '../../../../shared/columns/columns';
import { attr } from '../../../../shared/scim/schemas/attribute';
import type { ScimSchema } from '../../../../shared/scim/types';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function pathOf(header: string): ParsedColumnPath {
  return parseColumnHeader(header).path;
}

/** The error a header raises, or undefined. */
function errorOf(header: string): ColumnHeaderError | undefined {
  try {
    parseColumnHeader(header);
  } catch (e) {
    if (e instanceof ColumnHeaderError) return e;
    throw e;
  }
  return undefined;
}

describe('parseColumnHeader', () => {
  it('parses simple and complex single-valued attributes', () => {
    expect(pathOf('userName')).toEqual({ kind: 'single', attr: 'userName' });
    expect(pathOf('active')).toEqual({ kind: 'single', attr: 'active' });
    expect(pathOf('name.givenName')).toEqual({
      kind: 'single',
      attr: 'name',
      subAttr: 'givenName',
    });
  });

  it('parses value-filter columns by type and the untyped primary', () => {
    expect(pathOf('emails[type eq "work"].value')).toEqual({
      kind: 'valueFilter',
      attr: 'emails',
      selector: { by: 'type', type: 'work' },
      subAttr: 'value',
    });
    expect(pathOf('addresses[type eq "work"].locality')).toMatchObject({
      selector: { by: 'type', type: 'work' },
      subAttr: 'locality',
    });
    expect(pathOf('emails[primary eq true].value')).toEqual({
      kind: 'valueFilter',
      attr: 'emails',
      selector: { by: 'primary' },
      subAttr: 'value',
    });
    expect(pathOf('Emails[TYPE EQ "Work"].Value')).toEqual({
      kind: 'valueFilter',
      attr: 'Emails',
      selector: { by: 'type', type: 'Work' },
      subAttr: 'Value',
    });
    expect(pathOf('emails[type eq "a \\"b\\" ] c"].value')).toMatchObject({
      selector: { by: 'type', type: 'a "b" ] c' },
    });
  });

  it('parses extension attributes by full URN', () => {
    expect(pathOf(`${ENT}:employeeNumber`)).toEqual({
      kind: 'single',
      uri: ENT,
      attr: 'employeeNumber',
    });
    expect(pathOf(`${ENT}:manager.value`)).toEqual({
      kind: 'single',
      uri: ENT,
      attr: 'manager',
      subAttr: 'value',
    });
  });

  it('drops the core schema URN prefix', () => {
    expect(pathOf('urn:ietf:params:scim:schemas:core:2.0:User:userName')).toEqual({
      kind: 'single',
      attr: 'userName',
    });
    expect(pathOf('urn:ietf:params:scim:schemas:core:2.0:Group:displayName')).toEqual({
      kind: 'single',
      attr: 'displayName',
    });
  });

  it('knows multi-valued attributes from the schemas: joined columns', () => {
    expect(pathOf('roles.value')).toEqual({ kind: 'joined', attr: 'roles', subAttr: 'value' });
    expect(pathOf('x509Certificates.value')).toMatchObject({ kind: 'joined' });
    // A multi-valued complex attribute named alone means its values.
    expect(pathOf('entitlements')).toEqual({
      kind: 'joined',
      attr: 'entitlements',
      subAttr: 'value',
    });
    // Unknown attributes are single-valued unless a schema says otherwise.
    expect(pathOf('urn:example:acme:User:tags')).toEqual({
      kind: 'single',
      uri: 'urn:example:acme:User',
      attr: 'tags',
    });
    const acme: ScimSchema = {
      id: 'urn:example:acme:User',
      attributes: [attr('tags', 'string', 'Tags.', { multiValued: true })],
    };
    expect(parseColumnHeader('urn:example:acme:User:tags', { schemas: [acme] }).path).toEqual({
      kind: 'joined',
      uri: 'urn:example:acme:User',
      attr: 'tags',
    });
  });

  it('parses the special groups and members columns', () => {
    expect(pathOf('groups')).toEqual({ kind: 'groups' });
    expect(pathOf('Members')).toEqual({ kind: 'members' });
  });

  it('keeps the header text (trimmed)', () => {
    expect(parseColumnHeader('  userName ').header).toBe('userName');
    // A byte-order mark left on the first header by a reader is white space to trim().
    expect(parseColumnHeader('\uFEFFid')).toEqual({
      header: 'id',
      path: { kind: 'single', attr: 'id' },
    });
  });

  it('rejects invalid headers with an error naming the header', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['user name', /white space/],
      ['$ref', /not a valid attribute name/],
      ['name.givenName.first', /more than one sub-attribute/],
      ['emails[type eq "work"]', /followed by a sub-attribute/],
      ['emails[type ne "work"].value', /not supported/],
      ['emails[value co "@x"].value', /not supported/],
      ['emails[type eq "work" and primary eq true].value', /not supported/],
      ['emails[primary eq false].value', /not supported/],
      ['emails[type eq work].value', /not supported/],
      ['emails[type eq ""].value', /empty type/],
      ['emails[type eq "work"', /without a matching/],
      ['name', /complex; name a part of it \(name\.formatted, name\.familyName/],
      ['name[type eq "x"].givenName', /not multi-valued/],
      [ENT, /names a schema/],
    ];
    for (const [header, reason] of cases) {
      const error = errorOf(header);
      expect(error, header).toBeInstanceOf(ColumnHeaderError);
      expect(error?.message).toContain(`"${header.trim()}"`);
      expect(error?.message).toMatch(reason);
      expect(error?.header).toBe(header.trim());
      expect(error?.code).toBe('config');
    }
  });
});

describe('formatColumnHeader', () => {
  it('round-trips canonical headers', () => {
    const headers = [
      'id',
      'userName',
      'name.givenName',
      'emails[type eq "work"].value',
      'emails[type eq "work"].primary',
      'phoneNumbers[type eq "mobile"].value',
      'addresses[type eq "work"].locality',
      'emails[primary eq true].value',
      'roles.value',
      `${ENT}:employeeNumber`,
      `${ENT}:manager.value`,
      'groups',
      'members',
      'emails[type eq "a\\"b\\\\c"].value',
    ];
    for (const header of headers) expect(formatColumnHeader(pathOf(header))).toBe(header);
  });

  it('quotes types the way the filter builder does', () => {
    expect(
      formatColumnHeader({
        kind: 'valueFilter',
        attr: 'emails',
        selector: { by: 'type', type: 'say "hi"' },
        subAttr: 'value',
      }),
    ).toBe('emails[type eq "say \\"hi\\""].value');
  });

  it('normalises filter spelling', () => {
    expect(formatColumnHeader(pathOf('emails[ type  EQ "work" ].value'))).toBe(
      'emails[type eq "work"].value',
    );
  });
});

describe('columnKey', () => {
  it('ignores letter case of names and types, not the column identity', () => {
    expect(columnKey(pathOf('Emails[type eq "Work"].VALUE'))).toBe(
      columnKey(pathOf('emails[type eq "work"].value')),
    );
    expect(columnKey(pathOf('emails[type eq "work"].value'))).not.toBe(
      columnKey(pathOf('emails[type eq "home"].value')),
    );
    expect(columnKey(pathOf('emails[primary eq true].value'))).not.toBe(
      columnKey(pathOf('emails[type eq "primary"].value')),
    );
    expect(columnKey(pathOf('groups'))).not.toBe(columnKey(pathOf('groups.value')));
  });
});

describe('parseColumnSelection', () => {
  it('accepts whole attributes and schema URNs as well as columns', () => {
    expect(parseColumnSelection('name')).toEqual({ kind: 'attribute', attr: 'name' });
    expect(parseColumnSelection('emails[type eq "work"]')).toEqual({
      kind: 'attribute',
      attr: 'emails',
      selector: { by: 'type', type: 'work' },
    });
    expect(parseColumnSelection(ENT)).toEqual({ kind: 'attribute', uri: ENT });
    expect(parseColumnSelection('urn:ietf:params:scim:schemas:core:2.0:User')).toEqual({
      kind: 'attribute',
    });
    expect(
      parseColumnSelection('urn:example:acme:2.0:User', ['urn:example:acme:2.0:User']),
    ).toEqual({ kind: 'attribute', uri: 'urn:example:acme:2.0:User' });
    expect(() => parseColumnSelection('emails[type gt 1]')).toThrow(ColumnHeaderError);
  });
});

describe('joined cells', () => {
  it('joins with ; and escapes ; and \\', () => {
    expect(joinMultiValue(['Admins', 'R&D; EU', 'C:\\share'])).toBe('Admins;R&D\\; EU;C:\\\\share');
    expect(joinMultiValue([])).toBe('');
    expect(joinMultiValue(['a\\;b'])).toBe('a\\\\\\;b');
  });

  it('splits what it joined', () => {
    expect(splitMultiValue('Admins;R&D\\; EU;C:\\\\share')).toEqual([
      'Admins',
      'R&D; EU',
      'C:\\share',
    ]);
    expect(splitMultiValue('')).toEqual([]);
    expect(splitMultiValue('a;;b;')).toEqual(['a', 'b']);
    // A backslash before anything else is kept as typed.
    expect(splitMultiValue('C:\\temp;x\\')).toEqual(['C:\\temp', 'x\\']);
  });

  it('round-trips every short list over a tricky alphabet', () => {
    const alphabet = ['a', ';', '\\', ' ', 'ë'];
    const words = [''];
    for (let n = 0; n < 3; n++)
      for (const w of [...words]) for (const c of alphabet) words.push(w + c);
    const nonEmpty = [...new Set(words)].filter((w) => w !== '');
    for (const a of nonEmpty) {
      for (const b of ['x', ';', '\\', '\\;', ';\\']) {
        expect(splitMultiValue(joinMultiValue([a, b]))).toEqual([a, b]);
      }
    }
  });
});
