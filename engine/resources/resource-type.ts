/**
 * The parts of a resource type (RFC 7643 §6) that planning needs: its core schema URN and its
 * extension URNs. A `ResourceTypeInfo` from discovery fits this shape as it is.
 */
import { findAttribute } from '../../shared/columns/columns';
import type { SchemaAttribute, ScimSchema } from '../../shared/scim/types';
import { coreKindOfSchema, type CoreResourceKind } from '../../shared/scim/resource-types';

/** A resource type as planning sees it (`ResourceTypeInfo` is assignable to it). */
export type PlanResourceType = {
  /** The core schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`. */
  readonly schema: string;
  readonly schemaExtensions: readonly { readonly schema: string; readonly required?: boolean }[];
  /** Display name, e.g. `User`; the kind is derived from the core URN when absent. */
  readonly name?: string;
};

/** `User` or `Group` for the RFC 7643 core types, else undefined. */
export function resourceKind(type: PlanResourceType): CoreResourceKind | undefined {
  return coreKindOfSchema(type.schema);
}

/** What the admin calls one resource of this type: `User`, `Group`, the type's name, or `resource`. */
export function resourceNoun(type: PlanResourceType): string {
  return resourceKind(type) ?? type.name ?? 'resource';
}

/** The schema with URN `id` (case-insensitive), if the list has it. */
export function schemaById(schemas: readonly ScimSchema[], id: string): ScimSchema | undefined {
  const wanted = id.toLowerCase();
  return schemas.find((s) => s.id.toLowerCase() === wanted);
}

/**
 * The definition of a top-level attribute of this resource type: in the extension schema `uri`, or
 * in the type's own core schema (so a Group attribute is not looked up in the User schema first).
 */
export function typeAttribute(
  schemas: readonly ScimSchema[],
  type: PlanResourceType,
  uri: string | undefined,
  attr: string,
): SchemaAttribute | undefined {
  if (uri !== undefined) return findAttribute(schemas, uri, attr);
  const core = schemaById(schemas, type.schema);
  return core ? findAttribute([core], undefined, attr) : findAttribute(schemas, undefined, attr);
}

/** The resource type's spelling of extension URN `uri` (case-insensitive), else `uri` itself. */
export function canonicalExtensionUrn(type: PlanResourceType, uri: string): string {
  const wanted = uri.toLowerCase();
  return type.schemaExtensions.find((e) => e.schema.toLowerCase() === wanted)?.schema ?? uri;
}
