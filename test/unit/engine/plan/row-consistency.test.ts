/**
 * A row must send what it shows. Rows the planner writes pass (the diff property test holds that
 * for 600 random diffs); each way of editing one by hand is refused, in words.
 */
import { describe, expect, it } from 'vitest';
import { rowInconsistency } from '../../../../engine/plan/row-consistency';
import type { PlanRow } from '../../../../shared/import/types';
import { URN } from '../../../../shared/scim/urns';

const ENT = URN.enterpriseUser;

const update: PlanRow = {
  seq: 3,
  action: 'update',
  display: 'ada@example.com',
  id: 'u1',
  changes: [
    { path: 'title', old: 'Analyst', new: 'Lead' },
    { path: `${ENT}:manager.value`, old: null, new: 'boss' },
    { path: 'emails[type eq "work"].value', old: 'a@x.example', new: 'ada@x.example' },
  ],
  operations: [
    { op: 'replace', path: 'title', value: 'Lead' },
    { op: 'replace', path: `${ENT}:manager`, value: { value: 'boss' } },
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@x.example' },
  ],
};

const deactivation: PlanRow = {
  seq: 4,
  action: 'deactivate',
  display: 'bob@example.com',
  id: 'u2',
  changes: [{ path: 'active', old: 'true', new: 'false' }],
  operations: [{ op: 'replace', path: 'active', value: false }],
};

describe('rowInconsistency', () => {
  it('passes rows that send what they show', () => {
    expect(rowInconsistency(update)).toBeUndefined();
    expect(rowInconsistency(deactivation)).toBeUndefined();
    expect(
      rowInconsistency({
        ...deactivation,
        operations: undefined,
        replace: { schemas: [URN.user], id: 'u2', userName: 'bob@example.com', active: false },
      }),
    ).toBeUndefined();
    expect(
      rowInconsistency({ seq: 0, action: 'create', display: 'n', create: { schemas: [URN.user] } }),
    ).toBeUndefined();
    expect(rowInconsistency({ seq: 0, action: 'delete', display: 'd', id: 'u9' })).toBeUndefined();
    expect(rowInconsistency({ seq: 0, action: 'not-found', display: 'x' })).toBeUndefined();
    const groupsOnly: PlanRow = {
      seq: 1,
      action: 'update',
      display: 'g',
      id: 'u3',
      groups: { add: [{ display: 'Eng', id: 'g1' }], remove: [] },
    };
    expect(rowInconsistency(groupsOnly)).toBeUndefined();
  });

  it('refuses a deactivation relabelled as an update (the kind follows from the changes)', () => {
    expect(rowInconsistency({ ...deactivation, action: 'update' })).toBe(
      'it is marked "update", but its changes make it "deactivate"',
    );
    expect(rowInconsistency({ ...deactivation, action: 'unchanged' })).toMatch(
      /make it "deactivate"/,
    );
  });

  it('refuses an operation on an attribute the changes do not show', () => {
    const hidden = {
      ...update,
      operations: [
        ...(update.operations ?? []),
        { op: 'replace' as const, path: 'active', value: false },
      ],
    };
    expect(rowInconsistency(hidden)).toBe(
      'its operations change active, which its changes do not show',
    );
    const pathless = {
      ...update,
      operations: [{ op: 'replace' as const, value: { title: 'Lead', active: false } }],
    };
    expect(rowInconsistency(pathless)).toMatch(/change active/);
  });

  it('refuses an operation that writes another value than the change shows', () => {
    const ops = update.operations?.map((op) =>
      op.path === 'title' ? { ...op, value: 'CEO' } : op,
    );
    expect(rowInconsistency({ ...update, operations: ops })).toBe(
      'its operations set title to "CEO", but its changes show "Lead"',
    );
    const on = {
      ...deactivation,
      operations: [{ op: 'replace' as const, path: 'active', value: true }],
    };
    expect(rowInconsistency(on)).toMatch(/set active to true, but its changes show "false"/);
  });

  it('refuses changes that no operation sends, and writes on rows that change nothing', () => {
    expect(rowInconsistency({ ...update, operations: update.operations?.slice(1) })).toBe(
      'its changes show title, which no operation sends',
    );
    expect(rowInconsistency({ ...update, operations: undefined })).toBe(
      'its changes are not sent by any operation or PUT body',
    );
    expect(
      rowInconsistency({
        seq: 0,
        action: 'unchanged',
        display: 'u',
        id: 'u1',
        operations: deactivation.operations,
      }),
    ).toBe('it is "unchanged" but carries a write');
    expect(rowInconsistency({ seq: 0, action: 'delete', display: 'd' })).toBe(
      'it is "delete" without an account id',
    );
    expect(rowInconsistency({ seq: 0, action: 'create', display: 'c' })).toBe(
      'it is a create without a resource',
    );
  });

  it('refuses a PUT body that disagrees with the changes or is for another account', () => {
    const put: PlanRow = {
      ...deactivation,
      operations: undefined,
      replace: { schemas: [URN.user], id: 'u2', active: true },
    };
    expect(rowInconsistency(put)).toBe(
      'its PUT body sets active to true, but its changes show "false"',
    );
    expect(
      rowInconsistency({ ...put, replace: { schemas: [URN.user], id: 'u7', active: false } }),
    ).toBe('its PUT body is for account u7, not u2');
  });
});
