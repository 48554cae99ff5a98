/**
 * Deterministic demo data: international users (native scripts, diacritics), work e-mails, E.164
 * phone numbers, titles and departments, enterprise attributes with managers, a few inactive
 * users, and about ten groups (one nested). Same `seed` ⇒ same data, ids included.
 */
import { URN } from '../shared/scim/urns';
import { CULTURES, DEPARTMENTS } from './seed-names';
import type { SandboxStore } from './store';
import { type CoreResourceKind } from '../shared/scim/resource-types';

/** mulberry32: small, fast, good enough for demo data. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) {
    throw new Error('pick from an empty list');
  }
  return v;
}

function uuid(rand: () => number): string {
  const word = () =>
    Math.floor(rand() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  const hex = word() + word() + word() + word();
  // Shaped as a version-4 UUID so clients that validate ids accept them.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(rand() * 4)] ?? '8'}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function digits(rand: () => number, n: number): string {
  let s = String(1 + Math.floor(rand() * 9));
  while (s.length < n) {
    s += String(Math.floor(rand() * 10));
  }
  return s;
}

const BASE_TIME = Date.parse('2024-01-02T09:00:00Z');
const MAX_GROUP_MEMBERS = 5000;

/** Fills an empty store with `userCount` users and the demo groups. Returns what was created. */
export function seedDemoData(
  store: SandboxStore,
  userCount: number,
  seed = 20240102,
): { users: number; groups: number } {
  const rand = createPrng(seed);
  const taken = new Map<string, number>();
  const byDept = new Map<string, string[]>();
  const managers: string[] = [];
  const contractors: string[] = [];
  const vpn: string[] = [];
  const deptLead = new Map<string, string>();

  for (let i = 0; i < userCount; i++) {
    const c = pick(rand, CULTURES);
    const [given, givenAscii] = pick(rand, c.given);
    const [family, familyAscii] = pick(rand, c.family);
    const base = `${givenAscii}.${familyAscii}`;
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    const userName = `${n === 1 ? base : `${base}${n}`}@example.com`;
    const dept = pick(rand, DEPARTMENTS);
    const title = pick(rand, dept.titles);
    const isManager = /Manager|Director|Lead|Controller/.test(title);
    const contractor = rand() < 0.08;
    const space = c.locale === 'zh-CN' ? '' : ' ';
    const formatted = c.familyFirst ? `${family}${space}${given}` : `${given} ${family}`;
    const id = uuid(rand);
    const when = new Date(BASE_TIME + i * 61_000).toISOString();
    const lead = deptLead.get(dept.name);
    const data: Record<string, unknown> = {
      externalId: `00u${id.replace(/-/g, '').slice(0, 17)}`,
      userName,
      name: { formatted, familyName: family, givenName: given },
      displayName: formatted,
      title,
      userType: contractor ? 'Contractor' : 'Employee',
      preferredLanguage: c.locale,
      locale: c.locale,
      timezone: c.timezone,
      active: rand() >= 0.03,
      emails: [
        { value: userName, type: 'work', primary: true },
        ...(rand() < 0.2
          ? [
              {
                value: `${givenAscii}${familyAscii}${Math.floor(rand() * 1000)}@mail.example.net`,
                type: 'home',
              },
            ]
          : []),
      ],
      phoneNumbers: [
        {
          value: `+${c.callingCode}${digits(rand, c.subscriberDigits)}`,
          type: 'work',
          primary: true,
        },
        ...(rand() < 0.5
          ? [{ value: `+${c.callingCode}${digits(rand, c.subscriberDigits)}`, type: 'mobile' }]
          : []),
      ],
      addresses: [
        {
          type: 'work',
          country: c.country,
          locality: c.timezone.split('/')[1]?.replace(/_/g, ' ') ?? '',
          primary: true,
        },
      ],
      [URN.enterpriseUser]: {
        employeeNumber: String(100000 + i),
        costCenter: dept.costCenter,
        organization: 'Example Corp',
        division: dept.name === 'Engineering' || dept.name === 'IT' ? 'Technology' : 'Business',
        department: dept.name,
        ...(lead !== undefined ? { manager: { value: lead } } : {}),
      },
    };
    store.insertTrusted({ type: 'User', id, created: when, lastModified: when, data });
    if (isManager && lead === undefined) {
      deptLead.set(dept.name, id);
    }
    const list = byDept.get(dept.name) ?? [];
    if (list.length < MAX_GROUP_MEMBERS) {
      list.push(id);
    }
    byDept.set(dept.name, list);
    if (isManager && managers.length < MAX_GROUP_MEMBERS) {
      managers.push(id);
    }
    if (contractor && contractors.length < MAX_GROUP_MEMBERS) {
      contractors.push(id);
    }
    if (rand() < 0.2 && vpn.length < MAX_GROUP_MEMBERS) {
      vpn.push(id);
    }
  }

  const when = new Date(BASE_TIME).toISOString();
  let groups = 0;
  const addGroup = (
    displayName: string,
    members: { value: string; type: CoreResourceKind }[],
  ): string => {
    const id = uuid(rand);
    store.insertTrusted({
      type: 'Group',
      id,
      created: when,
      lastModified: when,
      data: {
        displayName,
        externalId: `grp-${displayName.toLowerCase().replace(/\W+/g, '-')}`,
        ...(members.length > 0 ? { members } : {}),
      },
    });
    groups++;
    return id;
  };
  const users = (ids: string[]) => ids.map((value) => ({ value, type: 'User' as const }));
  for (const d of DEPARTMENTS) {
    addGroup(d.name, users(byDept.get(d.name) ?? []));
  }
  const managersId = addGroup('Managers', users(managers));
  addGroup('Contractors', users(contractors));
  addGroup('VPN Users', users(vpn));
  addGroup('Leadership', [{ value: managersId, type: 'Group' }]);
  return { users: userCount, groups };
}
