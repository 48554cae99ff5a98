import { describe, expect, it } from 'vitest';
import { compileMapping, MANAGER_TARGET } from '../../../../engine/mapping/compile';
import { MappingError } from '../../../../shared/mapping/errors';
import { parseMappingSpec, type MappingSpec } from '../../../../shared/mapping/spec';
import { attr, str } from '../../../../shared/scim/schemas/attribute';
import { USER_SCHEMA } from '../../../../shared/scim/schemas/user';
import type { ScimSchema } from '../../../../shared/scim/types';
import type { CsvRow, MappedRow } from '../../../../shared/import/types';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const HEADERS = [
  'Employee ID',
  'First Name',
  'Middle Name',
  'Last Name',
  'Work Email',
  'Status',
  'Groups',
  'Manager ID',
  'Job Title',
  'Contractor',
];

const spec = (json: object): MappingSpec => parseMappingSpec({ version: 1, ...json });

let rowNo = 0;
/** A CSV row from a record of header → cell. */
function row(cells: Partial<Record<string, string>>, headers = HEADERS): CsvRow {
  rowNo++;
  return { row: rowNo, line: rowNo + 1, cells: headers.map((h) => cells[h] ?? '') };
}

/** The cell of `target` in a mapped row. */
function cell(
  compiled: ReturnType<typeof compileMapping>,
  mapped: MappedRow,
  target: string,
): unknown {
  const i = compiled.targets.findIndex((t) => t.header === target);
  if (i < 0) throw new Error(`no target ${target}`);
  return mapped.cells[i];
}

/** The problems compileMapping reports, as `path: message`. */
function compileProblems(s: MappingSpec, headers = HEADERS, schemas?: ScimSchema[]): string[] {
  try {
    compileMapping(s, headers, schemas ? { schemas } : {});
  } catch (e) {
    if (e instanceof MappingError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected compile problems');
}

describe('compileMapping: targets and sources', () => {
  const m = compileMapping(
    spec({
      attributes: [
        { target: 'userName', source: { column: 'Work Email' }, transforms: ['lower'] },
        { target: 'name.givenName', source: { column: 'first name' } },
        { target: 'emails[type eq "work"].value', source: { column: 'Work Email' } },
        {
          target: 'displayName',
          source: { template: '{First Name} {Middle Name?} {Last Name}' },
          transforms: ['collapseWhitespace'],
        },
        {
          target: 'name.formatted',
          source: { template: '{Last Name}, {First Name}' },
        },
        { target: 'nickName', source: { columns: ['Middle Name', 'First Name'] } },
        { target: 'userType', source: { constant: 'Employee' } },
        { target: `${ENT}:employeeNumber`, source: { column: 'Employee ID' } },
      ],
    }),
    HEADERS,
    { file: 'hr.csv' },
  );

  it('parses targets as columns and lists their sources', () => {
    expect(m.targets.map((t) => t.header)).toEqual([
      'userName',
      'name.givenName',
      'emails[type eq "work"].value',
      'displayName',
      'name.formatted',
      'nickName',
      'userType',
      `${ENT}:employeeNumber`,
    ]);
    expect(m.targets[2]?.path).toEqual({
      kind: 'valueFilter',
      attr: 'emails',
      selector: { by: 'type', type: 'work' },
      subAttr: 'value',
    });
    expect(m.sources).toEqual([
      ['Work Email'],
      ['First Name'],
      ['Work Email'],
      ['First Name', 'Middle Name', 'Last Name'],
      ['Last Name', 'First Name'],
      ['Middle Name', 'First Name'],
      [],
      ['Employee ID'],
    ]);
    expect(m.resourceType).toBe('User');
    expect(m.skipLines).toBe(0);
  });

  it('maps a row: transforms, templates, coalesce, constants, trimming', () => {
    const r = m.mapRow(
      row({
        'Employee ID': ' 1001 ',
        'First Name': 'Ada',
        'Last Name': 'Lovelace',
        'Work Email': 'Ada@Example.com',
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.cells).toEqual([
      'ada@example.com',
      'Ada',
      'Ada@Example.com',
      'Ada Lovelace',
      'Lovelace, Ada',
      'Ada',
      'Employee',
      '1001',
    ]);
    expect(r.groups).toBeUndefined();
    expect(r.manager).toBeUndefined();
  });

  it('a template with an empty required column is empty', () => {
    const r = m.mapRow(row({ 'First Name': 'Ada', 'Middle Name': 'King' }));
    expect(cell(m, r, 'displayName')).toBeUndefined();
    expect(cell(m, r, 'name.formatted')).toBeUndefined();
    expect(cell(m, r, 'nickName')).toBe('King');
  });

  it('uses default match keys that are mapped (userName; no externalId)', () => {
    expect(m.matchKeys).toEqual([['userName']]);
  });

  it('does not trim cells when trim is false', () => {
    const raw = compileMapping(
      spec({ trim: false, attributes: [{ target: 'title', source: { column: 'Job Title' } }] }),
      HEADERS,
    );
    expect(raw.mapRow(row({ 'Job Title': ' CEO ' })).cells).toEqual([' CEO ']);
  });
});

describe('compileMapping: empty policies', () => {
  const m = compileMapping(
    spec({
      empty: 'clear',
      attributes: [
        { target: 'title', source: { column: 'Job Title' }, empty: 'keep' },
        { target: 'nickName', source: { column: 'Middle Name' } },
        { target: 'userType', source: { column: 'Status' }, empty: { default: 'Staff' } },
        { target: 'displayName', source: { column: 'First Name' }, empty: { default: '' } },
      ],
    }),
    HEADERS,
  );
  it('keep → undefined, clear → null, default → the text', () => {
    expect(m.mapRow(row({})).cells).toEqual([undefined, null, 'Staff', undefined]);
    expect(m.mapRow(row({ 'Job Title': 'CEO', Status: 'x' })).cells[0]).toBe('CEO');
  });
  it('a value that transforms to empty is empty', () => {
    const t = compileMapping(
      spec({
        attributes: [
          {
            target: 'title',
            source: { column: 'Job Title' },
            transforms: [{ op: 'lookup', table: { '-': '' } }],
            empty: 'clear',
          },
        ],
      }),
      HEADERS,
    );
    expect(t.mapRow(row({ 'Job Title': '-' })).cells).toEqual([null]);
    expect(t.mapRow(row({ 'Job Title': '   ' })).cells).toEqual([null]);
  });
});

describe('compileMapping: active', () => {
  const m = compileMapping(
    spec({
      attributes: [{ target: 'userName', source: { column: 'Work Email' } }],
      active: { column: 'Status' },
    }),
    HEADERS,
    { file: 'hr.csv' },
  );
  const active = (status: string) => m.mapRow(row({ Status: status }));

  it('adds the active target and reads the default status words', () => {
    expect(m.targets.map((t) => t.header)).toEqual(['userName', 'active']);
    expect(m.sources[1]).toEqual(['Status']);
    for (const w of ['Active', 'ENABLED', 'true', '1', 'Yes', 'y']) {
      expect(active(w).cells[1]).toBe('true');
    }
    for (const w of ['Terminated', 'inactive', 'Disabled', 'SUSPENDED', 'false', '0', 'No', 'n']) {
      expect(active(w).cells[1]).toBe('false');
    }
    expect(active('').cells[1]).toBeUndefined();
  });

  it('an unknown status is a row problem naming row, column and value', () => {
    const r = active('On Leave');
    expect(r.cells[1]).toBeUndefined();
    expect(r.problems).toEqual([
      {
        file: 'hr.csv',
        line: r.line,
        row: r.row,
        column: 'Status',
        value: 'On Leave',
        code: 'unknown_status',
        severity: 'error',
        message: expect.stringContaining(
          `Row ${r.row}, active from "Status": "On Leave" is not a known status`,
        ) as string,
        nextStep: expect.stringContaining('trueWords or falseWords') as string,
      },
    ]);
  });

  it('custom words replace the defaults (an inverted "Block sign in" column)', () => {
    const inverted = compileMapping(
      spec({ active: { column: 'Status', trueWords: ['No'], falseWords: ['Yes'] } }),
      HEADERS,
    );
    expect(inverted.mapRow(row({ Status: 'yes' })).cells).toEqual(['false']);
    expect(inverted.mapRow(row({ Status: 'No' })).cells).toEqual(['true']);
    expect(inverted.mapRow(row({ Status: 'Active' })).problems[0]?.code).toBe('unknown_status');
  });

  it('words compare without case, accents, underscores or hyphens', () => {
    const okta = compileMapping(
      spec({ active: { column: 'Status', trueWords: ['LOCKED_OUT'], falseWords: ['désactivé'] } }),
      HEADERS,
    );
    expect(okta.mapRow(row({ Status: 'Locked-out' })).cells).toEqual(['true']);
    expect(okta.mapRow(row({ Status: 'DESACTIVE' })).cells).toEqual(['false']);
  });
});

describe('compileMapping: boolean attributes', () => {
  const schemas: ScimSchema[] = [
    {
      id: 'urn:example:params:scim:schemas:extension:acme:2.0:User',
      attributes: [attr('isContractor', 'boolean', 'Contractor?'), str('badge', 'Badge')],
    },
  ];
  const target = 'urn:example:params:scim:schemas:extension:acme:2.0:User:isContractor';
  const m = compileMapping(
    spec({
      attributes: [
        { target, source: { column: 'Contractor' }, empty: { default: 'no' } },
        { target: 'emails[type eq "work"].primary', source: { constant: 'yes' } },
      ],
    }),
    HEADERS,
    { schemas },
  );
  it('writes yes/no words as true/false, defaults included', () => {
    expect(m.mapRow(row({ Contractor: 'Y' })).cells).toEqual(['true', 'true']);
    expect(m.mapRow(row({ Contractor: '0' })).cells).toEqual(['false', 'true']);
    expect(m.mapRow(row({})).cells).toEqual(['false', 'true']);
  });
  it('other words are an invalid_boolean row problem', () => {
    const r = m.mapRow(row({ Contractor: 'maybe' }));
    expect(r.problems.map((p) => p.code)).toEqual(['invalid_boolean']);
    expect(r.cells[0]).toBeUndefined();
  });
  it('a default that is not a yes/no word is a compile problem', () => {
    expect(
      compileProblems(
        spec({
          attributes: [{ target, source: { column: 'Contractor' }, empty: { default: 'x' } }],
        }),
        HEADERS,
        schemas,
      ),
    ).toEqual([
      expect.stringMatching(/^attributes\[0\]\.empty\.default: "x" is not a yes\/no value/),
    ]);
  });
});

describe('compileMapping: transform failures', () => {
  it('a failing transform invalidates the cell, not the run', () => {
    const m = compileMapping(
      spec({
        attributes: [
          { target: 'userName', source: { column: 'Work Email' } },
          {
            target: 'title',
            source: { column: 'Job Title' },
            transforms: [{ op: 'lookup', table: { a: 'A' }, otherwise: 'error' }],
          },
          {
            target: 'displayName',
            source: { template: '{First Name} {Last Name}' },
            transforms: [{ op: 'number', decimal: '.' }],
          },
        ],
      }),
      HEADERS,
      { file: 'in.csv' },
    );
    const bad = m.mapRow(
      row({ 'Work Email': 'a@x', 'Job Title': 'zz', 'First Name': 'A', 'Last Name': 'B' }),
    );
    expect(bad.cells).toEqual(['a@x', undefined, undefined]);
    expect(bad.problems.map((p) => [p.code, p.column, p.value])).toEqual([
      ['transform_failed', 'Job Title', 'zz'],
      ['transform_failed', undefined, 'A B'],
    ]);
    expect(bad.problems[1]?.message).toBe(
      `Row ${bad.row}, displayName from "First Name", "Last Name": "A B" is not a number with "." as the decimal mark.`,
    );
    const good = m.mapRow(row({ 'Work Email': 'b@x', 'Job Title': 'a' }));
    expect(good.problems).toEqual([]);
    expect(good.cells).toEqual(['b@x', 'A', undefined]);
  });

  it('row problems name the CSV file, errors the mapping file', () => {
    const s = spec({ active: { column: 'Status' } });
    const m = compileMapping(s, HEADERS, { file: 'map.json', csvFile: 'people.csv' });
    expect(m.mapRow(row({ Status: '?' })).problems[0]?.file).toBe('people.csv');
    expect(() => compileMapping(s, ['x'], { file: 'map.json', csvFile: 'people.csv' })).toThrow(
      /^The mapping map\.json has a problem/,
    );
  });

  it('shortens long values in problems', () => {
    const m = compileMapping(
      spec({
        attributes: [
          {
            target: 'title',
            source: { column: 'Job Title' },
            transforms: [{ op: 'regexReplace', pattern: 'x', replacement: 'y' }],
          },
        ],
      }),
      HEADERS,
    );
    const r = m.mapRow(row({ 'Job Title': 'x'.repeat(5000) }));
    expect(r.problems[0]?.value).toHaveLength(200);
  });
});

describe('compileMapping: groups', () => {
  const groups = (json: object, cellText: string): string[] | undefined =>
    compileMapping(spec({ groups: { column: 'Groups', ...json } }), HEADERS).mapRow(
      row({ Groups: cellText }),
    ).groups;

  it('splits on ; with the export escapes, trims, drops blanks and duplicates', () => {
    expect(groups({}, ' Sales ; Admins;;sales; Ops\\;Dev ')).toEqual([
      'Sales',
      'Admins',
      'Ops;Dev',
    ]);
    expect(groups({}, 'a\\\\b')).toEqual(['a\\b']);
  });
  it('accepts , and | delimiters', () => {
    expect(groups({ delimiter: ',' }, 'Sales, Admins,SALES')).toEqual(['Sales', 'Admins']);
    expect(groups({ delimiter: '|' }, 'A|B| |b')).toEqual(['A', 'B']);
  });
  it('keeps spaces when trim is false', () => {
    expect(groups({ delimiter: ',', trim: false }, 'A, B')).toEqual(['A', ' B']);
  });
  it('an empty cell leaves memberships alone, or clears them', () => {
    expect(groups({}, '')).toBeUndefined();
    expect(groups({ empty: 'clear' }, '')).toEqual([]);
  });
  it('reports the mode, default add', () => {
    expect(compileMapping(spec({ groups: { column: 'Groups' } }), HEADERS).groups).toEqual({
      mode: 'add',
      column: 'Groups',
    });
    expect(
      compileMapping(spec({ groups: { column: 'groups', mode: 'sync' } }), HEADERS).groups,
    ).toEqual({ mode: 'sync', column: 'Groups' });
  });
});

describe('compileMapping: manager', () => {
  const m = compileMapping(
    spec({
      attributes: [{ target: `${ENT}:employeeNumber`, source: { column: 'Employee ID' } }],
      manager: { column: 'Manager ID', by: 'employeeNumber', transforms: ['upper'] },
    }),
    HEADERS,
  );
  it('adds the manager.value target holding the raw key, and MappedRow.manager', () => {
    expect(m.targets.map((t) => t.header)).toEqual([`${ENT}:employeeNumber`, MANAGER_TARGET]);
    expect(m.manager).toEqual({ by: 'employeeNumber', target: 1 });
    const r = m.mapRow(row({ 'Employee ID': 'e2', 'Manager ID': 'e1' }));
    expect(r.cells).toEqual(['e2', 'E1']);
    expect(r.manager).toEqual({ by: 'employeeNumber', value: 'E1' });
  });
  it('an empty manager cell sets no manager', () => {
    const r = m.mapRow(row({ 'Employee ID': 'e2' }));
    expect(r.manager).toBeUndefined();
    expect(r.cells[1]).toBeUndefined();
    const clear = compileMapping(
      spec({ manager: { column: 'Manager ID', by: 'email', empty: 'clear' } }),
      HEADERS,
    );
    expect(clear.mapRow(row({})).cells).toEqual([null]);
  });
  it('the manager target cannot also be mapped as an attribute', () => {
    expect(
      compileProblems(
        spec({
          attributes: [{ target: MANAGER_TARGET, source: { column: 'Manager ID' } }],
          manager: { column: 'Manager ID', by: 'userName' },
        }),
      ),
    ).toEqual([
      `manager: "${MANAGER_TARGET}" is already mapped by attributes[0]; a target can be mapped once`,
    ]);
  });
});

describe('compileMapping: match keys', () => {
  const attributes = [
    { target: 'externalId', source: { column: 'Employee ID' } },
    { target: 'userName', source: { column: 'Work Email' } },
    { target: 'Emails[Type eq "work"].Value', source: { column: 'Work Email' } },
  ];
  it('default: externalId then userName', () => {
    expect(compileMapping(spec({ attributes }), HEADERS).matchKeys).toEqual([
      ['externalId'],
      ['userName'],
    ]);
  });
  it('explicit keys are normalised to the target headers', () => {
    const m = compileMapping(
      spec({
        attributes,
        match: { keys: [['emails[type eq "work"].value'], ['USERNAME', 'externalid']] },
      }),
      HEADERS,
    );
    expect(m.matchKeys).toEqual([['Emails[Type eq "work"].Value'], ['userName', 'externalId']]);
  });
  it('a key that is not a target is a problem', () => {
    expect(
      compileProblems(spec({ attributes, match: { keys: [['displayName'], ['name.']] } })),
    ).toEqual([
      'match.keys[0][0]: "displayName" is not a target of this mapping; map it, or remove it from the match keys',
      'match.keys[1][0]: "name." is not a target of this mapping; map it, or remove it from the match keys',
    ]);
  });
  it('groups default to externalId then displayName', () => {
    const g = compileMapping(
      spec({
        resourceType: 'Group',
        attributes: [
          { target: 'displayName', source: { column: 'Groups' } },
          { target: 'members', source: { column: 'Employee ID' } },
        ],
      }),
      HEADERS,
    );
    expect(g.matchKeys).toEqual([['displayName']]);
    expect(g.targets[1]?.path).toEqual({ kind: 'members' });
  });
});

describe('compileMapping: problems', () => {
  it('lists every problem at once, with suggestions', () => {
    const problems = compileProblems(
      spec({
        attributes: [
          { target: 'userName', source: { column: 'Work Emial' } },
          { target: 'name.givnName', source: { column: 'First Name' } },
          { target: 'givenName', source: { column: 'First Name' } },
          { target: 'employeeNumber', source: { column: 'Employee ID' } },
          { target: 'username', source: { column: 'Work Email' } },
          { target: 'displayName', source: { template: '{First Name} {Lastname}' } },
          { target: 'nickName', source: { columns: ['Nick', 'First Name'] } },
          { target: 'id', source: { column: 'Employee ID' } },
          { target: 'groups', source: { column: 'Groups' } },
          { target: 'meta.created', source: { column: 'Status' } },
          { target: 'members', source: { column: 'Status' } },
          { target: `${ENT}:manager.displayName`, source: { column: 'Status' } },
          { target: 'urn:example:unknown:User:badge', source: { column: 'Status' } },
          { target: 'name', source: { column: 'First Name' } },
          { target: 'emails[value eq "x"].value', source: { column: 'Work Email' } },
        ],
        active: { column: 'Stat' },
        groups: { column: 'Group' },
        manager: { column: 'Manager', by: 'employeeNumber' },
      }),
    );
    expect(problems).toEqual([
      'attributes[0].source.column: there is no CSV column "Work Emial" (did you mean "Work Email"?)',
      'attributes[1].target: "name" has no sub-attribute "givnName" (it has formatted, familyName, givenName, middleName, honorificPrefix, honorificSuffix)',
      'attributes[2].target: "givenName" is not an attribute of Users (did you mean "name.givenName"?)',
      `attributes[3].target: "employeeNumber" is an attribute of the extension ${ENT}; write "${ENT}:employeeNumber"`,
      'attributes[4].target: "username" is already mapped by attributes[0]; a target can be mapped once',
      'attributes[5].source.template: the template refers to a missing column: there is no CSV column "Lastname" (did you mean "Last Name"?)',
      'attributes[6].source.columns[0]: there is no CSV column "Nick"',
      'attributes[7].target: "id" is set by the server and cannot be imported',
      'attributes[8].target: group memberships are mapped with the "groups" section of the mapping, not as an attribute',
      'attributes[9].target: "meta" is set by the server and cannot be imported',
      'attributes[10].target: "members" is an attribute of groups, not of users',
      `attributes[11].target: "${ENT}:manager.displayName" is read-only on the server`,
      'attributes[12].target: no schema "urn:example:unknown:User" is known for Users (the server does not list it)',
      expect.stringMatching(
        /^attributes\[13\]\.target: The column "name" is not a valid SCIM attribute path: "name" is complex/,
      ),
      expect.stringMatching(
        /^attributes\[14\]\.target: The column .* the value filter \[value eq "x"\] is not supported/,
      ),
      'active.column: there is no CSV column "Stat" (did you mean "Status"?)',
      'manager.column: there is no CSV column "Manager" (did you mean "Manager ID"?)',
      'groups.column: there is no CSV column "Group" (did you mean "Groups"?)',
    ]);
  });

  it('checks targets against the server schemas, not only the built-in ones', () => {
    const lean: ScimSchema = {
      ...USER_SCHEMA,
      attributes: USER_SCHEMA.attributes.filter((a) => a.name !== 'nickName'),
    };
    expect(
      compileProblems(
        spec({ attributes: [{ target: 'nickName', source: { column: 'First Name' } }] }),
        HEADERS,
        [lean],
      ),
    ).toEqual([
      expect.stringMatching(/^attributes\[0\]\.target: "nickName" is not an attribute of Users/),
    ]);
  });

  it('validates a spec built in code', () => {
    const bad = {
      version: 1,
      resourceType: 'User',
      attributes: [
        { target: 'title', source: { column: 'Job Title' }, transforms: [{ op: 'nope' }] },
      ],
    } as unknown as MappingSpec;
    expect(() => compileMapping(bad, HEADERS)).toThrow(MappingError);
  });

  it('group memberships are for users only', () => {
    expect(compileProblems(spec({ resourceType: 'Group', groups: { column: 'Groups' } }))).toEqual([
      'groups: group memberships can be mapped for users only',
    ]);
  });

  it('the error is an AppError with a next step and the paths as fields', () => {
    try {
      compileMapping(
        spec({ attributes: [{ target: 'title', source: { column: 'X' } }] }),
        HEADERS,
        {
          file: 'm.json',
        },
      );
      expect.unreachable();
    } catch (e) {
      const p = (e as MappingError).toPayload();
      expect(p.code).toBe('config');
      expect(p.message).toBe(
        'The mapping m.json has a problem: attributes[0].source.column: there is no CSV column "X"',
      );
      expect(p.fields).toEqual(['attributes[0].source.column']);
      expect(p.nextStep).toBeTruthy();
    }
  });
});

describe('compileMapping: optional mappings', () => {
  it('drops optional mappings whose columns are missing, with their match keys', () => {
    const m = compileMapping(
      spec({
        attributes: [
          { target: 'externalId', source: { column: 'id' }, optional: true },
          { target: 'userName', source: { column: 'Work Email' } },
          { target: 'nickName', source: { columns: ['Nick', 'First Name'] }, optional: true },
          { target: 'title', source: { template: '{Position}' }, optional: true },
        ],
        active: { column: 'Enabled', optional: true },
        groups: { column: 'Teams', optional: true },
        manager: { column: 'Boss', by: 'email', optional: true },
        match: { keys: [['externalId'], ['userName']] },
      }),
      HEADERS,
    );
    expect(m.targets.map((t) => t.header)).toEqual(['userName', 'nickName']);
    expect(m.sources).toEqual([['Work Email'], ['First Name']]);
    expect(m.matchKeys).toEqual([['userName']]);
    expect(m.groups).toBeUndefined();
    expect(m.manager).toBeUndefined();
    expect(m.ignored.map((i) => i.column)).toEqual([
      'id',
      '{Position}',
      'Enabled',
      'Boss',
      'Teams',
    ]);
    expect(m.ignored[0]?.reason).toBe('attributes[0] is optional and there is no CSV column "id"');
  });
});

describe('compileMapping: identity (a SCIM Porter export)', () => {
  const EXPORT = [
    'id',
    'externalId',
    'userName',
    'name.givenName',
    'displayName',
    'active',
    'emails[type eq "work"].value',
    'emails[type eq "work"].primary',
    'roles.value',
    `${ENT}:employeeNumber`,
    `${ENT}:manager.value`,
    'groups',
    'meta.created',
    'password',
    'x-custom',
  ];
  const m = compileMapping(
    spec({
      identity: true,
      trim: false,
      groups: { column: 'groups', mode: 'sync', optional: true },
    }),
    EXPORT,
  );
  it('maps every importable header to itself', () => {
    expect(m.targets.map((t) => t.header)).toEqual([
      'externalId',
      'userName',
      'name.givenName',
      'displayName',
      'active',
      'emails[type eq "work"].value',
      'emails[type eq "work"].primary',
      'roles.value',
      `${ENT}:employeeNumber`,
      `${ENT}:manager.value`,
    ]);
    expect(m.sources.map((s) => s[0])).toEqual(m.targets.map((t) => t.header));
    expect(m.groups).toEqual({ mode: 'sync', column: 'groups' });
    expect(m.matchKeys).toEqual([['externalId'], ['userName']]);
    expect(m.ignored.map((i) => i.column)).toEqual(['id', 'meta.created', 'password', 'x-custom']);
  });
  it('reads the exported cells back unchanged', () => {
    const r = m.mapRow({
      row: 1,
      line: 2,
      cells: [
        'abc',
        'ext-1',
        'ada',
        'Ada',
        '',
        'true',
        'ada@example.com',
        'True',
        'admin;dev\\;ops',
        '1001',
        'mgr-id',
        'Admins;R\\;D',
        '2020',
        'secret',
        'x',
      ],
    });
    expect(r.problems).toEqual([]);
    expect(r.cells).toEqual([
      'ext-1',
      'ada',
      'Ada',
      undefined,
      'true',
      'ada@example.com',
      'true',
      'admin;dev\\;ops',
      '1001',
      'mgr-id',
    ]);
    expect(r.groups).toEqual(['Admins', 'R;D']);
    expect(r.manager).toBeUndefined();
  });
  it('explicit attributes take precedence over identity columns', () => {
    const x = compileMapping(
      spec({
        identity: true,
        attributes: [{ target: 'userName', source: { column: 'userName' }, transforms: ['upper'] }],
      }),
      ['userName', 'displayName'],
    );
    expect(x.targets.map((t) => t.header)).toEqual(['userName', 'displayName']);
    expect(x.mapRow({ row: 1, line: 2, cells: ['ada', 'Ada'] }).cells).toEqual(['ADA', 'Ada']);
  });
});
