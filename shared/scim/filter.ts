/**
 * Typed SCIM filter builder producing RFC 7644 §3.4.2.2 filter text.
 *
 * Values never reach the text by concatenation: strings are JSON-encoded (`JSON.stringify`), which is
 * exactly the ABNF's `compValue` string form (RFC 7644 §3.4.2.2 references RFC 7159 strings), and
 * booleans, numbers and null are JSON literals. Attribute paths are checked against the ABNF, so
 * user-typed names cannot smuggle operators in.
 */
import { parseAttrPath } from './attribute-path';

/** A built filter. Use `.text` (or `String(filter)`) for the wire form. */
export type ScimFilter = {
  readonly kind: 'compare' | 'present' | 'and' | 'or' | 'not' | 'valuePath';
  readonly text: string;
  toString(): string;
};

/** Comparison values allowed by the ABNF `compValue` (Dates are sent as ISO 8601 strings). */
type FilterValue = string | number | boolean | null | Date;

type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** Thrown for builder misuse (bad path, value type); `code` matches the engine's `invalid_filter`. */
export class FilterBuildError extends Error {
  readonly code = 'invalid_filter';
  constructor(message: string) {
    super(message);
    this.name = 'FilterBuildError';
  }
}

function make(kind: ScimFilter['kind'], text: string): ScimFilter {
  return { kind, text, toString: () => text };
}

/** Paths already found valid: filters are built per row from the same few paths. */
const validPaths = new Set<string>();

function checkPath(path: string): string {
  if (validPaths.has(path)) return path;
  const parsed = parseAttrPath(path);
  if (!parsed.ok) throw new FilterBuildError(`Invalid attribute path in filter: ${parsed.reason}.`);
  if (validPaths.size < 256) validPaths.add(path);
  return path;
}

/** Serialises a comparison value; strings via JSON.stringify, so quotes, backslashes and control characters are escaped. */
function filterValue(value: FilterValue): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new FilterBuildError('A filter date value is not a valid date.');
    return JSON.stringify(value.toISOString());
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new FilterBuildError(`A filter number must be finite, got ${String(value)}.`);
  }
  return JSON.stringify(value);
}

function compare(op: CompareOperator, path: string, value: FilterValue): ScimFilter {
  checkPath(path);
  // §3.4.2.2: co/sw/ew are string operators; gt/ge/lt/le on boolean or null are invalidFilter.
  if ((op === 'co' || op === 'sw' || op === 'ew') && typeof value !== 'string') {
    throw new FilterBuildError(`The "${op}" operator needs a string value.`);
  }
  if (
    (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') &&
    (typeof value === 'boolean' || value === null)
  ) {
    throw new FilterBuildError(`The "${op}" operator cannot compare ${String(value)}.`);
  }
  return make('compare', `${path} ${op} ${filterValue(value)}`);
}

/** `path eq value` — equal. */
export const eq = (path: string, value: FilterValue): ScimFilter => compare('eq', path, value);
/** `path ne value` — not equal. */
export const ne = (path: string, value: FilterValue): ScimFilter => compare('ne', path, value);
/** `path co "value"` — contains. */
export const co = (path: string, value: string): ScimFilter => compare('co', path, value);
/** `path sw "value"` — starts with. */
export const sw = (path: string, value: string): ScimFilter => compare('sw', path, value);
/** `path ew "value"` — ends with. */
export const ew = (path: string, value: string): ScimFilter => compare('ew', path, value);
/** `path gt value` — greater than. */
export const gt = (path: string, value: string | number | Date): ScimFilter =>
  compare('gt', path, value);
/** `path ge value` — greater than or equal. */
export const ge = (path: string, value: string | number | Date): ScimFilter =>
  compare('ge', path, value);
/** `path lt value` — less than. */
export const lt = (path: string, value: string | number | Date): ScimFilter =>
  compare('lt', path, value);
/** `path le value` — less than or equal. */
export const le = (path: string, value: string | number | Date): ScimFilter =>
  compare('le', path, value);

/** `path pr` — attribute present (has a non-empty value). */
export function pr(path: string): ScimFilter {
  return make('present', `${checkPath(path)} pr`);
}

// Precedence per §3.4.2.2: not > and > or. Parenthesise an operand only when it binds looser.
function operand(f: ScimFilter, parent: 'and' | 'or'): string {
  if (parent === 'and' && f.kind === 'or') return `(${f.text})`;
  return f.text;
}

function logical(op: 'and' | 'or', filters: ScimFilter[]): ScimFilter {
  if (filters.length === 0) throw new FilterBuildError(`"${op}" needs at least one filter.`);
  const [only] = filters;
  if (filters.length === 1 && only) return only;
  return make(op, filters.map((f) => operand(f, op)).join(` ${op} `));
}

/** Logical and of all filters (a single filter is returned as is). */
export function and(...filters: ScimFilter[]): ScimFilter {
  return logical('and', filters);
}

/** Logical or of all filters (a single filter is returned as is). */
export function or(...filters: ScimFilter[]): ScimFilter {
  return logical('or', filters);
}

/** `not (filter)` — the ABNF requires the parentheses. */
export function not(filter: ScimFilter): ScimFilter {
  return make('not', `not (${filter.text})`);
}

/**
 * Value filter on a multi-valued complex attribute: `valuePath('emails', eq('type', 'work'))` →
 * `emails[type eq "work"]`. Paths inside the brackets are sub-attribute names.
 */
export function valuePath(path: string, filter: ScimFilter): ScimFilter {
  const parsed = parseAttrPath(path);
  if (!parsed.ok) throw new FilterBuildError(`Invalid attribute path in filter: ${parsed.reason}.`);
  if (parsed.path.subAttr !== undefined) {
    throw new FilterBuildError(
      `A value filter applies to a multi-valued attribute, not to "${path}".`,
    );
  }
  if (filter.kind === 'valuePath') throw new FilterBuildError('Value filters cannot be nested.');
  return make('valuePath', `${path}[${filter.text}]`);
}

/**
 * The lookup filter used to find a resource by its unique key before or after a create
 * (e.g. `userName eq "ada@example.com"`), or undefined when the resource has none of the keys.
 */
export function lookupFilterFor(resource: Record<string, unknown>): ScimFilter | undefined {
  for (const key of ['userName', 'externalId', 'displayName'] as const) {
    const v = resource[key];
    if (typeof v === 'string' && v !== '') return eq(key, v);
  }
  return undefined;
}
