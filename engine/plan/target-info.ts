/**
 * What planning needs to know about each target column of a mapping, resolved once per mapping
 * (and cached per target array and schema list, as diffing runs once per CSV row).
 */
import {
  attributeKey,
  findAttribute,
  findSubAttribute,
  splitMultiValue,
  withBuiltinSchemas,
  type ColumnSpec,
  type ParsedColumnPath,
} from '../../shared/columns/columns';
import { sameAttrName } from '../../shared/scim/attribute-path';
import type { SchemaAttribute, ScimSchema } from '../../shared/scim/types';
import type { ValueType } from './cell-values';

/** An attribute column (not `groups` / `members`). */
export type AttributePath = Exclude<ParsedColumnPath, { kind: 'groups' } | { kind: 'members' }>;

/** One target column with its schema facts. */
export type TargetInfo = {
  readonly index: number;
  readonly spec: ColumnSpec;
  /** Undefined for `groups` / `members`, which are planned as memberships. */
  readonly path: AttributePath | undefined;
  /** Definition of the top-level attribute, if the schemas know it. */
  readonly attribute: SchemaAttribute | undefined;
  /** Definition of the sub-attribute (`name.givenName`, `emails[…].value`), if any. */
  readonly subAttribute: SchemaAttribute | undefined;
  /** The type of one value (of each item of a joined cell); `string` when unknown. */
  readonly type: ValueType;
  /** `readOnly` when the attribute or sub-attribute is (and for `id`, `meta`, `schemas`). */
  readonly mutability: SchemaAttribute['mutability'];
  /** Canonical values of what the cell holds, when the schema lists some. */
  readonly canonicalValues: readonly string[] | undefined;
  /** `attr`, `attr.sub` or `urn:…:attr.sub` without value filter, for messages. */
  readonly label: string;
  /**
   * Targets that edit the same thing share a group: the sub-attributes of one complex attribute
   * (`s|…`), the columns of one selected value (`v|…`), the joined columns of one attribute (`j|…`).
   * Undefined for simple attributes and memberships.
   */
  readonly group: string | undefined;
};

/** The multi-valued attributes' selector columns, by {@link attributeKey}. */
export type SelectorPlan = { readonly types: ReadonlySet<string>; readonly primary: boolean };

/** Every target's facts, and the selector columns of each multi-valued attribute. */
export type CompiledTargets = {
  readonly infos: readonly TargetInfo[];
  readonly selectors: ReadonlyMap<string, SelectorPlan>;
  /** Target indexes by {@link TargetInfo.group}, in target order. */
  readonly groups: ReadonlyMap<string, readonly number[]>;
  /** The schemas used, with built-ins filling the gaps. */
  readonly schemas: readonly ScimSchema[];
};

/** Common attributes the server owns (RFC 7643 §3.1); `schemas` is never a column either. */
const SERVER_OWNED: ReadonlySet<string> = new Set(['id', 'meta', 'schemas']);

const NO_SCHEMAS: readonly ScimSchema[] = [];
const cache = new WeakMap<readonly ColumnSpec[], WeakMap<readonly ScimSchema[], CompiledTargets>>();

/** The facts of every target, cached per (targets, schemas) array pair. */
export function compileTargets(
  targets: readonly ColumnSpec[],
  schemas: readonly ScimSchema[] = NO_SCHEMAS,
): CompiledTargets {
  let bySchemas = cache.get(targets);
  if (!bySchemas) {
    bySchemas = new WeakMap();
    cache.set(targets, bySchemas);
  }
  const cached = bySchemas.get(schemas);
  if (cached) return cached;
  const all = withBuiltinSchemas(schemas);
  const infos = targets.map((spec, index) => describeTarget(spec, index, all));
  const groups = new Map<string, number[]>();
  for (const info of infos) {
    if (info.group === undefined) continue;
    const members = groups.get(info.group) ?? [];
    members.push(info.index);
    groups.set(info.group, members);
  }
  const compiled: CompiledTargets = {
    infos,
    selectors: selectorPlans(targets),
    groups,
    schemas: all,
  };
  bySchemas.set(schemas, compiled);
  return compiled;
}

/** The facts of one target; `schemas` should include the built-ins (`withBuiltinSchemas`). */
export function describeTarget(
  spec: ColumnSpec,
  index: number,
  schemas: readonly ScimSchema[],
): TargetInfo {
  const path = spec.path;
  if (path.kind === 'groups' || path.kind === 'members') {
    return {
      index,
      spec,
      path: undefined,
      attribute: undefined,
      subAttribute: undefined,
      type: 'string',
      mutability: 'readWrite',
      canonicalValues: undefined,
      label: path.kind,
      group: undefined,
    };
  }
  const attribute = findAttribute(schemas, path.uri, path.attr);
  const subAttribute =
    path.subAttr === undefined ? undefined : findSubAttribute(attribute, path.subAttr);
  const own = subAttribute ?? (path.subAttr === undefined ? attribute : undefined);
  return {
    index,
    spec,
    path,
    attribute,
    subAttribute,
    type: valueType(path, attribute, subAttribute),
    mutability: mutabilityOf(path, attribute, subAttribute),
    canonicalValues: own?.canonicalValues?.length ? own.canonicalValues : undefined,
    label: plainLabel(path),
    group: groupOf(path),
  };
}

/** The {@link TargetInfo.group} of an attribute column. */
function groupOf(path: AttributePath): string | undefined {
  const attr = attributeKey(path);
  switch (path.kind) {
    case 'single':
      return path.subAttr === undefined ? undefined : `s|${attr}`;
    case 'joined':
      return `j|${attr}`;
    case 'valueFilter':
      return `v|${attr}|${path.selector.by === 'type' ? `t:${path.selector.type.toLowerCase()}` : 'p'}`;
  }
}

/** `primary` sub-attributes are booleans; else the (sub-)attribute's type; `string` if unknown. */
function valueType(
  path: AttributePath,
  attribute: SchemaAttribute | undefined,
  sub: SchemaAttribute | undefined,
): ValueType {
  if (
    path.kind !== 'single' &&
    path.subAttr !== undefined &&
    sameAttrName(path.subAttr, 'primary')
  ) {
    return 'boolean';
  }
  const type = path.subAttr === undefined ? attribute?.type : sub?.type;
  return type === undefined || type === 'complex' ? 'string' : type;
}

/** The strictest of the attribute's and sub-attribute's mutability; server-owned ones are read-only. */
function mutabilityOf(
  path: AttributePath,
  attribute: SchemaAttribute | undefined,
  sub: SchemaAttribute | undefined,
): SchemaAttribute['mutability'] {
  if (path.uri === undefined && SERVER_OWNED.has(path.attr.toLowerCase())) return 'readOnly';
  const order: SchemaAttribute['mutability'][] = ['readOnly', 'immutable', 'writeOnly'];
  for (const m of order) if (attribute?.mutability === m || sub?.mutability === m) return m;
  return 'readWrite';
}

/** The column's attribute path without its value filter, as written in the header. */
function plainLabel(path: AttributePath): string {
  const attr = path.uri !== undefined ? `${path.uri}:${path.attr}` : path.attr;
  return path.subAttr !== undefined ? `${attr}.${path.subAttr}` : attr;
}

/** Types with a `attr[type eq "…"]` column and whether `attr[primary eq true]` has one. */
function selectorPlans(targets: readonly ColumnSpec[]): Map<string, SelectorPlan> {
  const plans = new Map<string, { types: Set<string>; primary: boolean }>();
  for (const { path } of targets) {
    if (path.kind !== 'valueFilter') continue;
    const key = attributeKey(path);
    const plan = plans.get(key) ?? { types: new Set<string>(), primary: false };
    plans.set(key, plan);
    if (path.selector.by === 'type') plan.types.add(path.selector.type.toLowerCase());
    else plan.primary = true;
  }
  return plans;
}

/** True when the target is an attribute the client may write (not read-only, not a membership). */
export function isWritable(info: TargetInfo): boolean {
  return info.path !== undefined && info.mutability !== 'readOnly';
}

/**
 * A desired cell as planning reads it: `undefined` keep, `null` clear (an empty string, or a joined
 * cell with no items, also clears), else the text.
 */
export function effectiveDesired(
  cell: string | null | undefined,
  info: TargetInfo,
): string | null | undefined {
  if (cell === undefined || cell === null) return cell;
  if (cell === '') return null;
  if (info.path?.kind === 'joined' && splitMultiValue(cell).length === 0) return null;
  return cell;
}
