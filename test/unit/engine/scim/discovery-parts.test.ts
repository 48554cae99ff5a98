import { describe, expect, it } from 'vitest';
import { locationWarnings, unprobed } from '../../../../engine/scim/discovery';
import { mergeSchemas, resourceTypesOrBuiltin } from '../../../../engine/scim/discovery-catalogue';
import { parseServiceProviderConfig } from '../../../../engine/scim/service-provider-config';
import type { DiscoveryWarning } from '../../../../shared/scim/discovery-types';
import { BUILTIN_RESOURCE_TYPES } from '../../../../shared/scim/resource-types';
import { builtinSchema } from '../../../../shared/scim/schemas/index';
import { URN } from '../../../../shared/scim/urns';

describe('locationWarnings', () => {
  it('warns about an adjusted base URL and the SCIM 1.1 plural only when they happened', () => {
    const url = 'https://scim.example.test/scim/v2';
    expect(locationWarnings({ baseUrl: url, plural: false }, url)).toEqual([]);
    expect(
      locationWarnings({ baseUrl: url, plural: true }, 'https://scim.example.test/scim').map(
        (w) => w.code,
      ),
    ).toEqual(['base_url_adjusted', 'spc_plural']);
  });
});

describe('unprobed', () => {
  it('reports every capability as advertised and unobserved', () => {
    const spc = parseServiceProviderConfig({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      etag: { supported: false },
      pagination: { cursor: true, index: false },
    });
    const p = unprobed(spc);
    expect(p.patch).toEqual({ advertised: true, observed: 'unknown', note: 'not probed' });
    expect(p.etag.advertised).toBe(false);
    expect(p.cursorPaging.advertised).toBe(true);
    expect(p.indexPaging.advertised).toBe(false);
    expect(p).toMatchObject({ listing: true, warnings: [] });
  });
});

describe('catalogue', () => {
  it('falls back to the built-in resource types, as copies, when the server lists none', () => {
    const warnings: DiscoveryWarning[] = [];
    const types = resourceTypesOrBuiltin({ Resources: [] }, warnings);
    expect(types.map((t) => t.endpoint)).toEqual(BUILTIN_RESOURCE_TYPES.map((t) => t.endpoint));
    expect(types[0]?.schemaExtensions).not.toBe(BUILTIN_RESOURCE_TYPES[0]?.schemaExtensions);
    expect(warnings.map((w) => w.code)).toEqual(['resource_types_builtin']);
  });

  it('completes the server schemas with built-in copies of the ones it leaves out', () => {
    const user = builtinSchema(URN.user);
    if (!user) throw new Error('no built-in User schema');
    const warnings: DiscoveryWarning[] = [];
    const merged = mergeSchemas([user], [], warnings);
    expect(merged.source).toBe('mixed');
    expect(merged.schemas.map((s) => s.id)).toEqual([URN.user, URN.group, URN.enterpriseUser]);
    expect(warnings.map((w) => w.code)).toEqual(['schemas_partial']);
  });
});
