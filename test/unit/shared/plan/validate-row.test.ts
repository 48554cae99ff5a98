import { describe, expect, it } from 'vitest';
import type { DesiredCell } from '../../../../shared/import/types';
import {
  checkTargetsWritable,
  isEmailAddress,
  validateDesired,
  type ValidateOptions,
} from '../../../../engine/plan/validate-row';
import type { ScimSchema } from '../../../../shared/scim/types';
import { shorten } from '../../../../shared/util/shorten';
import {
  immutableChangeProblems,
  immutableChanges,
  readOnlyChangeProblems,
} from '../../../../engine/resources/write-rules';
import { attr } from '../../../../shared/scim/schemas/attribute';
import { ACME, ACME_SCHEMA, ENT, GROUP_TYPE, USER_TYPE, cols } from './helpers';

const BASE: ValidateOptions = {
  schemas: [ACME_SCHEMA],
  resourceType: USER_TYPE,
  forCreate: false,
  file: 'hr.csv',
  row: 12,
  line: 13,
};

/** Validates a header → { source column, cell } record. */
function check(
  row: Record<string, [string, DesiredCell]>,
  opts: Partial<ValidateOptions> = {},
): ReturnType<typeof validateDesired> {
  const headers = Object.keys(row);
  return validateDesired(
    cols(...headers),
    headers.map((h) => row[h]?.[1]),
    { ...BASE, sourceColumns: headers.map((h) => [row[h]?.[0] ?? '']), ...opts },
  );
}

describe('validateDesired: types', () => {
  it('reports a boolean that is not true or false, with the full location', () => {
    expect(check({ userName: ['Login', 'ada'], active: ['Active', 'yes'] })).toEqual([
      {
        file: 'hr.csv',
        line: 13,
        row: 12,
        column: 'Active',
        value: 'yes',
        code: 'not_boolean',
        severity: 'error',
        message: 'Row 12 has "yes" in column "Active"; active takes true or false.',
        nextStep:
          'Write true or false, or add a boolean transform to this column in the mapping (it turns yes/no, 1/0 and similar words into true and false).',
      },
    ]);
    expect(check({ active: ['Active', 'TRUE'] })).toEqual([]);
  });

  it('reports integers, decimals and dateTimes that do not parse', () => {
    const problems = check({
      [`${ACME}:level`]: ['Level', '3.5'],
      [`${ACME}:score`]: ['Score', '1,5'],
      [`${ACME}:startDate`]: ['Start', '31/01/2024'],
    });
    expect(problems.map((p) => [p.code, p.column, p.message])).toEqual([
      [
        'not_integer',
        'Level',
        `Row 12 has "3.5" in column "Level"; ${ACME}:level takes a whole number.`,
      ],
      ['not_decimal', 'Score', `Row 12 has "1,5" in column "Score"; ${ACME}:score takes a number.`],
      [
        'not_datetime',
        'Start',
        `Row 12 has "31/01/2024" in column "Start"; ${ACME}:startDate takes a date and time in ISO 8601 form, such as 2024-01-31T09:00:00Z.`,
      ],
    ]);
    expect(problems[2]?.nextStep).toBe(
      'Add a date transform to this column in the mapping, with the format the file uses (e.g. D.M.YYYY) and "to": "iso-datetime".',
    );
    expect(
      check({
        [`${ACME}:level`]: ['Level', '-3'],
        [`${ACME}:score`]: ['Score', '1e3'],
        [`${ACME}:startDate`]: ['Start', '2024-01-31T09:00:00.123+01:00'],
      }),
    ).toEqual([]);
    expect(check({ [`${ACME}:startDate`]: ['Start', '2023-02-29T00:00:00Z'] })[0]?.code).toBe(
      'not_datetime',
    );
  });

  it('checks each item of a joined cell and reports the first bad one', () => {
    const problems = check({ 'emails.value': ['Mails', 'a@x.example;nope;also bad'] });
    expect(problems.map((p) => [p.code, p.value])).toEqual([['invalid_email', 'nope']]);
  });

  it('names the target when no CSV column feeds it, and shortens long values', () => {
    const long = 'y'.repeat(300);
    const [problem] = validateDesired(cols('active'), [long], BASE);
    expect(problem?.message).toBe(
      `Row 12 has "${'y'.repeat(59)}…" for active; active takes true or false.`,
    );
    expect(problem?.value).toBe(`${'y'.repeat(199)}…`);
    expect(problem?.column).toBeUndefined();
  });
});

describe('validateDesired: emails and canonical values', () => {
  it('reports malformed email addresses', () => {
    expect(check({ 'emails[type eq "work"].value': ['Email', 'ada at example.com'] })).toEqual([
      {
        file: 'hr.csv',
        line: 13,
        row: 12,
        column: 'Email',
        value: 'ada at example.com',
        code: 'invalid_email',
        severity: 'error',
        message:
          'Row 12 has "ada at example.com" in column "Email", which is not an email address.',
        nextStep:
          'Correct the address in the file (one @, no spaces, and a domain such as example.com), or leave the cell empty.',
      },
    ]);
  });

  it('accepts ordinary, internationalised and localhost addresses', () => {
    for (const ok of [
      'ada@example.com',
      'ada.lovelace+tag@mail.example.co.uk',
      'zoë@bücher.example',
      '山田@例え.jp',
      "o'brien@example.ie",
      'root@localhost',
    ]) {
      expect(isEmailAddress(ok), ok).toBe(true);
    }
    for (const bad of [
      'ada',
      '@example.com',
      'ada@',
      'ada@@example.com',
      'a@b@example.com',
      'ada@example',
      'ada @example.com',
      'ada@exa mple.com',
      '.ada@example.com',
      'ada..l@example.com',
      'ada@example..com',
      'ada@-example.com',
      'ada@example.com.',
      'a,b@example.com',
    ]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });

  it('warns about values outside the canonical values', () => {
    const problems = check({ 'phoneNumbers.type': ['Phone type', 'Mobile;cell'] });
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'not_canonical',
        severity: 'warning',
        value: 'cell',
        message:
          'Row 12 has "cell" in column "Phone type"; phoneNumbers.type is usually one of work, home, mobile, fax, pager, other.',
      }),
    ]);
  });
});

describe('validateDesired: required attributes', () => {
  it('needs userName to create a user', () => {
    expect(check({ displayName: ['Name', 'Ada'] }, { forCreate: true })).toEqual([
      {
        file: 'hr.csv',
        line: 13,
        row: 12,
        code: 'required_missing',
        severity: 'error',
        message: 'Row 12 has no value for userName, which every new User needs.',
        nextStep: 'Map a CSV column to userName.',
      },
    ]);
    expect(
      check({ userName: ['Login', '   '] }, { forCreate: true }).map((p) => [
        p.code,
        p.column,
        p.nextStep,
      ]),
    ).toEqual([
      [
        'required_missing',
        'Login',
        'Fill in column "Login" for this row, or map another column to userName.',
      ],
    ]);
    expect(check({ userName: ['Login', 'ada'] }, { forCreate: true })).toEqual([]);
  });

  it('needs displayName to create a group', () => {
    const problems = validateDesired(cols('members'), ['u1'], {
      ...BASE,
      resourceType: GROUP_TYPE,
      forCreate: true,
    });
    expect(problems.map((p) => p.message)).toEqual([
      'Row 12 has no value for displayName, which every new Group needs.',
    ]);
  });

  it('refuses to clear or blank a required attribute on update; keep is fine', () => {
    expect(check({ userName: ['Login', null] }).map((p) => [p.code, p.message])).toEqual([
      ['required_cleared', 'Row 12 would clear userName, which every User needs.'],
    ]);
    expect(check({ userName: ['Login', ' '] }).map((p) => p.code)).toEqual(['required_cleared']);
    expect(check({ userName: ['Login', undefined] })).toEqual([]);
  });

  it('uses the schemas’ required attributes and required extensions', () => {
    const strict: ScimSchema = {
      ...ACME_SCHEMA,
      attributes: ACME_SCHEMA.attributes.map((a) =>
        a.name === 'level' ? { ...a, required: true } : a,
      ),
    };
    const requiredExt = {
      ...USER_TYPE,
      schemaExtensions: [{ schema: ACME, required: true }],
    };
    const problems = check(
      { userName: ['Login', 'ada'], [`${ACME}:level`]: ['Level', ''] },
      { forCreate: true, schemas: [strict], resourceType: requiredExt },
    );
    expect(problems.map((p) => p.message)).toEqual([
      `Row 12 has no value for ${ACME}:level, which every new User needs.`,
    ]);
    expect(check({ userName: ['Login', 'ada'] }, { forCreate: true, schemas: [strict] })).toEqual(
      [],
    );
  });
});

describe('checkTargetsWritable', () => {
  it('reports read-only targets once, as errors on the mapping', () => {
    const targets = cols('userName', 'id', 'groups', `${ENT}:manager.displayName`, 'meta.created');
    expect(
      checkTargetsWritable(targets, [], {
        file: 'mapping.json',
        sourceColumns: [['Login'], ['Id'], ['Groups'], ['Boss'], []],
      }),
    ).toEqual([
      {
        file: 'mapping.json',
        line: 1,
        column: 'Id',
        code: 'read_only_target',
        severity: 'error',
        message: 'The mapping sets id, which is read-only on the server.',
        nextStep: 'Remove the mapping for id; the server sets it itself.',
      },
      expect.objectContaining({
        column: 'Boss',
        message: `The mapping sets ${ENT}:manager.displayName, which is read-only on the server.`,
      }),
      expect.objectContaining({ code: 'read_only_target', file: 'mapping.json' }),
    ]);
    expect(checkTargetsWritable(cols('userName', 'groups', 'password'))).toEqual([]);
  });

  it('warns once about value filters on a non-canonical type', () => {
    const targets = cols(
      'emails[type eq "alumni"].value',
      'emails[type eq "Alumni"].primary',
      'emails[type eq "Work"].value',
      'roles[type eq "anything"].value',
    );
    expect(checkTargetsWritable(targets)).toEqual([
      {
        file: 'mapping',
        line: 1,
        code: 'not_canonical_type',
        severity: 'warning',
        message:
          'The target emails[type eq "alumni"].value uses the type "alumni", which is not one of work, home, other.',
        nextStep: 'Check that the server accepts this type, or use one of the listed types.',
      },
    ]);
  });
});

describe('immutable attributes', () => {
  const schemas = [ACME_SCHEMA];
  const badge = `${ACME}:badgeId`;

  it('flags changes to an existing value, not first values', () => {
    const changes = [
      { path: badge, old: 'B1', new: 'B2' },
      { path: 'displayName', old: 'a', new: 'b' },
    ];
    expect(immutableChanges(changes, schemas)).toEqual([changes[0]]);
    expect(immutableChanges([{ path: badge, old: null, new: 'B1' }], schemas)).toEqual([]);
    expect(immutableChanges([{ path: 'not a path!', old: 'x', new: 'y' }], schemas)).toEqual([]);
  });

  it('explains the problem for the row', () => {
    const targets = cols('userName', badge);
    expect(
      immutableChangeProblems(
        [
          { path: badge, old: 'B1', new: 'B2' },
          { path: badge, old: 'B1', new: null },
        ],
        {
          schemas,
          file: 'hr.csv',
          row: 4,
          line: 5,
          targets,
          sourceColumns: [['Login'], ['Badge']],
        },
      ),
    ).toEqual([
      {
        file: 'hr.csv',
        line: 5,
        row: 4,
        column: 'Badge',
        value: 'B2',
        code: 'immutable_change',
        severity: 'error',
        message: `Row 4 would change ${badge} from "B1" to "B2", but the server does not allow changing it once set.`,
        nextStep:
          'Keep the value the server has for existing accounts (or map an empty cell to keep); it can only be set when an account is created.',
      },
      expect.objectContaining({
        message: `Row 4 would clear ${badge} (now "B1"), but the server does not allow changing it once set.`,
      }),
    ]);
  });
});

describe('read-only attributes', () => {
  it('names the attribute a change may not write, for a CSV row and for a server account', () => {
    const schemas: ScimSchema[] = [
      {
        ...ACME_SCHEMA,
        attributes: [
          ...(ACME_SCHEMA.attributes ?? []),
          attr('lastLogin', 'dateTime', 'Last sign-in.', { mutability: 'readOnly' }),
        ],
      },
    ];
    const path = `${ACME}:lastLogin`;
    const change = { path, old: '2024-01-01T00:00:00Z', new: '2025-01-01T00:00:00Z' };
    const [forRow] = readOnlyChangeProblems([change], { schemas, file: 'hr.csv', line: 3, row: 2 });
    expect(forRow).toMatchObject({
      code: 'read_only_change',
      severity: 'error',
      row: 2,
      message: `Row 2 would change ${path}, which is read-only on the server.`,
    });
    const [forAccount] = readOnlyChangeProblems([change], {
      schemas,
      file: 'server',
      line: 0,
      display: 'ada@example.com',
    });
    expect(forAccount?.message).toBe(
      `ada@example.com: the plan would change ${path}, which is read-only on the server.`,
    );
    expect(
      readOnlyChangeProblems([{ path: 'title', old: 'a', new: 'b' }], {
        schemas,
        file: 'f',
        line: 1,
      }),
    ).toEqual([]);
  });
});

describe('shorten', () => {
  it('cuts at code points and marks the cut', () => {
    expect(shorten('abc', 3)).toBe('abc');
    expect(shorten('abcd', 3)).toBe('ab…');
    expect(shorten('😀😀😀😀', 3)).toBe('😀😀…');
  });
});
