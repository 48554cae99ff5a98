import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMapping } from '../../../../engine/mapping/compile';
import {
  detectPreset,
  getPreset,
  leadingLinesToSkip,
  PRESETS,
} from '../../../../shared/mapping/presets';
import { parseMappingSpec } from '../../../../shared/mapping/spec';

const DIR = join(import.meta.dirname, '../../../../resources/presets');
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A row of cells for a preset's headers from a record of header → cell. */
function cells(headers: readonly string[], values: Record<string, string>): string[] {
  return headers.map((h) => values[h] ?? '');
}

describe('preset files', () => {
  it('every file in resources/presets is a valid spec and is described', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(PRESETS.map((p) => `${p.id}.json`).sort());
    for (const f of files) {
      const spec = parseMappingSpec(JSON.parse(readFileSync(join(DIR, f), 'utf8')), f);
      expect(spec.name, f).toBeTruthy();
      expect(spec.description, f).toBeTruthy();
    }
  });

  it('no preset maps a password', () => {
    for (const p of PRESETS) {
      const targets = p.spec.attributes.map((a) => a.target.toLowerCase());
      expect(targets, p.id).not.toContain('password');
      expect(p.description.toLowerCase(), p.id).toContain('password');
    }
  });

  it('each preset compiles against its own headers', () => {
    for (const p of PRESETS.filter((x) => x.headers.length > 0)) {
      const m = compileMapping(p.spec, p.headers, { file: `${p.id}.csv` });
      expect(m.targets.length, p.id).toBeGreaterThan(3);
      expect(m.matchKeys.length, p.id).toBeGreaterThan(0);
    }
  });

  it('each preset compiles against only its required columns (the rest is optional)', () => {
    const required: Record<string, string[]> = {
      'okta-user-export': ['login'],
      'entra-bulk-create': [
        'Name [displayName] Required',
        'User name [userPrincipalName] Required',
      ],
      'google-workspace-upload': ['Email Address [Required]'],
      'generic-hr': ['Work Email'],
    };
    for (const [id, headers] of Object.entries(required)) {
      const preset = getPreset(id);
      if (!preset) throw new Error(id);
      const m = compileMapping(preset.spec, headers);
      expect(m.matchKeys, id).toEqual([['userName']]);
    }
  });
});

describe('Microsoft Entra bulk create', () => {
  const p = getPreset('entra-bulk-create');
  if (!p) throw new Error('missing');
  const m = compileMapping(p.spec, p.headers);
  const map = (values: Record<string, string>) =>
    m.mapRow({ row: 1, line: 3, cells: cells(p.headers, values) });

  it('skips the version line', () => {
    expect(p.skipLines).toBe(1);
    expect(m.skipLines).toBe(1);
    expect(leadingLinesToSkip('version:v1.0')).toBe(1);
    expect(leadingLinesToSkip('\uFEFFversion:v1.0,,,')).toBe(1);
    expect(leadingLinesToSkip('"version:v1.0"')).toBe(1);
    expect(leadingLinesToSkip('Name [displayName] Required,User name')).toBe(0);
  });

  it('inverts "Block sign in" into active, and leaves the password out', () => {
    const headersOut = m.sources.flat();
    expect(headersOut).not.toContain('Initial password [passwordProfile] Required');
    const blocked = map({
      'Name [displayName] Required': 'Ada Lovelace',
      'User name [userPrincipalName] Required': 'ada@contoso.com',
      'Initial password [passwordProfile] Required': 'S3cret!',
      'Block sign in (Yes/No) [accountEnabled] Required': 'Yes',
      'Usage location [usageLocation]': 'GB',
    });
    const at = (t: string) => blocked.cells[m.targets.findIndex((c) => c.header === t)];
    expect(at('active')).toBe('false');
    expect(at('userName')).toBe('ada@contoso.com');
    expect(at('addresses[type eq "work"].country')).toBe('GB');
    expect(blocked.cells).not.toContain('S3cret!');
    const open = map({ 'Block sign in (Yes/No) [accountEnabled] Required': 'No' });
    expect(open.cells[m.targets.findIndex((c) => c.header === 'active')]).toBe('true');
  });
});

describe('Okta user export', () => {
  const p = getPreset('okta-user-export');
  if (!p) throw new Error('missing');
  const headers = [...p.headers, 'id', 'manager', 'lastLogin'];
  const m = compileMapping(p.spec, headers);
  it('maps Okta statuses to active and managerId to the manager', () => {
    const map = (values: Record<string, string>) =>
      m.mapRow({ row: 1, line: 2, cells: cells(headers, values) });
    const at = (cellsOut: unknown[], t: string) =>
      cellsOut[m.targets.findIndex((c) => c.header === t)];
    const statuses: [string, string][] = [
      ['ACTIVE', 'true'],
      ['PASSWORD_EXPIRED', 'true'],
      ['LOCKED_OUT', 'true'],
      ['STAGED', 'true'],
      ['SUSPENDED', 'false'],
      ['DEPROVISIONED', 'false'],
    ];
    for (const [status, active] of statuses) {
      expect(at(map({ login: 'a', status }).cells, 'active'), status).toBe(active);
    }
    const r = map({ login: 'ada@x.com', id: '00u1', managerId: 'E7', employeeNumber: 'E8' });
    expect(r.manager).toEqual({ by: 'employeeNumber', value: 'E7' });
    expect(at(r.cells, 'externalId')).toBe('00u1');
    expect(at(r.cells, `${ENT}:employeeNumber`)).toBe('E8');
    expect(m.matchKeys).toEqual([['externalId'], ['userName']]);
  });
});

describe('Google Workspace upload', () => {
  const p = getPreset('google-workspace-upload');
  if (!p) throw new Error('missing');
  it('uses the email as userName and work email, and the manager by email', () => {
    const m = compileMapping(p.spec, p.headers);
    const r = m.mapRow({
      row: 1,
      line: 2,
      cells: cells(p.headers, {
        'Email Address [Required]': 'ada@x.com',
        'Password [Required]': 'pw',
        'Manager Email': 'boss@x.com',
        'New Status [UPLOAD ONLY]': 'Suspended',
      }),
    });
    expect(r.cells.filter((c) => c === 'ada@x.com')).toHaveLength(2);
    expect(r.cells).not.toContain('pw');
    expect(r.manager).toEqual({ by: 'email', value: 'boss@x.com' });
    expect(r.cells).toContain('false');
  });
});

describe('detectPreset', () => {
  it('recognises each preset from its headers, in any case and order', () => {
    for (const p of PRESETS.filter((x) => x.headers.length > 0)) {
      const shuffled = [...p.headers].reverse().map((h) => h.toUpperCase());
      expect(detectPreset(shuffled)?.preset.id, p.id).toBe(p.id);
      expect(detectPreset(p.headers)?.score).toBe(1);
    }
  });
  it('needs most of the identifying headers', () => {
    expect(detectPreset(['login', 'email', 'Title', 'Department'])).toBeUndefined();
    expect(detectPreset([])).toBeUndefined();
  });
});
