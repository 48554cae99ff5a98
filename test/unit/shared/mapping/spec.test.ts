import { describe, expect, it } from 'vitest';
import { MappingError } from '../../../../shared/mapping/errors';
import {
  parseMappingSpec,
  parseMappingSpecText,
  serializeMappingSpec,
  type MappingSpec,
} from '../../../../shared/mapping/spec';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The problems of an invalid spec, as `path: message`. */
function problemsOf(json: unknown): string[] {
  try {
    parseMappingSpec(json, 'm.json');
  } catch (e) {
    if (e instanceof MappingError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected the spec to be invalid');
}

const FULL: unknown = {
  version: 1,
  name: 'HR',
  description: 'Nightly HR feed',
  resourceType: 'User',
  skipLines: 0,
  trim: true,
  empty: 'keep',
  attributes: [
    { target: 'userName', source: { column: 'Work Email' }, transforms: ['trim', 'lower'] },
    { target: 'name.givenName', source: { columns: ['Preferred Name', 'First Name'] } },
    {
      target: 'displayName',
      source: { template: '{First Name} {Middle Name?} {Last Name}' },
      transforms: ['collapseWhitespace'],
    },
    { target: 'userType', source: { constant: 'Employee' } },
    {
      target: 'title',
      source: { column: 'Job Title' },
      empty: 'clear',
      transforms: [
        { op: 'regexReplace', pattern: '^Sr\\.?\\s', flags: 'i', replacement: 'Senior ' },
        { op: 'lookup', table: { CEO: 'Chief Executive Officer' }, caseInsensitive: true },
      ],
    },
    {
      target: `${ENT}:costCenter`,
      source: { column: 'Cost Center' },
      empty: { default: 'n/a' },
      optional: true,
      transforms: [{ op: 'split', delimiter: '-', index: 0 }],
    },
  ],
  active: { column: 'Status', trueWords: ['Active', 'On Leave'], falseWords: ['Terminated'] },
  groups: { column: 'Groups', delimiter: '|', mode: 'sync', trim: true, empty: 'clear' },
  manager: { column: 'Manager ID', by: 'employeeNumber', transforms: ['trim'] },
  match: { keys: [[`${ENT}:employeeNumber`], ['userName']] },
};

describe('parseMappingSpec', () => {
  it('reads a full spec and expands transform shorthands', () => {
    const spec = parseMappingSpec(FULL);
    expect(spec.attributes[0]?.transforms).toEqual([{ op: 'trim' }, { op: 'lower' }]);
    expect(spec.groups).toEqual({
      column: 'Groups',
      delimiter: '|',
      mode: 'sync',
      trim: true,
      empty: 'clear',
    });
    expect(spec.manager?.transforms).toEqual([{ op: 'trim' }]);
  });

  it('fills in defaults: resourceType User, no attributes', () => {
    expect(parseMappingSpec({ version: 1 })).toEqual({
      version: 1,
      resourceType: 'User',
      attributes: [],
    });
  });

  it('accepts a single date format and normalises it to a list', () => {
    const spec = parseMappingSpec({
      version: 1,
      attributes: [
        {
          target: 'title',
          source: { column: 'Hire Date' },
          transforms: [{ op: 'date', from: 'M/D/YYYY', to: 'iso-date' }],
        },
      ],
    });
    expect(spec.attributes[0]?.transforms).toEqual([
      { op: 'date', from: ['M/D/YYYY'], to: 'iso-date' },
    ]);
  });

  it('names the JSON path of every problem at once', () => {
    const problems = problemsOf({
      version: 2,
      atributes: [],
      attributes: [
        { target: '', source: { colum: 'x' } },
        { target: 'title', source: { column: 'T' }, transforms: ['trimm'] },
        {
          target: 'title',
          source: { column: 'T' },
          transforms: [{ op: 'regexReplace', pattern: '(', replacement: '' }],
        },
        {
          target: 'title',
          source: { column: 'T' },
          transforms: [{ op: 'regexReplace', pattern: '(a+)+$', replacement: '' }],
        },
        { target: 'title', source: { template: '{First' } },
        {
          target: 'title',
          source: { column: 'T' },
          transforms: [{ op: 'date', from: ['Q/D/YYYY'], to: 'iso-date' }],
        },
        { target: 'title', source: { column: 'T' }, empty: 'drop' },
      ],
      active: { column: 'S', trueWords: ['Yes'], falseWords: ['yes'] },
      groups: { column: 'G', delimiter: '/' },
      manager: { column: 'M', by: 'displayName' },
      match: { keys: [[]] },
    });
    const text = problems.join('\n');
    expect(text).toContain('version: must be 1');
    expect(text).toContain('(spec): unknown field "atributes"');
    expect(text).toContain('attributes[0].target: must not be empty');
    expect(text).toContain('attributes[0].source: must be one of');
    expect(text).toContain('attributes[1].transforms[0].op: "op" must be one of trim, lower');
    expect(text).toContain('attributes[2].transforms[0].pattern: the pattern is not a valid');
    expect(text).toContain('attributes[3].transforms[0].pattern: the pattern repeats a group');
    expect(text).toContain('attributes[4].source.template: the template is not valid');
    expect(text).toContain('attributes[5].transforms[0].from[0]: "Q/D/YYYY" is not a date format');
    expect(text).toContain('attributes[6].empty: must be "keep", "clear"');
    expect(text).toContain('active: "yes" cannot mean both true and false');
    expect(text).toContain('groups.delimiter');
    expect(text).toContain('manager.by');
    expect(text).toContain('match.keys[0]: a key must name at least one target');
  });

  it('throws an AppError of code config that names the file', () => {
    try {
      parseMappingSpec({ version: 1, attributes: 'x' }, 'hr.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MappingError);
      const err = e as MappingError;
      expect(err.code).toBe('config');
      expect(err.message).toMatch(/^The mapping hr\.json has a problem: attributes: /);
      expect(err.toPayload().fields).toEqual(['attributes']);
    }
  });

  it('reports text that is not JSON', () => {
    expect(() => parseMappingSpecText('{ "version": 1,', 'x.json')).toThrow(
      /The mapping x\.json has a problem: \(spec\): it is not valid JSON/,
    );
    expect(parseMappingSpecText('{"version":1}').resourceType).toBe('User');
  });
});

describe('serializeMappingSpec', () => {
  it('round-trips: parse(serialize(spec)) equals spec', () => {
    const spec = parseMappingSpec(FULL);
    const text = serializeMappingSpec(spec);
    expect(parseMappingSpecText(text)).toEqual(spec);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes keys in a fixed order and simple transforms by name', () => {
    const spec: MappingSpec = {
      match: { keys: [['userName']] },
      attributes: [
        { target: 'userName', source: { column: 'Login' }, transforms: [{ op: 'lower' }] },
      ],
      resourceType: 'User',
      version: 1,
    };
    const text = serializeMappingSpec(spec);
    expect(Object.keys(JSON.parse(text) as object)).toEqual([
      'version',
      'resourceType',
      'attributes',
      'match',
    ]);
    expect(text).toContain('"transforms": [\n        "lower"\n      ]');
    expect(parseMappingSpecText(text)).toEqual(spec);
  });
});
