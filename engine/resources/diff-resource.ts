/**
 * Compares a row's desired cells with a server resource and plans the update: the attribute changes
 * to show the admin, and either the PATCH operations (RFC 7644 §3.5.2) or the PUT body (§3.5.1).
 *
 * The server side is `flattenCells(server, targets)` (flatten.ts), so the comparison happens in
 * the column model: re-importing an unchanged export yields no changes. Cells compare by type
 * (`cell-values.ts`): booleans case-insensitively, numbers numerically, dateTimes by instant,
 * anything else exactly.
 * Joined cells compare as sets: multi-valued attributes have no order (RFC 7643 §2.4), so `a;b` and
 * `b;a` are the same, and so are `a;a` and `a`.
 *
 * Not diffed: `groups` / `members` (memberships are planned separately), read-only targets (reported
 * once by `checkTargetsWritable`) and write-only ones such as `password` (never returned, so they
 * would change on every run; they are sent on create only).
 */
import type { ColumnSpec } from '../../shared/columns/columns';
import { splitMultiValue } from '../../shared/columns/columns';
import { flattenCells } from '../columns/flatten';
import type { AttributeChange, DesiredCell } from '../../shared/import/types';
import type { PatchOperation, ScimResource, ScimSchema } from '../../shared/scim/types';
import { sameValue, valueKey } from '../plan/cell-values';
import { toPatchOperation } from '../plan/edits';
import { planEdits } from '../plan/plan-edits';
import { buildReplaceBody } from './replace-body';
import type { PlanResourceType } from './resource-type';
import { compileTargets, effectiveDesired, isWritable, type TargetInfo } from '../plan/target-info';

/** Options for {@link diffResource}. */
export type DiffOptions = {
  /** The server's schemas; the built-in RFC 7643 ones fill the gaps. */
  readonly schemas?: readonly ScimSchema[];
  /** True to plan PATCH operations, false to plan a PUT body. */
  readonly patch: boolean;
  readonly resourceType: PlanResourceType;
};

/** What updating a resource to a row takes. */
type ResourceDiff = {
  /** One entry per changed target, old → new as cell text (`null`: no value). */
  changes: AttributeChange[];
  /** The PATCH operations (empty without changes, or when `patch` is false). */
  operations: PatchOperation[];
  /** The PUT body, when `patch` is false and something changed. */
  replace?: ScimResource;
};

/**
 * Diffs a row (`cells`, index-aligned with `targets`) against `server`. `undefined` cells keep the
 * server's value; `null` (or an empty string) clears it. See the file comment for what compares
 * equal and `plan-edits.ts` for the operation shapes.
 */
export function diffResource(
  targets: readonly ColumnSpec[],
  cells: readonly DesiredCell[],
  server: Readonly<ScimResource>,
  opts: DiffOptions,
): ResourceDiff {
  const compiled = compileTargets(targets, opts.schemas);
  const flat = flattenCells(server, targets);
  const desired = compiled.infos.map((info) => effectiveDesired(cells[info.index], info));
  const changes: AttributeChange[] = [];
  const changed: number[] = [];
  for (const info of compiled.infos) {
    const want = desired[info.index];
    if (want === undefined || !isDiffable(info)) continue;
    const current = flat[info.index] || null;
    if (sameCell(want, current, info)) continue;
    changes.push({ path: info.spec.header, old: current, new: want });
    changed.push(info.index);
  }
  if (changed.length === 0) return { changes, operations: [] };
  const edits = planEdits({ compiled, desired, changed, server });
  if (opts.patch) return { changes, operations: edits.map(toPatchOperation) };
  return {
    changes,
    operations: [],
    replace: buildReplaceBody(server, edits, {
      schemas: compiled.schemas,
      resourceType: opts.resourceType,
    }),
  };
}

/** True for targets the diff compares: writable attributes that the server returns. */
function isDiffable(info: TargetInfo): boolean {
  return isWritable(info) && info.mutability !== 'writeOnly';
}

/**
 * True when a desired cell and a server cell (`null`: empty) hold the same value of the target:
 * by type for one value, as sets of values for a joined cell.
 */
function sameCell(desired: string | null, current: string | null, info: TargetInfo): boolean {
  if (desired === null || current === null) return desired === current;
  if (info.path?.kind !== 'joined') return sameValue(desired, current, info.type);
  const keys = (cell: string): Set<string> =>
    new Set(splitMultiValue(cell).map((v) => valueKey(v, info.type)));
  const a = keys(desired);
  const b = keys(current);
  return a.size === b.size && [...a].every((k) => b.has(k));
}
