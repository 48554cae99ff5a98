import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../../engine/mapping/compile';
import { getPreset, PRESETS } from '../../../../shared/mapping/presets';
import { parseMappingSpec } from '../../../../shared/mapping/spec';
import { suggestMapping, type MappingSuggestion } from '../../../../shared/mapping/suggest';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const WORK_EMAIL = 'emails[type eq "work"].value';

/** target → source column of every attribute mapping (first wins). */
function targetsOf(s: MappingSuggestion): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of s.spec.attributes) {
    const src = a.source;
    out[a.target] ??=
      'column' in src
        ? src.column
        : 'columns' in src
          ? src.columns.join('|')
          : 'template' in src
            ? src.template
            : `=${src.constant}`;
  }
  return out;
}

/** Suggests and checks that the suggestion compiles against the headers. */
function suggest(
  headers: string[],
  rows: string[][] = [],
  opts: Parameters<typeof suggestMapping>[2] = {},
): MappingSuggestion {
  const s = suggestMapping(headers, rows, opts);
  expect(() => compileMapping(s.spec, headers)).not.toThrow();
  return s;
}

describe('suggestMapping: presets', () => {
  it('recognises each preset from its headers and fits it', () => {
    for (const p of PRESETS.filter((x) => x.headers.length > 0)) {
      const s = suggest([...p.headers]);
      expect(s.preset, p.id).toBe(p.id);
      expect(s.spec.name, p.id).toBe(`${p.name} (fitted)`);
      for (const c of s.confidence.filter((x) => x.target !== undefined)) {
        expect(c.score, `${p.id} ${c.column}`).toBeGreaterThan(0.5);
      }
      for (const h of p.headers.filter((x) => /password \[|initial password|^password$/i.test(x))) {
        expect(s.unmapped, p.id).toContain(h);
      }
    }
  });

  it('Entra: the inverted active column, the userName and no password', () => {
    const p = getPreset('entra-bulk-create');
    if (!p) throw new Error('missing');
    const s = suggest([...p.headers]);
    expect(s.spec.active).toEqual({
      column: 'Block sign in (Yes/No) [accountEnabled] Required',
      trueWords: ['No'],
      falseWords: ['Yes'],
      optional: true,
    });
    expect(s.spec.skipLines).toBe(1);
    expect(targetsOf(s).userName).toBe('User name [userPrincipalName] Required');
    expect(s.unmapped).toEqual([
      'Initial password [passwordProfile] Required',
      'Office [physicalDeliveryOfficeName]',
    ]);
  });

  it('Okta: a partial export gets the preset minus the missing columns', () => {
    const headers = [
      'login',
      'email',
      'firstName',
      'lastName',
      'status',
      'employeeNumber',
      'managerId',
      'mobilePhone',
      'secondEmail',
      'costCenter',
    ];
    const s = suggest(headers);
    expect(s.preset).toBe('okta-user-export');
    // In the order of the file's columns.
    expect(Object.keys(targetsOf(s))).toEqual([
      'userName',
      WORK_EMAIL,
      'name.givenName',
      'name.familyName',
      `${ENT}:employeeNumber`,
      'phoneNumbers[type eq "mobile"].value',
      'emails[type eq "other"].value',
      `${ENT}:costCenter`,
    ]);
    expect(s.spec.match).toEqual({ keys: [['userName']] });
    expect(s.spec.manager).toEqual({ column: 'managerId', by: 'employeeNumber', optional: true });
    expect(s.unmapped).toEqual([]);
  });

  it('maps extra columns a preset does not know by synonyms', () => {
    const p = getPreset('generic-hr');
    if (!p) throw new Error('missing');
    const s = suggest([...p.headers, 'Mobile', 'Groups']);
    expect(s.preset).toBe('generic-hr');
    expect(targetsOf(s)['phoneNumbers[type eq "mobile"].value']).toBe('Mobile');
    expect(s.spec.groups).toEqual({ column: 'Groups', delimiter: ';', mode: 'add' });
    expect(s.spec.match).toEqual({ keys: [[`${ENT}:employeeNumber`], ['userName']] });
    expect(s.unmapped).toEqual(['Hire Date', 'Termination Date']);
  });

  it('fits a given preset instead of detecting one', () => {
    const preset = parseMappingSpec({
      version: 1,
      name: 'Mine',
      attributes: [
        { target: 'userName', source: { column: 'Login' } },
        { target: 'title', source: { column: 'Role' } },
      ],
      match: { keys: [['title'], ['userName']] },
    });
    const s = suggest(['Login', 'First Name'], [], { preset });
    expect(s.preset).toBeUndefined();
    expect(targetsOf(s)).toEqual({ userName: 'Login', 'name.givenName': 'First Name' });
    expect(s.spec.match).toEqual({ keys: [['userName']] });
    expect(s.confidence.find((c) => c.column === 'Login')?.why).toBe('the Mine preset maps it');
  });
});

describe('suggestMapping: our own export', () => {
  const EXPORT = [
    'id',
    'externalId',
    'userName',
    'name.givenName',
    'name.familyName',
    'displayName',
    'active',
    'emails[type eq "work"].value',
    'phoneNumbers[type eq "mobile"].value',
    `${ENT}:employeeNumber`,
    `${ENT}:manager.value`,
    'groups',
  ];
  it('maps every header to itself (identity), groups in sync mode', () => {
    const s = suggest(EXPORT);
    expect(s.preset).toBe('scim-porter-export');
    expect(s.spec.identity).toBe(true);
    expect(s.spec.empty).toBe('keep');
    expect(s.spec.groups).toEqual({ column: 'groups', mode: 'sync' });
    expect(s.unmapped).toEqual(['id']);
    const m = compileMapping(s.spec, EXPORT);
    expect(m.targets.map((t) => t.header)).toEqual(EXPORT.slice(1, -1));
    expect(m.groups?.mode).toBe('sync');
    expect(s.confidence.filter((c) => c.score === 1)).toHaveLength(EXPORT.length - 1);
  });

  it('recognises an export of groups', () => {
    const s = suggest(['id', 'displayName', 'externalId', 'members']);
    expect(s.spec.resourceType).toBe('Group');
    expect(s.spec.groups).toBeUndefined();
    const m = compileMapping(s.spec, ['id', 'displayName', 'externalId', 'members']);
    expect(m.targets.map((t) => t.header)).toEqual(['displayName', 'externalId', 'members']);
    expect(m.matchKeys).toEqual([['externalId'], ['displayName']]);
  });

  it('does not take a plain HR file for an export', () => {
    const s = suggest(['userName', 'First Name', 'Last Name', 'Email']);
    expect(s.spec.identity).toBeUndefined();
    expect(targetsOf(s).userName).toBe('userName');
  });
});

describe('suggestMapping: messy HR files', () => {
  it('French and German headers, accents and odd spacing', () => {
    const headers = [
      'Matricule',
      'Prénom',
      'NOM',
      'Adresse e-mail',
      'Téléphone portable',
      'Service',
      'Intitulé du poste',
      'Responsable',
      'Statut',
      'Ville',
      'Code postal',
      'Pays',
      'Mot de passe',
      'Kostenstelle',
      'Gruppen',
      'Geburtsdatum',
    ];
    const rows = [
      [
        '1001',
        'Zoé',
        'Dupont',
        'zoe@x.fr',
        '+33 6',
        'IT',
        'Dev',
        '1000',
        'Actif',
        'Paris',
        '75001',
        'FR',
        'pw',
        '42',
        'a|b',
        '1990',
      ],
      [
        '1002',
        'Jürgen',
        'Groß',
        'jg@x.de',
        '+49 1',
        'HR',
        'Lead',
        '1000',
        'Inactif',
        'Berlin',
        '10115',
        'DE',
        'pw',
        '43',
        'c',
        '1985',
      ],
    ];
    const s = suggest(headers, rows);
    expect(s.preset).toBeUndefined();
    expect(targetsOf(s)).toEqual({
      [`${ENT}:employeeNumber`]: 'Matricule',
      'name.givenName': 'Prénom',
      'name.familyName': 'NOM',
      [WORK_EMAIL]: 'Adresse e-mail',
      userName: 'Adresse e-mail',
      'phoneNumbers[type eq "mobile"].value': 'Téléphone portable',
      [`${ENT}:department`]: 'Service',
      title: 'Intitulé du poste',
      'addresses[type eq "work"].locality': 'Ville',
      'addresses[type eq "work"].postalCode': 'Code postal',
      'addresses[type eq "work"].country': 'Pays',
      [`${ENT}:costCenter`]: 'Kostenstelle',
    });
    expect(s.spec.active).toEqual({ column: 'Statut' });
    expect(s.spec.manager).toEqual({ column: 'Responsable', by: 'employeeNumber' });
    expect(s.spec.groups).toEqual({ column: 'Gruppen', delimiter: '|', mode: 'add' });
    expect(s.spec.match).toEqual({ keys: [[`${ENT}:employeeNumber`], ['userName']] });
    expect(s.unmapped).toEqual(['Mot de passe', 'Geburtsdatum']);
    expect(s.confidence.find((c) => c.column === 'Mot de passe')?.why).toBe(
      'passwords are never mapped by default',
    );
    const m = compileMapping(s.spec, headers);
    const mapped = m.mapRow({ row: 1, line: 2, cells: rows[1] ?? [] });
    expect(mapped.problems).toEqual([]);
    expect(mapped.groups).toEqual(['c']);
    expect(mapped.cells[m.targets.findIndex((t) => t.header === 'active')]).toBe('false');
  });

  it('normalises case, spaces, underscores and camelCase', () => {
    const s = suggest([
      'first_name',
      'LAST-NAME',
      'givenName',
      'E-Mail',
      'userPrincipalName',
      'emp id',
    ]);
    expect(targetsOf(s)).toEqual({
      'name.givenName': 'first_name',
      'name.familyName': 'LAST-NAME',
      [WORK_EMAIL]: 'E-Mail',
      userName: 'userPrincipalName',
      [`${ENT}:employeeNumber`]: 'emp id',
    });
    expect(s.confidence.find((c) => c.column === 'givenName')?.why).toBe(
      '"givenName" is a usual name for it (name.givenName), but "first_name" already maps it',
    );
  });

  it('accepts a near-miss spelling with a lower score', () => {
    const s = suggest(['Departmnet', 'Emplyee Number']);
    expect(targetsOf(s)).toEqual({
      [`${ENT}:department`]: 'Departmnet',
      [`${ENT}:employeeNumber`]: 'Emplyee Number',
    });
    expect(s.confidence.every((c) => c.score === 0.6)).toBe(true);
  });

  it('guesses from values when headers say nothing', () => {
    const s = suggest(
      ['Contact', 'Flag', 'Code'],
      [
        ['ada@x.com', 'Active', '7'],
        ['bob@x.com', 'Terminated', '8'],
      ],
    );
    expect(targetsOf(s)[WORK_EMAIL]).toBe('Contact');
    expect(targetsOf(s).userName).toBe('Contact');
    expect(s.spec.active).toEqual({ column: 'Flag' });
    expect(s.unmapped).toEqual(['Code']);
    expect(s.confidence.find((c) => c.column === 'Contact')?.score).toBe(0.45);
  });

  it('a Title column of honorifics is the honorific prefix', () => {
    const s = suggest(
      ['Title', 'Job Title'],
      [
        ['Dr', 'Engineer'],
        ['Mrs.', 'Manager'],
      ],
    );
    expect(targetsOf(s)).toEqual({ 'name.honorificPrefix': 'Title', title: 'Job Title' });
  });

  it('inverted status columns and extra status words', () => {
    const blocked = suggest(['Login', 'Account Disabled'], [['a', 'Yes']]);
    expect(blocked.spec.active).toEqual({
      column: 'Account Disabled',
      trueWords: ['no', 'n', 'false', '0'],
      falseWords: ['yes', 'y', 'true', '1'],
    });
    const okta = suggest(
      ['Login', 'Status'],
      [
        ['a', 'PROVISIONED'],
        ['b', 'On Leave'],
      ],
    );
    expect(okta.spec.active?.trueWords).toContain('PROVISIONED');
    const c = okta.confidence.find((x) => x.column === 'Status');
    expect(c?.score).toBe(0.72);
    expect(c?.why).toContain(
      '"On Leave" is not a known status word: add it to trueWords or falseWords',
    );
  });

  it('infers what a manager column holds', () => {
    const by = (header: string, values: string[]) =>
      suggest(
        ['Login', header],
        values.map((v) => ['a', v]),
      ).spec.manager?.by;
    expect(by('Manager Email', [])).toBe('email');
    expect(by('Manager', ['boss@x.com'])).toBe('email');
    expect(by('Supervisor ID', ['E-17'])).toBe('employeeNumber');
    expect(by('Manager UPN', [])).toBe('userName');
    expect(by('Manager', ['E1001'])).toBe('employeeNumber');
    expect(by('Manager', ['Jane Smith'])).toBeUndefined();
    const names = suggest(['Login', 'Manager'], [['a', 'Jane Smith']]);
    expect(names.unmapped).toEqual(['Manager']);
    expect(names.confidence.find((c) => c.column === 'Manager')?.why).toMatch(/look like names/);
  });

  it('chooses match keys: externalId, employeeNumber, userName, then a separate work email', () => {
    expect(suggest(['External ID', 'Employee ID', 'Username', 'Email']).spec.match).toEqual({
      keys: [['externalId'], [`${ENT}:employeeNumber`], ['userName'], [WORK_EMAIL]],
    });
    expect(suggest(['Email', 'First Name']).spec.match).toEqual({ keys: [['userName']] });
  });

  it('suggests group mappings for the Group resource type', () => {
    const s = suggest(['Group Name', 'Group ID', 'Members'], [], { resourceType: 'Group' });
    expect(s.spec.resourceType).toBe('Group');
    expect(targetsOf(s)).toEqual({
      displayName: 'Group Name',
      externalId: 'Group ID',
      members: 'Members',
    });
    expect(s.spec.match).toEqual({ keys: [['externalId'], ['displayName']] });
  });

  it('reports unknown columns with a score of 0', () => {
    const s = suggest(['Username', 'Favourite Colour']);
    expect(s.unmapped).toEqual(['Favourite Colour']);
    expect(s.confidence).toContainEqual({
      column: 'Favourite Colour',
      score: 0,
      why: 'no SCIM attribute recognised',
    });
  });
});
