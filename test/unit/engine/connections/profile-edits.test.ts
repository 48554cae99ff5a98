import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../../engine/connections/connection-service';
import {
  findProfile,
  removeProfile,
  saveProfile,
  SANDBOX_SETTINGS,
  withSandboxProfile,
} from '../../../../engine/connections/profile-edits';
import type { ConnectionProfile } from '../../../../shared/connections/profile';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-02-01T00:00:00.000Z';

function profile(
  id: string,
  name: string,
  kind: 'remote' | 'sandbox' = 'remote',
): ConnectionProfile {
  return {
    ...parseSettings({
      name,
      baseUrl: `https://${id}.example.com/scim/v2`,
      auth: { kind: 'bearer' },
    }),
    id,
    kind,
    createdAt: T0,
    updatedAt: T0,
  };
}

const acme = profile('a1', 'Acme');
const sandbox = profile('local-sandbox', 'Local sandbox', 'sandbox');

describe('findProfile', () => {
  it('finds by id first, then by trimmed name in any case', () => {
    const named = profile('x', 'a1');
    expect(findProfile([named, acme], 'a1').id).toBe('a1');
    expect(findProfile([acme], '  ACME ').id).toBe('a1');
  });

  it('throws not_found naming what was asked', () => {
    expect(() => findProfile([acme], 'Other')).toThrow(/no saved connection named "Other"/);
  });
});

describe('saveProfile', () => {
  const body = parseSettings({
    name: 'Beta',
    baseUrl: 'https://b.example.com/scim/v2',
    auth: { kind: 'none' },
  });

  it('creates a remote profile with a fresh id and both dates', () => {
    const { profiles, result } = saveProfile([acme], undefined, body, T1);
    expect(profiles).toHaveLength(2);
    expect(result).toMatchObject({ name: 'Beta', kind: 'remote', createdAt: T1, updatedAt: T1 });
    expect(result.id).not.toBe('');
    expect(result.id).not.toBe(acme.id);
  });

  it('refuses a name another profile has, in any case', () => {
    const clash = { ...body, name: 'ACME' };
    expect(() => saveProfile([acme], undefined, clash, T1)).toThrow(/already exists/);
    // Saving a profile under its own name is no clash.
    expect(saveProfile([acme], 'a1', clash, T1).result.name).toBe('ACME');
  });

  it('updates in place, keeping id, kind, createdAt — and a sandbox its stored address', () => {
    const { profiles, result } = saveProfile([acme, sandbox], 'local-sandbox', body, T1);
    expect(result).toMatchObject({
      id: 'local-sandbox',
      kind: 'sandbox',
      createdAt: T0,
      updatedAt: T1,
    });
    expect(result.baseUrl).toBe(sandbox.baseUrl);
    expect(profiles.map((p) => p.id)).toEqual(['a1', 'local-sandbox']);
    expect(saveProfile([acme], 'a1', body, T1).result.baseUrl).toBe(body.baseUrl);
  });

  it('throws not_found for an id that is gone', () => {
    expect(() => saveProfile([acme], 'gone', body, T1)).toThrow(/no longer exists/);
  });
});

describe('removeProfile', () => {
  it('removes the profile, and refuses an unknown id', () => {
    expect(removeProfile([acme, sandbox], 'a1').profiles).toEqual([sandbox]);
    expect(() => removeProfile([acme], 'gone')).toThrow(/no longer exists/);
  });
});

describe('withSandboxProfile', () => {
  it('adds the sandbox first, once', () => {
    const added = withSandboxProfile([acme], T1, parseSettings(SANDBOX_SETTINGS)).profiles;
    expect(added.map((p) => [p.id, p.kind, p.name])).toEqual([
      ['local-sandbox', 'sandbox', 'Local sandbox'],
      ['a1', 'remote', 'Acme'],
    ]);
    expect(withSandboxProfile(added, T1, parseSettings(SANDBOX_SETTINGS)).profiles).toBe(added);
  });
});
