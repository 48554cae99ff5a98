import { describe, expect, it } from 'vitest';
import {
  BUILTIN_RESOURCE_TYPES,
  builtinResourceType,
  coreKindOfSchema,
  coreSchemaUrn,
} from '../../../../shared/scim/resource-types';
import { SANDBOX_RESOURCE_TYPES } from '../../../../sandbox/schemas';

describe('core resource types (one home)', () => {
  it('describes User with the optional enterprise extension and Group with none', () => {
    expect(builtinResourceType('User')).toMatchObject({
      name: 'User',
      endpoint: '/Users',
      schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
      schemaExtensions: [
        { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
      ],
    });
    expect(builtinResourceType('Group')).toMatchObject({
      name: 'Group',
      endpoint: '/Groups',
      schemaExtensions: [],
    });
  });

  it('hands out copies, so a caller cannot change the built-in descriptor', () => {
    builtinResourceType('User').schemaExtensions.pop();
    expect(builtinResourceType('User').schemaExtensions).toHaveLength(1);
    expect(BUILTIN_RESOURCE_TYPES[0]?.schemaExtensions).toHaveLength(1);
  });

  it('maps a core schema URN back to its kind, case-insensitively', () => {
    expect(coreKindOfSchema(coreSchemaUrn('Group').toUpperCase())).toBe('Group');
    expect(coreKindOfSchema(coreSchemaUrn('User'))).toBe('User');
    expect(coreKindOfSchema('urn:example:Device')).toBeUndefined();
  });

  it('is what the sandbox serves at /ResourceTypes', () => {
    expect(SANDBOX_RESOURCE_TYPES).toBe(BUILTIN_RESOURCE_TYPES);
  });
});
