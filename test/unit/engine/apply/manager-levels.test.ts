import { describe, expect, it } from 'vitest';
import { managerLevels, withManager } from '../../../../engine/apply/manager-levels';
import type { PlanRow } from '../../../../shared/import/types';
import { URN } from '../../../../shared/scim/urns';

const ENT = URN.enterpriseUser;

function create(seq: number, emp: string, manager?: string): PlanRow {
  return {
    seq,
    action: 'create',
    display: `u${seq}`,
    create: { schemas: [URN.user, ENT], userName: `u${seq}@x`, [ENT]: { employeeNumber: emp } },
    ...(manager ? { managerRef: { by: 'employeeNumber', value: manager } } : {}),
  };
}

describe('managerLevels', () => {
  it('places each report one level below its manager, in any plan order', () => {
    // u3 is the root; u1 reports to u3, u2 to u1, u0 to u2.
    const levels = managerLevels([
      create(0, 'E0', 'E2'),
      create(1, 'E1', 'E3'),
      create(2, 'E2', 'E1'),
      create(3, 'E3'),
    ]);
    expect(levels.get(3)).toBeUndefined();
    expect(levels.get(1)).toEqual({ level: 1, managerSeq: 3 });
    expect(levels.get(2)).toEqual({ level: 2, managerSeq: 1 });
    expect(levels.get(0)).toEqual({ level: 3, managerSeq: 2 });
  });
  it('leaves cycles, and reports of managers not created in the run, to the manager pass', () => {
    const levels = managerLevels([
      create(0, 'E0', 'E1'),
      create(1, 'E1', 'E0'),
      create(2, 'E2', 'E0'),
      create(3, 'E3', 'X9'),
    ]);
    expect([...levels.keys()]).toEqual([]);
  });
  it('handles a chain thousands deep without recursion', () => {
    const rows = Array.from({ length: 5000 }, (_, i) =>
      create(i, `E${i}`, i > 0 ? `E${i - 1}` : undefined),
    );
    expect(managerLevels(rows).get(4999)?.level).toBe(4999);
  });
  it('puts the manager into the create body', () => {
    const row = withManager(create(0, 'E0', 'E1'), 'm-1');
    expect(row.create?.[ENT]).toEqual({ employeeNumber: 'E0', manager: { value: 'm-1' } });
    expect(row.create?.schemas).toEqual([URN.user, ENT]);
  });
});
