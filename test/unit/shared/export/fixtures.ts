/**
 * Seeded generators of typical SCIM Users and Groups for the export round-trip tests, and the
 * expected result of a CSV round trip ("representable").
 */

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type Json = Record<string, unknown>;

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text pieces that stress CSV quoting, joined-cell escaping and formula escaping. */
const PIECES = [
  'ada',
  'Zoë',
  'Ñuñez',
  '山田 太郎',
  'Ελένη',
  'العربية',
  '😀',
  ' ',
  '"',
  ',',
  ';',
  '\\',
  '\r\n',
  '\n',
  '=',
  '+1',
  '-',
  '@',
  '\t',
  "'",
  "''",
];

function pick<T>(next: () => number, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

/** A non-empty random text of 1–4 pieces. */
function text(next: () => number): string {
  const n = 1 + Math.floor(next() * 4);
  return Array.from({ length: n }, () => pick(next, PIECES)).join('');
}

function maybe(next: () => number, p = 0.6): boolean {
  return next() < p;
}

/** A random subset of `items`, in random order. */
function subset<T>(next: () => number, items: readonly T[]): T[] {
  return items.filter(() => maybe(next, 0.5)).sort(() => next() - 0.5);
}

/** Multi-valued typed values, at most one per type, at most one primary, maybe an untyped primary. */
function typedValues(next: () => number, types: readonly string[]): Json[] {
  const values: Json[] = subset(next, types).map((type) => ({ type, value: text(next) }));
  const primary = values[Math.floor(next() * (values.length + 1))];
  if (primary) primary['primary'] = true;
  else if (maybe(next, 0.3)) values.push({ value: text(next), primary: true });
  return values;
}

/** A typical User: core attributes, typed multi-valued ones, roles, enterprise extension, groups. */
export function randomUser(next: () => number, i: number): Json {
  const user: Json = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENT],
    id: `u-${i}`,
    userName: `${text(next)}${i}`,
    meta: { resourceType: 'User', version: `W/"${i}"` },
  };
  if (maybe(next)) user['externalId'] = text(next);
  if (maybe(next)) user['name'] = { givenName: text(next), familyName: text(next) };
  if (maybe(next)) user['displayName'] = text(next);
  if (maybe(next, 0.3)) user['title'] = text(next);
  if (maybe(next)) user['active'] = maybe(next, 0.5);
  const emails = typedValues(next, ['work', 'home', 'other', 'alumni']);
  if (emails.length) user['emails'] = emails;
  const phones = typedValues(next, ['work', 'mobile', 'fax']);
  if (phones.length) user['phoneNumbers'] = phones;
  if (maybe(next, 0.4)) {
    user['addresses'] = [
      { type: 'work', streetAddress: text(next), locality: text(next), country: 'GR' },
    ];
  }
  if (maybe(next, 0.4)) {
    user['roles'] = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
      value: text(next),
    }));
  }
  if (maybe(next)) {
    const ent: Json = { employeeNumber: text(next) };
    if (maybe(next)) ent['department'] = text(next);
    if (maybe(next)) ent['manager'] = { value: `u-${i + 1}`, $ref: `../Users/u-${i + 1}` };
    user[ENT] = ent;
  }
  if (maybe(next)) {
    user['groups'] = subset(next, ['g1', 'g2', 'g3']).map((g) => ({
      value: g,
      display: `${text(next)} ${g}`,
    }));
  }
  return user;
}

/** A typical Group with members. */
export function randomGroup(next: () => number, i: number): Json {
  const group: Json = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: `g-${i}`,
    displayName: text(next),
    meta: { resourceType: 'Group' },
  };
  if (maybe(next)) group['externalId'] = text(next);
  if (maybe(next)) {
    group['members'] = subset(next, ['u-1', 'u;2', 'u\\3']).map((value) => ({
      value,
      display: text(next),
      type: 'User',
      $ref: `../Users/${value}`,
    }));
  }
  return group;
}

/**
 * What a CSV round trip keeps of a generated resource: no `schemas`/`meta`, `groups` as display
 * names, `members` as ids, no `$ref`, and no empty arrays.
 */
export function representable(resource: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas' || key === 'meta') continue;
    if (key === 'groups' && Array.isArray(value)) {
      if (value.length) out[key] = value.map((g) => ({ display: (g as Json)['display'] }));
    } else if (key === 'members' && Array.isArray(value)) {
      if (value.length) out[key] = value.map((m) => ({ value: (m as Json)['value'] }));
    } else if (key === ENT) {
      const ent = { ...(value as Json) };
      const manager = ent['manager'] as Json | undefined;
      if (manager) ent['manager'] = { value: manager['value'] };
      out[key] = ent;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Sorts object keys and arrays of objects, so value order does not matter in comparisons. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    return items.every((v) => typeof v === 'object' && v !== null)
      ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
      : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Json)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}
