/**
 * Parsing of /Schemas (RFC 7643 §7) and /ResourceTypes (RFC 7643 §6) answers. Characteristics a
 * server leaves out get the RFC 7643 §7 defaults, so every SchemaAttribute is complete.
 */
import type { ResourceTypeInfo, SchemaAttribute, ScimSchema } from '../../shared/scim/types';
import { boolMember, isRecord, listItems, member, stringMember, type JsonObject } from './read';

const TYPES = [
  'string',
  'boolean',
  'decimal',
  'integer',
  'dateTime',
  'reference',
  'complex',
  'binary',
] as const;
const MUTABILITY = ['readOnly', 'readWrite', 'immutable', 'writeOnly'] as const;
const RETURNED = ['always', 'never', 'default', 'request'] as const;
const UNIQUENESS = ['none', 'server', 'global'] as const;

/** Picks an enum value case-insensitively, else the fallback. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  if (typeof value !== 'string') return fallback;
  const lower = value.toLowerCase();
  return allowed.find((a) => a.toLowerCase() === lower) ?? fallback;
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

/** One attribute definition; undefined when it has no name. */
function parseAttribute(a: JsonObject): SchemaAttribute | undefined {
  const name = stringMember(a, 'name');
  if (name === undefined) return undefined;
  const description = stringMember(a, 'description');
  const canonicalValues = strings(member(a, 'canonicalValues'));
  const referenceTypes = strings(member(a, 'referenceTypes'));
  const subs = member(a, 'subAttributes');
  const subAttributes = Array.isArray(subs)
    ? subs
        .filter(isRecord)
        .map(parseAttribute)
        .filter((x) => x !== undefined)
    : undefined;
  return {
    name,
    type: oneOf(member(a, 'type'), TYPES, 'string'),
    multiValued: boolMember(a, 'multiValued') ?? false,
    ...(description !== undefined ? { description } : {}),
    required: boolMember(a, 'required') ?? false,
    caseExact: boolMember(a, 'caseExact') ?? false,
    mutability: oneOf(member(a, 'mutability'), MUTABILITY, 'readWrite'),
    returned: oneOf(member(a, 'returned'), RETURNED, 'default'),
    uniqueness: oneOf(member(a, 'uniqueness'), UNIQUENESS, 'none'),
    ...(canonicalValues && canonicalValues.length > 0 ? { canonicalValues } : {}),
    ...(referenceTypes && referenceTypes.length > 0 ? { referenceTypes } : {}),
    ...(subAttributes && subAttributes.length > 0 ? { subAttributes } : {}),
  };
}

/** The schemas in a /Schemas answer (ListResponse, bare array or single schema). */
export function parseSchemas(body: unknown): ScimSchema[] {
  const out: ScimSchema[] = [];
  for (const s of listItems(body)) {
    const id = stringMember(s, 'id');
    const attrs = member(s, 'attributes');
    if (id === undefined || !Array.isArray(attrs)) continue;
    const name = stringMember(s, 'name');
    const description = stringMember(s, 'description');
    out.push({
      id,
      ...(name !== undefined ? { name } : {}),
      ...(description !== undefined ? { description } : {}),
      attributes: attrs
        .filter(isRecord)
        .map(parseAttribute)
        .filter((x) => x !== undefined),
    });
  }
  return out;
}

/** The resource types in a /ResourceTypes answer; entries without endpoint or schema are skipped. */
export function parseResourceTypes(body: unknown): ResourceTypeInfo[] {
  const out: ResourceTypeInfo[] = [];
  for (const rt of listItems(body)) {
    const endpointRaw = stringMember(rt, 'endpoint');
    const schema = stringMember(rt, 'schema');
    if (endpointRaw === undefined || schema === undefined) continue;
    // Endpoints are relative to the base URL (RFC 7643 §6); some servers omit the leading slash.
    const endpoint =
      endpointRaw.startsWith('/') || /^https?:/i.test(endpointRaw)
        ? endpointRaw
        : `/${endpointRaw}`;
    const id = stringMember(rt, 'id');
    const description = stringMember(rt, 'description');
    const exts = member(rt, 'schemaExtensions');
    out.push({
      ...(id !== undefined ? { id } : {}),
      name: stringMember(rt, 'name') ?? id ?? endpoint.replace(/^\//, ''),
      endpoint,
      ...(description !== undefined ? { description } : {}),
      schema,
      schemaExtensions: (Array.isArray(exts) ? exts.filter(isRecord) : []).flatMap((x) => {
        const s = stringMember(x, 'schema');
        return s === undefined ? [] : [{ schema: s, required: boolMember(x, 'required') ?? false }];
      }),
    });
  }
  return out;
}
