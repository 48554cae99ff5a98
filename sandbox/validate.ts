/**
 * Turns a request body into the stored form of a resource: attribute names canonicalised
 * (RFC 7643 §2.1, case-insensitive), values type-checked against the schema (§2.3), readOnly
 * attributes dropped (RFC 7644 §3.3 "SHALL be ignored"), required attributes enforced.
 */
import type { SchemaAttribute } from '../shared/scim/types';
import { containerAttributes, extensionUrn, isRecord } from './attribute-resolver';
import { schemaUrnsFor, type SandboxResourceType } from './schemas';
import { badRequest } from './sandbox-error';

function typeError(def: SchemaAttribute, value: unknown, path: string): never {
  throw badRequest(
    'invalidValue',
    `"${path}" must be of type ${def.type}; got ${JSON.stringify(value)?.slice(0, 80) ?? 'undefined'}.`,
  );
}

/** No closure per call: this runs for every value of every write. */
function checkSimple(def: SchemaAttribute, value: unknown, path: string): unknown {
  switch (def.type) {
    case 'string':
    case 'reference':
    case 'binary':
      return typeof value === 'string' ? value : typeError(def, value, path);
    case 'boolean':
      return typeof value === 'boolean' ? value : typeError(def, value, path);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
        ? value
        : typeError(def, value, path);
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value)
        ? value
        : typeError(def, value, path);
    case 'dateTime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
        ? value
        : typeError(def, value, path);
    case 'complex':
      return typeError(def, value, path);
  }
}

/** Definitions by lower-cased name, built once per (static) definition list. */
const byName = new WeakMap<readonly SchemaAttribute[], Map<string, SchemaAttribute>>();

function findDef(defs: SchemaAttribute[], key: string): SchemaAttribute | undefined {
  let index = byName.get(defs);
  if (!index) {
    index = new Map();
    for (const d of defs) {
      const lower = d.name.toLowerCase();
      if (!index.has(lower)) index.set(lower, d);
    }
    byName.set(defs, index);
  }
  return index.get(key.toLowerCase());
}

/** The core container's definitions per resource type (the schemas never change at run time). */
const coreDefsByType = new Map<SandboxResourceType, SchemaAttribute[]>();

function coreDefsOf(type: SandboxResourceType): SchemaAttribute[] {
  let defs = coreDefsByType.get(type);
  if (!defs) {
    defs = containerAttributes(type, undefined);
    coreDefsByType.set(type, defs);
  }
  return defs;
}

function normaliseComplex(
  def: SchemaAttribute,
  value: unknown,
  path: string,
): Record<string, unknown> | undefined {
  if (!isRecord(value)) {
    throw badRequest('invalidValue', `"${path}" must be an object.`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const sub = findDef(def.subAttributes ?? [], key);
    if (sub === undefined) {
      throw badRequest('invalidValue', `"${path}.${key}" is not an attribute of the schema.`);
    }
    if (sub.mutability === 'readOnly' || v === null || v === undefined) {
      continue;
    }
    out[sub.name] = checkSimple(sub, v, `${path}.${sub.name}`);
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

function normaliseSingle(def: SchemaAttribute, value: unknown, path: string): unknown {
  return def.type === 'complex'
    ? normaliseComplex(def, value, path)
    : checkSimple(def, value, path);
}

/** Normalises one attribute value; undefined means "unassigned" (null, empty array, empty object). */
function normaliseValue(def: SchemaAttribute, value: unknown, path: string): unknown {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (!def.multiValued) {
    if (Array.isArray(value)) {
      throw badRequest('invalidValue', `"${path}" is single-valued; got an array.`);
    }
    return normaliseSingle(def, value, path);
  }
  if (!Array.isArray(value)) {
    throw badRequest('invalidValue', `"${path}" is multi-valued and must be an array.`);
  }
  const items = (value as unknown[])
    .map((v, i) => (v === null ? undefined : normaliseSingle(def, v, `${path}[${i}]`)))
    .filter((v) => v !== undefined);
  // RFC 7643 §2.4: the primary "true" value MUST appear no more than once.
  const primaries = items.filter((v) => isRecord(v) && v.primary === true).length;
  if (primaries > 1) {
    throw badRequest('invalidValue', `"${path}" has more than one value marked primary.`);
  }
  return items.length === 0 ? undefined : items;
}

function normaliseContainer(
  defs: SchemaAttribute[],
  body: Record<string, unknown>,
  prefix: string,
  out: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(body)) {
    const def = findDef(defs, key);
    if (def === undefined) {
      throw badRequest('invalidValue', `"${prefix}${key}" is not an attribute of the schema.`);
    }
    if (def.mutability === 'readOnly') {
      continue;
    }
    const v = normaliseValue(def, value, `${prefix}${def.name}`);
    if (v !== undefined) {
      out[def.name] = v;
    }
  }
}

/**
 * Validates and canonicalises a create/replace body. Returns the resource's writable attributes
 * (no `id`, `meta`, `schemas`: the store owns those).
 */
export function normaliseResource(
  type: SandboxResourceType,
  body: unknown,
): Record<string, unknown> {
  if (!isRecord(body)) {
    throw badRequest('invalidSyntax', 'The request body must be a JSON object.');
  }
  const urns = schemaUrnsFor(type);
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw badRequest(
      'invalidSyntax',
      `"schemas" is required and must list "${urns.core}" (RFC 7643 §3).`,
    );
  }
  const known = [urns.core, ...urns.extensions].map((u) => u.toLowerCase());
  if (!schemas.some((s) => s.toLowerCase() === urns.core.toLowerCase())) {
    throw badRequest('invalidSyntax', `"schemas" must include "${urns.core}".`);
  }
  const unknown = schemas.find((s) => !known.includes(s.toLowerCase()));
  if (unknown !== undefined) {
    throw badRequest('invalidValue', `"${unknown}" is not a schema of this resource type.`);
  }
  const coreDefs = coreDefsOf(type);
  const out: Record<string, unknown> = {};
  const core: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas' || lower === 'id' || lower === 'meta') {
      continue;
    }
    const ext = lower.startsWith('urn:') ? extensionUrn(type, key) : undefined;
    if (ext !== undefined) {
      if (value === null) {
        continue;
      }
      if (!isRecord(value)) {
        throw badRequest('invalidValue', `"${key}" must be an object of extension attributes.`);
      }
      const extOut: Record<string, unknown> = {};
      normaliseContainer(containerAttributes(type, ext), value, `${ext}:`, extOut);
      if (Object.keys(extOut).length > 0) {
        out[ext] = extOut;
      }
      continue;
    }
    core[key] = value;
  }
  normaliseContainer(coreDefs, core, '', out);
  for (const def of coreDefs) {
    if (def.required && def.mutability !== 'readOnly') {
      const v = out[def.name];
      if (v === undefined || (typeof v === 'string' && v.trim() === '')) {
        throw badRequest('invalidValue', `"${def.name}" is required.`);
      }
    }
  }
  return out;
}

/** The `schemas` array a stored resource is served with: core plus extensions that hold data. */
export function schemasOf(type: SandboxResourceType, resource: Record<string, unknown>): string[] {
  const urns = schemaUrnsFor(type);
  return [urns.core, ...urns.extensions.filter((e) => resource[e] !== undefined)];
}
