/**
 * The value helpers the column model is built on (flatten.ts, flatten-cells.ts, the planners'
 * edits): case-insensitive member access, the cell text of a simple value, RFC 7643 §2.5 "unassigned",
 * and which core attributes are never exported or are told apart by `type`.
 */
import { isCoreUrn } from '../../shared/columns/columns';
import { sameAttrName } from '../../shared/scim/attribute-path';

type JsonObject = Record<string, unknown>;

/** Top-level core attributes never exported. */
export const EXCLUDED: ReadonlySet<string> = new Set(['schemas', 'meta', 'password']);

/** Core multi-valued attributes whose values are told apart by `type` (RFC 7643 §4.1.2). */
export const TYPED_STYLE: ReadonlySet<string> = new Set([
  'emails',
  'phonenumbers',
  'ims',
  'photos',
  'addresses',
]);

/** True for `schemas`, `meta` and `password` (core attributes never exported). */
export function isExcludedAttribute(ref: { uri?: string; attr: string }): boolean {
  return (ref.uri === undefined || isCoreUrn(ref.uri)) && EXCLUDED.has(ref.attr.toLowerCase());
}

/** True for the core attributes whose values are told apart by `type` (`emails`, `addresses`, …). */
export function isTypedStyle(ref: { uri?: string; attr: string }): boolean {
  return ref.uri === undefined && TYPED_STYLE.has(ref.attr.toLowerCase());
}

/** A member by attribute name, compared case-insensitively (RFC 7643 §2.1); exact match first. */
export function getAttr(obj: Readonly<JsonObject>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  for (const [k, v] of Object.entries(obj)) if (sameAttrName(k, name)) return v;
  return undefined;
}

/** The cell text of a simple value: strings as-is, `true`/`false`, finite numbers via `String`. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Unassigned per RFC 7643 §2.5: absent, null, an empty string or an empty array. */
export function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** True for a plain JSON object (not an array or null). */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
