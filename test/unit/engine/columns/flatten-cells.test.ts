/**
 * flattenCells (flatten-cells.ts) places values directly instead of through the full decomposition
 * (flatten.ts). Property test: on generated resources full of the awkward cases (attribute names in
 * other letter cases and twice, extension URNs in other cases, the core URN as an extension, typed,
 * duplicate-typed, primary and untyped values, simple items, empty values, `$ref`, invalid names,
 * groups and members), its cells equal the decomposition's for random column sets.
 */
import { describe, expect, it } from 'vitest';
import { decomposeResource, flattenResource } from '../../../../engine/columns/flatten';
import { compiledPlan, flattenCells } from '../../../../engine/columns/flatten-cells';
import { columnKey, type ColumnSpec } from '../../../../shared/columns/columns';
import { ACME, CORE, ENT, cols, prng } from '../../shared/plan/helpers';

type Rand = () => number;

const HEADERS = [
  'userName',
  'externalId',
  'displayName',
  'title',
  'active',
  'name.givenName',
  'name.familyName',
  'emails[type eq "work"].value',
  'emails[type eq "work"].primary',
  'emails[type eq "home"].value',
  'emails[primary eq true].value',
  'emails.value',
  'phoneNumbers[type eq "mobile"].value',
  'phoneNumbers[type eq "work"].value',
  'addresses[type eq "work"].locality',
  'roles.value',
  'roles[primary eq true].value',
  'roles[type eq "admin"].value',
  'entitlements.value',
  'groups',
  `${ENT}:employeeNumber`,
  `${ENT}:department`,
  `${ENT}:manager.value`,
  `${ACME}:level`,
  `${ACME}:tags`,
  `${ACME}:badge.color`,
];

/** The decomposition-based cells (flattenCells before it placed values directly). */
function reference(resource: Record<string, unknown>, columns: readonly ColumnSpec[]): string[] {
  const plan = compiledPlan(columns);
  const { slots } = decomposeResource(resource, plan.attributes, plan.named);
  const cells = columns.map(() => '');
  for (const slot of slots) {
    const i = plan.index.get(columnKey(slot.path));
    if (i !== undefined) cells[i] = slot.value;
  }
  return cells;
}

const pick = <T>(rand: Rand, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)] as T;
/** Sometimes the same (ASCII) name in another letter case. */
function recase(rand: Rand, s: string): string {
  if (rand() >= 0.25) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    out += rand() < 0.5 ? c.toUpperCase() : c.toLowerCase();
  }
  return out;
}

function scalar(rand: Rand): unknown {
  return pick(rand, ['', 'a', 'B;c', 'x\\y', 'ada@example.com', 1, 2.5, true, false, null, NaN]);
}

function element(rand: Rand): unknown {
  const roll = rand();
  if (roll < 0.1) return scalar(rand);
  if (roll < 0.15) return [scalar(rand)];
  const e: Record<string, unknown> = {};
  const n = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < n; i++) {
    const k = pick(rand, ['value', 'type', 'primary', 'display', '$ref', 'locality', 'bad name']);
    const v =
      k === 'type'
        ? pick(rand, ['work', 'Work', 'home', 'mobile', 'admin', '', 3])
        : k === 'primary'
          ? pick(rand, [true, false, 'true'])
          : scalar(rand);
    e[recase(rand, k)] = v;
  }
  return e;
}

function attribute(rand: Rand): unknown {
  const roll = rand();
  if (roll < 0.35) return scalar(rand);
  if (roll < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => element(rand));
  const o: Record<string, unknown> = {};
  for (const k of ['givenName', 'familyName', 'value', 'color', '$ref', 'x y']) {
    if (rand() < 0.5) o[recase(rand, k)] = rand() < 0.2 ? element(rand) : scalar(rand);
  }
  return o;
}

const NAMES = [
  'userName',
  'externalId',
  'displayName',
  'title',
  'active',
  'name',
  'emails',
  'phoneNumbers',
  'addresses',
  'roles',
  'entitlements',
  'groups',
  'members',
  'meta',
  'schemas',
  'bad-',
  '9x',
];

function resource(rand: Rand): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  const n = 3 + Math.floor(rand() * 10);
  for (let i = 0; i < n; i++) r[recase(rand, pick(rand, NAMES))] = attribute(rand);
  for (const uri of [ENT, ACME, CORE]) {
    if (rand() < 0.5) continue;
    const ext: Record<string, unknown> = {};
    for (const k of [
      'employeeNumber',
      'department',
      'manager',
      'level',
      'tags',
      'badge',
      'userName',
      'meta',
    ]) {
      if (rand() < 0.5) ext[recase(rand, k)] = attribute(rand);
    }
    r[recase(rand, uri)] = rand() < 0.05 ? 'not an object' : ext;
  }
  return r;
}

describe('flattenCells', () => {
  it('gives the decomposition’s cells on generated resources and column sets', () => {
    const rand = prng(20261203);
    for (let run = 0; run < 3000; run++) {
      const headers = HEADERS.filter(() => rand() < 0.4);
      const columns = cols(...(headers.length ? headers : ['userName']));
      const r = resource(rand);
      const want = reference(r, columns);
      expect(flattenCells(r, columns), JSON.stringify({ r, headers })).toEqual(want);
      expect(flattenResource(r, columns).cells).toEqual(want);
    }
  });

  it('gives the same cells when one column set flattens many resources (its spellings remembered)', () => {
    const rand = prng(7);
    const sets = [cols(...HEADERS), cols(...HEADERS.filter((_, i) => i % 3 === 0))];
    for (let run = 0; run < 3000; run++) {
      const columns = sets[run % 2] ?? [];
      const r = resource(rand);
      expect(flattenCells(r, columns), JSON.stringify(r)).toEqual(reference(r, columns));
    }
  });

  it('keeps the last of two spellings of one attribute, as the decomposition does', () => {
    const columns = cols('userName', 'emails[type eq "work"].value', `${ENT}:employeeNumber`);
    const r = {
      userName: 'a',
      USERNAME: 'b',
      emails: [
        { type: 'work', value: 'x@example.com' },
        { type: 'WORK', value: 'y@example.com' },
      ],
      [ENT.toUpperCase()]: { employeeNumber: 'E1' },
      [ENT]: { EmployeeNumber: 'E2' },
    };
    expect(flattenCells(r, columns)).toEqual(['b', 'x@example.com', 'E2']);
    expect(flattenCells(r, columns)).toEqual(reference(r, columns));
  });
});
