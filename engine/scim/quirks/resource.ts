/**
 * Resource-level vendor deviations, normalised on read so diffing and mapping see RFC 7643 types.
 * Each rule is tagged `quirk: <id>` and points at the row that documents it. Wire-level shapes
 * (list keys, numbers in list messages, error bodies) are handled below this, in ./wire.
 */
import type { SchemaAttribute, ScimResource, ScimSchema } from '../../../shared/scim/types';
import { findKeyCaseInsensitive, toInteger } from './wire';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Attribute definitions by lower-cased name (the first of a name wins), per attribute list. */
const attrIndexes = new WeakMap<readonly SchemaAttribute[], Map<string, SchemaAttribute>>();

function findAttr(
  attrs: readonly SchemaAttribute[] | undefined,
  name: string,
): SchemaAttribute | undefined {
  if (!attrs) return undefined;
  let index = attrIndexes.get(attrs);
  if (!index) {
    index = new Map();
    for (const a of attrs) {
      const k = a.name.toLowerCase();
      if (!index.has(k)) index.set(k, a);
    }
    attrIndexes.set(attrs, index);
  }
  return index.get(name) ?? index.get(name.toLowerCase());
}

/** Schemas by lower-cased id (the first of an id wins), per schema list. */
const schemaIndexes = new WeakMap<readonly ScimSchema[], Map<string, ScimSchema>>();

function schemaById(schemas: readonly ScimSchema[], id: string): ScimSchema | undefined {
  let index = schemaIndexes.get(schemas);
  if (!index) {
    index = new Map();
    for (const s of schemas) {
      const k = s.id.toLowerCase();
      if (!index.has(k)) index.set(k, s);
    }
    schemaIndexes.set(schemas, index);
  }
  return index.get(id.toLowerCase());
}

/**
 * quirk: string-booleans — boolean attributes sent as "True"/"False"/"true"/"false" strings (Entra's
 * default SCIM client dialect sends `"value":"False"`; servers echo it back).
 * Source: docs/server-behaviour.md, "Entra as SCIM client" and B1 `patch` ("string booleans");
 * docs/scim-client-rules.md, "Matching and diff" (servers may echo "True").
 *
 * quirk: numeric-strings — integer/decimal attributes sent as strings ("42").
 * Source: docs/scim-client-rules.md, "Index paging" (integers as strings) — the same servers do it
 * in resources.
 */
function coerceScalar(value: unknown, def: SchemaAttribute): unknown {
  if (typeof value !== 'string') return value;
  if (def.type === 'boolean') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    return value;
  }
  if (def.type === 'integer') return toInteger(value) ?? value;
  if (def.type === 'decimal' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value))
    return Number(value);
  return value;
}

function coerce(value: unknown, def: SchemaAttribute): unknown {
  if (Array.isArray(value)) return value.map((v) => coerceOne(v, def));
  return coerceOne(value, def);
}

function coerceOne(value: unknown, def: SchemaAttribute): unknown {
  if (def.type === 'complex' && isRecord(value)) return coerceObject(value, def.subAttributes);
  return coerceScalar(value, def);
}

function coerceObject(obj: Json, attrs: readonly SchemaAttribute[] | undefined): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    const def = findAttr(attrs, key);
    out[key] = def ? coerce(value, def) : value;
  }
  return out;
}

/**
 * quirk: numeric-ids — `id` and reference `value`s (group members, user groups, manager) sent as JSON
 * numbers by servers backed by integer keys. RFC 7643 §3.1 makes `id` a string; comparing 42 with "42"
 * would break matching. Source: defensive rule, docs/scim-client-rules.md "Matching and diff".
 */
function stringifyIds(resource: Json): Json {
  const out: Json = { ...resource };
  if (typeof out['id'] === 'number') out['id'] = String(out['id']);
  for (const name of ['members', 'groups']) {
    const key = findKeyCaseInsensitive(out, name);
    const list = key === undefined ? undefined : out[key];
    if (key !== undefined && Array.isArray(list)) {
      out[key] = list.map((m: unknown) =>
        isRecord(m) && typeof m['value'] === 'number' ? { ...m, value: String(m['value']) } : m,
      );
    }
  }
  return out;
}

/** The schemas that describe a resource: those named in its `schemas` (core first), else all given. */
function coreSchemasFor(resource: Json, schemas: readonly ScimSchema[]): ScimSchema[] {
  const named = Array.isArray(resource['schemas'])
    ? resource['schemas']
        .filter((s): s is string => typeof s === 'string')
        .map((s) => s.toLowerCase())
    : [];
  const hits = schemas.filter((s) => named.includes(s.id.toLowerCase()));
  return hits.length > 0 ? hits : [...schemas];
}

/**
 * Normalises a resource read from a server: typed scalars per its schemas (top level and extension
 * objects keyed by schema URN), string ids. Unknown attributes pass through untouched.
 */
export function normaliseResource(
  resource: ScimResource,
  schemas: readonly ScimSchema[],
): ScimResource {
  const base = stringifyIds(resource);
  const candidates = coreSchemasFor(base, schemas);
  const out: Json = {};
  for (const [key, value] of Object.entries(base)) {
    if (/^urn:/i.test(key) && isRecord(value)) {
      const ext = schemaById(schemas, key);
      out[key] = ext ? coerceObject(value, ext.attributes) : value;
      continue;
    }
    let def: SchemaAttribute | undefined;
    for (const s of candidates) {
      def = findAttr(s.attributes, key);
      if (def) break;
    }
    out[key] = def ? coerce(value, def) : value;
  }
  return out as ScimResource;
}

/**
 * quirk: etag-header-only — servers that send the version only as an `ETag` header, not as
 * `meta.version` (RFC 7644 §3.14 allows either). Copies the header into `meta.version` so later
 * writes can send If-Match. Source: docs/scim-client-rules.md, "Writing" (ETags, §3.14).
 */
export function withVersionFromEtag(
  resource: ScimResource,
  etag: string | undefined,
): ScimResource {
  if (etag === undefined || etag === '' || resource.meta?.version !== undefined) return resource;
  return { ...resource, meta: { ...(resource.meta ?? {}), version: etag } };
}

/**
 * quirk: id-from-location — a create answered 201 with only a `Location` header (or a Bulk result with
 * only `location`): the id is the last path segment (RFC 7644 §3.3: Location is the resource URI).
 * Source: docs/scim-client-rules.md, "Bulk" (read per-operation results; `location` gives the id).
 */
export function idFromLocation(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const last = locationPath(location).replace(/\/+$/, '').split('/').pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * A plain location: nothing the URL parser would change in its path (no query, fragment,
 * percent-escape, backslash, dot segment, whitespace or non-ASCII), so its path is its text after
 * the origin. A Bulk answer carries one per operation; parsing each as a URL is most of the cost.
 */
const PLAIN_LOCATION =
  /^(?:https?:\/\/[A-Za-z0-9.:[\]-]+)?(?:\/[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9_.~!$&'()*+,;=:@-]*)*\/?$/;

/** The path of a location (absolute URL or path), as `new URL(location, base).pathname` gives it. */
export function locationPath(location: string): string {
  if (PLAIN_LOCATION.test(location)) {
    const scheme = location.indexOf('://');
    if (scheme < 0) return location === '' ? '/' : location;
    const slash = location.indexOf('/', scheme + 3);
    return slash < 0 ? '/' : location.slice(slash);
  }
  try {
    return new URL(location, 'http://placeholder.invalid').pathname;
  } catch {
    return location; // keep the raw string
  }
}
