/**
 * The schemas the sandbox serves and validates against: RFC 7643 §4.1 (User), §4.2 (Group) and
 * §4.3 (enterprise extension), transcribed from the RFC's §8.7.1 representation.
 */
import {
  BUILTIN_RESOURCE_TYPES,
  builtinResourceType,
  type CoreResourceKind,
} from '../shared/scim/resource-types';
import { URN } from '../shared/scim/urns';
import type { ResourceTypeInfo, SchemaAttribute, ScimSchema } from '../shared/scim/types';
import { attr, multiValued } from './schema-builder';

const ro = { mutability: 'readOnly' } as const;

const userAttributes: SchemaAttribute[] = [
  attr('userName', 'string', { required: true, uniqueness: 'server' }),
  attr('name', 'complex', {
    subAttributes: [
      attr('formatted', 'string'),
      attr('familyName', 'string'),
      attr('givenName', 'string'),
      attr('middleName', 'string'),
      attr('honorificPrefix', 'string'),
      attr('honorificSuffix', 'string'),
    ],
  }),
  attr('displayName', 'string'),
  attr('nickName', 'string'),
  attr('profileUrl', 'reference', { referenceTypes: ['external'] }),
  attr('title', 'string'),
  attr('userType', 'string'),
  attr('preferredLanguage', 'string'),
  attr('locale', 'string'),
  attr('timezone', 'string'),
  attr('active', 'boolean'),
  attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
  multiValued('emails', ['work', 'home', 'other']),
  multiValued('phoneNumbers', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  multiValued('ims', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
  multiValued('photos', ['photo', 'thumbnail'], 'reference'),
  attr('addresses', 'complex', {
    multiValued: true,
    subAttributes: [
      attr('formatted', 'string'),
      attr('streetAddress', 'string'),
      attr('locality', 'string'),
      attr('region', 'string'),
      attr('postalCode', 'string'),
      attr('country', 'string'),
      attr('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
      attr('primary', 'boolean'),
    ],
  }),
  attr('groups', 'complex', {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'string', ro),
      attr('$ref', 'reference', { ...ro, referenceTypes: ['User', 'Group'] }),
      attr('display', 'string', ro),
      attr('type', 'string', { ...ro, canonicalValues: ['direct', 'indirect'] }),
    ],
  }),
  multiValued('entitlements', undefined),
  multiValued('roles', undefined),
  multiValued('x509Certificates', undefined, 'binary'),
];

const groupAttributes: SchemaAttribute[] = [
  attr('displayName', 'string', { required: true, uniqueness: 'server' }),
  attr('members', 'complex', {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', { mutability: 'immutable' }),
      attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
      attr('display', 'string', ro),
      attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
    ],
  }),
];

const enterpriseAttributes: SchemaAttribute[] = [
  attr('employeeNumber', 'string'),
  attr('costCenter', 'string'),
  attr('organization', 'string'),
  attr('division', 'string'),
  attr('department', 'string'),
  attr('manager', 'complex', {
    subAttributes: [
      attr('value', 'string'),
      attr('$ref', 'reference', { referenceTypes: ['User'] }),
      attr('displayName', 'string', ro),
    ],
  }),
];

/** Common attributes every resource carries (RFC 7643 §3.1); used for filtering and projection. */
export const COMMON_ATTRIBUTES: SchemaAttribute[] = [
  attr('id', 'string', { caseExact: true, mutability: 'readOnly', returned: 'always' }),
  attr('externalId', 'string', { caseExact: true }),
  attr('meta', 'complex', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', { ...ro, caseExact: true }),
      attr('created', 'dateTime', ro),
      attr('lastModified', 'dateTime', ro),
      attr('location', 'reference', { ...ro, caseExact: true }),
      attr('version', 'string', { ...ro, caseExact: true }),
    ],
  }),
];

/** The three schemas served at /Schemas. */
export const SANDBOX_SCHEMAS: ScimSchema[] = [
  { id: URN.user, name: 'User', description: 'User Account', attributes: userAttributes },
  { id: URN.group, name: 'Group', description: 'Group', attributes: groupAttributes },
  {
    id: URN.enterpriseUser,
    name: 'EnterpriseUser',
    description: 'Enterprise User',
    attributes: enterpriseAttributes,
  },
];

/** The two resource types served at /ResourceTypes (RFC 7643 §6): the built-in ones. */
export const SANDBOX_RESOURCE_TYPES: readonly ResourceTypeInfo[] = BUILTIN_RESOURCE_TYPES;

/** The kinds the sandbox stores. */
export type SandboxResourceType = CoreResourceKind;

/** Core schema URN and extension URNs per resource type. */
export function schemaUrnsFor(type: SandboxResourceType): { core: string; extensions: string[] } {
  const info = builtinResourceType(type);
  return { core: info.schema, extensions: info.schemaExtensions.map((e) => e.schema) };
}

/** Attribute definitions of a schema by URN. */
export function attributesOf(urn: string): SchemaAttribute[] {
  return SANDBOX_SCHEMAS.find((s) => s.id.toLowerCase() === urn.toLowerCase())?.attributes ?? [];
}
