import { describe, expect, it } from 'vitest';
import { createSandboxStore } from '../../../../sandbox/store';
import { parseFilter } from '../../../../sandbox/filter-eval';
import { seedDemoData } from '../../../../sandbox/seed';
import { normaliseResource } from '../../../../sandbox/validate';
import { SandboxError } from '../../../../sandbox/sandbox-error';
import { URN } from '../../../../shared/scim/urns';

const errorOf = (fn: () => unknown): SandboxError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SandboxError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a SandboxError');
};

describe('sandbox store', () => {
  it('canonicalises attribute names and the extension URN case-insensitively', () => {
    const store = createSandboxStore();
    const u = store.create('User', {
      schemas: [URN.user],
      USERNAME: 'a@example.com',
      Name: { GivenName: 'A' },
      [URN.enterpriseUser.toUpperCase()]: { DEPARTMENT: 'X' },
    });
    expect(u.userName).toBe('a@example.com');
    expect(u.name).toEqual({ givenName: 'A' });
    expect(u[URN.enterpriseUser]).toEqual({ department: 'X' });
    expect(u.schemas).toEqual([URN.user, URN.enterpriseUser]);
  });

  it('uses indexes for eq lookups and agrees with a full scan', () => {
    const store = createSandboxStore();
    seedDemoData(store, 500);
    const sample = store.list('User')[123];
    const email = (sample?.emails as { value: string }[])[0]?.value ?? '';
    const cases = [
      `userName eq "${String(sample?.userName).toUpperCase()}"`,
      `externalId eq "${String(sample?.externalId)}"`,
      `emails.value eq "${email}"`,
      `id eq "${sample?.id ?? ''}" and active pr`,
      `userName eq "${String(sample?.userName)}" or externalId eq "nope"`,
    ];
    for (const f of cases) {
      const viaIndex = store.query('User', parseFilter(f)).map((r) => r.id);
      // `not (not …)` defeats the index planner, forcing a full scan.
      const viaScan = store.query('User', parseFilter(`not (not (${f}))`)).map((r) => r.id);
      expect(viaIndex, f).toEqual(viaScan);
      expect(viaIndex, f).toContain(sample?.id);
    }
  });

  it('rejects stale If-Match with 412 and keeps the data', () => {
    const store = createSandboxStore();
    const u = store.create('User', { schemas: [URN.user], userName: 'v@example.com' });
    const id = u.id ?? '';
    store.replace(
      'User',
      id,
      { schemas: [URN.user], userName: 'v@example.com', title: 'one' },
      { ifMatch: u.meta?.version },
    );
    const e = errorOf(() =>
      store.replace(
        'User',
        id,
        { schemas: [URN.user], userName: 'v@example.com', title: 'two' },
        { ifMatch: u.meta?.version },
      ),
    );
    expect(e.status).toBe(412);
    expect(store.get('User', id)?.title).toBe('one');
  });

  it('keeps membership consistent when a member group is deleted', () => {
    const store = createSandboxStore();
    const u = store.create('User', { schemas: [URN.user], userName: 'm@example.com' });
    const inner = store.create('Group', {
      schemas: [URN.group],
      displayName: 'Inner',
      members: [{ value: u.id }],
    });
    const outer = store.create('Group', {
      schemas: [URN.group],
      displayName: 'Outer',
      members: [{ value: inner.id }, { value: u.id }],
    });
    expect(
      (store.get('Group', outer.id ?? '')?.members as { type: string }[]).map((m) => m.type),
    ).toEqual(['Group', 'User']);
    store.remove('Group', inner.id ?? '');
    expect(
      (store.get('Group', outer.id ?? '')?.members as { value: string }[]).map((m) => m.value),
    ).toEqual([u.id]);
    expect(
      (store.get('User', u.id ?? '')?.groups as { display: string }[]).map((g) => g.display),
    ).toEqual(['Outer']);
  });
});

describe('seed', () => {
  it('is deterministic, valid against the schema, and international', () => {
    const a = createSandboxStore();
    const b = createSandboxStore();
    seedDemoData(a, 300);
    seedDemoData(b, 300);
    expect(a.list('User').map((u) => [u.id, u.userName])).toEqual(
      b.list('User').map((u) => [u.id, u.userName]),
    );
    expect(a.groupCount()).toBeGreaterThanOrEqual(10);
    for (const u of a.list('User')) {
      const body = Object.fromEntries(
        Object.entries(u).filter(([k]) => k !== 'id' && k !== 'meta' && k !== 'groups'),
      );
      expect(() => normaliseResource('User', body)).not.toThrow();
      for (const p of u.phoneNumbers as { value: string }[]) {
        expect(p.value).toMatch(/^\+[1-9]\d{6,14}$/);
      }
    }
    const names = a.list('User').map((u) => String(u.displayName));
    expect(names.some((n) => /[^\p{Script=Latin}\p{P}\p{Z}]/u.test(n))).toBe(true); // non-Latin scripts
    expect(names.some((n) => /[À-ž]/.test(n))).toBe(true); // diacritics
    expect(a.list('User').some((u) => u.active === false)).toBe(true);
  });
});
