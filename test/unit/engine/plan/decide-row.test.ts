/**
 * The per-row decision without files or servers: plain rows and matches in, plan rows out, for
 * every kind in every mode.
 */
import { describe, expect, it } from 'vitest';
import {
  decideRow,
  type DecideContext,
  type PreparedRow,
  type RowMatch,
} from '../../../../engine/plan/decide-row';
import type { DesiredCell, InputProblem } from '../../../../shared/import/types';
import type { PlanMode } from '../../../../shared/plan/plan-format';
import type { ScimResource, ScimSchema } from '../../../../shared/scim/types';
import { ACME, CORE, ENT, SCHEMAS, USER_TYPE, cols } from '../../shared/plan/helpers';

const TARGETS = cols('userName', 'title', 'active', `${ACME}:badgeId`, `${ENT}:manager.value`);
const USER = 0;
const MANAGER = 4;

function ctx(mode: PlanMode, extra: Partial<DecideContext> = {}): DecideContext {
  return {
    mode,
    targets: TARGETS,
    schemas: SCHEMAS,
    resourceType: USER_TYPE,
    patch: true,
    groupsMode: undefined,
    groups: new Map(),
    file: 'hr.csv',
    keyTargets: [[USER]],
    sourceColumns: [['Email'], ['Title'], ['Status'], ['Badge'], []],
    protects: () => undefined,
    ...extra,
  };
}

function prepared(cells: DesiredCell[], problems: InputProblem[] = []): PreparedRow {
  return { seq: 7, mapped: { row: 3, line: 4, cells, problems }, cells, problems };
}

function row(fields: { user?: string; title?: string; active?: string; badge?: string }) {
  const cells: DesiredCell[] = [fields.user, fields.title, fields.active, fields.badge, undefined];
  return prepared(cells);
}

function account(extra: Record<string, unknown> = {}): ScimResource {
  return {
    schemas: [CORE],
    id: 'u1',
    userName: 'ada@example.com',
    title: 'Analyst',
    active: true,
    meta: { version: 'W/"3"' },
    ...extra,
  };
}

function one(server: ScimResource, fresh?: ScimResource | null): RowMatch {
  return {
    kind: 'one',
    key: 'userName',
    value: 'ada@example.com',
    reason: 'userName "ada@example.com" matched one account.',
    server,
    ...(fresh !== undefined ? { fresh } : {}),
  };
}

const NONE: RowMatch = { kind: 'none', reason: 'No account has the same userName.' };

describe('decideRow: upsert', () => {
  it('creates an account no key matches', () => {
    const r = decideRow(row({ user: 'new@example.com', title: 'Clerk' }), NONE, ctx('upsert'));
    expect(r).toMatchObject({
      seq: 7,
      row: 3,
      line: 4,
      action: 'create',
      display: 'new@example.com',
    });
    expect(r.create).toMatchObject({ userName: 'new@example.com', title: 'Clerk' });
  });

  it('updates attributes that differ, attribute by attribute', () => {
    const r = decideRow(
      row({ user: 'ada@example.com', title: 'Lead' }),
      one(account()),
      ctx('upsert'),
    );
    expect(r).toMatchObject({ action: 'update', id: 'u1', version: 'W/"3"' });
    expect(r.changes).toEqual([{ path: 'title', old: 'Analyst', new: 'Lead' }]);
    expect(r.operations).toEqual([{ op: 'replace', path: 'title', value: 'Lead' }]);
  });

  it('calls a row that switches an active account off a deactivation, listing its other changes', () => {
    const r = decideRow(
      row({ user: 'ada@example.com', title: 'Lead', active: 'false' }),
      one(account()),
      ctx('upsert'),
    );
    expect(r.action).toBe('deactivate');
    expect(r.changes).toEqual([
      { path: 'title', old: 'Analyst', new: 'Lead' },
      { path: 'active', old: 'true', new: 'false' },
    ]);
  });

  it('counts an account without `active` (active by default) switched off as a deactivation', () => {
    const server = account();
    delete server['active'];
    const r = decideRow(
      row({ user: 'ada@example.com', active: 'false' }),
      one(server),
      ctx('upsert'),
    );
    expect(r.action).toBe('deactivate');
  });

  it('calls switching an inactive account on a reactivation', () => {
    const r = decideRow(
      row({ user: 'ada@example.com', active: 'true' }),
      one(account({ active: false })),
      ctx('upsert'),
    );
    expect(r.action).toBe('reactivate');
    expect(r.changes).toEqual([{ path: 'active', old: 'false', new: 'true' }]);
  });

  it('leaves an account that already is as the row says unchanged', () => {
    const r = decideRow(
      row({ user: 'ada@example.com', title: 'Analyst', active: 'true' }),
      one(account()),
      ctx('upsert'),
    );
    expect(r).toMatchObject({ action: 'unchanged', id: 'u1' });
    expect(r.changes).toBeUndefined();
  });

  it('spares a protected account, naming the entry that protects it', () => {
    const r = decideRow(
      row({ user: 'ada@example.com', active: 'false' }),
      one(account()),
      ctx('upsert', { protects: (a) => (a.id === 'u1' ? 'ada@example.com' : undefined) }),
    );
    expect(r).toMatchObject({ action: 'protected', id: 'u1', display: 'ada@example.com' });
    expect(r.operations).toBeUndefined();
    expect(r.problems?.[0]).toMatchObject({ code: 'protected', severity: 'warning' });
    expect(r.problems?.[0]?.message).toContain('"ada@example.com"');
  });

  it('makes a key matching several accounts a conflict, never a guess', () => {
    const many: RowMatch = {
      kind: 'many',
      key: 'userName',
      value: 'twin',
      reason: 'userName "twin" matched 2 accounts; the plan will not guess which one.',
      candidates: ['a', 'b'],
    };
    const r = decideRow(row({ user: 'twin' }), many, ctx('upsert'));
    expect(r).toMatchObject({ action: 'conflict', candidates: ['a', 'b'], display: 'twin' });
    expect(r.problems?.map((p) => p.code)).toEqual(['ambiguous_match']);
    const error: InputProblem = {
      file: 'hr.csv',
      line: 4,
      row: 3,
      code: 'duplicate_key',
      severity: 'error',
      message: 'dup',
      nextStep: 'fix',
    };
    const cells: DesiredCell[] = ['twin', undefined, undefined, undefined, undefined];
    expect(decideRow(prepared(cells, [error]), many, ctx('upsert')).action).toBe('invalid');
  });

  it('skips a row with errors as invalid, named by its key', () => {
    const r = decideRow(row({ user: 'x@example.com', active: 'maybe' }), NONE, ctx('upsert'));
    expect(r).toMatchObject({ action: 'invalid', display: 'x@example.com' });
    expect(r.problems?.map((p) => p.code)).toContain('not_boolean');
  });

  it('refuses to change an immutable attribute that has a value, naming it', () => {
    const r = decideRow(
      row({ user: 'ada@example.com', badge: 'B2' }),
      one(account({ [ACME]: { badgeId: 'B1' } })),
      ctx('upsert'),
    );
    expect(r.action).toBe('invalid');
    const problem = r.problems?.find((p) => p.code === 'immutable_change');
    expect(problem).toMatchObject({ column: 'Badge', row: 3, severity: 'error' });
    expect(problem?.message).toContain(`${ACME}:badgeId`);
    // Setting a first value is allowed.
    const first = decideRow(
      row({ user: 'ada@example.com', badge: 'B1' }),
      one(account()),
      ctx('upsert'),
    );
    expect(first.action).toBe('update');
  });

  it('resolves a manager by key, or leaves it for the run when it is created in the same run', () => {
    const manager = (found: { id: string } | { matches: number }) =>
      ctx('upsert', { manager: { targetIndex: MANAGER, resolve: () => found } });
    const withManager: PreparedRow = {
      ...row({ user: 'ada@example.com' }),
      mapped: {
        row: 3,
        line: 4,
        cells: [],
        problems: [],
        manager: { by: 'employeeNumber', value: 'E9' },
      },
    };
    withManager.cells = ['ada@example.com', undefined, undefined, undefined, undefined];
    const found = decideRow(withManager, one(account()), manager({ id: 'boss' }));
    expect(found.changes).toEqual([{ path: `${ENT}:manager.value`, old: null, new: 'boss' }]);
    const later = decideRow(withManager, one(account()), manager({ matches: 0 }));
    expect(later).toMatchObject({
      action: 'unchanged',
      managerRef: { by: 'employeeNumber', value: 'E9' },
    });
    const twice = decideRow(withManager, one(account()), manager({ matches: 2 }));
    expect(twice.problems?.map((p) => p.code)).toEqual(['manager_ambiguous']);
  });
});

describe('decideRow: listed sweeps', () => {
  it('says not-found for a listed key matching no account', () => {
    const r = decideRow(row({ user: 'ghost@example.com' }), NONE, ctx('deactivate-listed'));
    expect(r).toMatchObject({ action: 'not-found', display: 'ghost@example.com' });
    expect(r.problems?.[0]).toMatchObject({ code: 'not_found', severity: 'warning' });
  });

  it('says not-found for an account gone since the snapshot', () => {
    const r = decideRow(
      row({ user: 'ada@example.com' }),
      one(account(), null),
      ctx('delete-listed'),
    );
    expect(r.action).toBe('not-found');
    expect(r.problems?.[0]?.code).toBe('gone');
  });

  it('deactivates the account as re-read, or leaves it unchanged when it is already off', () => {
    const fresh = account({ meta: { version: 'W/"4"' } });
    const r = decideRow(
      row({ user: 'ada@example.com' }),
      one(account(), fresh),
      ctx('deactivate-listed'),
    );
    expect(r).toMatchObject({ action: 'deactivate', id: 'u1', version: 'W/"4"' });
    expect(r.operations).toEqual([{ op: 'replace', path: 'active', value: false }]);
    const off = decideRow(
      row({ user: 'ada@example.com' }),
      one(account({ active: false })),
      ctx('deactivate-listed'),
    );
    expect(off.action).toBe('unchanged');
  });

  it('deletes a listed account', () => {
    const r = decideRow(row({ user: 'ada@example.com' }), one(account()), ctx('delete-listed'));
    expect(r).toMatchObject({ action: 'delete', id: 'u1', version: 'W/"3"' });
  });

  it('refuses a deactivation the server does not allow (active read-only), naming `active`', () => {
    const readOnly: ScimSchema[] = SCHEMAS.map((s) =>
      s.id === CORE
        ? {
            ...s,
            attributes: (s.attributes ?? []).map((a) =>
              a.name === 'active' ? { ...a, mutability: 'readOnly' as const } : a,
            ),
          }
        : s,
    );
    const r = decideRow(
      row({ user: 'ada@example.com' }),
      one(account()),
      ctx('deactivate-listed', { schemas: readOnly }),
    );
    expect(r.action).toBe('invalid');
    expect(r.problems?.[0]).toMatchObject({ code: 'read_only_change', severity: 'error' });
    expect(r.problems?.[0]?.message).toContain('active');
  });
});

describe('decideRow: unlisted sweeps (the rows are a keep list)', () => {
  it('keeps a listed account, and says not-found for an entry that matches nobody', () => {
    const kept = decideRow(
      row({ user: 'ada@example.com' }),
      one(account()),
      ctx('deactivate-unlisted'),
    );
    expect(kept).toMatchObject({ action: 'unchanged', id: 'u1' });
    const missing = decideRow(row({ user: 'typo@example.com' }), NONE, ctx('delete-unlisted'));
    expect(missing).toMatchObject({ action: 'not-found', display: 'typo@example.com' });
    expect(missing.problems?.[0]?.code).toBe('keep_not_found');
  });
});
