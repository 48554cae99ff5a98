/**
 * The full resource for a PUT (RFC 7644 §3.5.1) when the server does not support PATCH: the server's
 * resource with the edits applied, without what the server owns. `id` is kept (servers check it
 * against the URL), `meta` is dropped, and so are read-only attributes such as a User's `groups`
 * (they "SHALL be ignored", but several servers reject them instead). A Group's `members` stay: a
 * PUT without them would empty the group.
 */
import { findAttribute } from '../../shared/columns/columns';
import { isRecord } from '../columns/flatten';
import type { ScimResource, ScimSchema } from '../../shared/scim/types';
import { applyEdits, type Edit } from '../plan/edits';
import { findKey, type JsonObject } from './resource-access';
import {
  canonicalExtensionUrn,
  resourceKind,
  typeAttribute,
  type PlanResourceType,
} from './resource-type';

/** What {@link buildReplaceBody} needs besides the resource and edits. */
type ReplaceBodyOptions = {
  /** Schemas with the built-ins filling the gaps (`withBuiltinSchemas`). */
  readonly schemas: readonly ScimSchema[];
  readonly resourceType: PlanResourceType;
};

/** The PUT body: `server` (not modified) with `edits` applied and server-owned attributes removed. */
export function buildReplaceBody(
  server: Readonly<ScimResource>,
  edits: readonly Edit[],
  opts: ReplaceBodyOptions,
): ScimResource {
  const body = structuredClone(server) as JsonObject;
  applyEdits(body, edits);
  const isUser = resourceKind(opts.resourceType) === 'User';
  for (const key of Object.keys(body)) {
    const lower = key.toLowerCase();
    if (lower === 'id' || lower === 'schemas') continue;
    const value = body[key];
    if (/^urn:/i.test(key)) {
      if (isRecord(value)) stripExtension(value, key, opts.schemas);
      if (isRecord(value) && Object.keys(value).length === 0) Reflect.deleteProperty(body, key);
      continue;
    }
    const def = typeAttribute(opts.schemas, opts.resourceType, undefined, key);
    const readOnly = def?.mutability === 'readOnly' || lower === 'meta';
    if (readOnly || (isUser && lower === 'groups')) Reflect.deleteProperty(body, key);
  }
  const schemasKey = findKey(body, 'schemas');
  const given = schemasKey === undefined ? undefined : body[schemasKey];
  if (schemasKey !== undefined) Reflect.deleteProperty(body, schemasKey);
  return { schemas: schemaList(given, body, opts.resourceType), ...body };
}

/** Removes the read-only attributes of an extension object. */
function stripExtension(ext: JsonObject, uri: string, schemas: readonly ScimSchema[]): void {
  for (const attr of Object.keys(ext)) {
    if (findAttribute(schemas, uri, attr)?.mutability === 'readOnly') {
      Reflect.deleteProperty(ext, attr);
    }
  }
}

/** The resource's `schemas`, plus the core URN and the URN of every extension object it has. */
function schemaList(given: unknown, body: JsonObject, type: PlanResourceType): string[] {
  const list = Array.isArray(given) ? given.filter((s): s is string => typeof s === 'string') : [];
  const has = (urn: string): boolean => list.some((s) => s.toLowerCase() === urn.toLowerCase());
  if (!has(type.schema)) list.unshift(type.schema);
  for (const key of Object.keys(body)) {
    if (/^urn:/i.test(key) && isRecord(body[key]) && !has(key)) {
      list.push(canonicalExtensionUrn(type, key));
    }
  }
  return list;
}
