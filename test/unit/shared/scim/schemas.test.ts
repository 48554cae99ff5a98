import { describe, expect, it } from 'vitest';
import {
  BUILTIN_SCHEMAS,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  USER_SCHEMA,
  builtinSchema,
} from '../../../../shared/scim/schemas/index';
import type { SchemaAttribute } from '../../../../shared/scim/types';
import { URN } from '../../../../shared/scim/urns';

function all(attrs: SchemaAttribute[]): SchemaAttribute[] {
  return attrs.flatMap((a) => [a, ...all(a.subAttributes ?? [])]);
}

describe('built-in RFC 7643 §8.7.1 schemas', () => {
  it('spells out every characteristic of every attribute', () => {
    for (const schema of BUILTIN_SCHEMAS) {
      for (const a of all(schema.attributes)) {
        expect(typeof a.multiValued, `${schema.id} ${a.name}`).toBe('boolean');
        expect(typeof a.required).toBe('boolean');
        expect(typeof a.caseExact).toBe('boolean');
        expect(['readOnly', 'readWrite', 'immutable', 'writeOnly']).toContain(a.mutability);
        expect(['always', 'never', 'default', 'request']).toContain(a.returned);
        expect(['none', 'server', 'global']).toContain(a.uniqueness);
        if (a.type === 'complex') expect(a.subAttributes?.length, a.name).toBeGreaterThan(0);
      }
    }
  });

  it('matches the RFC for the attributes clients depend on', () => {
    const user = Object.fromEntries(USER_SCHEMA.attributes.map((a) => [a.name, a]));
    expect(user['userName']).toMatchObject({
      required: true,
      uniqueness: 'server',
      caseExact: false,
    });
    expect(user['password']).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(user['active']?.type).toBe('boolean');
    expect(user['groups']).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(user['emails']?.subAttributes?.find((s) => s.name === 'type')?.canonicalValues).toEqual([
      'work',
      'home',
      'other',
    ]);
    expect(user['x509Certificates']?.subAttributes?.[0]?.type).toBe('binary');
    expect(Object.keys(user)).toHaveLength(21);
    expect(GROUP_SCHEMA.attributes.map((a) => a.name)).toEqual(['displayName', 'members']);
    expect(
      GROUP_SCHEMA.attributes[1]?.subAttributes?.find((s) => s.name === 'value')?.mutability,
    ).toBe('immutable');
    expect(ENTERPRISE_USER_SCHEMA.attributes.map((a) => a.name)).toEqual([
      'employeeNumber',
      'costCenter',
      'organization',
      'division',
      'department',
      'manager',
    ]);
    expect(builtinSchema(URN.enterpriseUser.toUpperCase())).toBe(ENTERPRISE_USER_SCHEMA);
  });
});
