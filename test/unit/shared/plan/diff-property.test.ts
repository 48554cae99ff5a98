/**
 * Property test: for random users and random desired rows, the planned PATCH turns the server
 * resource into one whose cells are the desired ones, the PUT body does the same, and re-diffing
 * either finds nothing left to change.
 */
import { describe, expect, it } from 'vitest';
import { kindOfChanges } from '../../../../engine/plan/plan-kinds';
import { rowInconsistency } from '../../../../engine/plan/row-consistency';
import { applyPatchLocally } from '../../../../engine/scim/patch';
import { splitMultiValue, joinMultiValue } from '../../../../shared/columns/columns';
import { flattenResource } from '../../../../engine/columns/flatten';
import type { DesiredCell } from '../../../../shared/import/types';
import { diffResource, type DiffOptions } from '../../../../engine/resources/diff-resource';
import type { ScimResource } from '../../../../shared/scim/types';
import { ACME, ACME_SCHEMA, CORE, ENT, USER_TYPE, cols, prng } from './helpers';

type Rand = () => number;
type Json = Record<string, unknown>;

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
  'phoneNumbers[type eq "mobile"].value',
  'addresses[type eq "work"].locality',
  'addresses[type eq "work"].country',
  'roles.value',
  'roles[primary eq true].value',
  `${ENT}:employeeNumber`,
  `${ENT}:department`,
  `${ENT}:manager.value`,
  `${ACME}:level`,
  `${ACME}:score`,
  `${ACME}:contractor`,
  `${ACME}:startDate`,
  `${ACME}:tags`,
  `${ACME}:badge.color`,
  `${ACME}:badge.number`,
  'groups',
];
const TARGETS = cols(...HEADERS);
type Kind = 'boolean' | 'integer' | 'decimal' | 'dateTime' | 'joined' | 'string';
const KIND: Partial<Record<string, Kind>> = {
  active: 'boolean',
  'emails[type eq "work"].primary': 'boolean',
  [`${ACME}:contractor`]: 'boolean',
  [`${ACME}:level`]: 'integer',
  [`${ACME}:badge.number`]: 'integer',
  [`${ACME}:score`]: 'decimal',
  [`${ACME}:startDate`]: 'dateTime',
  'roles.value': 'joined',
  [`${ACME}:tags`]: 'joined',
};
const OPTS: DiffOptions = { schemas: [ACME_SCHEMA], patch: true, resourceType: USER_TYPE };

const PIECES = ['ada', 'Zoë', '山田', ' ', ';', '\\', '"', ',', 'x@y.z', 'Ελένη', '😀', '=1', 'A'];

function pick<T>(r: Rand, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}
function chance(r: Rand, p: number): boolean {
  return r() < p;
}
function text(r: Rand): string {
  const n = 1 + Math.floor(r() * 3);
  return Array.from({ length: n }, () => pick(r, PIECES)).join('');
}
function dateTime(r: Rand): string {
  const day = 1 + Math.floor(r() * 28);
  const base = `2024-03-${String(day).padStart(2, '0')}T10:00:00`;
  return pick(r, [`${base}Z`, `${base}.000Z`, `${base}+00:00`, `${base}.5Z`]);
}

/** Values of a typed multi-valued attribute: random types (repeats and case variants), one primary at most. */
function typedValues(r: Rand, types: readonly string[], sub: string): Json[] {
  const values: Json[] = [];
  for (const type of types) if (chance(r, 0.45)) values.push({ type, [sub]: text(r) });
  if (chance(r, 0.25)) values.push({ [sub]: text(r), primary: true });
  else if (values.length > 0 && chance(r, 0.5)) {
    (values[Math.floor(r() * values.length)] as Json)['primary'] = chance(r, 0.8);
  }
  if (chance(r, 0.15)) values.push({ [sub]: text(r) });
  return values.sort(() => r() - 0.5);
}

/** A random server user. */
function randomServer(r: Rand, i: number): ScimResource {
  const user: ScimResource = { schemas: [CORE], id: `u${i}`, userName: `user${i}` };
  if (chance(r, 0.5)) user['externalId'] = text(r);
  if (chance(r, 0.6)) user[chance(r, 0.1) ? 'DisplayName' : 'displayName'] = text(r);
  if (chance(r, 0.4)) user['title'] = text(r);
  if (chance(r, 0.7)) user['active'] = chance(r, 0.5);
  if (chance(r, 0.6)) {
    const name: Json = {};
    if (chance(r, 0.7)) name['givenName'] = text(r);
    if (chance(r, 0.7)) name['familyName'] = text(r);
    if (chance(r, 0.3)) name['formatted'] = text(r);
    user['name'] = name;
  }
  const emails = typedValues(r, ['work', 'home', 'other', 'Work'], 'value');
  if (emails.length) user[chance(r, 0.1) ? 'Emails' : 'emails'] = emails;
  const phones = typedValues(r, ['mobile', 'work'], 'value');
  if (phones.length) user['phoneNumbers'] = phones;
  if (chance(r, 0.4)) {
    const address: Json = { type: pick(r, ['work', 'home']) };
    if (chance(r, 0.7)) address['locality'] = text(r);
    if (chance(r, 0.7)) address['country'] = pick(r, ['GB', 'GR', 'JP']);
    if (chance(r, 0.3)) address['streetAddress'] = text(r);
    user['addresses'] = [address];
  }
  if (chance(r, 0.6)) {
    const roles: Json[] = Array.from({ length: Math.floor(r() * 4) }, () =>
      chance(r, 0.4) ? { value: text(r), display: text(r) } : { value: text(r) },
    );
    if (chance(r, 0.3)) roles.push({ value: text(r), primary: true });
    if (chance(r, 0.2)) roles.push({ type: 'x', value: text(r) });
    user['roles'] = roles.sort(() => r() - 0.5);
  }
  if (chance(r, 0.6)) {
    const ent: Json = {};
    if (chance(r, 0.7)) ent['employeeNumber'] = String(Math.floor(r() * 1e5));
    if (chance(r, 0.5)) ent['department'] = text(r);
    if (chance(r, 0.5)) {
      ent['manager'] = { value: `u${i + 1}`, $ref: `../Users/u${i + 1}`, displayName: text(r) };
    }
    user[ENT] = ent;
    user.schemas.push(ENT);
  }
  if (chance(r, 0.6)) {
    const acme: Json = {};
    if (chance(r, 0.5)) acme['level'] = Math.floor(r() * 10);
    if (chance(r, 0.5)) acme['score'] = Math.round(r() * 1000) / 100;
    if (chance(r, 0.5)) acme['contractor'] = chance(r, 0.5);
    if (chance(r, 0.5)) acme['startDate'] = dateTime(r);
    if (chance(r, 0.5))
      acme['tags'] = Array.from({ length: 1 + Math.floor(r() * 3) }, () => text(r));
    if (chance(r, 0.5)) {
      const badge: Json = {};
      if (chance(r, 0.7)) badge['color'] = text(r);
      if (chance(r, 0.7)) badge['number'] = Math.floor(r() * 100);
      acme['badge'] = badge;
    }
    user[ACME] = acme;
  }
  if (chance(r, 0.5)) user['groups'] = [{ value: 'g1', display: 'Eng' }];
  user.meta = { resourceType: 'User', version: `W/"${i}"` };
  return user;
}

/** Another way of writing the same value (case of booleans, number formatting, joined order). */
function variant(r: Rand, header: string, cell: string): string {
  const kind: Kind = KIND[header] ?? 'string';
  switch (kind) {
    case 'boolean':
      return chance(r, 0.5) ? cell.toUpperCase() : cell;
    case 'integer':
    case 'decimal':
      return chance(r, 0.5) && !cell.includes('e')
        ? `${cell}${cell.includes('.') ? '0' : '.0'}`
        : cell;
    case 'joined':
      return joinMultiValue(splitMultiValue(cell).sort(() => r() - 0.5));
    case 'dateTime':
    case 'string':
      return cell;
  }
}

/** A new random value for a column. */
function fresh(r: Rand, header: string): string {
  const kind: Kind = KIND[header] ?? 'string';
  switch (kind) {
    case 'boolean':
      return pick(r, ['true', 'false', 'True', 'FALSE']);
    case 'integer':
      return String(Math.floor(r() * 200) - 50);
    case 'decimal':
      return pick(r, ['1.5', '0', '-2.25', '100', '3.14159']);
    case 'dateTime':
      return dateTime(r);
    case 'joined':
      return joinMultiValue(Array.from({ length: Math.floor(r() * 4) }, () => text(r)));
    case 'string':
      return text(r);
  }
}

function randomDesired(r: Rand, current: readonly string[]): DesiredCell[] {
  return HEADERS.map((header, i) => {
    const cell = current[i] ?? '';
    const roll = r();
    if (roll < 0.3) return undefined;
    if (roll < 0.42) return null;
    if (roll < 0.45) return '';
    if (roll < 0.65 && cell !== '') return variant(r, header, cell);
    return fresh(r, header);
  });
}

/** An independent check of "the cell shows the desired value". */
function shows(header: string, desired: string | null, cell: string): boolean {
  if (desired === null) return cell === '';
  const kind: Kind = KIND[header] ?? 'string';
  switch (kind) {
    case 'boolean':
      return desired.toLowerCase() === cell;
    case 'integer':
    case 'decimal':
      return Number(desired) === Number(cell);
    case 'dateTime':
      return Date.parse(desired) === Date.parse(cell);
    case 'joined': {
      const a = [...new Set(splitMultiValue(desired))].sort();
      const b = [...new Set(splitMultiValue(cell))].sort();
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'string':
      return desired === cell;
  }
}

/** The value a column belongs to (`emails[type eq "work"]`, `name`, `…:manager`), if any. */
function owner(header: string): string | undefined {
  const bracket = header.indexOf(']');
  if (bracket >= 0) return header.slice(0, bracket + 1).toLowerCase();
  const dot = header.lastIndexOf('.');
  return dot > header.lastIndexOf(':') ? header.slice(0, dot).toLowerCase() : undefined;
}

/** Checks that `after` shows every desired cell and keeps the kept ones. */
function expectApplied(
  before: readonly string[],
  after: ScimResource,
  desired: readonly DesiredCell[],
  changedHeaders: ReadonlySet<string>,
  label: string,
): void {
  const cells = flattenResource(after, TARGETS).cells;
  const touched = new Set([...changedHeaders].map(owner).filter((o) => o !== undefined));
  HEADERS.forEach((header, i) => {
    if (header === 'groups') return;
    const want = desired[i];
    const cell = cells[i] ?? '';
    if (want === undefined) {
      const o = owner(header);
      if (o === undefined || !touched.has(o))
        expect(cell, `${label} kept ${header}`).toBe(before[i]);
      return;
    }
    expect(
      shows(header, want === '' ? null : want, cell),
      `${label} ${header}: ${JSON.stringify(want)} vs ${JSON.stringify(cell)}`,
    ).toBe(true);
  });
  expect(diffResource(TARGETS, desired, after, OPTS).changes, `${label} re-diff`).toEqual([]);
}

/** The shape of a PATCH path, for coverage: `emails[filter].sub`, `acme:badge`, `attr.sub`. */
function shape(path: string): string {
  const ext = path.startsWith(ACME) ? 'acme:' : path.startsWith(ENT) ? 'enterprise:' : '';
  const rest = ext ? path.slice(path.lastIndexOf(':') + 1) : path;
  const named = /^(emails|addresses|phoneNumbers|roles|badge|manager)\b/i.exec(rest)?.[1];
  const head = named === 'Emails' ? 'emails' : (named ?? 'attr');
  const filter = rest.includes('[') ? '[filter]' : '';
  const sub = rest.slice(rest.lastIndexOf(']') + 1).includes('.') ? '.sub' : '';
  return `${ext}${head}${filter}${sub}`;
}

describe('diffResource: property', () => {
  it('plans PATCH operations and PUT bodies that produce the desired cells (600 cases)', () => {
    const r = prng(20240611);
    let withChanges = 0;
    const shapes = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const server = randomServer(r, i);
      const before = flattenResource(server, TARGETS).cells;
      const desired = randomDesired(r, before);
      const label = `case ${i}`;
      const patch = diffResource(TARGETS, desired, server, OPTS);
      const changed = new Set(patch.changes.map((c) => c.path));
      if (patch.changes.length > 0) withChanges += 1;
      expect(patch.operations.length > 0, label).toBe(patch.changes.length > 0);
      for (const op of patch.operations) shapes.add(`${op.op} ${shape(op.path ?? '')}`);
      // What the diff plans is what apply admits: no row it writes is refused as inconsistent.
      const action = kindOfChanges(patch.changes);
      const base = { seq: i, action, display: label, id: server.id ?? '' };
      if (patch.changes.length) {
        const asRow = { ...base, changes: patch.changes, operations: patch.operations };
        expect(rowInconsistency(asRow), `${label} PATCH row`).toBeUndefined();
      }
      const patched = applyPatchLocally(server, structuredClone(patch.operations));
      expectApplied(before, patched, desired, changed, `${label} PATCH`);

      const put = diffResource(TARGETS, desired, server, { ...OPTS, patch: false });
      expect(put.changes, label).toEqual(patch.changes);
      if (put.replace) {
        expect(put.replace.meta, label).toBeUndefined();
        expect(put.replace['groups'], label).toBeUndefined();
        expect(put.replace.id, label).toBe(server.id);
        expectApplied(before, put.replace, desired, changed, `${label} PUT`);
        const asRow = { ...base, changes: put.changes, replace: put.replace };
        expect(rowInconsistency(asRow), `${label} PUT row`).toBeUndefined();
      } else {
        expect(patch.changes, label).toEqual([]);
      }
    }
    expect(withChanges).toBeGreaterThan(500);
    // (600 diffs, each applied and re-diffed twice: seconds on a busy machine.)
    expect([...shapes].sort()).toEqual(
      [
        'add addresses',
        'add emails',
        'add phoneNumbers',
        'add roles',
        'remove acme:badge.sub',
        'remove acme:attr',
        'remove attr',
        'remove attr.sub',
        'remove emails[filter]',
        'remove emails[filter].sub',
        'remove addresses[filter].sub',
        'remove phoneNumbers[filter]',
        'remove enterprise:manager',
        'remove enterprise:attr',
        'remove roles',
        'remove roles[filter]',
        'replace acme:attr',
        'replace acme:badge',
        'replace attr',
        'replace attr.sub',
        'replace emails[filter].sub',
        'replace addresses[filter].sub',
        'replace phoneNumbers[filter].sub',
        'replace enterprise:manager',
        'replace enterprise:attr',
        'replace roles',
        'replace roles[filter].sub',
      ].sort(),
    );
  }, 30_000);

  it('finds no change when any random user is re-imported from its own export', () => {
    const r = prng(7);
    for (let i = 0; i < 500; i++) {
      const server = randomServer(r, i);
      const { cells } = flattenResource(server, TARGETS);
      expect(diffResource(TARGETS, cells, server, OPTS), `case ${i}`).toEqual({
        changes: [],
        operations: [],
      });
    }
  });
});
