/**
 * What a change may write, per RFC 7643 §2.2 mutability, checked for every row that changes an
 * existing account in every mode (upsert, sweeps, undo):
 *
 * - `immutable_change` (error): an existing value of an immutable attribute would change (setting
 *   a first value is allowed);
 * - `read_only_change` (error): a read-only attribute (the server sets it) would change.
 *
 * Each problem names the attribute (and the CSV column, when one feeds it).
 */
import {
  parseColumnHeader,
  withBuiltinSchemas,
  type ColumnSpec,
} from '../../shared/columns/columns';
import type { AttributeChange, InputProblem } from '../../shared/import/types';
import type { ScimSchema } from '../../shared/scim/types';
import { describeTarget } from '../plan/target-info';
import { quote } from '../plan/validate-row';
import { PROBLEM_VALUE_CHARS, shorten } from '../../shared/util/shorten';

const mutabilityCache = new WeakMap<readonly ScimSchema[], Map<string, string | undefined>>();
const NO_SCHEMAS: readonly ScimSchema[] = [];

/** The mutability of the attribute a change's header names (cached per schema list). */
function mutabilityOfHeader(header: string, schemas: readonly ScimSchema[]): string | undefined {
  let cache = mutabilityCache.get(schemas);
  if (!cache) {
    cache = new Map();
    mutabilityCache.set(schemas, cache);
  }
  if (cache.has(header)) return cache.get(header);
  let mutability: string | undefined;
  try {
    const all = withBuiltinSchemas(schemas);
    mutability = describeTarget(parseColumnHeader(header, { schemas: all }), 0, all).mutability;
  } catch {
    mutability = undefined;
  }
  cache.set(header, mutability);
  return mutability;
}

/**
 * The changes that alter an existing value of an immutable attribute (RFC 7643 §2.2: set on create,
 * never updated). Setting a value the server does not have yet is allowed and not returned.
 */
export function immutableChanges(
  changes: readonly AttributeChange[],
  schemas: readonly ScimSchema[] = NO_SCHEMAS,
): AttributeChange[] {
  return changes.filter(
    (c) => c.old !== null && mutabilityOfHeader(c.path, schemas) === 'immutable',
  );
}

/** Where a row's write problems are reported. */
type WriteProblemOptions = {
  readonly schemas?: readonly ScimSchema[];
  readonly file: string;
  readonly line: number;
  /** The CSV row; absent for server accounts a sweep found (then `display` names the account). */
  readonly row?: number;
  readonly display?: string;
  /** The targets and their CSV columns, to name the column of a change. */
  readonly targets?: readonly ColumnSpec[];
  readonly sourceColumns?: readonly (readonly string[])[];
};

function lead(opts: WriteProblemOptions): string {
  return opts.row !== undefined
    ? `Row ${opts.row} would`
    : `${opts.display ?? 'This account'}: the plan would`;
}

function located(
  opts: WriteProblemOptions,
  c: AttributeChange,
): Omit<InputProblem, 'code' | 'severity' | 'message' | 'nextStep'> {
  const index = opts.targets?.findIndex((t) => t.header === c.path) ?? -1;
  const columns = index >= 0 ? (opts.sourceColumns?.[index] ?? []) : [];
  return {
    file: opts.file,
    line: opts.line,
    ...(opts.row !== undefined ? { row: opts.row } : {}),
    ...(columns.length ? { column: columns.join(', ') } : {}),
    ...(c.new !== null ? { value: shorten(c.new, PROBLEM_VALUE_CHARS) } : {}),
  };
}

/** `immutable_change` errors for the {@link immutableChanges} of one row. */
export function immutableChangeProblems(
  changes: readonly AttributeChange[],
  opts: WriteProblemOptions,
): InputProblem[] {
  return immutableChanges(changes, opts.schemas).map((c) => {
    const what =
      c.new === null
        ? `clear ${c.path} (now ${quote(c.old ?? '')})`
        : `change ${c.path} from ${quote(c.old ?? '')} to ${quote(c.new)}`;
    return {
      ...located(opts, c),
      code: 'immutable_change',
      severity: 'error',
      message: `${lead(opts)} ${what}, but the server does not allow changing it once set.`,
      nextStep:
        'Keep the value the server has for existing accounts (or map an empty cell to keep); it can only be set when an account is created.',
    };
  });
}

/** `read_only_change` errors: changes to attributes the server owns. */
export function readOnlyChangeProblems(
  changes: readonly AttributeChange[],
  opts: WriteProblemOptions,
): InputProblem[] {
  const schemas = opts.schemas ?? NO_SCHEMAS;
  return changes
    .filter((c) => mutabilityOfHeader(c.path, schemas) === 'readOnly')
    .map((c) => ({
      ...located(opts, c),
      code: 'read_only_change',
      severity: 'error',
      message: `${lead(opts)} change ${c.path}, which is read-only on the server.`,
      nextStep: `Leave ${c.path} out of the plan: the server sets it and refuses (or ignores) a new value.`,
    }));
}

/** The changes a client may not write: to read-only attributes, or to immutable ones once set. */
export function unwritableChanges(
  changes: readonly AttributeChange[],
  schemas: readonly ScimSchema[] = NO_SCHEMAS,
): AttributeChange[] {
  const immutable = new Set(immutableChanges(changes, schemas));
  return changes.filter(
    (c) => immutable.has(c) || mutabilityOfHeader(c.path, schemas) === 'readOnly',
  );
}

/** Every write problem of one row's changes (read-only first, then immutable). */
export function writeProblems(
  changes: readonly AttributeChange[] | undefined,
  opts: WriteProblemOptions,
): InputProblem[] {
  if (!changes?.length) return [];
  return [...readOnlyChangeProblems(changes, opts), ...immutableChangeProblems(changes, opts)];
}
