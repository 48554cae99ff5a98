/** The built-in RFC 7643 schemas and resource types, used when discovery finds none on the server. */
import type { ResourceTypeInfo, ScimSchema } from '../types';
import { URN } from '../urns';
import { ENTERPRISE_USER_SCHEMA } from './enterprise-user';
import { GROUP_SCHEMA } from './group';
import { USER_SCHEMA } from './user';

export { ENTERPRISE_USER_SCHEMA } from './enterprise-user';
export { GROUP_SCHEMA } from './group';
export { USER_SCHEMA } from './user';

/** Core User, core Group and the Enterprise User extension (RFC 7643 §8.7.1). */
export const BUILTIN_SCHEMAS: readonly ScimSchema[] = [
  USER_SCHEMA,
  GROUP_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
];

/** The RFC 7643 §8.6 resource types: User (with the optional enterprise extension) and Group. */
export const BUILTIN_RESOURCE_TYPES: readonly ResourceTypeInfo[] = [
  {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: URN.user,
    schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
  },
  {
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'Group',
    schema: URN.group,
    schemaExtensions: [],
  },
];

/** The built-in schema with this URN (case-insensitive), if any. */
export function builtinSchema(id: string): ScimSchema | undefined {
  const wanted = id.toLowerCase();
  return BUILTIN_SCHEMAS.find((s) => s.id.toLowerCase() === wanted);
}
