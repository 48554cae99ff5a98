/** Shared fixtures for the planning tests: columns, schemas, a seeded PRNG and realistic users. */
import {
  parseColumnHeader,
  withBuiltinSchemas,
  type ColumnSpec,
} from '../../../../shared/columns/columns';
import { attr } from '../../../../shared/scim/schemas/attribute';
import { BUILTIN_RESOURCE_TYPES } from '../../../../shared/scim/resource-types';
import type { ResourceTypeInfo, ScimResource, ScimSchema } from '../../../../shared/scim/types';

export const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';

/** A custom extension with typed attributes, a multi-valued simple one and a complex one. */
export const ACME_SCHEMA: ScimSchema = {
  id: ACME,
  name: 'Acme',
  attributes: [
    attr('level', 'integer', 'Pay level.'),
    attr('score', 'decimal', 'Score.'),
    attr('contractor', 'boolean', 'Contractor.'),
    attr('startDate', 'dateTime', 'Start.'),
    attr('tags', 'string', 'Tags.', { multiValued: true }),
    attr('badge', 'complex', 'Badge.', {
      subAttributes: [attr('color', 'string', 'Colour.'), attr('number', 'integer', 'Number.')],
    }),
    attr('badgeId', 'string', 'Badge id.', { mutability: 'immutable' }),
  ],
};

export const SCHEMAS: readonly ScimSchema[] = withBuiltinSchemas([ACME_SCHEMA]);

export const USER_TYPE: ResourceTypeInfo = {
  ...(BUILTIN_RESOURCE_TYPES[0] as ResourceTypeInfo),
  schemaExtensions: [
    { schema: ENT, required: false },
    { schema: ACME, required: false },
  ],
};
export const GROUP_TYPE = BUILTIN_RESOURCE_TYPES[1] as ResourceTypeInfo;

/** Columns from headers, parsed with {@link SCHEMAS}. */
export function cols(...headers: string[]): ColumnSpec[] {
  return headers.map((h) => parseColumnHeader(h, { schemas: SCHEMAS }));
}

/** A small deterministic PRNG (mulberry32) returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic user: enterprise extension with manager, several emails and phones, addresses. */
export function ada(): ScimResource {
  return {
    schemas: [CORE, ENT],
    id: 'u1',
    externalId: 'E-1001',
    userName: 'ada@example.com',
    name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
    displayName: 'Ada Lovelace',
    title: 'Analyst',
    active: true,
    emails: [
      { type: 'work', value: 'ada@example.com', primary: true },
      { type: 'home', value: 'ada@home.example' },
    ],
    phoneNumbers: [
      { type: 'work', value: '+44 20 7946 0000' },
      { type: 'mobile', value: '+44 7700 900000' },
    ],
    addresses: [
      {
        type: 'work',
        streetAddress: '1 Engine Way',
        locality: 'London',
        postalCode: 'N1 9GU',
        country: 'GB',
        primary: true,
      },
    ],
    roles: [{ value: 'analyst', display: 'Analyst' }, { value: 'writer' }],
    groups: [{ value: 'g1', display: 'Engineering', $ref: '../Groups/g1' }],
    [ENT]: {
      employeeNumber: '1001',
      department: 'Research',
      manager: { value: 'u0', $ref: '../Users/u0', displayName: 'Charles Babbage' },
    },
    meta: { resourceType: 'User', version: 'W/"1"', created: '2024-01-01T00:00:00Z' },
  };
}

/** The headers an export of {@link ada} would have. */
export const ADA_HEADERS = [
  'userName',
  'externalId',
  'name.givenName',
  'name.familyName',
  'name.formatted',
  'displayName',
  'title',
  'active',
  'emails[type eq "work"].value',
  'emails[type eq "work"].primary',
  'emails[type eq "home"].value',
  'phoneNumbers[type eq "work"].value',
  'phoneNumbers[type eq "mobile"].value',
  'addresses[type eq "work"].streetAddress',
  'addresses[type eq "work"].locality',
  'addresses[type eq "work"].postalCode',
  'addresses[type eq "work"].country',
  'addresses[type eq "work"].primary',
  'roles.value',
  'groups',
  `${ENT}:employeeNumber`,
  `${ENT}:department`,
  `${ENT}:manager.value`,
];
