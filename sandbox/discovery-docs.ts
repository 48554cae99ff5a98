/** Bodies of /Schemas and /ResourceTypes (RFC 7643 §6, §7; RFC 7644 §4). */
import type { ScimSchema } from '../shared/scim/types';
import { URN } from '../shared/scim/urns';
import { SANDBOX_RESOURCE_TYPES, SANDBOX_SCHEMAS } from './schemas';

/** One /Schemas entry as served. */
export function schemaDocument(schema: ScimSchema, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [URN.schema],
    ...schema,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

/** One /ResourceTypes entry as served. */
export function resourceTypeDocument(
  rt: (typeof SANDBOX_RESOURCE_TYPES)[number],
  baseUrl: string,
): Record<string, unknown> {
  return {
    schemas: [URN.resourceType],
    ...rt,
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.name}` },
  };
}

/** A ListResponse of every schema or resource type. */
export function discoveryList(
  kind: 'Schemas' | 'ResourceTypes',
  baseUrl: string,
): Record<string, unknown> {
  const resources =
    kind === 'Schemas'
      ? SANDBOX_SCHEMAS.map((s) => schemaDocument(s, baseUrl))
      : SANDBOX_RESOURCE_TYPES.map((r) => resourceTypeDocument(r, baseUrl));
  return {
    schemas: [URN.listResponse],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}
