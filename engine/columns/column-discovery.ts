/**
 * Learns the CSV columns of an export while resources stream past: `observe` each resource, then
 * `columns()` gives every column that occurred, in a stable, human-friendly order:
 *
 * id, externalId, userName (displayName for groups), name.* (givenName, middleName, familyName,
 * …), displayName, nickName, profileUrl, title, userType, preferredLanguage, locale, timezone,
 * active, emails, phoneNumbers, ims, photos, addresses, roles, entitlements, x509Certificates; then
 * extension attributes (the enterprise extension first, each in schema order); then `groups` /
 * `members`; then any other attribute, alphabetically. Within a multi-valued attribute: types
 * `work`, `home`, `other`, other types alphabetically, the untyped primary value, then joined
 * values; sub-attributes in schema order.
 *
 * Memory is bounded by the number of distinct columns, not by the number of resources.
 */
import { sameAttrName } from '../../shared/scim/attribute-path';
import type { ScimSchema } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import {
  attributeKey,
  ColumnHeaderError,
  columnKey,
  columnSpec,
  findAttribute,
  parseColumnHeader,
  parseColumnSelection,
  withBuiltinSchemas,
  type ColumnSelection,
  type ColumnSpec,
  type ParsedColumnPath,
  type ValueSelector,
} from '../../shared/columns/columns';
import { decomposeResource, isExcludedAttribute, isTypedStyle } from './flatten';

/** Options for {@link createColumnCollector}. */
export type ColumnCollectorOptions = {
  /** The resource type's name: `User`, `Group` or any other (decides the leading columns). */
  resourceKind: string;
  /** The server's schemas (sub-attribute and extension order); built-in ones fill the gaps. */
  schemas?: readonly ScimSchema[];
  /**
   * The `--attributes` selection: only columns it selects, and `id`. `emails` selects every email column,
   * `emails[type eq "work"]` the work email's, `name.givenName` one column, a full extension URN
   * attribute that attribute, `urn:…:User` the whole extension, `groups` the groups column. An
   * entry that names one concrete column gets that column even when no resource has a value.
   */
  include?: readonly string[];
};

/** Collects the columns of an export; see the file comment. */
export type ColumnCollector = {
  observe(resource: Readonly<Record<string, unknown>>): void;
  columns(): ColumnSpec[];
};

/** Core attributes of a User in column order (also used for resource types we do not know). */
const USER_ORDER = [
  'id',
  'externalId',
  'userName',
  'name',
  'displayName',
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'active',
  'emails',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'roles',
  'entitlements',
  'x509Certificates',
];

/** Core attributes of a Group in column order (`members` is special and comes later). */
const GROUP_ORDER = ['id', 'externalId', 'displayName'];

/** Sub-attribute order for attributes no schema describes. */
const DEFAULT_SUB_ORDER = ['value', 'display', 'primary'];

/** The parts of `name` the way people read them (the schema lists `formatted` and `familyName` first). */
const NAME_ORDER = [
  'givenname',
  'middlename',
  'familyname',
  'honorificprefix',
  'honorificsuffix',
  'formatted',
];

/** Value types shown first, in this order; other types follow alphabetically. */
const TYPE_ORDER = ['work', 'home', 'other'];

/**
 * Creates a collector. Throws {@link ColumnHeaderError} when an `include` entry is not an
 * attribute path.
 */
export function createColumnCollector(opts: ColumnCollectorOptions): ColumnCollector {
  const schemas = withBuiltinSchemas(opts.schemas);
  const schemaIds = schemas.map((s) => s.id);
  // An empty selection means no selection, as for the exporter's `--attributes`.
  const selections = opts.include?.length
    ? opts.include.map((text) => ({
        text: text.trim(),
        selection: parseColumnSelection(text.trim(), schemaIds),
      }))
    : undefined;
  const found = new Map<string, ColumnSpec>();
  const skipped = new Set<string>();
  const typeSpelling = new Map<string, string>();
  const order = opts.resourceKind.toLowerCase() === 'group' ? GROUP_ORDER : USER_ORDER;
  const rank = new Map(order.map((name, i) => [name.toLowerCase(), i]));

  return {
    observe(resource) {
      for (const slot of decomposeResource(resource).slots) {
        if (!slot.opensColumn) continue;
        const key = columnKey(slot.path);
        if (found.has(key) || skipped.has(key)) continue;
        if (
          selections &&
          !isAlwaysIncluded(slot.path) &&
          !selections.some((s) => selects(s.selection, slot.path))
        ) {
          skipped.add(key);
          continue;
        }
        found.set(key, columnSpec(withFirstTypeSpelling(slot.path, typeSpelling)));
      }
    },
    columns() {
      const observed = [...found.values()];
      const requested = selections ? requestedColumns(selections, observed, schemas) : [];
      const ctx: OrderContext = { rank, schemas };
      return [...observed, ...requested]
        .map((spec) => ({ spec, key: sortKey(spec, ctx) }))
        .sort((a, b) => compareKeys(a.key, b.key))
        .map((entry) => entry.spec);
    },
  };
}

/** `id` is in every export: it is the key that maps a row back onto the server's resource. */
function isAlwaysIncluded(path: ParsedColumnPath): boolean {
  return (
    path.kind === 'single' &&
    path.uri === undefined &&
    path.subAttr === undefined &&
    path.attr.toLowerCase() === 'id'
  );
}

/**
 * The path with the `type` spelled as first seen for its attribute, so `Work` and `work` values do
 * not give differently spelled headers for one value.
 */
function withFirstTypeSpelling(
  path: ParsedColumnPath,
  spelling: Map<string, string>,
): ParsedColumnPath {
  if (path.kind !== 'valueFilter' || path.selector.by !== 'type') return path;
  const key = `${attributeKey(path)}|${path.selector.type.toLowerCase()}`;
  const first = spelling.get(key);
  if (first === undefined) {
    spelling.set(key, path.selector.type);
    return path;
  }
  return { ...path, selector: { by: 'type', type: first } };
}

/**
 * The columns named by `include` entries that matched no observed column, when the entry names one
 * concrete column (`userName`, `emails[type eq "work"].value`, `groups`), so a requested header is
 * there even when every cell is empty. Whole complex attributes and schemas add nothing.
 */
function requestedColumns(
  selections: readonly { text: string; selection: ColumnSelection }[],
  observed: readonly ColumnSpec[],
  schemas: readonly ScimSchema[],
): ColumnSpec[] {
  const keys = new Set(observed.map((c) => columnKey(c.path)));
  const out: ColumnSpec[] = [];
  for (const { text, selection } of selections) {
    if (observed.some((c) => selects(selection, c.path))) continue;
    const path = concretePath(text, schemas);
    if (!path || keys.has(columnKey(path))) continue;
    keys.add(columnKey(path));
    out.push(columnSpec(path));
  }
  return out;
}

/** The single column an `include` entry names, if it names exactly one exportable column. */
function concretePath(text: string, schemas: readonly ScimSchema[]): ParsedColumnPath | undefined {
  let path: ParsedColumnPath;
  try {
    path = parseColumnHeader(text, { schemas }).path;
  } catch (e) {
    if (e instanceof ColumnHeaderError) return undefined;
    throw e;
  }
  if (path.kind === 'groups' || path.kind === 'members') return path;
  if (isExcludedAttribute(path)) return undefined;
  if (path.kind === 'joined' && isTypedStyle(path)) return undefined;
  // `urn:acme:…:User` alone parses as attribute `User` of `urn:acme:…`, so an unseen extension
  // attribute is only added when a schema defines it.
  if (path.uri !== undefined && !findAttribute(schemas, path.uri, path.attr)) return undefined;
  return path;
}

/** True when an `include` entry selects a column. */
function selects(selection: ColumnSelection, path: ParsedColumnPath): boolean {
  if (selection.kind !== 'attribute') return path.kind === selection.kind;
  if (path.kind === 'groups' || path.kind === 'members') {
    return (
      selection.uri === undefined &&
      (selection.attr === undefined || sameAttrName(selection.attr, path.kind))
    );
  }
  const { uri, attr, selector, subAttr } = selection;
  if (attr === undefined) return sameUri(uri, path.uri);
  if (
    uri !== undefined &&
    !selector &&
    subAttr === undefined &&
    sameUri(`${uri}:${attr}`, path.uri)
  ) {
    return true; // a schema URN the grammar read as `uri:attr`
  }
  if (!sameUri(uri, path.uri) || !sameAttrName(attr, path.attr)) return false;
  if (selector && !(path.kind === 'valueFilter' && sameSelector(selector, path.selector))) {
    return false;
  }
  if (subAttr === undefined) return true;
  return path.subAttr !== undefined && sameAttrName(subAttr, path.subAttr);
}

/** Compares optional schema URNs case-insensitively. */
function sameUri(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}

/** Compares value selectors (types case-insensitively). */
function sameSelector(a: ValueSelector, b: ValueSelector): boolean {
  if (a.by === 'primary' || b.by === 'primary') return a.by === b.by;
  return a.type.toLowerCase() === b.type.toLowerCase();
}

type OrderContext = { rank: ReadonlyMap<string, number>; schemas: readonly ScimSchema[] };

/** A sort key: compared element by element; numbers with numbers, strings with strings. */
type SortKey = (number | string)[];

/** Sections of the column order. */
const SECTION = { core: 0, extension: 1, special: 2, other: 3 } as const;

/** Where a column goes: section, attribute, then value selector and sub-attribute. */
function sortKey(spec: ColumnSpec, ctx: OrderContext): SortKey {
  const path = spec.path;
  if (path.kind === 'groups' || path.kind === 'members') {
    return [SECTION.special, path.kind === 'groups' ? 0 : 1, '', 0, '', spec.header];
  }
  const attr = path.attr.toLowerCase();
  const within = [...selectorKey(path), ...subKey(path, ctx.schemas), spec.header];
  if (path.uri !== undefined) {
    const uri = path.uri.toLowerCase();
    const first = uri === URN.enterpriseUser.toLowerCase() ? 0 : 1;
    const schema = ctx.schemas.find((s) => s.id.toLowerCase() === uri);
    const index = schema?.attributes.findIndex((a) => a.name.toLowerCase() === attr) ?? -1;
    return [SECTION.extension, first, uri, index === -1 ? Infinity : index, attr, ...within];
  }
  const rank = ctx.rank.get(attr);
  return rank !== undefined
    ? [SECTION.core, rank, '', 0, '', ...within]
    : [SECTION.other, 0, '', 0, attr, ...within];
}

/** Single values and complex parts first, then typed values, the untyped primary, joined values. */
function selectorKey(path: ParsedColumnPath): SortKey {
  if (path.kind === 'joined') return [3, 0, ''];
  if (path.kind !== 'valueFilter') return [0, 0, ''];
  if (path.selector.by === 'primary') return [2, 0, ''];
  const type = path.selector.type.toLowerCase();
  const known = TYPE_ORDER.indexOf(type);
  return [1, known === -1 ? TYPE_ORDER.length : known, type];
}

/**
 * Sub-attributes in schema order (or value, display, primary), unknown ones alphabetically; the
 * core `name` given name first.
 */
function subKey(path: ParsedColumnPath, schemas: readonly ScimSchema[]): SortKey {
  if (path.kind === 'groups' || path.kind === 'members' || path.subAttr === undefined) {
    return [-1, ''];
  }
  const sub = path.subAttr.toLowerCase();
  const def = findAttribute(schemas, path.uri, path.attr);
  const isName = path.uri === undefined && path.attr.toLowerCase() === 'name';
  const names = isName
    ? NAME_ORDER
    : def?.subAttributes
      ? def.subAttributes.map((s) => s.name.toLowerCase())
      : DEFAULT_SUB_ORDER;
  const index = names.indexOf(sub);
  return [index === -1 ? Infinity : index, sub];
}

/** Orders sort keys element by element; a shorter key that is a prefix comes first. */
function compareKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}
