/**
 * The reverse of `flatten.ts`: one CSV row back into a SCIM resource fragment, along the column
 * model of `columns.ts`. Extension attributes are nested under their schema URN, multi-valued
 * values get the `type` (or `primary: true`) of their column's value filter, joined cells become
 * one value per item, and empty cells are left out. Formula unescaping is the reader's job.
 */
import { sameAttrName } from '../../shared/scim/attribute-path';
import type { ScimSchema } from '../../shared/scim/types';
import {
  attributeKey,
  ColumnHeaderError,
  findAttribute,
  findSubAttribute,
  plainPathKey,
  splitMultiValue,
  withBuiltinSchemas,
  type ColumnSpec,
  type ParsedColumnPath,
} from '../../shared/columns/columns';
import { isRecord } from './flatten';

type JsonObject = Record<string, unknown>;

/** Options for {@link unflattenRow}. */
type UnflattenOptions = {
  /**
   * Attribute paths whose cells are booleans, without value filters (`active`, `emails.primary`,
   * `urn:…:User:isContractor`), compared case-insensitively. Schema `boolean` attributes and every
   * `primary` sub-attribute are booleans anyway.
   */
  booleans?: ReadonlySet<string>;
  /** Schemas giving value types (boolean, integer, decimal); built-in ones fill the gaps. */
  schemas?: readonly ScimSchema[];
};

/** What the conversion of one cell needs to know. */
type Context = { booleans: ReadonlySet<string>; schemas: readonly ScimSchema[] };

/** Builder state for one row: values created for value-filter and joined columns. */
type RowState = {
  out: JsonObject;
  /** By attribute + selector: the value a `attr[filter].sub` column fills. */
  selected: Map<string, JsonObject>;
  /** By attribute: the values joined columns fill, by position. */
  joined: Map<string, JsonObject[]>;
};

/**
 * Builds the SCIM fragment of one row. Cells beyond the columns are ignored; missing cells are
 * empty. Boolean cells (`true`/`false`, any case) and numeric cells of number attributes are
 * converted; anything else stays a string. Throws {@link ColumnHeaderError} when two columns set
 * the same attribute in incompatible ways (e.g. `name` and `name.givenName`).
 */
export function unflattenRow(
  columns: readonly ColumnSpec[],
  cells: readonly string[],
  opts: UnflattenOptions = {},
): Record<string, unknown> {
  const ctx: Context = {
    booleans: new Set([...(opts.booleans ?? [])].map((p) => p.toLowerCase())),
    schemas: withBuiltinSchemas(opts.schemas),
  };
  const state: RowState = { out: {}, selected: new Map(), joined: new Map() };
  columns.forEach((column, i) => {
    const cell = cells[i] ?? '';
    if (cell !== '') applyCell(state, column, cell, ctx);
  });
  return state.out;
}

/** Writes one non-empty cell into the row's fragment. */
function applyCell(state: RowState, column: ColumnSpec, cell: string, ctx: Context): void {
  const path = column.path;
  switch (path.kind) {
    case 'groups':
      setMember(
        state.out,
        'groups',
        splitMultiValue(cell).map((display) => ({ display })),
        column,
      );
      return;
    case 'members':
      setMember(
        state.out,
        'members',
        splitMultiValue(cell).map((value) => ({ value })),
        column,
      );
      return;
    case 'single':
      applySingle(state, column, path, cell, ctx);
      return;
    case 'valueFilter':
      applyValueFilter(state, column, path, cell, ctx);
      return;
    case 'joined':
      applyJoined(state, column, path, cell, ctx);
      return;
  }
}

/** `attr`, `attr.sub`, `urn:…:attr` or `urn:…:attr.sub`: one value. */
function applySingle(
  state: RowState,
  column: ColumnSpec,
  path: Extract<ParsedColumnPath, { kind: 'single' }>,
  cell: string,
  ctx: Context,
): void {
  const container = containerFor(state.out, path.uri, column);
  const value = convertCell(cell, path, ctx);
  if (path.subAttr === undefined) setMember(container, path.attr, value, column);
  else setMember(objectMember(container, path.attr, column), path.subAttr, value, column);
}

/** `attr[type eq "t"].sub` / `attr[primary eq true].sub`: one part of one multi-valued value. */
function applyValueFilter(
  state: RowState,
  column: ColumnSpec,
  path: Extract<ParsedColumnPath, { kind: 'valueFilter' }>,
  cell: string,
  ctx: Context,
): void {
  const { selector } = path;
  const key = `${attributeKey(path)}|${selector.by === 'type' ? `t:${selector.type.toLowerCase()}` : 'p'}`;
  let element = state.selected.get(key);
  if (!element) {
    element = selector.by === 'type' ? { type: selector.type } : { primary: true };
    arrayMember(containerFor(state.out, path.uri, column), path.attr, column).push(element);
    state.selected.set(key, element);
  }
  setMember(element, path.subAttr, convertCell(cell, path, ctx), column);
}

/** `attr` / `attr.sub` holding every (remaining) value, `;`-separated. */
function applyJoined(
  state: RowState,
  column: ColumnSpec,
  path: Extract<ParsedColumnPath, { kind: 'joined' }>,
  cell: string,
  ctx: Context,
): void {
  const container = containerFor(state.out, path.uri, column);
  const values = splitMultiValue(cell).map((v) => convertCell(v, path, ctx));
  const sub = path.subAttr;
  if (sub === undefined) {
    setMember(container, path.attr, values, column);
    return;
  }
  const target = arrayMember(container, path.attr, column);
  const key = attributeKey(path);
  const elements = state.joined.get(key) ?? [];
  state.joined.set(key, elements);
  values.forEach((value, i) => {
    let element = elements[i];
    if (!element) {
      element = {};
      elements.push(element);
      target.push(element);
    }
    setMember(element, sub, value, column);
  });
}

/** The resource itself for a core attribute, or the extension object under its URN. */
function containerFor(out: JsonObject, uri: string | undefined, column: ColumnSpec): JsonObject {
  return uri === undefined ? out : objectMember(out, uri, column);
}

/** The object member `name` of `obj` (matched case-insensitively), created when absent. */
function objectMember(obj: JsonObject, name: string, column: ColumnSpec): JsonObject {
  const key = findKey(obj, name);
  if (key === undefined) {
    const created: JsonObject = {};
    obj[name] = created;
    return created;
  }
  const existing = obj[key];
  if (!isRecord(existing)) throw conflict(column, key);
  return existing;
}

/** The array member `name` of `obj` (matched case-insensitively), created when absent. */
function arrayMember(obj: JsonObject, name: string, column: ColumnSpec): JsonObject[] {
  const key = findKey(obj, name);
  if (key === undefined) {
    const created: JsonObject[] = [];
    obj[name] = created;
    return created;
  }
  const existing = obj[key];
  if (!Array.isArray(existing) || !existing.every(isRecord)) throw conflict(column, key);
  return existing;
}

/**
 * Sets member `name` of `obj`, refusing to overwrite a different value another column set (the same
 * value, e.g. `primary: true` on an untyped primary value, is accepted).
 */
function setMember(obj: JsonObject, name: string, value: unknown, column: ColumnSpec): void {
  const key = findKey(obj, name);
  if (key === undefined) obj[name] = value;
  else if (obj[key] !== value) throw conflict(column, key);
}

/** The error for two columns that set the same attribute. */
function conflict(column: ColumnSpec, name: string): ColumnHeaderError {
  return new ColumnHeaderError(column.header, `another column already sets "${name}"`);
}

/** The key of `obj` that names attribute `name` (case-insensitively), if any. */
function findKey(obj: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  return Object.keys(obj).find((k) => sameAttrName(k, name));
}

/** Converts a cell to the attribute's value type; text that does not parse stays a string. */
function convertCell(cell: string, path: ParsedColumnPath, ctx: Context): unknown {
  const type = valueType(path, ctx);
  if (type === 'boolean') return parseBoolean(cell) ?? cell;
  if (type === 'integer' || type === 'decimal') return parseNumber(cell) ?? cell;
  return cell;
}

/** The value type of a column's cells: `primary` is boolean; else the option set, then schemas. */
function valueType(path: ParsedColumnPath, ctx: Context): string | undefined {
  if (path.kind === 'groups' || path.kind === 'members') return 'string';
  if (
    path.kind !== 'single' &&
    path.subAttr !== undefined &&
    sameAttrName(path.subAttr, 'primary')
  ) {
    return 'boolean';
  }
  if (ctx.booleans.has(plainPathKey(path))) return 'boolean';
  const def = findAttribute(ctx.schemas, path.uri, path.attr);
  return path.subAttr === undefined ? def?.type : findSubAttribute(def, path.subAttr)?.type;
}

/** `true` / `false` in any letter case. */
function parseBoolean(cell: string): boolean | undefined {
  const lower = cell.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** A JSON-style number (what `String(n)` writes for finite numbers). */
function parseNumber(cell: string): number | undefined {
  return NUMBER.test(cell) ? Number(cell) : undefined;
}
