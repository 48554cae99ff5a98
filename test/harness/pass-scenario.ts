/**
 * One run that exercises every pass of apply (issue 14): it creates users, creates groups, adds
 * and removes members (chunked: a small `--max-members`), sets managers created in the same run,
 * and updates existing users. The server starts with four existing users (old0…old3) and the group
 * "Legacy" (old0, old1, old2). {@link expectExact} asserts on the server that the run's result is
 * exactly what the CSV asked for: every user once, every group once with exactly its members, every
 * manager set.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { OpenConnection } from '../../engine/connections/open-connection';
import { buildPlan } from '../../engine/plan/planner';
import type { SandboxStore } from '../../sandbox/store';
import { parseMappingSpec } from '../../shared/mapping/spec';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';

const ENT = URN.enterpriseUser;
/** New users in the CSV. */
const NEW_USERS = 24;
/** Members per group request in these runs, so groups take several chunks. */
export const MAX_MEMBERS = 4;

type Person = { id: string; email: string; title: string; groups: string[]; manager?: string };

function people(): Person[] {
  const out: Person[] = [];
  for (let i = 0; i < NEW_USERS; i++) {
    const groups: string[] = [];
    if (i % 2 === 0) groups.push('Team A');
    if (i % 3 === 0) groups.push('Team B');
    if (i % 4 === 0) groups.push('Legacy');
    out.push({
      id: `E${i}`,
      email: `n${i}@example.com`,
      title: `Title ${i % 3}`,
      groups,
      // A hierarchy three levels deep: n0 ← n1..n3 ← n4..n12 ← …
      ...(i > 0 ? { manager: `E${Math.floor((i - 1) / 3)}` } : {}),
    });
  }
  // Existing users: old0 leaves Legacy for Team A, old1 stays, old2 joins Team B, old3 no groups.
  out.push({ id: 'X0', email: 'old0@example.com', title: 'Moved', groups: ['Team A'] });
  out.push({ id: 'X1', email: 'old1@example.com', title: 'Moved', groups: ['Legacy'] });
  out.push({ id: 'X2', email: 'old2@example.com', title: 'Moved', groups: ['Legacy', 'Team B'] });
  out.push({ id: 'X3', email: 'old3@example.com', title: 'Moved', groups: [] });
  return out;
}

/** Seeds the existing users and the group "Legacy". */
export function seedPassScenario(store: SandboxStore): void {
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const u = store.create('User', {
      schemas: [URN.user, ENT],
      userName: `old${i}@example.com`,
      name: { givenName: `Old${i}`, familyName: 'Q' },
      title: 'Clerk',
      [ENT]: { employeeNumber: `X${i}` },
    });
    if (u.id) ids.push(u.id);
  }
  store.create('Group', {
    schemas: [URN.group],
    displayName: 'Legacy',
    members: ids.slice(0, 3).map((value) => ({ value })),
  });
}

const PASS_MAPPING = parseMappingSpec({
  version: 1,
  attributes: [
    { target: 'userName', source: { column: 'Email' } },
    { target: 'title', source: { column: 'Title' } },
    { target: `${ENT}:employeeNumber`, source: { column: 'Id' } },
  ],
  groups: { column: 'Groups', mode: 'sync', empty: 'clear' },
  manager: { column: 'Manager', by: 'employeeNumber' },
  match: { keys: [['userName']] },
});

/** Writes the CSV and plans it against the server; returns the plan file. */
export async function planPassScenario(conn: OpenConnection, dir: string): Promise<string> {
  const lines = ['Id,Email,Title,Groups,Manager'];
  for (const p of people()) {
    lines.push([p.id, p.email, p.title, p.groups.join(';'), p.manager ?? ''].join(','));
  }
  const csvFile = join(dir, 'people.csv');
  await writeFile(csvFile, `${lines.join('\n')}\n`);
  const planFile = join(dir, 'plan.jsonl');
  await buildPlan({
    csvFile,
    mapping: PASS_MAPPING,
    outFile: planFile,
    source: { kind: 'server', conn, workDir: join(dir, 'snapshots') },
  });
  return planFile;
}

function membersOf(g: ScimResource): string[] {
  const m = g['members'];
  return Array.isArray(m)
    ? m.flatMap((x: unknown) =>
        typeof x === 'object' && x !== null && typeof (x as { value?: unknown }).value === 'string'
          ? [(x as { value: string }).value]
          : [],
      )
    : [];
}

/** Asserts the server holds exactly what the CSV asked for. */
export function expectExact(store: SandboxStore): void {
  const users = store.list('User');
  const byName = new Map<string, ScimResource>();
  for (const u of users) byName.set(String(u['userName']), u);
  expect(users.length, 'users on the server (duplicates?)').toBe(NEW_USERS + 4);
  expect(byName.size).toBe(NEW_USERS + 4);
  const idOfEmp = new Map<string, string>();
  for (const u of users) {
    const ent = u[ENT] as { employeeNumber?: string } | undefined;
    if (ent?.employeeNumber && u.id) idOfEmp.set(ent.employeeNumber, u.id);
  }
  const groups = store.list('Group');
  const names = groups.map((g) => String(g['displayName'])).sort();
  expect(names, 'groups on the server (duplicates?)').toEqual(['Legacy', 'Team A', 'Team B']);
  const want = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const p of people()) {
    const u = byName.get(p.email);
    expect(u?.['title'], p.email).toBe(p.title);
    for (const g of p.groups) want.get(g)?.add(u?.id ?? '');
    const manager = (u?.[ENT] as { manager?: { value?: string } } | undefined)?.manager?.value;
    expect(manager, `manager of ${p.email}`).toBe(p.manager ? idOfEmp.get(p.manager) : undefined);
  }
  for (const g of groups) {
    const members = membersOf(g);
    expect(members.length, `members of ${String(g['displayName'])} (duplicates?)`).toBe(
      new Set(members).size,
    );
    expect(new Set(members), `members of ${String(g['displayName'])}`).toEqual(
      want.get(String(g['displayName'])),
    );
  }
}
