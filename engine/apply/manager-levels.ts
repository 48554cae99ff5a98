/**
 * Managers created in the same run, on servers without Bulk (issue 14 item 6): instead of creating
 * everyone and then sending one manager PATCH per report, creates go in levels of the hierarchy —
 * level 0 first (no manager, or a manager who already exists), then the reports of level 0, and so
 * on — so each create's POST body already carries `manager.value`. A row whose manager cannot be
 * placed (not created in this run, ambiguous, a cycle) stays at level 0 and is linked by the manager
 * pass as before.
 */
import type { PlanRow } from '../../shared/import/types';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { indexCreates } from './plan-ops';

/** Create rows placed above level 0: seq → its level and its manager's seq. */
export type ManagerLevels = Map<number, { level: number; managerSeq: number }>;

/** The intent kind of a create whose body carries the manager (manager-pass.ts skips its link). */
export const CREATE_WITH_MANAGER = 'create+manager';

/**
 * Levels of the create rows whose manager is another create row of the plan. `rows` are the plan's
 * create rows (their key fields and `managerRef` are all that is read).
 */
export function managerLevels(rows: Iterable<PlanRow>): ManagerLevels {
  const creates: PlanRow[] = [];
  const refs = new Map<number, { by: string; value: string }>();
  for (const row of rows) {
    if (row.action !== 'create' || !row.create) continue;
    creates.push(row);
    if (row.managerRef) refs.set(row.seq, row.managerRef);
  }
  const levels: ManagerLevels = new Map();
  if (refs.size === 0) return levels;
  const index = indexCreates(creates);
  const managerOf = new Map<number, number>();
  for (const [seq, ref] of refs) {
    const m = index.resolve(ref);
    if (m !== undefined && m !== seq) managerOf.set(seq, m);
  }
  // Walk up from each report to a known level or a root (iterative: deep chains are fine).
  const unplaceable = new Set<number>();
  for (const seq of managerOf.keys()) {
    const path: number[] = [];
    const onPath = new Set<number>();
    let cur = seq;
    let base: number | undefined;
    for (;;) {
      const known = levels.get(cur);
      if (known) {
        base = known.level;
        break;
      }
      if (unplaceable.has(cur) || onPath.has(cur)) break; // a cycle, or into one
      const m = managerOf.get(cur);
      if (m === undefined) {
        base = 0;
        break;
      }
      onPath.add(cur);
      path.push(cur);
      cur = m;
    }
    for (let i = path.length - 1; i >= 0; i--) {
      const s = path[i];
      const m = s === undefined ? undefined : managerOf.get(s);
      if (s === undefined || m === undefined) continue;
      if (base === undefined) unplaceable.add(s);
      else levels.set(s, { level: base + (path.length - i), managerSeq: m });
    }
  }
  return levels;
}

/** The create row with `manager.value` set in its body. */
export function withManager(row: PlanRow, managerId: string): PlanRow {
  if (!row.create) return row;
  const body: ScimResource = row.create;
  const ext = body[URN.enterpriseUser];
  return {
    ...row,
    create: {
      ...body,
      schemas: [
        ...(body.schemas.length ? body.schemas : [URN.user]).filter(
          (u) => u !== URN.enterpriseUser,
        ),
        URN.enterpriseUser,
      ],
      [URN.enterpriseUser]: {
        ...(typeof ext === 'object' && ext !== null && !Array.isArray(ext) ? ext : {}),
        manager: { value: managerId },
      },
    },
  };
}
