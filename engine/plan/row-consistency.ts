/**
 * Does a plan row send what it shows? The admin approves a row by its kind and its `changes`
 * (old → new); apply sends its `operations`, its PUT body (`replace`) or its `create` body. This
 * check, run on every row before a run starts (apply/plan-integrity.ts), refuses a row where they
 * disagree — a plan edited by hand, or written by a faulty version:
 *
 * - the kind follows from the changes (`plan-kinds.ts`): `active` true → false is a deactivation,
 *   false → true a reactivation, whatever the row's `action` says;
 * - only rows that change something carry a write (create body, operations, PUT body), and
 *   `create`, `delete` and the changing kinds carry the one they need;
 * - every operation touches only attributes the changes name, and every changed attribute is
 *   touched; an operation on `active`, or one that sets exactly a changed simple attribute,
 *   carries the new value the change shows;
 * - a PUT body holds the new value of every changed simple attribute and the row's id.
 *
 * Returns what is wrong in words (completing "Plan row 7 (ada@example.com) …"), or undefined.
 */
import { isChangingAction, type AttributeChange, type PlanRow } from '../../shared/import/types';
import { parseBooleanCell, parseNumberCell } from './cell-values';
import { parsePatchPath } from '../../shared/scim/attribute-path';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { isActivePath, kindOfChanges } from './plan-kinds';

type Ref = { uri: string; attr: string; sub?: string; filtered: boolean };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The attribute a path (a column header or a PATCH path) names; undefined when unparsable. */
function refOf(path: string): Ref | undefined {
  const parsed = parsePatchPath(path);
  if (!parsed.ok) return undefined;
  const { uri, attr, subAttr, valueFilter } = parsed.path;
  const core = uri === undefined || uri.toLowerCase() === URN.user.toLowerCase();
  return {
    uri: core ? '' : uri.toLowerCase(),
    attr: attr.toLowerCase(),
    ...(subAttr !== undefined ? { sub: subAttr.toLowerCase() } : {}),
    filtered: valueFilter !== undefined,
  };
}

const keyOf = (r: Ref): string => `${r.uri}|${r.attr}`;

/** The attributes an operation touches (a path-less operation: each member of its value). */
function touched(op: PatchOperation): string[] | undefined {
  if (op.path !== undefined) {
    const ref = refOf(op.path);
    return ref ? [keyOf(ref)] : undefined;
  }
  if (!isRecord(op.value)) return undefined;
  const keys: string[] = [];
  for (const [name, value] of Object.entries(op.value)) {
    if (/^urn:/i.test(name) && isRecord(value) && name.toLowerCase() !== URN.user.toLowerCase()) {
      for (const inner of Object.keys(value))
        keys.push(`${name.toLowerCase()}|${inner.toLowerCase()}`);
    } else if (name.toLowerCase() === URN.user.toLowerCase() && isRecord(value)) {
      for (const inner of Object.keys(value)) keys.push(`|${inner.toLowerCase()}`);
    } else if (name.toLowerCase() !== 'schemas') {
      keys.push(`|${name.toLowerCase()}`);
    }
  }
  return keys;
}

/** Cell text and a JSON value agree: the same text, number or boolean. */
function sameValue(cell: string | null, value: unknown): boolean {
  if (cell === null) return value === undefined || value === null;
  if (typeof value === 'boolean') return parseBooleanCell(cell) === value;
  if (typeof value === 'number') return parseNumberCell(cell) === value;
  if (typeof value === 'string') {
    const asBoolean = parseBooleanCell(value);
    return value === cell || (asBoolean !== undefined && asBoolean === parseBooleanCell(cell));
  }
  return true; // objects and lists: covered by the attribute check only
}

/** What the value of `path` an operation writes disagrees with, if it sets it exactly. */
function valueProblem(op: PatchOperation, change: AttributeChange): string | undefined {
  const exact = op.path !== undefined && op.path.toLowerCase() === change.path.toLowerCase();
  const active = isActivePath(change.path);
  let value: unknown;
  if (exact) value = op.op === 'remove' ? undefined : op.value;
  else if (active && op.path === undefined && isRecord(op.value)) value = op.value['active'];
  else return undefined;
  if (op.op !== 'remove' && isRecord(value)) return undefined;
  return sameValue(change.new, value)
    ? undefined
    : `its operations set ${change.path} to ${JSON.stringify(value ?? null)}, but its changes show ${JSON.stringify(change.new)}`;
}

function operationsProblem(
  ops: readonly PatchOperation[],
  changes: readonly AttributeChange[],
): string | undefined {
  const changed = new Map<string, AttributeChange[]>();
  for (const c of changes) {
    const ref = refOf(c.path);
    if (!ref) continue;
    changed.set(keyOf(ref), [...(changed.get(keyOf(ref)) ?? []), c]);
  }
  const reached = new Set<string>();
  for (const op of ops) {
    const keys = touched(op);
    if (!keys) return `an operation's path ${JSON.stringify(op.path ?? null)} cannot be read`;
    for (const key of keys) {
      const shown = changed.get(key);
      if (!shown) {
        return `its operations change ${key.replace(/^\|/, '').replace('|', ':')}, which its changes do not show`;
      }
      reached.add(key);
      for (const c of shown) {
        const wrong = valueProblem(op, c);
        if (wrong) return wrong;
      }
    }
  }
  const missed = [...changed.keys()].find((k) => !reached.has(k));
  return missed
    ? `its changes show ${missed.replace(/^\|/, '').replace('|', ':')}, which no operation sends`
    : undefined;
}

/** Stands for a value inside a multi-valued attribute, which a simple path does not address. */
const MULTI = Symbol('multi-valued');

/** The value at a simple path of a PUT body (attribute names case-insensitively). */
function bodyValue(body: ScimResource, ref: Ref): unknown {
  const find = (obj: Record<string, unknown>, name: string): unknown =>
    Object.entries(obj).find(([k]) => k.toLowerCase() === name)?.[1];
  const container = ref.uri === '' ? body : find(body, ref.uri);
  if (!isRecord(container)) return undefined;
  const value = find(container, ref.attr);
  if (Array.isArray(value)) return MULTI;
  if (ref.sub === undefined) return value;
  return isRecord(value) ? find(value, ref.sub) : undefined;
}

function replaceProblem(row: PlanRow, body: ScimResource): string | undefined {
  if (body.id !== undefined && row.id !== undefined && body.id !== row.id) {
    return `its PUT body is for account ${body.id}, not ${row.id}`;
  }
  for (const c of row.changes ?? []) {
    const ref = refOf(c.path);
    if (!ref || ref.filtered) continue;
    const value = bodyValue(body, ref);
    if (value === MULTI || isRecord(value) || Array.isArray(value)) continue;
    if (!sameValue(c.new, value)) {
      return `its PUT body sets ${c.path} to ${JSON.stringify(value ?? null)}, but its changes show ${JSON.stringify(c.new)}`;
    }
  }
  return undefined;
}

/** What carries a write, by kind (see the file comment). */
function shapeProblem(row: PlanRow): string | undefined {
  const writes = row.operations?.length || row.replace !== undefined;
  if (!isChangingAction(row.action)) {
    return writes || row.create ? `it is "${row.action}" but carries a write` : undefined;
  }
  if (row.action === 'create') {
    if (!row.create) return 'it is a create without a resource';
    return writes || row.id !== undefined ? 'it is a create with an update or an id' : undefined;
  }
  if (row.id === undefined) return `it is "${row.action}" without an account id`;
  if (row.action === 'delete') {
    return writes || row.create ? 'it is a delete that also carries a write' : undefined;
  }
  if (row.create) return `it is "${row.action}" but carries a create body`;
  const changes = row.changes?.length ?? 0;
  if (changes > 0 && !writes) return 'its changes are not sent by any operation or PUT body';
  if (changes === 0 && writes) return 'it sends a write but shows no change';
  return undefined;
}

/** What is wrong with a row, in words (see the file comment), or undefined. */
export function rowInconsistency(row: PlanRow): string | undefined {
  if (row.changes?.length || isChangingAction(row.action)) {
    const kind =
      row.action === 'create' || row.action === 'delete'
        ? row.action
        : kindOfChanges(row.changes, row.groups);
    if (kind !== row.action) {
      return `it is marked "${row.action}", but its changes make it "${kind}"`;
    }
  }
  const shape = shapeProblem(row);
  if (shape) return shape;
  const changes = row.changes ?? [];
  if (row.operations?.length) {
    const ops = operationsProblem(row.operations, changes);
    if (ops) return ops;
  }
  return row.replace ? replaceProblem(row, row.replace) : undefined;
}
