/**
 * The pure parts of an undo (engine/apply/undo.ts): the PATCH that turns a resource back into its
 * prior state, the prior state as a body, and the plan row restoring one user.
 */
import type {
  AttributeChange,
  GroupChange,
  InputProblem,
  PlanRow,
} from '../../shared/import/types';
import type { PatchOperation, ScimResource, ScimSchema } from '../../shared/scim/types';
import { kindOfChanges } from '../plan/plan-kinds';
import { unwritableChanges, writeProblems } from '../resources/write-rules';
import type { PlanProblemCode } from '../../shared/problems/codes';

/** Attributes never restored: server-managed, or membership (restored through the groups). */
const SKIPPED_ATTRIBUTES = new Set(['meta', 'id', 'groups', 'schemas']);

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, for comparing values regardless of key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function absent(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

function same(a: unknown, b: unknown): boolean {
  if (absent(a) && absent(b)) return true;
  return canonical(a) === canonical(b);
}

/** A value as cell text for display. */
function cellText(v: unknown): string | null {
  if (absent(v)) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return canonical(v);
}

/** The PATCH operations (and display changes) that turn `current` back into `prior`. */
export function restoreOperations(
  prior: ScimResource,
  current: ScimResource,
): { operations: PatchOperation[]; changes: AttributeChange[] } {
  const operations: PatchOperation[] = [];
  const changes: AttributeChange[] = [];
  const restore = (path: string, was: unknown, now: unknown): void => {
    if (same(was, now)) return;
    operations.push(absent(was) ? { op: 'remove', path } : { op: 'replace', path, value: was });
    changes.push({ path, old: cellText(now), new: cellText(was) });
  };
  const keys = new Set([...Object.keys(prior), ...Object.keys(current)]);
  for (const key of [...keys].sort()) {
    if (SKIPPED_ATTRIBUTES.has(key)) continue;
    const was = prior[key];
    const now = current[key];
    if (key.toLowerCase().startsWith('urn:') && (isObject(was) || isObject(now))) {
      // An extension: attribute by attribute (`urn:…:User:manager`).
      const w = isObject(was) ? was : {};
      const n = isObject(now) ? now : {};
      const subKeys = new Set([...Object.keys(w), ...Object.keys(n)]);
      for (const sub of [...subKeys].sort()) restore(`${key}:${sub}`, w[sub], n[sub]);
      continue;
    }
    restore(key, was, now);
  }
  return { operations, changes };
}

/** The prior state as a body to POST or PUT. */
export function bodyOf(prior: ScimResource): ScimResource {
  const body: ScimResource = { ...prior };
  delete body.id;
  delete body.meta;
  delete body['groups'];
  return body;
}

export function problem(
  file: string,
  code: PlanProblemCode,
  message: string,
  nextStep: string,
): InputProblem {
  return { file, line: 1, code, severity: 'warning', message, nextStep };
}

/** One user's restore, gathered from every op of the run that touched them. */
export type UserRow = {
  seq: number;
  display: string;
  id: string;
  version?: string;
  operations: PatchOperation[];
  changes: AttributeChange[];
  replace?: ScimResource;
  add: GroupChange[];
  remove: GroupChange[];
  problems: InputProblem[];
};

/**
 * The plan row restoring one user, its kind from what it restores; attributes the server does not
 * let a client write (read-only, or immutable once set) are left out with a warning naming them.
 */
export function restoreRow(
  u: UserRow,
  runId: string,
  file: string,
  schemas: readonly ScimSchema[],
): PlanRow | undefined {
  const refused = writeProblems(u.changes, { schemas, file, line: 1, display: u.display }).map(
    (p) => ({
      ...p,
      severity: 'warning' as const,
      message: `${p.message} Undo leaves it as it is.`,
    }),
  );
  const skipped = new Set(unwritableChanges(u.changes, schemas).map((c) => c.path));
  const changes = u.changes.filter((c) => !skipped.has(c.path));
  const operations = u.operations.filter((op) => op.path === undefined || !skipped.has(op.path));
  const groups = u.add.length || u.remove.length ? { add: u.add, remove: u.remove } : undefined;
  if (operations.length === 0 && !groups) return undefined;
  const problems = [...u.problems, ...refused];
  return {
    seq: 0,
    action: kindOfChanges(changes, groups),
    display: u.display,
    id: u.id,
    ...(u.version !== undefined ? { version: u.version } : {}),
    match: { key: 'id', value: u.id, reason: `changed by run ${runId}` },
    ...(changes.length ? { changes } : {}),
    ...(operations.length ? { operations } : {}),
    ...(operations.length && u.replace ? { replace: u.replace } : {}),
    ...(groups ? { groups } : {}),
    ...(problems.length ? { problems } : {}),
  };
}

/** The user's restore row, created on first use. */
export function userRow(
  rows: Map<string, UserRow>,
  seq: number,
  display: string,
  id: string,
  current: ScimResource,
): UserRow {
  let u = rows.get(id);
  if (!u) {
    const version = current.meta?.version;
    u = {
      seq,
      display,
      id,
      ...(version !== undefined ? { version } : {}),
      operations: [],
      changes: [],
      add: [],
      remove: [],
      problems: [],
    };
    rows.set(id, u);
  }
  return u;
}
