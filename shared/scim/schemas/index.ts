/** The built-in RFC 7643 schemas, used when discovery finds none on the server (resource types: ../resource-types.ts). */
import type { ScimSchema } from '../types';
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

/** The built-in schema with this URN (case-insensitive), if any. */
export function builtinSchema(id: string): ScimSchema | undefined {
  const wanted = id.toLowerCase();
  return BUILTIN_SCHEMAS.find((s) => s.id.toLowerCase() === wanted);
}
