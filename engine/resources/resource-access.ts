/**
 * Reading a server resource the way `flatten.ts` does: attribute names case-insensitively, and the
 * values of a multi-valued attribute placed by role (first of each `type`, first untyped primary,
 * the rest), so that planning edits exactly the value a column shows.
 */
import type { ValueSelector } from '../../shared/columns/columns';
import { getAttr, isRecord, scalarText } from '../columns/flatten';
import { sameAttrName } from '../../shared/scim/attribute-path';
import type { SelectorPlan } from '../plan/target-info';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** The key of `obj` naming attribute `name` (case-insensitively; an exact match first). */
export function findKey(obj: Readonly<JsonObject>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  return Object.keys(obj).find((k) => sameAttrName(k, name));
}

/** The key of `obj` for `name` as the server spells it, else `name`. */
export function spelled(obj: Readonly<JsonObject> | undefined, name: string): string {
  return (obj && findKey(obj, name)) ?? name;
}

/** The object holding an attribute: the resource for a core one, else its extension object. */
export function containerOf(
  resource: Readonly<JsonObject>,
  uri: string | undefined,
): JsonObject | undefined {
  if (uri === undefined) return resource;
  const value = getAttr(resource, uri);
  return isRecord(value) ? value : undefined;
}

/** The values of a multi-valued attribute (empty when absent or not an array). */
export function valuesOf(container: Readonly<JsonObject> | undefined, attr: string): unknown[] {
  const value = container ? getAttr(container, attr) : undefined;
  return Array.isArray(value) ? value : [];
}

/** The non-empty `type` of a complex value. */
export function elementType(element: Readonly<JsonObject>): string | undefined {
  const type = getAttr(element, 'type');
  return typeof type === 'string' && type !== '' ? type : undefined;
}

/** How `flatten.ts` places a value of a multi-valued attribute, given the target columns. */
type ElementRole =
  /** Shown by a `attr[type eq "…"]` or `attr[primary eq true]` column. */
  | 'selected'
  /** Shown by the attribute's joined column, if it has one ("the remaining values"). */
  | 'joined'
  /** Not a simple value or an object (nested arrays, null): never shown, never touched. */
  | 'other';

/** The role of every value of a multi-valued attribute, index-aligned with `items`. */
export function elementRoles(
  items: readonly unknown[],
  plan: SelectorPlan | undefined,
): ElementRole[] {
  const seenTypes = new Set<string>();
  let seenPrimary = false;
  return items.map((item) => {
    if (!isRecord(item)) return scalarText(item) !== undefined ? 'joined' : 'other';
    const type = elementType(item)?.toLowerCase();
    if (type !== undefined) {
      if (seenTypes.has(type)) return 'joined';
      seenTypes.add(type);
      return plan?.types.has(type) ? 'selected' : 'joined';
    }
    if (getAttr(item, 'primary') === true && !seenPrimary) {
      seenPrimary = true;
      return plan?.primary ? 'selected' : 'joined';
    }
    return 'joined';
  });
}

/**
 * The index of the value a selector column shows: the first value of that `type` (types compare
 * case-insensitively), or the first untyped value with `primary: true`; -1 when there is none.
 */
export function selectedIndex(items: readonly unknown[], selector: ValueSelector): number {
  const wanted = selector.by === 'type' ? selector.type.toLowerCase() : undefined;
  return items.findIndex((item) => {
    if (!isRecord(item)) return false;
    const type = elementType(item);
    if (wanted !== undefined) return type?.toLowerCase() === wanted;
    return type === undefined && getAttr(item, 'primary') === true;
  });
}
