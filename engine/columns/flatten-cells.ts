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
  return { index, attributes, named };
}

/** The cells being filled, and the column set's index and plans. */
type Sink = { cells: string[]; plan: CompiledPlan };

/** One value into the cell of the column whose {@link columnKey} is `key`, if the set has it. */
function put(sink: Sink, key: string, value: string): void {
  const i = sink.plan.index.get(key);
  if (i !== undefined) sink.cells[i] = value;
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
  const sink: Sink = { cells, plan };
  for (const key of Object.keys(resource)) {
    const value = resource[key];
    if (isEmpty(value)) continue;
    if (URN_PREFIX.test(key)) {
      extension(sink, key, value);
      continue;
    }
    const lower = key.toLowerCase();
    const attrKey = `|${lower}`;
    if (!plan.named.has(attrKey) || EXCLUDED.has(lower)) continue;
    attribute(sink, undefined, key, attrKey, value);
  }
  return cells;
}

/** An extension object (`"urn:…": {…}`): each member is an attribute of that schema. */
function extension(sink: Sink, uri: string, value: unknown): void {
  if (!isRecord(value)) return;
  const core = isCoreUrn(uri);
  const uriLower = uri.toLowerCase();
  for (const attr of Object.keys(value)) {
    const v = value[attr];
    if (isEmpty(v)) continue;
    const lower = attr.toLowerCase();
    if (core && EXCLUDED.has(lower)) continue;
    const attrKey = core ? `|${lower}` : `${uriLower}|${lower}`;
    if (!sink.plan.named.has(attrKey)) continue;
    attribute(sink, core ? undefined : uri, attr, attrKey, v);
  }
}

/** One attribute: a simple value, a complex value, a multi-valued one, or `groups`/`members`. */
function attribute(
  sink: Sink,
  uri: string | undefined,
  attr: string,
  attrKey: string,
  value: unknown,
): void {
  if (!isAttrName(attr)) return;
  if (uri === undefined && Array.isArray(value)) {
    const lower = attr.toLowerCase();
    if (lower === 'groups' || lower === 'members') {
      const pick = lower === 'groups' ? groupName : memberId;
      const values: string[] = [];
      for (const item of value as unknown[]) {
        const v = pick(item);
        if (v !== undefined && v !== '') values.push(v);
      }
      if (values.length > 0) put(sink, `#${lower}`, joinMultiValue(values));
      return;
    }
  }
  const text = scalarText(value);
  if (text !== undefined) put(sink, `a|${attrKey}||`, text);
  else if (Array.isArray(value)) multiValued(sink, uri, attr, attrKey, value);
  else if (isRecord(value)) complex(sink, attrKey, value);
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
function complex(sink: Sink, attrKey: string, value: JsonObject): void {
  for (const sub of Object.keys(value)) {
    const v = value[sub];
    if (isEmpty(v) || sub === '$ref') continue;
    const text = scalarText(v);
    if (text === undefined || !isAttrName(sub)) continue;
    put(sink, `a|${attrKey}||${sub.toLowerCase()}`, text);
  }
}

/**
 * A multi-valued attribute: each complex value gets its role in order (first of its type, a
 * duplicate type, the first untyped primary, the rest) and goes to its selector column or the
 * joined columns; simple values are joined.
 */
function multiValued(
  sink: Sink,
  uri: string | undefined,
  attr: string,
  attrKey: string,
  items: readonly unknown[],
): void {
  const plan = sink.plan.attributes.get(attrKey);
  const typedStyle = uri === undefined && TYPED_STYLE.has(attr.toLowerCase());
  const joined: JsonObject[] = [];
  const seenTypes = new Set<string>();
  let seenPrimary = false;
  for (const item of items) {
    if (!isRecord(item)) continue;
    const type = getAttr(item, 'type');
    if (typeof type === 'string' && type !== '') {
      const lower = type.toLowerCase();
      const duplicate = seenTypes.has(lower);
      seenTypes.add(lower);
      if (!duplicate && (!plan || plan.types.has(lower))) {
        selector(sink, `a|${attrKey}|t:${lower}|`, false, item);
      } else if (plan && plan.joinedSubs.length > 0) {
        joined.push(item);
      }
      continue;
    }
    const primary = getAttr(item, 'primary') === true && !seenPrimary;
    if (primary) seenPrimary = true;
    if (primary && (!plan || plan.primary)) selector(sink, `a|${attrKey}|p|`, true, item);
    else if (plan ? plan.joinedSubs.length > 0 : !primary && !typedStyle) joined.push(item);
  }
  joinedCells(sink, attrKey, items, joined, plan);
}

/** One `attr[selector].sub` cell per simple sub-attribute of a selected value. */
function selector(sink: Sink, prefix: string, byPrimary: boolean, element: JsonObject): void {
  for (const sub of Object.keys(element)) {
    const v = element[sub];
    if (isEmpty(v) || !isAttrName(sub)) continue;
    const lower = sub.toLowerCase();
    if (lower === 'type' || (lower === 'primary' && byPrimary)) continue;
    const text = scalarText(v);
    if (text !== undefined) put(sink, prefix + lower, text);
  }
}

/** The joined cells of a multi-valued attribute: its simple values and the values left over. */
function joinedCells(
  sink: Sink,
  attrKey: string,
  items: readonly unknown[],
  joined: readonly JsonObject[],
  plan: AttributePlan | undefined,
): void {
  const subs: readonly (string | undefined)[] = plan ? plan.joinedSubs : [undefined, 'value'];
  for (const sub of subs) {
    const values: string[] = [];
    if (sub === undefined) {
      for (const item of items) {
        const text = scalarText(item);
        if (text !== undefined && text !== '') values.push(text);
      }
      if (plan) subValues(joined, 'value', values);
    } else {
      subValues(joined, sub, values);
    }
    if (values.length > 0) {
      put(sink, `a|${attrKey}||${(sub ?? '').toLowerCase()}`, joinMultiValue(values));
    }
  }
}

/** Adds the non-empty simple values of sub-attribute `sub` across `elements` to `into`. */
function subValues(elements: readonly JsonObject[], sub: string, into: string[]): void {
  for (const e of elements) {
    const text = scalarText(getAttr(e, sub));
    if (text !== undefined && text !== '') into.push(text);
  }
}
