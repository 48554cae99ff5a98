/**
 * Lenient readers for server JSON: members are looked up case-insensitively (RFC 7643 §2.1) and
 * scalar types are coerced where servers are known to send strings (see quirks/resource.ts).
 */
import { findKeyCaseInsensitive, toInteger } from './quirks/wire';

export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isRecord(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The member `name` of `obj`, matched case-insensitively. */
export function member(obj: JsonObject | undefined, name: string): unknown {
  if (!obj) return undefined;
  const key = findKeyCaseInsensitive(obj, name);
  return key === undefined ? undefined : obj[key];
}

/** A nested object member, or undefined. */
export function objectMember(obj: JsonObject | undefined, name: string): JsonObject | undefined {
  const v = member(obj, name);
  return isRecord(v) ? v : undefined;
}

/**
 * quirk: string-booleans — `true`/`false` also accepted as the strings "true"/"True"/"false"/"False"
 * (see quirks/resource.ts). Anything else is undefined.
 */
function toBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** A boolean member (string booleans accepted), or undefined. */
export function boolMember(obj: JsonObject | undefined, name: string): boolean | undefined {
  return toBoolean(member(obj, name));
}

/** An integer member (numeric strings accepted), or undefined. */
export function intMember(obj: JsonObject | undefined, name: string): number | undefined {
  return toInteger(member(obj, name));
}

/** A non-empty string member, or undefined. */
export function stringMember(obj: JsonObject | undefined, name: string): string | undefined {
  const v = member(obj, name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The items of a collection answer: a ListResponse's `Resources`, a bare array (some servers answer
 * /Schemas and /ResourceTypes that way), or a single object (treated as a one-item list).
 */
export function listItems(body: unknown): JsonObject[] {
  if (Array.isArray(body)) return body.filter(isRecord);
  if (!isRecord(body)) return [];
  const resources = member(body, 'Resources');
  if (Array.isArray(resources)) return resources.filter(isRecord);
  return [body];
}
