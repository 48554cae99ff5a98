/**
 * Flattens a SCIM resource into CSV cells along the column model of `columns.ts`.
 *
 * Both column discovery and flattening go through {@link decomposeResource}, which places every
 * value of a resource in a column ("slot") or counts it as unrepresentable, so the columns a
 * collector finds are exactly the ones rows fill. Placement of multi-valued values:
 *
 * - a value with a `type` goes to `attr[type eq "T"].sub`: the first value of each type (types
 *   compare case-insensitively); a second value of the same type cannot be placed;
 * - the first value without a `type` and with `primary: true` goes to `attr[primary eq true].sub`;
 * - other untyped values: for `emails`, `phoneNumbers`, `ims`, `photos` and `addresses` (whose
 *   values are told apart by type) they cannot be placed; for any other attribute (`roles`,
 *   `entitlements`, …) their `value`s are joined in `attr.value` (their other parts are lost);
 * - a multi-valued simple attribute is joined in one column; `groups` and `members` are special.
 *
 * `meta`, `schemas` and `password` are never exported. Formula escaping is the writer's job.
 */
import { isAttrName, sameAttrName } from '../../shared/scim/attribute-path';
import {
  attributeKey,
  columnKey,
  isCoreUrn,
  joinMultiValue,
  type ColumnSpec,
  type ParsedColumnPath,
  type ValueSelector,
} from '../../shared/columns/columns';
import { compiledPlan, type AttributePlan } from './flatten-cells';
import { EXCLUDED, getAttr, isEmpty, isRecord, isTypedStyle, scalarText } from './json-values';

export { flattenCells } from './flatten-cells';
export { getAttr, isExcludedAttribute, isRecord, isTypedStyle, scalarText } from './json-values';

type JsonObject = Record<string, unknown>;
type Ref = { uri?: string; attr: string };

/** One value of a resource placed in a column. */
type Slot = {
  path: ParsedColumnPath;
  /** The cell text. */
  value: string;
  /** False for a value that fills its column when present but does not warrant one (`primary: false`). */
  opensColumn: boolean;
};

/** Every placeable value of a resource, and how many values no column can hold. */
type Decomposition = { slots: Slot[]; unrepresentable: number };

/** Flattened cells of one resource, and the count of values no column holds. */
type FlatRow = { cells: string[]; unrepresentable: number };

/**
 * The cells of `resource` for `columns`: strings, booleans as `true`/`false`, numbers via
 * `String(n)`, missing values as `''`. `extras.groups` (display names) replaces the resource's own
 * `groups` in a `groups` column. `unrepresentable` counts values no CSV column can hold (a second
 * value of one type, an untyped non-primary email, a nested object…), whatever columns were chosen.
 */
export function flattenResource(
  resource: Readonly<Record<string, unknown>>,
  columns: readonly ColumnSpec[],
  extras: { groups?: readonly string[] } = {},
): FlatRow {
  const plan = compiledPlan(columns);
  const { slots, unrepresentable } = decomposeResource(resource, plan.attributes);
  const cells = columns.map(() => '');
  for (const slot of slots) {
    const i = plan.index.get(columnKey(slot.path));
    if (i !== undefined) cells[i] = slot.value;
  }
  const groupsAt = plan.index.get(columnKey({ kind: 'groups' }));
  if (extras.groups && groupsAt !== undefined) {
    cells[groupsAt] = joinMultiValue(extras.groups.filter((g) => g !== ''));
  }
  return { cells, unrepresentable };
}

/**
 * Places every value of a resource in the column model (see the file comment). With `plans`
 * (from a column set), multi-valued values without a selector column go to joined columns. With
 * `only`, attributes whose {@link attributeKey} it lacks are skipped (and not counted).
 */
export function decomposeResource(
  resource: Readonly<Record<string, unknown>>,
  plans?: ReadonlyMap<string, AttributePlan>,
  only?: ReadonlySet<string>,
): Decomposition {
  const out: Decomposition = { slots: [], unrepresentable: 0 };
  for (const [key, value] of Object.entries(resource)) {
    if (isEmpty(value)) continue;
    if (/^urn:/i.test(key)) decomposeExtension(key, value, out, plans, only);
    else if (only && !only.has(`|${key.toLowerCase()}`)) continue;
    else if (!EXCLUDED.has(key.toLowerCase())) decomposeAttribute({ attr: key }, value, out, plans);
  }
  return out;
}

/** An extension object (`"urn:…": {…}`): each member is an attribute of that schema. */
function decomposeExtension(
  uri: string,
  value: unknown,
  out: Decomposition,
  plans: ReadonlyMap<string, AttributePlan> | undefined,
  only: ReadonlySet<string> | undefined,
): void {
  if (!isRecord(value)) {
    out.unrepresentable += 1;
    return;
  }
  const core = isCoreUrn(uri);
  for (const [attr, v] of Object.entries(value)) {
    if (isEmpty(v) || (core && EXCLUDED.has(attr.toLowerCase()))) continue;
    const ref = core ? { attr } : { uri, attr };
    if (only && !only.has(attributeKey(ref))) continue;
    decomposeAttribute(ref, v, out, plans);
  }
}

/** One attribute: a simple value, a complex value, a multi-valued one, or `groups`/`members`. */
function decomposeAttribute(
  ref: Ref,
  value: unknown,
  out: Decomposition,
  plans: ReadonlyMap<string, AttributePlan> | undefined,
): void {
  if (!isAttrName(ref.attr)) {
    out.unrepresentable += 1;
    return;
  }
  if (ref.uri === undefined && Array.isArray(value)) {
    if (sameAttrName(ref.attr, 'groups')) {
      specialSlot(out, 'groups', value, groupName);
      return;
    }
    if (sameAttrName(ref.attr, 'members')) {
      specialSlot(out, 'members', value, memberId);
      return;
    }
  }
  const text = scalarText(value);
  if (text !== undefined) {
    out.slots.push({ path: { kind: 'single', ...ref }, value: text, opensColumn: true });
  } else if (Array.isArray(value)) {
    decomposeMultiValued(ref, value, out, plans?.get(attributeKey(ref)));
  } else if (isRecord(value)) {
    decomposeComplex(ref, value, out);
  } else {
    out.unrepresentable += 1;
  }
}

/** The `groups` column (display names, else ids) or the `members` column (ids). */
function specialSlot(
  out: Decomposition,
  kind: 'groups' | 'members',
  items: readonly unknown[],
  pick: (item: unknown) => string | undefined,
): void {
  const values = items.map(pick).filter((v): v is string => v !== undefined && v !== '');
  if (values.length === 0) return;
  out.slots.push({ path: { kind }, value: joinMultiValue(values), opensColumn: true });
}

/** A user's group as the `groups` column shows it: its display name, else its id. */
function groupName(item: unknown): string | undefined {
  if (!isRecord(item)) return scalarText(item);
  return scalarText(getAttr(item, 'display')) || scalarText(getAttr(item, 'value'));
}

/** A group member as the `members` column shows it: its id (`value`). */
function memberId(item: unknown): string | undefined {
  return isRecord(item) ? scalarText(getAttr(item, 'value')) : scalarText(item);
}

/** A single-valued complex attribute: one column per simple sub-attribute. */
function decomposeComplex(ref: Ref, value: JsonObject, out: Decomposition): void {
  for (const [sub, v] of Object.entries(value)) {
    if (isEmpty(v) || sub === '$ref') continue;
    const text = scalarText(v);
    if (text === undefined || !isAttrName(sub)) {
      out.unrepresentable += 1;
      continue;
    }
    out.slots.push({
      path: { kind: 'single', ...ref, subAttr: sub },
      value: text,
      opensColumn: true,
    });
  }
}

/** Where one value of a multi-valued complex attribute goes. */
type Placement = { to: 'selector'; selector: ValueSelector } | { to: 'joined' } | { to: 'nowhere' };

/** A multi-valued attribute: simple values are joined, complex ones placed by type / primary. */
function decomposeMultiValued(
  ref: Ref,
  items: readonly unknown[],
  out: Decomposition,
  plan: AttributePlan | undefined,
): void {
  const scalars: string[] = [];
  const joined: JsonObject[] = [];
  const typedStyle = isTypedStyle(ref);
  const roles = classifyElements(items, typedStyle, out);
  for (const item of items) {
    const text = scalarText(item);
    if (text !== undefined && text !== '') scalars.push(text);
  }
  for (const { element, role } of roles) {
    const placement = place(role, typedStyle, plan);
    if (placement.to === 'selector') selectorSlots(ref, placement.selector, element, out);
    else if (placement.to === 'joined') joined.push(element);
  }
  const subs: (string | undefined)[] = plan ? plan.joinedSubs : [undefined, 'value'];
  for (const sub of subs) {
    const values =
      sub === undefined
        ? [...scalars, ...(plan ? subValues(joined, 'value') : [])]
        : subValues(joined, sub);
    if (values.length === 0) continue;
    const path: ParsedColumnPath = {
      kind: 'joined',
      ...ref,
      ...(sub !== undefined ? { subAttr: sub } : {}),
    };
    out.slots.push({ path, value: joinMultiValue(values), opensColumn: true });
  }
}

/** The role of a complex value within its attribute. */
type Role =
  { kind: 'typed'; type: string } | { kind: 'duplicate' } | { kind: 'primary' } | { kind: 'rest' };

/**
 * Assigns each complex value its role (first of its type, duplicate type, first untyped primary,
 * rest) and counts the values no column can hold. Non-object items that are not simple values
 * (nested arrays) are counted too.
 */
function classifyElements(
  items: readonly unknown[],
  typedStyle: boolean,
  out: Decomposition,
): { element: JsonObject; role: Role }[] {
  const seenTypes = new Set<string>();
  let seenPrimary = false;
  const roles: { element: JsonObject; role: Role }[] = [];
  for (const item of items) {
    if (!isRecord(item)) {
      if (!isEmpty(item) && scalarText(item) === undefined) out.unrepresentable += 1;
      continue;
    }
    const role = roleOf(item, seenTypes, seenPrimary);
    if (role.kind === 'typed') seenTypes.add(role.type.toLowerCase());
    if (role.kind === 'primary') seenPrimary = true;
    if (isLost(item, role, typedStyle)) out.unrepresentable += 1;
    roles.push({ element: item, role });
  }
  return roles;
}

/** The role of one complex value given the types and primary seen before it. */
function roleOf(element: JsonObject, seenTypes: Set<string>, seenPrimary: boolean): Role {
  const type = elementType(element);
  if (type !== undefined) {
    return seenTypes.has(type.toLowerCase()) ? { kind: 'duplicate' } : { kind: 'typed', type };
  }
  if (getAttr(element, 'primary') === true && !seenPrimary) return { kind: 'primary' };
  return { kind: 'rest' };
}

/** True when a complex value (or part of it) has no column in the model. */
function isLost(element: JsonObject, role: Role, typedStyle: boolean): boolean {
  if (!hasData(element)) return false;
  switch (role.kind) {
    case 'duplicate':
      return true;
    case 'typed':
    case 'primary':
      return Object.entries(element).some(
        ([k, v]) => k !== '$ref' && !isEmpty(v) && (!isAttrName(k) || scalarText(v) === undefined),
      );
    case 'rest':
      return typedStyle || !isJoinable(element);
  }
}

/** True when an untyped value is fully held by a joined `value` column: only `value` (and `$ref`). */
function isJoinable(element: JsonObject): boolean {
  const value = scalarText(getAttr(element, 'value'));
  if (value === undefined || value === '') return false;
  return Object.entries(element).every(
    ([k, v]) =>
      sameAttrName(k, 'value') ||
      k === '$ref' ||
      isEmpty(v) ||
      (sameAttrName(k, 'primary') && v === false),
  );
}

/** True when a complex value holds anything besides empty members, `$ref` and `primary: false`. */
function hasData(element: JsonObject): boolean {
  return Object.entries(element).some(
    ([k, v]) => k !== '$ref' && !isEmpty(v) && !(sameAttrName(k, 'primary') && v === false),
  );
}

/**
 * Where a value goes. Without a plan (discovery): typed and primary values to their selector, the
 * untyped rest to the joined column unless the attribute is told apart by type. With a plan: to a
 * selector column if the set has one, else to the set's joined columns if any.
 */
function place(role: Role, typedStyle: boolean, plan: AttributePlan | undefined): Placement {
  if (!plan) {
    if (role.kind === 'typed') return { to: 'selector', selector: { by: 'type', type: role.type } };
    if (role.kind === 'primary') return { to: 'selector', selector: { by: 'primary' } };
    return role.kind === 'rest' && !typedStyle ? { to: 'joined' } : { to: 'nowhere' };
  }
  if (role.kind === 'typed' && plan.types.has(role.type.toLowerCase())) {
    return { to: 'selector', selector: { by: 'type', type: role.type } };
  }
  if (role.kind === 'primary' && plan.primary) {
    return { to: 'selector', selector: { by: 'primary' } };
  }
  return plan.joinedSubs.length > 0 ? { to: 'joined' } : { to: 'nowhere' };
}

/** One `attr[selector].sub` slot per simple sub-attribute of a selected value. */
function selectorSlots(
  ref: Ref,
  selector: ValueSelector,
  element: JsonObject,
  out: Decomposition,
): void {
  for (const [sub, v] of Object.entries(element)) {
    if (isEmpty(v) || !isAttrName(sub) || sameAttrName(sub, 'type')) continue;
    const isPrimary = sameAttrName(sub, 'primary');
    if (isPrimary && selector.by === 'primary') continue;
    const text = scalarText(v);
    if (text === undefined) continue;
    out.slots.push({
      path: { kind: 'valueFilter', ...ref, selector, subAttr: sub },
      value: text,
      opensColumn: !(isPrimary && v === false),
    });
  }
}

/** The non-empty simple values of sub-attribute `sub` across `elements`. */
function subValues(elements: readonly JsonObject[], sub: string): string[] {
  const values: string[] = [];
  for (const e of elements) {
    const text = scalarText(getAttr(e, sub));
    if (text !== undefined && text !== '') values.push(text);
  }
  return values;
}

/** The `type` of a complex value, when it is a non-empty string. */
function elementType(element: JsonObject): string | undefined {
  const type = getAttr(element, 'type');
  return typeof type === 'string' && type !== '' ? type : undefined;
}
