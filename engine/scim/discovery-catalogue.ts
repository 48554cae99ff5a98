/**
 * The catalogue a server publishes (RFC 7644 §4; RFC 7643 §6–7): its resource types and schemas,
 * completed with the built-in RFC 7643 definitions where the server publishes none or only some.
 */
import { isAppError } from '../../shared/errors/errors';
import type { DiscoveryResult, DiscoveryWarning } from '../../shared/scim/discovery-types';
import { BUILTIN_RESOURCE_TYPES } from '../../shared/scim/resource-types';
import { builtinSchema } from '../../shared/scim/schemas/index';
import type { ResourceTypeInfo, ScimSchema } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { parseResourceTypes, parseSchemas } from './schema-parse';
import type { ScimHttp } from './transport/types';

type Catalogue = {
  resourceTypes: ResourceTypeInfo[];
  schemas: ScimSchema[];
  schemaSource: DiscoveryResult['schemaSource'];
};

/** GET of an optional discovery endpoint; undefined (with a warning) when the server does not offer it. */
async function optionalGet(
  http: ScimHttp,
  path: string,
  warnings: DiscoveryWarning[],
  signal?: AbortSignal,
): Promise<unknown> {
  try {
    return (await http.request({ method: 'GET', path, ...(signal ? { signal } : {}) })).body;
  } catch (e) {
    if (isAppError(e) && (e.code === 'cancelled' || (e.code === 'auth' && e.facts.status === 401)))
      throw e;
    const what = isAppError(e)
      ? e.facts.status !== undefined
        ? `HTTP ${e.facts.status}`
        : e.code
      : 'error';
    warnings.push({
      code: 'endpoint_unavailable',
      message: `GET ${path} failed (${what}); built-in definitions are used instead.`,
    });
    return undefined;
  }
}

/**
 * Combines server schemas with the built-in RFC 7643 copies for any schema a resource type names
 * that the server did not publish (core User/Group and the enterprise extension only).
 */
export function mergeSchemas(
  server: ScimSchema[],
  resourceTypes: ResourceTypeInfo[],
  warnings: DiscoveryWarning[],
): { schemas: ScimSchema[]; source: DiscoveryResult['schemaSource'] } {
  const have = new Set(server.map((s) => s.id.toLowerCase()));
  const needed = new Set<string>([URN.user, URN.group, URN.enterpriseUser]);
  for (const rt of resourceTypes) {
    needed.add(rt.schema);
    for (const x of rt.schemaExtensions) needed.add(x.schema);
  }
  const added: ScimSchema[] = [];
  for (const id of needed) {
    if (have.has(id.toLowerCase())) continue;
    const builtin = builtinSchema(id);
    if (builtin) added.push(builtin);
  }
  if (server.length === 0) {
    warnings.push({
      code: 'schemas_builtin',
      message:
        'The server publishes no schemas; the built-in RFC 7643 core and enterprise schemas are used.',
    });
    return { schemas: added, source: 'builtin' };
  }
  if (added.length > 0) {
    warnings.push({
      code: 'schemas_partial',
      message: `The server does not publish ${added.map((s) => s.name ?? s.id).join(', ')}; built-in RFC 7643 copies are used for them.`,
    });
    return { schemas: [...server, ...added], source: 'mixed' };
  }
  return { schemas: server, source: 'server' };
}

/** The server's resource types, or the built-in /Users and /Groups (with a warning) when it lists none. */
export function resourceTypesOrBuiltin(
  body: unknown,
  warnings: DiscoveryWarning[],
): ResourceTypeInfo[] {
  const listed = body === undefined ? [] : parseResourceTypes(body);
  if (listed.length > 0) return listed;
  warnings.push({
    code: 'resource_types_builtin',
    message: 'The server lists no resource types; /Users and /Groups are assumed.',
  });
  return BUILTIN_RESOURCE_TYPES.map((rt) => ({
    ...rt,
    schemaExtensions: [...rt.schemaExtensions],
  }));
}

/** Reads /ResourceTypes and /Schemas (both optional) into the catalogue discovery reports. */
export async function readCatalogue(
  http: ScimHttp,
  warnings: DiscoveryWarning[],
  signal?: AbortSignal,
): Promise<Catalogue> {
  const [rtBody, schemaBody] = await Promise.all([
    optionalGet(http, '/ResourceTypes', warnings, signal),
    optionalGet(http, '/Schemas', warnings, signal),
  ]);
  const resourceTypes = resourceTypesOrBuiltin(rtBody, warnings);
  const { schemas, source } = mergeSchemas(
    schemaBody === undefined ? [] : parseSchemas(schemaBody),
    resourceTypes,
    warnings,
  );
  return { resourceTypes, schemas, schemaSource: source };
}
