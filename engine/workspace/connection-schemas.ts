import { withBuiltinSchemas } from '../../shared/columns/columns';
import type { PlanResourceType } from '../resources/resource-type';
import type { ScimSchema } from '../../shared/scim/types';
import {
  BUILTIN_RESOURCE_TYPES,
  builtinResourceType,
  coreSchemaUrn,
  type CoreResourceKind,
} from '../../shared/scim/resource-types';
import type { Engine } from '../create-engine';

type Known = { schemas: readonly ScimSchema[]; resourceTypes: readonly PlanResourceType[] };

const BUILTIN_TYPES: readonly PlanResourceType[] = BUILTIN_RESOURCE_TYPES;

const cache = new WeakMap<object, Map<string, Known>>();

/**
 * The schemas and resource types of a saved connection (discovered once per app session and
 * connection), with the built-in RFC 7643 ones filling the gaps; the built-in ones alone when no
 * connection is given.
 */
export async function connectionSchemas(
  engine: Pick<Engine, 'connections'>,
  connectionId: string | undefined,
): Promise<Known> {
  if (connectionId === undefined) {
    return { schemas: withBuiltinSchemas([]), resourceTypes: BUILTIN_TYPES };
  }
  let byId = cache.get(engine.connections);
  if (!byId) {
    byId = new Map();
    cache.set(engine.connections, byId);
  }
  const hit = byId.get(connectionId);
  if (hit) return hit;
  const conn = await engine.connections.open(connectionId);
  try {
    const known: Known = {
      schemas: withBuiltinSchemas(conn.discovery.schemas),
      resourceTypes: conn.discovery.resourceTypes.length
        ? conn.discovery.resourceTypes
        : BUILTIN_TYPES,
    };
    byId.set(connectionId, known);
    return known;
  } finally {
    await conn.close();
  }
}

/** The resource type named `User`/`Group` (by name or core schema). */
export function resourceTypeFor(known: Known, kind: CoreResourceKind): PlanResourceType {
  const urn = coreSchemaUrn(kind).toLowerCase();
  return (
    known.resourceTypes.find((t) => t.schema.toLowerCase() === urn) ??
    known.resourceTypes.find((t) => t.name === kind) ??
    builtinResourceType(kind)
  );
}
