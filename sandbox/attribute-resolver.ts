/**
 * Resolves SCIM attribute paths (`userName`, `name.givenName`, `emails.value`,
 * `urn:…:enterprise:2.0:User:manager.value`) against the sandbox schemas, case-insensitively as
 * RFC 7643 §2.1 requires, and reads their values out of stored resources.
 */
import { parseAttrPath } from '../shared/scim/attribute-path';
import type { SchemaAttribute } from '../shared/scim/types';
import {
  COMMON_ATTRIBUTES,
  attributesOf,
  schemaUrnsFor,
  type SandboxResourceType,
} from './schemas';

/** A path resolved to its schema definitions. */
export type ResolvedPath = {
  /** Extension URN holding the attribute; undefined for core and common attributes. */
  container: string | undefined;
  def: SchemaAttribute;
  sub: SchemaAttribute | undefined;
};

function findAttr(list: SchemaAttribute[], name: string): SchemaAttribute | undefined {
  const lower = name.toLowerCase();
  return list.find((a) => a.name.toLowerCase() === lower);
}

/** Definitions of the top-level attributes of a container (core = undefined). */
export function containerAttributes(
  type: SandboxResourceType,
  container: string | undefined,
): SchemaAttribute[] {
  if (container !== undefined) {
    return attributesOf(container);
  }
  return [...COMMON_ATTRIBUTES, ...attributesOf(schemaUrnsFor(type).core)];
}

/** The canonical extension URN when `urn` names one of this type's extensions. */
export function extensionUrn(type: SandboxResourceType, urn: string): string | undefined {
  const lower = urn.toLowerCase();
  return schemaUrnsFor(type).extensions.find((e) => e.toLowerCase() === lower);
}

/** Resolves `path` for `type`; undefined when the schema has no such attribute. */
export function resolvePath(type: SandboxResourceType, path: string): ResolvedPath | undefined {
  const parsed = parseAttrPath(path);
  if (!parsed.ok) {
    return undefined;
  }
  const { uri, attr, subAttr } = parsed.path;
  let container: string | undefined;
  if (uri !== undefined) {
    const urns = schemaUrnsFor(type);
    if (uri.toLowerCase() === urns.core.toLowerCase()) {
      container = undefined;
    } else {
      container = extensionUrn(type, uri);
      if (container === undefined) {
        return undefined;
      }
    }
  }
  const def = findAttr(containerAttributes(type, container), attr);
  if (def === undefined) {
    return undefined;
  }
  if (subAttr === undefined) {
    return { container, def, sub: undefined };
  }
  const sub = findAttr(def.subAttributes ?? [], subAttr);
  return sub === undefined ? undefined : { container, def, sub };
}

/** The definition whose rules (type, caseExact) apply to the values a path yields. */
export function leafDefinition(resolved: ResolvedPath): SchemaAttribute {
  if (resolved.sub !== undefined) {
    return resolved.sub;
  }
  if (resolved.def.type === 'complex') {
    // RFC 7644 §3.4.2.2: a complex multi-valued attribute without a sub-attribute means `.value`.
    return findAttr(resolved.def.subAttributes ?? [], 'value') ?? resolved.def;
  }
  return resolved.def;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** All values a path yields on a resource (flattened over multi-valued attributes). */
export function valuesAt(resource: Record<string, unknown>, resolved: ResolvedPath): unknown[] {
  const holder = resolved.container === undefined ? resource : resource[resolved.container];
  if (!isRecord(holder)) {
    return [];
  }
  const raw = holder[resolved.def.name];
  if (raw === undefined || raw === null) {
    return [];
  }
  const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (resolved.def.type !== 'complex') {
    return items;
  }
  const subName = resolved.sub?.name ?? (resolved.def.multiValued ? 'value' : undefined);
  if (subName === undefined) {
    return items;
  }
  const out: unknown[] = [];
  for (const item of items) {
    if (isRecord(item)) {
      const v = item[subName];
      if (v !== undefined && v !== null) {
        out.push(v);
      }
    }
  }
  return out;
}

/** The elements of a multi-valued complex attribute (for `attr[filter]` value paths). */
export function elementsAt(
  resource: Record<string, unknown>,
  resolved: ResolvedPath,
): Record<string, unknown>[] {
  const holder = resolved.container === undefined ? resource : resource[resolved.container];
  if (!isRecord(holder)) {
    return [];
  }
  const raw = holder[resolved.def.name];
  const items = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw];
  return items.filter(isRecord);
}

export { isRecord };
