/**
 * Evaluates RFC 7644 §3.4.2.2 filters against stored resources. Parsing is done by
 * `scim2-parse-filter`; evaluation is ours because comparisons must follow each attribute's
 * schema: `caseExact`, type (dateTime, boolean, numbers) and multi-valued "any value matches".
 */
import { parse, type Filter } from 'scim2-parse-filter';
import type { SchemaAttribute } from '../shared/scim/types';
import {
  elementsAt,
  leafDefinition,
  resolvePath,
  valuesAt,
  type ResolvedPath,
} from './attribute-resolver';
import type { SandboxResourceType } from './schemas';
import { badRequest } from './sandbox-error';

/** A compiled filter: true when the resource matches. */
type Predicate<T extends object = Record<string, unknown>> = (item: T) => boolean;

/**
 * Where a path's values live for an item: the item itself for plain resources; for stored
 * records, their data or a small object with a computed attribute (id, meta, groups).
 */
type Holder<T extends object> = (item: T, path: ResolvedPath) => Record<string, unknown>;

const identity: Holder<object> = (item) => item as Record<string, unknown>;

/** Parses filter text; 400 invalidFilter on syntax errors. */
export function parseFilter(text: string): Filter {
  try {
    return parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw badRequest(
      'invalidFilter',
      `The filter "${text}" is not valid SCIM filter syntax: ${reason}`,
    );
  }
}

type Resolver = (path: string) => ResolvedPath | undefined;

function normalise(value: unknown, leaf: SchemaAttribute): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  if (leaf.type === 'dateTime') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? value : t;
  }
  return leaf.caseExact ? value : value.toLowerCase();
}

function compareOne(
  op: string,
  actual: unknown,
  expected: unknown,
  leaf: SchemaAttribute,
): boolean {
  const a = normalise(actual, leaf);
  const e = normalise(expected, leaf);
  switch (op) {
    case 'eq':
      return a === e;
    case 'co':
      return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'sw':
      return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'ew':
      return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      if (typeof a !== typeof e || (typeof a !== 'string' && typeof a !== 'number')) {
        return false;
      }
      const cmp = a < (e as typeof a) ? -1 : a === e ? 0 : 1;
      return op === 'gt' ? cmp > 0 : op === 'ge' ? cmp >= 0 : op === 'lt' ? cmp < 0 : cmp <= 0;
    }
    default:
      return false;
  }
}

function checkOperator(op: string, leaf: SchemaAttribute, path: string): void {
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  // RFC 7644 §3.4.2.2: ordering on boolean/binary is an error; substring ops need strings.
  if (ordering && (leaf.type === 'boolean' || leaf.type === 'binary')) {
    throw badRequest(
      'invalidFilter',
      `"${op}" cannot compare the ${leaf.type} attribute "${path}".`,
    );
  }
  if (substring && leaf.type !== 'string' && leaf.type !== 'reference' && leaf.type !== 'binary') {
    throw badRequest(
      'invalidFilter',
      `"${op}" needs a string attribute; "${path}" is ${leaf.type}.`,
    );
  }
}

function compile(filter: Filter, resolve: Resolver, holder: Holder<object>): Predicate<object> {
  const valueSource = (r: object, resolved: ResolvedPath): unknown[] =>
    valuesAt(holder(r, resolved), resolved);
  switch (filter.op) {
    case 'and': {
      const parts = (filter as { filters: Filter[] }).filters.map((f) =>
        compile(f, resolve, holder),
      );
      return (r) => parts.every((p) => p(r));
    }
    case 'or': {
      const parts = (filter as { filters: Filter[] }).filters.map((f) =>
        compile(f, resolve, holder),
      );
      return (r) => parts.some((p) => p(r));
    }
    case 'not': {
      const inner = compile((filter as { filter: Filter }).filter, resolve, holder);
      return (r) => !inner(r);
    }
    case '[]': {
      const { attrPath, valFilter } = filter as { attrPath: string; valFilter: Filter };
      const resolved = resolvePathOrThrow(resolve, attrPath);
      if (resolved.def.type !== 'complex' || resolved.sub !== undefined) {
        throw badRequest('invalidFilter', `"${attrPath}[…]" needs a complex attribute.`);
      }
      const subs = resolved.def.subAttributes ?? [];
      const subResolve: Resolver = (p) => {
        const def = subs.find((s) => s.name.toLowerCase() === p.toLowerCase());
        return def === undefined ? undefined : { container: undefined, def, sub: undefined };
      };
      const inner = compile(valFilter, subResolve, identity);
      return (r) => elementsAt(holder(r, resolved), resolved).some((el) => inner(el));
    }
    case 'pr': {
      const resolved = resolvePathOrThrow(resolve, (filter as { attrPath: string }).attrPath);
      return (r) =>
        valueSource(r, resolved).some((v) => v !== '' && !(Array.isArray(v) && v.length === 0));
    }
    case 'eq':
    case 'ne':
    case 'co':
    case 'sw':
    case 'ew':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      const { attrPath, compValue } = filter as { attrPath: string; compValue: unknown };
      const resolved = resolvePathOrThrow(resolve, attrPath);
      const leaf = leafDefinition(resolved);
      checkOperator(filter.op, leaf, attrPath);
      if (compValue === null) {
        // `eq null` is "has no value" (RFC 7644 §3.4.2.2 treats null as unassigned).
        const present = (r: object) => valueSource(r, resolved).length > 0;
        return filter.op === 'ne' ? present : (r) => !present(r);
      }
      if (filter.op === 'ne') {
        return (r) => !valueSource(r, resolved).some((v) => compareOne('eq', v, compValue, leaf));
      }
      const op = filter.op;
      return (r) => valueSource(r, resolved).some((v) => compareOne(op, v, compValue, leaf));
    }
    default:
      throw badRequest(
        'invalidFilter',
        `Unknown filter operator "${(filter as { op: string }).op}".`,
      );
  }
}

function resolvePathOrThrow(resolve: Resolver, path: string): ResolvedPath {
  const resolved = resolve(path);
  if (resolved === undefined) {
    throw badRequest(
      'invalidFilter',
      `The filter names "${path}", which this resource type does not have.`,
    );
  }
  return resolved;
}

/** Compiles a parsed filter for a resource type; 400 invalidFilter on unknown attributes. */
export function compileFilter<T extends object = Record<string, unknown>>(
  type: SandboxResourceType,
  filter: Filter,
  holder?: Holder<T>,
): Predicate<T> {
  return compile(filter, (p) => resolvePath(type, p), (holder ?? identity) as Holder<object>);
}

/** An `attr eq value` term usable for an index lookup. */
export type EqTerm = { path: ResolvedPath; value: unknown };

/**
 * The `eq` terms that must all hold for the filter to match: the filter itself, or the direct
 * children of a top-level `and`. The store picks an indexed one to narrow candidates.
 */
export function requiredEqTerms(type: SandboxResourceType, filter: Filter): EqTerm[] {
  const terms = filter.op === 'and' ? (filter as { filters: Filter[] }).filters : [filter];
  const out: EqTerm[] = [];
  for (const t of terms) {
    if (t.op === 'eq') {
      const { attrPath, compValue } = t as { attrPath: string; compValue: unknown };
      const path = resolvePath(type, attrPath);
      if (path !== undefined && compValue !== null) {
        out.push({ path, value: compValue });
      }
    }
  }
  return out;
}

/** The alternatives of a top-level `or` whose every branch is an indexable `eq`. */
export function orBranches(filter: Filter): Filter[] | undefined {
  return filter.op === 'or' ? (filter as { filters: Filter[] }).filters : undefined;
}
