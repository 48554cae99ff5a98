/**
 * Parsing of /ServiceProviderConfig (RFC 7643 §5, RFC 9865 §4 `pagination`) into
 * ServiceProviderCapabilities. Lenient on shape (SCIM 1.1 documents, string booleans, numeric
 * strings), strict on meaning: a missing limit stays undefined or 0 ("not stated"), never "unlimited"
 * — RFC 9865 §4: clients MUST NOT read absent values as "no limits".
 */
import type { ServiceProviderCapabilities } from '../../shared/scim/types';
import {
  boolMember,
  intMember,
  isRecord,
  listItems,
  member,
  objectMember,
  stringMember,
  type JsonObject,
} from './read';

/** True when a body is a ServiceProviderConfig (2.0 schema URN, or the 1.1 shape with feature objects). */
export function isServiceProviderConfig(body: unknown): body is JsonObject {
  if (!isRecord(body)) return false;
  const schemas = member(body, 'schemas');
  if (
    Array.isArray(schemas) &&
    schemas.some((s) => typeof s === 'string' && /ServiceProviderConfig/i.test(s))
  ) {
    return true;
  }
  // SCIM 1.1-era documents (urn:scim:schemas:core:1.0) carry the same feature objects.
  return ['patch', 'bulk', 'filter'].some((k) => objectMember(body, k) !== undefined);
}

/**
 * Finds the ServiceProviderConfig in an answer: the document itself, or (quirk:
 * spc-in-list-response, seen on 1.1-era `/ServiceProviderConfigs`) the first item of a ListResponse.
 */
export function unwrapServiceProviderConfig(body: unknown): JsonObject | undefined {
  if (isServiceProviderConfig(body) && member(body, 'Resources') === undefined) return body;
  return listItems(body).find(isServiceProviderConfig);
}

function supported(spc: JsonObject, feature: string): boolean {
  return boolMember(objectMember(spc, feature), 'supported') ?? false;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function paginationOf(spc: JsonObject): ServiceProviderCapabilities['pagination'] {
  const p = objectMember(spc, 'pagination');
  if (!p) return { cursor: false, index: false };
  const method = stringMember(p, 'defaultPaginationMethod')?.toLowerCase();
  const defaultPageSize = positive(intMember(p, 'defaultPageSize'));
  const maxPageSize = positive(intMember(p, 'maxPageSize'));
  const cursorTimeout = positive(intMember(p, 'cursorTimeout'));
  return {
    cursor: boolMember(p, 'cursor') ?? false,
    index: boolMember(p, 'index') ?? false,
    ...(method === 'cursor' || method === 'index' ? { defaultPaginationMethod: method } : {}),
    ...(defaultPageSize !== undefined ? { defaultPageSize } : {}),
    ...(maxPageSize !== undefined ? { maxPageSize } : {}),
    ...(cursorTimeout !== undefined ? { cursorTimeout } : {}),
  };
}

function authSchemesOf(spc: JsonObject): ServiceProviderCapabilities['authenticationSchemes'] {
  const raw = member(spc, 'authenticationSchemes');
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : [];
  return list.filter(isRecord).map((a) => {
    const description = stringMember(a, 'description');
    const primary = boolMember(a, 'primary');
    return {
      type: stringMember(a, 'type') ?? '',
      name: stringMember(a, 'name') ?? '',
      ...(description !== undefined ? { description } : {}),
      ...(primary !== undefined ? { primary } : {}),
    };
  });
}

/**
 * Normalises a ServiceProviderConfig document. Limits not stated are 0 (bulk, filter.maxResults)
 * or absent (pagination), never a made-up "unlimited".
 */
export function parseServiceProviderConfig(spc: JsonObject): ServiceProviderCapabilities {
  const bulk = objectMember(spc, 'bulk');
  const filter = objectMember(spc, 'filter');
  return {
    patch: { supported: supported(spc, 'patch') },
    bulk: {
      supported: supported(spc, 'bulk'),
      maxOperations: Math.max(0, intMember(bulk, 'maxOperations') ?? 0),
      maxPayloadSize: Math.max(0, intMember(bulk, 'maxPayloadSize') ?? 0),
    },
    filter: {
      supported: supported(spc, 'filter'),
      maxResults: Math.max(0, intMember(filter, 'maxResults') ?? 0),
    },
    changePassword: { supported: supported(spc, 'changePassword') },
    sort: { supported: supported(spc, 'sort') },
    etag: { supported: supported(spc, 'etag') },
    pagination: paginationOf(spc),
    authenticationSchemes: authSchemesOf(spc),
  };
}
