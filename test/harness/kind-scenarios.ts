/**
 * One set of scenarios proving every plan kind end to end (plan → apply → server state), run
 * through the CLI (test/integration/plan-kinds-cli.test.ts) and through the app's IPC router
 * (test/integration/plan-kinds-ipc.test.ts) against a real sandbox on loopback.
 *
 * The server starts with: ada (E1, Analyst), bob (E2), cy (E3, inactive), dee (E4), eve (E5,
 * protected), and two accounts sharing E6 (a conflict). Each scenario names its CSV, its mode,
 * the kinds the plan must count and what the server must hold after the run.
 */
import { expect } from 'vitest';
import type { PlanAction } from '../../shared/import/types';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import type { SandboxHandle } from '../../sandbox';
import { HR_HEADER } from './plan-fixtures';

const ENT = URN.enterpriseUser;

/** The protect list of every scenario (`ghost@…` matches nobody). */
export const PROTECT = ['eve@example.com', 'ghost@example.com'];

function person(id: string, first: string, active = true): ScimResource {
  return {
    schemas: [URN.user, ENT],
    userName: `${first.toLowerCase()}@example.com`,
    name: { givenName: first, familyName: 'Q' },
    title: 'Clerk',
    active,
    [ENT]: { employeeNumber: id },
  };
}

/** Seeds the accounts the scenarios start from (see the file comment). */
export function seedKinds(server: SandboxHandle): void {
  const users = [
    { ...person('E1', 'Ada'), title: 'Analyst' },
    person('E2', 'Bob'),
    person('E3', 'Cy', false),
    person('E4', 'Dee'),
    person('E5', 'Eve'),
    person('E6', 'Twin1'),
    person('E6', 'Twin2'),
  ];
  for (const u of users) server.store.create('User', u);
}

/** `userName` → `active` and `title`, as the server holds them now. */
export function accounts(server: SandboxHandle): Map<string, { active: unknown; title: unknown }> {
  return new Map(
    server.store
      .list('User')
      .map((u: ScimResource) => [
        String(u['userName']),
        { active: u['active'], title: u['title'] },
      ]),
  );
}

type KindScenario = {
  name: string;
  mode: 'upsert' | 'deactivate-listed' | 'delete-listed' | 'deactivate-unlisted';
  csv: string;
  protect?: boolean;
  /** The kinds the plan counts (the others are 0). */
  counts: Partial<Record<PlanAction, number>>;
  /** Sentences the CLI prints and the app shows. */
  words: string[];
  /** What the server holds after the run. */
  after(server: SandboxHandle): void;
};

function row(
  id: string,
  first: string,
  title: string,
  status: string,
  email = `${first.toLowerCase()}@example.com`,
): string {
  return `${id},${first},Q,${email},${title},${status},,\n`;
}

/** The scenarios, in the order they run (each starts from the state the previous one left). */
export const SCENARIOS: readonly KindScenario[] = [
  {
    name: 'upsert: create, update, reactivate, deactivate, unchanged, protected, conflict, invalid',
    mode: 'upsert',
    protect: true,
    csv:
      HR_HEADER +
      row('E1', 'Ada', 'Lead', 'Active') +
      row('E2', 'Bob', 'Clerk', 'Terminated') +
      row('E3', 'Cy', 'Clerk', 'Active') +
      row('E4', 'Dee', 'Clerk', 'Active') +
      row('E5', 'Eve', 'Clerk', 'Terminated') +
      row('E6', 'Twin', 'Clerk', 'Terminated') +
      row('E7', 'New', 'Clerk', 'Active') +
      row('E8', 'Nomail', 'Clerk', 'Active', ''),
    counts: {
      create: 1,
      update: 1,
      reactivate: 1,
      deactivate: 1,
      unchanged: 1,
      protected: 1,
      conflict: 1,
      invalid: 1,
    },
    words: [
      '1 person will lose access (deactivate)',
      '1 person will get access back (reactivate)',
      '1 protected account was left alone (1 protect entry matches nobody)',
    ],
    after(server) {
      const a = accounts(server);
      expect(a.get('ada@example.com')).toEqual({ active: true, title: 'Lead' });
      expect(a.get('bob@example.com')?.active).toBe(false);
      expect(a.get('cy@example.com')?.active).toBe(true);
      expect(a.get('eve@example.com')?.active).toBe(true);
      expect(a.get('twin1@example.com')?.active).toBe(true);
      expect(a.get('twin2@example.com')?.active).toBe(true);
      expect(a.get('new@example.com')).toEqual({ active: true, title: 'Clerk' });
      expect(a.size).toBe(8);
    },
  },
  {
    name: 'deactivate-listed: deactivate and not-found',
    mode: 'deactivate-listed',
    csv: HR_HEADER + row('E4', 'Dee', '', '') + row('E404', 'Nobody', '', ''),
    counts: { deactivate: 1, 'not-found': 1 },
    words: ['1 person will lose access (deactivate)', '1 listed account was not found'],
    after(server) {
      const a = accounts(server);
      expect(a.get('dee@example.com')?.active).toBe(false);
      expect(a.has('nobody@example.com')).toBe(false);
      expect(a.size).toBe(8);
    },
  },
  {
    name: 'delete-listed: delete',
    mode: 'delete-listed',
    csv: HR_HEADER + row('E7', 'New', '', ''),
    counts: { delete: 1 },
    words: ['1 account will be deleted (delete)'],
    after(server) {
      expect(accounts(server).has('new@example.com')).toBe(false);
    },
  },
  {
    name: 'deactivate-unlisted: keep, not-found keep entry, protected, deactivate',
    mode: 'deactivate-unlisted',
    protect: true,
    csv: HR_HEADER + row('E1', 'Ada', '', '') + row('E9999', 'Typo', '', ''),
    counts: { unchanged: 1, 'not-found': 1, protected: 1, deactivate: 3 },
    words: [
      '3 people will lose access (deactivate)',
      '1 account in the keep list was not found',
      '1 protected account was left alone (1 protect entry matches nobody)',
    ],
    after(server) {
      const a = accounts(server);
      expect(a.get('ada@example.com')?.active).toBe(true);
      expect(a.get('eve@example.com')?.active).toBe(true);
      for (const n of ['cy', 'twin1', 'twin2', 'bob', 'dee']) {
        expect(a.get(`${n}@example.com`)?.active, n).toBe(false);
      }
    },
  },
];

/** The undo of the last scenario: its three deactivations come back as reactivations. */
export const UNDO = {
  counts: { reactivate: 3 } as Partial<Record<PlanAction, number>>,
  words: ['3 people will get access back (reactivate)'],
  after(server: SandboxHandle): void {
    const a = accounts(server);
    for (const n of ['cy', 'twin1', 'twin2'])
      expect(a.get(`${n}@example.com`)?.active, n).toBe(true);
    expect(a.get('bob@example.com')?.active).toBe(false);
  },
};

/** Every kind with its expected count (0 where the scenario names none). */
export function expectCounts(
  got: Readonly<Record<PlanAction, number>>,
  want: Partial<Record<PlanAction, number>>,
  label: string,
): void {
  for (const [kind, n] of Object.entries(got)) {
    expect(n, `${label}: ${kind}`).toBe(want[kind as PlanAction] ?? 0);
  }
}

/** The HR file of the threshold scenario: 12 of the 30 seeded people are terminated. */
export function terminations(userNames: readonly string[]): string {
  const lines = userNames.map((u, i) => `${u},${i < 12 ? 'Terminated' : 'Active'}`);
  return `Email,Status\n${lines.join('\n')}\n`;
}

/** The mapping of {@link terminations}: match on userName, status words for `active`. */
export const TERMINATIONS_MAPPING = {
  version: 1,
  attributes: [{ target: 'userName', source: { column: 'Email' } }],
  active: { column: 'Status' },
  match: { keys: [['userName']] },
};
