/**
 * The two RFC 7643 core resource types, User and Group: their names, their built-in descriptors
 * (RFC 7643 §6 / §8.6) and their core schema URNs. The one home of these facts; the engine, the
 * sandbox server and the mapping spec all import them from here.
 */
import type { ResourceTypeInfo } from './types';
import { URN } from './urns';

/** The core resource kinds, in the order the app lists them. */
export const CORE_RESOURCE_KINDS = ['User', 'Group'] as const;

/** `User` or `Group`. */
export type CoreResourceKind = (typeof CORE_RESOURCE_KINDS)[number];

const USER_TYPE: ResourceTypeInfo = {
  id: 'User',
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: URN.user,
  schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
};

const GROUP_TYPE: ResourceTypeInfo = {
  id: 'Group',
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: URN.group,
  schemaExtensions: [],
};

/** The RFC 7643 §8.6 resource types: User (with the optional enterprise extension) and Group. */
export const BUILTIN_RESOURCE_TYPES: readonly ResourceTypeInfo[] = [USER_TYPE, GROUP_TYPE];

/** The built-in descriptor of a core kind (a fresh copy: callers may keep or change it). */
export function builtinResourceType(kind: CoreResourceKind): ResourceTypeInfo {
  const type = kind === 'User' ? USER_TYPE : GROUP_TYPE;
  return { ...type, schemaExtensions: type.schemaExtensions.map((e) => ({ ...e })) };
}

/** The core schema URN of a kind, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
export function coreSchemaUrn(kind: CoreResourceKind): string {
  return kind === 'User' ? URN.user : URN.group;
}

/** The core kind whose core schema is `schema` (case-insensitive), else undefined. */
export function coreKindOfSchema(schema: string): CoreResourceKind | undefined {
  const wanted = schema.toLowerCase();
  return CORE_RESOURCE_KINDS.find((kind) => coreSchemaUrn(kind).toLowerCase() === wanted);
}
