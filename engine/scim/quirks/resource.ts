/**
 * Resource-level vendor deviations, normalised on read so diffing and mapping see RFC 7643 types.
 * Each rule is tagged `quirk: <id>` and points at the row that documents it. Wire-level shapes
 * (list keys, numbers in list messages, error bodies) are handled below this, in ./wire.
 */
import type { SchemaAttribute, ScimResource, ScimSchema } from '../../../shared/scim/types';
import { toInteger } from './wire';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Definitions by name: the lower-cased name, and each definition's own spelling (the usual one in
 * resources, found without lower-casing the key), both giving the first definition of the name in
 * any case.
 */
type NameIndex<T> = Map<string, T>;

function nameIndex<T>(lists: readonly (readonly T[])[], nameOf: (item: T) => string): NameIndex<T> {
  const index: NameIndex<T> = new Map();
  for (const list of lists) {
    for (const item of list) {
      const k = nameOf(item).toLowerCase();
      if (!index.has(k)) index.set(k, item);
    }
  }
  for (const list of lists) {
    for (const item of list) {
      const first = index.get(nameOf(item).toLowerCase());
      if (first !== undefined && !index.has(nameOf(item))) index.set(nameOf(item), first);
    }
  }
  return index;
}

function lookup<T>(index: NameIndex<T>, name: string): T | undefined {
  return index.get(name) ?? index.get(name.toLowerCase());
}

const attrName = (a: SchemaAttribute): string => a.name;

/** Attribute definitions by name (the first of a name wins), per attribute list. */
const attrIndexes = new WeakMap<readonly SchemaAttribute[], NameIndex<SchemaAttribute>>();

function findAttr(
  attrs: readonly SchemaAttribute[] | undefined,
  name: string,
): SchemaAttribute | undefined {
  if (!attrs) return undefined;
  let index = attrIndexes.get(attrs);
  if (!index) {
    index = nameIndex([attrs], attrName);
    attrIndexes.set(attrs, index);
  }
  return lookup(index, name);
}

/** Schemas by id (the first of an id wins), per schema list. */
const schemaIndexes = new WeakMap<readonly ScimSchema[], NameIndex<ScimSchema>>();

function schemaById(schemas: readonly ScimSchema[], id: string): ScimSchema | undefined {
  let index = schemaIndexes.get(schemas);
  if (!index) {
    index = nameIndex([schemas], (s) => s.id);
    schemaIndexes.set(schemas, index);
  }
  return lookup(index, id);
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

/**
 * Normalisation copies only what it changes: a value that needs no coercion is returned as it came
 * (the same object or array), so a resource that already conforms costs a walk, not a copy. A copy
 * is made exactly where the value changes, with the same key order, and through plain assignment
 * (as before), so an own `__proto__` key is dropped from a copied object; such an object is always
 * copied.
 */
function coerce(value: unknown, def: SchemaAttribute): unknown {
  if (!Array.isArray(value)) return coerceOne(value, def);
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const next = coerceOne(item, def);
    if (out === undefined && next !== item) out = value.slice(0, i);
    out?.push(next);
  }
  return out ?? value;
}

function coerceOne(value: unknown, def: SchemaAttribute): unknown {
  if (def.type === 'complex' && isRecord(value)) return coerceObject(value, def.subAttributes);
  return coerceScalar(value, def);
}

/** `obj` with `next` as the value of its `i`-th key: a copy of its first `i` members to continue. */
function copyUpTo(obj: Json, keys: readonly string[], i: number): Json {
  const out: Json = {};
  for (let j = 0; j < i; j++) {
    const k = keys[j] as string;
    out[k] = obj[k];
  }
  return out;
}

function coerceObject(obj: Json, attrs: readonly SchemaAttribute[] | undefined): Json {
  const keys = Object.keys(obj);
  let out: Json | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = obj[key];
    const def = findAttr(attrs, key);
    const next = def ? coerce(value, def) : value;
    if (out === undefined && (next !== value || key === '__proto__')) out = copyUpTo(obj, keys, i);
    if (out !== undefined) out[key] = next;
  }
  return out ?? obj;
}

/** The key of `obj` that is `name` in any case (the exact spelling first), as findKeyCaseInsensitive. */
function keyOf(obj: Json, keys: readonly string[], name: string): string | undefined {
  if (name in obj) return name;
  for (const k of keys) if (k.length === name.length && lowerEquals(k, name)) return k;
  return undefined;
}

/** `k.toLowerCase() === lower` for a lower-case ASCII `lower` of the same length, without a copy. */
function lowerEquals(k: string, lower: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c === lower.charCodeAt(i)) continue;
    if (c > 127) return k.toLowerCase() === lower;
    if (c < 65 || c > 90 || c + 32 !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The list with numeric `value`s as strings, or the list itself when it has none. */
function stringifyValues(list: readonly unknown[]): unknown[] | undefined {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const m: unknown = list[i];
    const numeric = isRecord(m) && typeof m['value'] === 'number';
    if (numeric && out === undefined) out = list.slice(0, i);
    if (out !== undefined) out.push(numeric ? { ...m, value: String(m['value']) } : m);
  }
  return out;
}

/**
 * quirk: numeric-ids — `id` and reference `value`s (group members, user groups, manager) sent as JSON
 * numbers by servers backed by integer keys. RFC 7643 §3.1 makes `id` a string; comparing 42 with "42"
 * would break matching. Source: defensive rule, docs/scim-client-rules.md "Matching and diff".
 * Returns the resource itself when nothing is numeric.
 */
function stringifyIds(resource: Json, keys: readonly string[]): Json {
  let out = resource;
  if (typeof out['id'] === 'number') out = { ...resource, id: String(out['id']) };
  for (const name of ['members', 'groups']) {
    const key = keyOf(out, keys, name);
    const list = key === undefined ? undefined : out[key];
    const fixed = key !== undefined && Array.isArray(list) ? stringifyValues(list) : undefined;
    if (key !== undefined && fixed !== undefined) {
      if (out === resource) out = { ...resource };
      out[key] = fixed;
    }
  }
  return out;
}

/**
 * The schemas that describe a resource, as one index: an attribute is defined by the first of them
 * that defines its name.
 */
type Candidates = NameIndex<SchemaAttribute>;

/** Per schema list: the candidates by a resource's `schemas` (joined; resources share a few). */
const candidateCache = new WeakMap<readonly ScimSchema[], Map<string, Candidates>>();
const MAX_CACHED_CANDIDATES = 64;
const JOIN = '\u0001';

/** The text a `schemas` value is cached by, or undefined when it cannot be told apart by it. */
function schemasKey(raw: unknown): string | undefined {
  if (!Array.isArray(raw)) return '';
  for (const s of raw) if (typeof s !== 'string' || s.includes(JOIN)) return undefined;
  return raw.join(JOIN) + (raw.length === 0 ? '' : JOIN);
}

/** The schemas that describe a resource: those named in its `schemas` (core first), else all given. */
function coreSchemasFor(resource: Json, schemas: readonly ScimSchema[]): Candidates {
  const raw = resource['schemas'];
  const key = schemasKey(raw);
  let cache = candidateCache.get(schemas);
  const cached = key === undefined ? undefined : cache?.get(key);
  if (cached) return cached;
  const named = Array.isArray(raw)
    ? raw.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
    : [];
  const hits = schemas.filter((s) => named.includes(s.id.toLowerCase()));
  const result = nameIndex(
    (hits.length > 0 ? hits : schemas).map((s) => s.attributes),
    attrName,
  );
  if (key === undefined) return result;
  if (!cache) {
    cache = new Map();
    candidateCache.set(schemas, cache);
  }
  if (cache.size < MAX_CACHED_CANDIDATES) cache.set(key, result);
  return result;
}

/** True for a key starting with `urn:` in any case (an extension object's key). */
function isUrnKey(key: string): boolean {
  return (
    key.length >= 4 &&
    key.charCodeAt(3) === 58 &&
    (key.charCodeAt(0) | 32) === 117 &&
    (key.charCodeAt(1) | 32) === 114 &&
    (key.charCodeAt(2) | 32) === 110
  );
}

/** The normalised value of one top-level member (an extension object by its schema). */
function normaliseMember(
  key: string,
  value: unknown,
  schemas: readonly ScimSchema[],
  candidates: Candidates,
): unknown {
  if (isUrnKey(key) && isRecord(value)) {
    const ext = schemaById(schemas, key);
    return ext ? coerceObject(value, ext.attributes) : value;
  }
  const def = lookup(candidates, key);
  return def ? coerce(value, def) : value;
}

/**
 * Normalises a resource read from a server: typed scalars per its schemas (top level and extension
 * objects keyed by schema URN), string ids. Unknown attributes pass through untouched. A resource
 * that needs no change is returned as it came (see {@link coerce}); callers must not mutate it.
 */
export function normaliseResource(
  resource: ScimResource,
  schemas: readonly ScimSchema[],
): ScimResource {
  const keys = Object.keys(resource);
  const base = stringifyIds(resource, keys);
  const candidates = coreSchemasFor(base, schemas);
  let out: Json | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = base[key];
    const next = normaliseMember(key, value, schemas, candidates);
    if (out === undefined && (next !== value || key === '__proto__')) out = copyUpTo(base, keys, i);
    if (out !== undefined) out[key] = next;
  }
  return (out ?? base) as ScimResource;
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
