/**
 * The changes a diff makes, kept structured so they can be sent as PATCH operations (RFC 7644
 * §3.5.2) or applied locally to build a PUT body (§3.5.1) — the same edits either way.
 *
 * Paths are rendered with the filter builder, never by concatenating values: `displayName`,
 * `name.givenName`, `urn:…:User:employeeNumber`, `emails[type eq "work"].value`, `emails[type eq
 * "work"]`, `emails`.
 */
import type { ValueSelector } from '../../shared/columns/columns';
import { getAttr, isRecord } from '../columns/flatten';
import { eq, valuePath } from '../../shared/scim/filter';
import type { PatchOperation } from '../../shared/scim/types';
import { elementType, findKey, type JsonObject } from '../resources/resource-access';

/** What an edit addresses: `[uri:]attr[filter][.sub]`. */
export type EditTarget = {
  readonly uri?: string;
  readonly attr: string;
  /** A value filter on a multi-valued attribute: `[type eq "…"]` or `[primary eq true]`. */
  readonly filter?: ValueSelector;
  readonly sub?: string;
};

/** One change, with PATCH semantics. */
export type Edit =
  | { readonly op: 'replace'; readonly target: EditTarget; readonly value: unknown }
  /** Only used to append values to a multi-valued attribute (`value` is an array). */
  | { readonly op: 'add'; readonly target: EditTarget; readonly value: unknown[] }
  | { readonly op: 'remove'; readonly target: EditTarget };

/** The PATCH path of a target, e.g. `emails[type eq "work"].value`. */
function editPath(target: EditTarget): string {
  const attr = target.uri !== undefined ? `${target.uri}:${target.attr}` : target.attr;
  const base = target.filter
    ? valuePath(
        attr,
        target.filter.by === 'type' ? eq('type', target.filter.type) : eq('primary', true),
      ).text
    : attr;
  return target.sub !== undefined ? `${base}.${target.sub}` : base;
}

/** The PATCH operation of an edit. */
export function toPatchOperation(edit: Edit): PatchOperation {
  const path = editPath(edit.target);
  return edit.op === 'remove' ? { op: 'remove', path } : { op: edit.op, path, value: edit.value };
}

/**
 * Applies edits to `resource` in place, with the RFC 7644 §3.5.2 semantics of the shapes above:
 * `replace` of a complex value merges sub-attributes, of anything else sets it; `add` appends values;
 * `remove` deletes (an emptied multi-valued attribute or extension object is deleted too). Value
 * filters match `type` case-insensitively (it is not case-exact) and `primary` by `true`.
 */
export function applyEdits(resource: JsonObject, edits: readonly Edit[]): void {
  for (const edit of edits) applyEdit(resource, edit);
}

function applyEdit(resource: JsonObject, edit: Edit): void {
  const { target } = edit;
  const container = containerFor(resource, target.uri, edit.op !== 'remove');
  if (!container) return;
  if (target.filter) applyFiltered(container, edit, target.filter);
  else if (edit.op === 'remove') removeMember(container, target.attr, target.sub);
  else if (edit.op === 'add') {
    const key = findKey(container, target.attr) ?? target.attr;
    const existing: unknown = container[key];
    const before: readonly unknown[] = Array.isArray(existing) ? existing : [];
    container[key] = [...before, ...edit.value];
  } else if (target.sub !== undefined) {
    const obj = objectMember(container, target.attr);
    obj[findKey(obj, target.sub) ?? target.sub] = edit.value;
  } else {
    const key = findKey(container, target.attr) ?? target.attr;
    const existing = container[key];
    container[key] =
      isRecord(existing) && isRecord(edit.value) ? mergeInto(existing, edit.value) : edit.value;
  }
  if (target.uri !== undefined && Object.keys(container).length === 0) {
    const key = findKey(resource, target.uri);
    if (key !== undefined) Reflect.deleteProperty(resource, key);
  }
}

/** An edit with a value filter: on every matching value of the multi-valued attribute. */
function applyFiltered(container: JsonObject, edit: Edit, filter: ValueSelector): void {
  const key = findKey(container, edit.target.attr);
  const items = key === undefined ? undefined : container[key];
  if (key === undefined || !Array.isArray(items)) return;
  const matches = (item: unknown): item is JsonObject =>
    isRecord(item) &&
    (filter.by === 'type'
      ? elementType(item)?.toLowerCase() === filter.type.toLowerCase()
      : getAttr(item, 'primary') === true);
  const sub = edit.target.sub;
  if (edit.op === 'remove' && sub === undefined) {
    const kept = items.filter((item) => !matches(item));
    if (kept.length > 0) container[key] = kept;
    else Reflect.deleteProperty(container, key);
    return;
  }
  if (sub === undefined) return;
  for (const item of items) {
    if (!matches(item)) continue;
    const subKey = findKey(item, sub) ?? sub;
    if (edit.op === 'remove') Reflect.deleteProperty(item, subKey);
    else item[subKey] = edit.value;
  }
}

/** The resource for a core attribute, else its extension object (created when `create`). */
function containerFor(
  resource: JsonObject,
  uri: string | undefined,
  create: boolean,
): JsonObject | undefined {
  if (uri === undefined) return resource;
  const key = findKey(resource, uri);
  const existing = key === undefined ? undefined : resource[key];
  if (isRecord(existing)) return existing;
  if (!create) return undefined;
  const created: JsonObject = {};
  resource[key ?? uri] = created;
  return created;
}

/** The object member `attr` of `container`, replaced by an empty object when it is not one. */
function objectMember(container: JsonObject, attr: string): JsonObject {
  const key = findKey(container, attr) ?? attr;
  const existing = container[key];
  if (isRecord(existing)) return existing;
  const created: JsonObject = {};
  container[key] = created;
  return created;
}

/** Sets each member of `patch` on `target` (names matched case-insensitively). */
function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [name, value] of Object.entries(patch)) target[findKey(target, name) ?? name] = value;
  return target;
}

/** Deletes `attr` or `attr.sub`; an emptied complex attribute is deleted too. */
function removeMember(container: JsonObject, attr: string, sub: string | undefined): void {
  const key = findKey(container, attr);
  if (key === undefined) return;
  if (sub === undefined) {
    Reflect.deleteProperty(container, key);
    return;
  }
  const value = container[key];
  if (!isRecord(value)) return;
  const subKey = findKey(value, sub);
  if (subKey !== undefined) Reflect.deleteProperty(value, subKey);
  if (Object.keys(value).length === 0) Reflect.deleteProperty(container, key);
}
