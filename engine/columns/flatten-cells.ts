/**
 * The cells of a resource for a column set, as `flattenResource` (flatten.ts) gives them, without
 * building the full decomposition. Planning compares a few mapped columns with every matched
 * resource, so this runs once per CSV row: it walks only the attributes the columns read, places
 * each value straight into its cell (no slot objects), and skips the `unrepresentable` count.
 *
 * The placement rules are flatten.ts's (see its file comment), in the same order, so a later value
 * for the same column wins here exactly as it does there; test/unit/engine/columns/
 * flatten-cells.test.ts compares the two on generated resources.
 */
import { isAttrName } from '../../shared/scim/attribute-path';
import {
  attributeKey,
  columnKey,
  isCoreUrn,
  joinMultiValue,
  type ColumnSpec,
} from '../../shared/columns/columns';
import { EXCLUDED, TYPED_STYLE, getAttr, isEmpty, isRecord, scalarText } from './json-values';

type JsonObject = Record<string, unknown>;

/**
 * The columns a multi-valued attribute has in a column set. When given, values the set has no
 * selector column for go to the attribute's joined columns ("the remaining values").
 */
export type AttributePlan = {
  /** Lower-cased `type` values with a `attr[type eq "…"]` column. */
  types: Set<string>;
  /** An `attr[primary eq true]` column exists. */
  primary: boolean;
  /** Sub-attributes with a joined column; `undefined` for a joined column without one. */
  joinedSubs: (string | undefined)[];
};

type CompiledPlan = {
  index: Map<string, number>;
  attributes: Map<string, AttributePlan>;
  /** {@link attributeKey} of every attribute a column reads (`|groups`, `|members` for those). */
  named: Set<string>;
  /** What each member name met at the top level of a resource means for this set (see below). */
  top: Map<string, Top>;
};

/** Plans are cached per column array: an export flattens every row with the same columns. */
const planCache = new WeakMap<readonly ColumnSpec[], CompiledPlan>();

/** The column index by {@link columnKey} and the per-attribute plans, cached per column array. */
export function compiledPlan(columns: readonly ColumnSpec[]): CompiledPlan {
  const cached = planCache.get(columns);
  if (cached) return cached;
  const plan = compilePlan(columns);
  planCache.set(columns, plan);
  return plan;
}

/** Builds the column index and multi-valued attribute plans of a column set. */
function compilePlan(columns: readonly ColumnSpec[]): CompiledPlan {
  const index = new Map<string, number>();
  const attributes = new Map<string, AttributePlan>();
  const named = new Set<string>();
  columns.forEach((c, i) => {
    const key = columnKey(c.path);
    if (!index.has(key)) index.set(key, i);
    const path = c.path;
    named.add(
      path.kind === 'groups' || path.kind === 'members' ? `|${path.kind}` : attributeKey(path),
    );
    if (path.kind !== 'valueFilter' && path.kind !== 'joined') return;
    const attrKey = attributeKey(path);
    let plan = attributes.get(attrKey);
    if (!plan) {
      plan = { types: new Set(), primary: false, joinedSubs: [] };
      attributes.set(attrKey, plan);
    }
    if (path.kind === 'joined') plan.joinedSubs.push(path.subAttr);
    else if (path.selector.by === 'type') plan.types.add(path.selector.type.toLowerCase());
    else plan.primary = true;
  });
  return { index, attributes, named, top: new Map() };
}

/**
 * The column-set facts of one attribute as spelled in a resource, worked out the first time that
 * spelling is met: resources of one server spell their members the same way, so each row then
 * finds its cells by member name instead of building and looking up column keys.
 */
type Attr = {
  /** Core attributes: no URI (`groups` and `members` are special there). */
  uri: string | undefined;
  name: string;
  attrKey: string;
  /** The name is an ATTRNAME (others have no column). */
  valid: boolean;
  special: 'groups' | 'members' | undefined;
  /** The cell of the attribute as a simple value. */
  single: number | undefined;
  /** Cells by sub-attribute spelling: of a complex value (`''`), of a selected value (`t:type`, `p`). */
  subs: Map<string, Map<string, number | undefined>>;
  plan: AttributePlan | undefined;
  typedStyle: boolean;
  /** The joined cells, in the order of the subs they hold (`undefined`: the simple values). */
  joined: { sub: string | undefined; at: number | undefined }[];
};

/** A top-level member: an attribute (null: none of the set's), or an extension's members. */
type Top =
  | { urn: false; attr: Attr | null }
  | { urn: true; core: boolean; uriLower: string; attrs: Map<string, Attr | null> };

/** Spellings remembered per map; past this (generated names), facts are worked out each time. */
const SPELLINGS_KEPT = 512;

function remember<V>(map: Map<string, V>, key: string, make: () => V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  const made = make();
  if (map.size < SPELLINGS_KEPT) map.set(key, made);
  return made;
}

function describeAttr(
  plan: CompiledPlan,
  uri: string | undefined,
  name: string,
  attrKey: string,
): Attr {
  const lower = name.toLowerCase();
  const attrPlan = plan.attributes.get(attrKey);
  const subs = attrPlan ? attrPlan.joinedSubs : [undefined, 'value'];
  return {
    uri,
    name,
    attrKey,
    valid: isAttrName(name),
    special: uri === undefined && (lower === 'groups' || lower === 'members') ? lower : undefined,
    single: plan.index.get(`a|${attrKey}||`),
    subs: new Map(),
    plan: attrPlan,
    typedStyle: uri === undefined && TYPED_STYLE.has(lower),
    joined: subs.map((sub) => ({
      sub,
      at: plan.index.get(`a|${attrKey}||${(sub ?? '').toLowerCase()}`),
    })),
  };
}

function describeTop(plan: CompiledPlan, key: string): Top {
  if (URN_PREFIX.test(key)) {
    return { urn: true, core: isCoreUrn(key), uriLower: key.toLowerCase(), attrs: new Map() };
  }
  const lower = key.toLowerCase();
  const attrKey = `|${lower}`;
  if (!plan.named.has(attrKey) || EXCLUDED.has(lower)) return { urn: false, attr: null };
  return { urn: false, attr: describeAttr(plan, undefined, key, attrKey) };
}

/** An extension member's facts, or null when the set has no column for it (or it is excluded). */
function describeMember(plan: CompiledPlan, top: Top & { urn: true }, uri: string, name: string) {
  const lower = name.toLowerCase();
  if (top.core && EXCLUDED.has(lower)) return null;
  const attrKey = top.core ? `|${lower}` : `${top.uriLower}|${lower}`;
  if (!plan.named.has(attrKey)) return null;
  return describeAttr(plan, top.core ? undefined : uri, name, attrKey);
}

/**
 * The cell of sub-attribute `sub` under `selector` (`''` for a complex value, `t:type` or `p` for
 * a selected value), or undefined when the value has no column: an invalid name, and for a
 * selected value its `type` (and `primary` when selected by it).
 */
function subCell(
  plan: CompiledPlan,
  attr: Attr,
  selector: string,
  sub: string,
): number | undefined {
  let bySub = attr.subs.get(selector);
  if (!bySub) {
    bySub = new Map();
    if (attr.subs.size < SPELLINGS_KEPT) attr.subs.set(selector, bySub);
  }
  const known = bySub.get(sub);
  if (known !== undefined || bySub.has(sub)) return known;
  const lower = sub.toLowerCase();
  const skip =
    !isAttrName(sub) ||
    (selector !== '' && (lower === 'type' || (lower === 'primary' && selector === 'p')));
  const at = skip ? undefined : plan.index.get(`a|${attr.attrKey}|${selector}|${lower}`);
  if (bySub.size < SPELLINGS_KEPT) bySub.set(sub, at);
  return at;
}

const URN_PREFIX = /^urn:/i;

/**
 * The cells of `resource` for `columns`, as {@link flattenResource} gives them, reading only the
 * attributes the columns name. No `unrepresentable` count: that needs every attribute.
 */
export function flattenCells(
  resource: Readonly<Record<string, unknown>>,
  columns: readonly ColumnSpec[],
): string[] {
  const plan = compiledPlan(columns);
  const cells = new Array<string>(columns.length).fill('');
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    if (isEmpty(value)) continue;
    const top = remember(plan.top, key, () => describeTop(plan, key));
    if (!top.urn) {
      if (top.attr) attribute(plan, cells, top.attr, value);
    } else if (isRecord(value)) {
      for (const name of Object.keys(value)) {
        const v = value[name];
        if (isEmpty(v)) continue;
        const attr = remember(top.attrs, name, () => describeMember(plan, top, key, name));
        if (attr) attribute(plan, cells, attr, v);
      }
    }
  }
  return cells;
}

/** One attribute: a simple value, a complex value, a multi-valued one, or `groups`/`members`. */
function attribute(plan: CompiledPlan, cells: string[], attr: Attr, value: unknown): void {
  if (!attr.valid) return;
  if (attr.special !== undefined && Array.isArray(value)) {
    const pick = attr.special === 'groups' ? groupName : memberId;
    const values: string[] = [];
    for (const item of value as unknown[]) {
      const v = pick(item);
      if (v !== undefined && v !== '') values.push(v);
    }
    const at = plan.index.get(`#${attr.special}`);
    if (values.length > 0 && at !== undefined) cells[at] = joinMultiValue(values);
    return;
  }
  const text = scalarText(value);
  if (text !== undefined) {
    if (attr.single !== undefined) cells[attr.single] = text;
  } else if (Array.isArray(value)) {
    multiValued(plan, cells, attr, value);
  } else if (isRecord(value)) {
    subCells(plan, cells, attr, '', value);
  }
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

/**
 * The sub-attribute cells of a complex value (`selector` `''`: one column per simple
 * sub-attribute, `$ref` aside) or of a selected value of a multi-valued attribute.
 */
function subCells(
  plan: CompiledPlan,
  cells: string[],
  attr: Attr,
  selector: string,
  value: JsonObject,
): void {
  for (const sub of Object.keys(value)) {
    const v = value[sub];
    if (isEmpty(v) || (selector === '' && sub === '$ref')) continue;
    const text = scalarText(v);
    if (text === undefined) continue;
    const at = subCell(plan, attr, selector, sub);
    if (at !== undefined) cells[at] = text;
  }
}

/**
 * A multi-valued attribute: each complex value gets its role in order (first of its type, a
 * duplicate type, the first untyped primary, the rest) and goes to its selector column or the
 * joined columns; simple values are joined.
 */
function multiValued(
  plan: CompiledPlan,
  cells: string[],
  attr: Attr,
  items: readonly unknown[],
): void {
  const attrPlan = attr.plan;
  const joined: JsonObject[] = [];
  let seenTypes: Set<string> | undefined;
  let seenPrimary = false;
  for (const item of items) {
    if (!isRecord(item)) continue;
    const type = getAttr(item, 'type');
    if (typeof type === 'string' && type !== '') {
      const lower = type.toLowerCase();
      const duplicate = seenTypes?.has(lower) ?? false;
      (seenTypes ??= new Set()).add(lower);
      if (!duplicate && (!attrPlan || attrPlan.types.has(lower))) {
        subCells(plan, cells, attr, `t:${lower}`, item);
      } else if (attrPlan && attrPlan.joinedSubs.length > 0) {
        joined.push(item);
      }
      continue;
    }
    const primary = getAttr(item, 'primary') === true && !seenPrimary;
    if (primary) seenPrimary = true;
    if (primary && (!attrPlan || attrPlan.primary)) subCells(plan, cells, attr, 'p', item);
    else if (attrPlan ? attrPlan.joinedSubs.length > 0 : !primary && !attr.typedStyle) {
      joined.push(item);
    }
  }
  joinedCells(cells, attr, items, joined);
}

/** The joined cells of a multi-valued attribute: its simple values and the values left over. */
function joinedCells(
  cells: string[],
  attr: Attr,
  items: readonly unknown[],
  joined: readonly JsonObject[],
): void {
  for (const { sub, at } of attr.joined) {
    const values: string[] = [];
    if (sub === undefined) {
      for (const item of items) {
        const text = scalarText(item);
        if (text !== undefined && text !== '') values.push(text);
      }
      if (attr.plan) subValues(joined, 'value', values);
    } else {
      subValues(joined, sub, values);
    }
    if (values.length > 0 && at !== undefined) cells[at] = joinMultiValue(values);
  }
}

/** Adds the non-empty simple values of sub-attribute `sub` across `elements` to `into`. */
function subValues(elements: readonly JsonObject[], sub: string, into: string[]): void {
  for (const e of elements) {
    const text = scalarText(getAttr(e, sub));
    if (text !== undefined && text !== '') into.push(text);
  }
}
