import { describe, expect, it } from 'vitest';
import {
  createdIdsFromResults,
  indexCreates,
  managerOps,
  membershipOps,
  newGroupBulkId,
  planRowOpIds,
  planRowOps,
  rowVersionsFromResults,
  type MembershipOpsContext,
  type PlanOpsContext,
} from '../../../../engine/apply/plan-ops';
import { bulkRefsOf, orderByDependencies } from '../../../../engine/scim/ops';
import type { PlanRow } from '../../../../shared/import/types';
import { URN } from '../../../../shared/scim/urns';

const ENT = URN.enterpriseUser;
const CTX: PlanOpsContext = {
  userEndpoint: '/Users',
  groupEndpoint: '/Groups',
  patch: true,
  etag: true,
  userSchemaUrn: URN.user,
};
const MCTX: MembershipOpsContext = { ...CTX, maxMembersPerRequest: 100 };

function createRow(seq: number, n: string, extra: Partial<PlanRow> = {}): PlanRow {
  return {
    seq,
    action: 'create',
    display: `${n}@example.com`,
    create: {
      schemas: [URN.user, ENT],
      userName: `${n}@example.com`,
      emails: [{ type: 'work', value: `${n}@Example.com` }],
      externalId: `X-${n}`,
      [ENT]: { employeeNumber: `E-${n}` },
    },
    ...extra,
  };
}

function updateRow(seq: number, id: string, extra: Partial<PlanRow> = {}): PlanRow {
  return { seq, action: 'update', display: `${id}@example.com`, id, version: 'W/"7"', ...extra };
}

describe('planRowOps', () => {
  it('creates with a bulkId, a lookup filter from the filter builder and no version', () => {
    const row = createRow(12, 'ada', { version: 'W/"1"' });
    row.create = { ...row.create, userName: 'a"da\\x', schemas: [URN.user] };
    expect(planRowOps(row, CTX)).toEqual([
      {
        opId: 's12:create',
        method: 'POST',
        endpoint: '/Users',
        bulkId: 's12',
        data: row.create,
        lookupKey: 'userName eq "a\\"da\\\\x"',
      },
    ]);
  });

  it('adds the core schema when a create body has none and drops meta/groups', () => {
    const row: PlanRow = {
      seq: 1,
      action: 'create',
      display: 'x',
      create: { schemas: [], userName: 'x', meta: { version: 'v' }, groups: [{ value: 'g' }] },
    };
    expect(planRowOps(row, CTX)[0]?.data).toEqual({ schemas: [URN.user], userName: 'x' });
  });

  it('updates with PATCH and If-Match only when etag is on', () => {
    const operations = [{ op: 'replace' as const, path: 'title', value: 'Boss' }];
    const row = updateRow(3, 'u3', { operations });
    const patch = {
      opId: 's3:update',
      method: 'PATCH',
      endpoint: '/Users',
      id: 'u3',
      data: { schemas: [URN.patchOp], Operations: operations },
    };
    expect(planRowOps(row, CTX)).toEqual([{ ...patch, version: 'W/"7"' }]);
    expect(planRowOps(row, { ...CTX, etag: false })).toEqual([patch]);
  });

  it('uses PUT with the replace body when the server has no PATCH', () => {
    const replace = { schemas: [URN.user], id: 'u4', userName: 'u4', active: false };
    const row: PlanRow = {
      seq: 4,
      action: 'deactivate',
      display: 'u4',
      id: 'u4',
      version: 'W/"2"',
      replace,
    };
    expect(planRowOps(row, { ...CTX, patch: false })).toEqual([
      {
        opId: 's4:deactivate',
        method: 'PUT',
        endpoint: '/Users',
        id: 'u4',
        version: 'W/"2"',
        data: replace,
      },
    ]);
  });

  it('deactivates with PATCH and deletes with DELETE + version', () => {
    const deact = updateRow(5, 'u5', {
      action: 'deactivate',
      operations: [{ op: 'replace', path: 'active', value: false }],
    });
    expect(planRowOps(deact, { ...CTX, etag: false })).toEqual([
      {
        opId: 's5:deactivate',
        method: 'PATCH',
        endpoint: '/Users',
        id: 'u5',
        data: {
          schemas: [URN.patchOp],
          Operations: [{ op: 'replace', path: 'active', value: false }],
        },
      },
    ]);
    const del = updateRow(6, 'u6', { action: 'delete' });
    expect(planRowOps(del, CTX)).toEqual([
      { opId: 's6:delete', method: 'DELETE', endpoint: '/Users', id: 'u6', version: 'W/"7"' },
    ]);
    expect(planRowOps(del, { ...CTX, etag: false })[0]).not.toHaveProperty('version');
  });

  it('emits nothing for unchanged, conflict, invalid and group-only updates', () => {
    for (const action of ['unchanged', 'conflict', 'invalid'] as const) {
      expect(planRowOps({ seq: 1, action, display: 'x', id: 'u' }, CTX)).toEqual([]);
    }
    const groupOnly = updateRow(2, 'u2', {
      groups: { add: [{ display: 'G', id: 'g' }], remove: [] },
    });
    expect(planRowOps(groupOnly, CTX)).toEqual([]);
  });

  it('refuses rows that lack what their action needs', () => {
    expect(() => planRowOps({ seq: 1, action: 'create', display: 'x' }, CTX)).toThrow(/row 1/);
    expect(() => planRowOps({ seq: 2, action: 'delete', display: 'x' }, CTX)).toThrow(/server id/);
  });
});

describe('membershipOps', () => {
  it('aggregates per group across rows, adds and removes in separate PATCHes', () => {
    const rows: PlanRow[] = [
      updateRow(2, 'u2', {
        groups: { add: [{ display: 'Eng', id: 'g1' }], remove: [{ display: 'Old', id: 'g2' }] },
      }),
      createRow(1, 'new', { groups: { add: [{ display: 'Eng', id: 'g1' }], remove: [] } }),
      updateRow(3, 'u3', { groups: { add: [], remove: [{ display: 'Old', id: 'g2' }] } }),
    ];
    expect(membershipOps(rows, MCTX)).toEqual([
      {
        opId: 'grp:g1:add:0',
        method: 'PATCH',
        endpoint: '/Groups',
        id: 'g1',
        data: {
          schemas: [URN.patchOp],
          Operations: [
            { op: 'add', path: 'members', value: [{ value: 'bulkId:s1' }, { value: 'u2' }] },
          ],
        },
      },
      {
        opId: 'grp:g2:remove:0',
        method: 'PATCH',
        endpoint: '/Groups',
        id: 'g2',
        data: {
          schemas: [URN.patchOp],
          Operations: [
            { op: 'remove', path: 'members[value eq "u2"]' },
            { op: 'remove', path: 'members[value eq "u3"]' },
          ],
        },
      },
    ]);
  });

  it('chunks at the cap: 250 adds with cap 100 are 3 PATCHes of 100, 100, 50', () => {
    const rows = Array.from({ length: 250 }, (_, i) =>
      updateRow(i, `u${i}`, { groups: { add: [{ display: 'Big', id: 'gb' }], remove: [] } }),
    );
    const ops = membershipOps(rows, MCTX);
    expect(ops.map((o) => o.opId)).toEqual(['grp:gb:add:0', 'grp:gb:add:1', 'grp:gb:add:2']);
    const sizes = ops.map((o) => {
      const data = o.data as { Operations: { value: unknown[] }[] };
      return data.Operations[0]?.value.length;
    });
    expect(sizes).toEqual([100, 100, 50]);
    const all = ops.flatMap(
      (o) => (o.data as { Operations: { value: { value: string }[] }[] }).Operations[0]?.value,
    );
    expect(all.map((m) => m?.value)).toEqual(rows.map((r) => r.id));
    expect(membershipOps(rows, { ...MCTX, maxMembersPerRequest: 250 })).toHaveLength(1);
    expect(membershipOps(rows, { ...MCTX, maxMembersPerRequest: 20 })).toHaveLength(13);
  });

  it('chunks removes at their own cap (Entra: one per request)', () => {
    const rows = Array.from({ length: 3 }, (_, i) =>
      updateRow(i, `u${i}`, { groups: { add: [], remove: [{ display: 'G', id: 'g' }] } }),
    );
    const ops = membershipOps(rows, { ...MCTX, maxMembersPerRequest: 20, maxRemovesPerRequest: 1 });
    expect(ops.map((o) => o.opId)).toEqual(['grp:g:remove:0', 'grp:g:remove:1', 'grp:g:remove:2']);
    expect(ops[2]?.data).toEqual({
      schemas: [URN.patchOp],
      Operations: [{ op: 'remove', path: 'members[value eq "u2"]' }],
    });
  });

  it('creates a missing group once, with its own bulkId, and adds members by reference', () => {
    const rows: PlanRow[] = [
      createRow(0, 'kj', { groups: { add: [{ display: 'Space Team' }], remove: [] } }),
      updateRow(1, 'u1', { groups: { add: [{ display: 'space team' }], remove: [] } }),
    ];
    const ops = membershipOps(rows, MCTX);
    const gid = newGroupBulkId('Space Team');
    expect(gid).toBe('g:space_20_team');
    expect(ops).toEqual([
      {
        opId: `grp:${gid}:create`,
        method: 'POST',
        endpoint: '/Groups',
        bulkId: gid,
        data: { schemas: [URN.group], displayName: 'Space Team' },
        lookupKey: 'displayName eq "Space Team"',
      },
      {
        opId: `grp:${gid}:add:0`,
        method: 'PATCH',
        endpoint: '/Groups',
        id: `bulkId:${gid}`,
        data: {
          schemas: [URN.patchOp],
          Operations: [
            { op: 'add', path: 'members', value: [{ value: 'bulkId:s0' }, { value: 'u1' }] },
          ],
        },
      },
    ]);
    // The executor sees the dependencies: the group POST and the user POST come first.
    expect([...bulkRefsOf(ops[1] ?? ops[0]!)].sort()).toEqual([gid, 's0']);
    expect(orderByDependencies(ops).map((u) => u.map((o) => o.opId))).toEqual([
      [`grp:${gid}:create`],
      [`grp:${gid}:add:0`],
    ]);
  });

  it('uses the id another row knows for a group name, and ignores removes from unknown groups', () => {
    const rows: PlanRow[] = [
      updateRow(0, 'u0', { groups: { add: [{ display: 'Eng' }], remove: [{ display: 'Gone' }] } }),
      updateRow(1, 'u1', { groups: { add: [{ display: 'ENG', id: 'g1' }], remove: [] } }),
    ];
    expect(membershipOps(rows, MCTX).map((o) => [o.opId, o.id])).toEqual([['grp:g1:add:0', 'g1']]);
  });

  it('skips conflict, invalid and delete rows and de-duplicates members', () => {
    const g = { add: [{ display: 'G', id: 'g' }], remove: [] };
    const rows: PlanRow[] = [
      updateRow(0, 'u0', { groups: g }),
      updateRow(1, 'u0', { groups: g }),
      { seq: 2, action: 'conflict', display: 'c', groups: g },
      { seq: 3, action: 'invalid', display: 'i', groups: g },
      updateRow(4, 'u4', { action: 'delete', groups: g }),
    ];
    const ops = membershipOps(rows, MCTX);
    expect(ops).toHaveLength(1);
    expect(ops[0]?.data).toEqual({
      schemas: [URN.patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: 'u0' }] }],
    });
  });

  it('gives the same op ids for the same plan in any row order, and rejects a bad cap', () => {
    const rows: PlanRow[] = [
      createRow(0, 'a', {
        groups: { add: [{ display: 'N' }, { display: 'E', id: 'e' }], remove: [] },
      }),
      updateRow(1, 'u1', {
        groups: { add: [{ display: 'E', id: 'e' }], remove: [{ display: 'O', id: 'o' }] },
      }),
    ];
    const a = membershipOps(rows, MCTX);
    const b = membershipOps([...rows].reverse(), MCTX);
    expect(b).toEqual(a);
    expect(a.map((o) => o.opId)).toEqual([
      'grp:g:n:create',
      'grp:g:n:add:0',
      'grp:e:add:0',
      'grp:o:remove:0',
    ]);
    expect(() => membershipOps(rows, { ...MCTX, maxMembersPerRequest: 0 })).toThrow(/at least 1/);
  });
});

describe('indexCreates and managerOps', () => {
  const rows: PlanRow[] = [
    createRow(0, 'boss'),
    createRow(1, 'kj', { managerRef: { by: 'employeeNumber', value: 'e-boss' } }),
    updateRow(2, 'u2', { managerRef: { by: 'email', value: 'BOSS@example.com' } }),
    createRow(3, 'x', { managerRef: { by: 'externalId', value: 'x-boss' } }),
    createRow(4, 'y', { managerRef: { by: 'userName', value: 'nobody@example.com' } }),
  ];

  it('indexes create bodies by every manager key, case-exact only for externalId', () => {
    const idx = indexCreates(rows);
    expect(idx.resolve({ by: 'employeeNumber', value: 'E-BOSS' })).toBe(0);
    expect(idx.resolve({ by: 'userName', value: ' Boss@Example.com ' })).toBe(0);
    expect(idx.resolve({ by: 'email', value: 'boss@example.com' })).toBe(0);
    expect(idx.resolve({ by: 'externalId', value: 'X-boss' })).toBe(0);
    expect(idx.resolve({ by: 'externalId', value: 'x-boss' })).toBeUndefined();
    expect(idx.resolve({ by: 'department', value: 'x' })).toBeUndefined();
    const dup = indexCreates([createRow(0, 'a'), createRow(1, 'a')]);
    expect(dup.count({ by: 'userName', value: 'a@example.com' })).toBe(2);
    expect(dup.resolve({ by: 'userName', value: 'a@example.com' })).toBeUndefined();
  });

  it('PATCHes the manager of reports once ids are known, and says why others are skipped', () => {
    const ids = new Map([
      [0, 'id-boss'],
      [1, 'id-kj'],
      [4, 'id-y'],
    ]);
    const idx = indexCreates(rows);
    const out = managerOps(
      rows,
      (s) => ids.get(s),
      (r) => idx.resolve(r),
      {
        ...CTX,
        etag: false,
      },
    );
    const patch = (id: string) => ({
      schemas: [URN.patchOp],
      Operations: [{ op: 'replace', path: `${ENT}:manager`, value: { value: id } }],
    });
    expect(out.ops).toEqual([
      {
        opId: 's1:manager',
        method: 'PATCH',
        endpoint: '/Users',
        id: 'id-kj',
        data: patch('id-boss'),
      },
      { opId: 's2:manager', method: 'PATCH', endpoint: '/Users', id: 'u2', data: patch('id-boss') },
    ]);
    expect(out.skipped).toEqual([
      { seq: 3, display: 'x@example.com', reason: 'report_not_created' },
      { seq: 4, display: 'y@example.com', reason: 'manager_not_found' },
    ]);
  });

  it('without PATCH, PUTs the create body with the manager set', () => {
    const idx = indexCreates(rows);
    const out = managerOps(
      rows.slice(0, 3),
      (s) => `id${s}`,
      (r) => idx.resolve(r),
      {
        ...CTX,
        patch: false,
      },
    );
    expect(out.ops).toEqual([
      {
        opId: 's1:manager',
        method: 'PUT',
        endpoint: '/Users',
        id: 'id1',
        data: { ...rows[1]?.create, [ENT]: { employeeNumber: 'E-kj', manager: { value: 'id0' } } },
      },
    ]);
    expect(out.skipped).toEqual([{ seq: 2, display: 'u2@example.com', reason: 'no_put_body' }]);
  });

  it('sends If-Match on manager writes only with etag, from the post-write version', () => {
    const idx = indexCreates(rows);
    const versions = rowVersionsFromResults([
      { opId: 's1:create', ok: true, status: 201, id: 'id-kj', version: 'W/"k1"' },
      { opId: 's2:update', ok: true, status: 200, version: 'W/"u2"' },
      { opId: 'grp:g:add:0', ok: true, status: 200, version: 'W/"g"' },
    ]);
    expect([...versions]).toEqual([
      [1, 'W/"k1"'],
      [2, 'W/"u2"'],
    ]);
    const run = (etag: boolean) =>
      managerOps(
        rows.slice(0, 3),
        (s) => `id${s}`,
        (r) => idx.resolve(r),
        {
          ...CTX,
          etag,
          versionOf: (s) => versions.get(s),
        },
      ).ops.map((o) => [o.opId, o.version]);
    expect(run(true)).toEqual([
      ['s1:manager', 'W/"k1"'],
      ['s2:manager', 'W/"u2"'],
    ]);
    expect(run(false)).toEqual([
      ['s1:manager', undefined],
      ['s2:manager', undefined],
    ]);
  });

  it('maps POST results to created ids by bulkId', () => {
    const ops = [...planRowOps(rows[0]!, CTX), ...planRowOps(rows[1]!, CTX)];
    const map = createdIdsFromResults(ops, [
      { opId: 's0:create', ok: true, status: 201, id: 'A' },
      { opId: 's1:create', ok: false, status: 409 },
    ]);
    expect([...map]).toEqual([['s0', 'A']]);
  });
});

describe('planRowOpIds', () => {
  it('gives the op ids planRowOps gives, for every action and shape of row', () => {
    const patch = [{ op: 'replace' as const, path: 'title', value: 'Boss' }];
    const rows: PlanRow[] = [
      createRow(0, 'ada'),
      updateRow(1, 'u1', { operations: patch }),
      updateRow(2, 'u2', { replace: { schemas: [URN.user], userName: 'u2' } }),
      updateRow(3, 'u3'),
      updateRow(4, 'u4', { action: 'reactivate', operations: patch }),
      updateRow(5, 'u5', { action: 'deactivate', operations: patch }),
      updateRow(6, 'u6', { action: 'delete' }),
      ...(['unchanged', 'not-found', 'protected', 'conflict', 'invalid'] as const).map(
        (action, k): PlanRow => ({ seq: 7 + k, action, display: `r${k}` }),
      ),
    ];
    for (const row of rows) {
      for (const ctx of [CTX, { ...CTX, patch: false }]) {
        expect(planRowOpIds(row)).toEqual(planRowOps(row, ctx).map((op) => op.opId));
      }
    }
    expect(rows.flatMap((r) => planRowOpIds(r))).toHaveLength(6);
  });
});

describe('orderByDependencies without references', () => {
  it('gives each op its own unit in input order', () => {
    const rows = [createRow(3, 'c'), createRow(1, 'a'), createRow(2, 'b')];
    const ops = rows.flatMap((r) => planRowOps(r, CTX));
    expect(orderByDependencies(ops).map((u) => u.map((o) => o.opId))).toEqual([
      ['s3:create'],
      ['s1:create'],
      ['s2:create'],
    ]);
  });
});
