/**
 * normaliseResource copies only what it changes. These tests hold it to the copy-everything
 * version it replaced (kept below as the reference): the same JSON for every resource, including
 * case-variant keys, `__proto__` keys, numeric ids and coercions at every depth; and the very same
 * object back when nothing needs a change.
 */
import { describe, expect, it } from 'vitest';
import { normaliseResource } from '../../../../../engine/scim/quirks/resource';
import { findKeyCaseInsensitive, toInteger } from '../../../../../engine/scim/quirks/wire';
import { BUILTIN_SCHEMAS } from '../../../../../shared/scim/schemas/index';
import type { SchemaAttribute, ScimResource, ScimSchema } from '../../../../../shared/scim/types';
import { URN } from '../../../../../shared/scim/urns';

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- The reference: normaliseResource before it copied on write (a linear attribute scan). ----
function refFind(attrs: readonly SchemaAttribute[] | undefined, name: string) {
  return attrs?.find((a) => a.name.toLowerCase() === name.toLowerCase());
}
function refScalar(value: unknown, def: SchemaAttribute): unknown {
  if (typeof value !== 'string') return value;
  if (def.type === 'boolean') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    return value;
  }
  if (def.type === 'integer') return toInteger(value) ?? value;
  if (def.type === 'decimal' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value))
    return Number(value);
  return value;
}
function refCoerce(value: unknown, def: SchemaAttribute): unknown {
  const one = (v: unknown) =>
    def.type === 'complex' && isRecord(v) ? refObject(v, def.subAttributes) : refScalar(v, def);
  return Array.isArray(value) ? value.map(one) : one(value);
}
function refObject(obj: Json, attrs: readonly SchemaAttribute[] | undefined): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    const def = refFind(attrs, key);
    out[key] = def ? refCoerce(value, def) : value;
  }
  return out;
}
function refIds(resource: Json): Json {
  const out: Json = { ...resource };
  if (typeof out['id'] === 'number') out['id'] = String(out['id']);
  for (const name of ['members', 'groups']) {
    const key = findKeyCaseInsensitive(out, name);
    const list = key === undefined ? undefined : out[key];
    if (key !== undefined && Array.isArray(list)) {
      out[key] = list.map((m: unknown) =>
        isRecord(m) && typeof m['value'] === 'number' ? { ...m, value: String(m['value']) } : m,
      );
    }
  }
  return out;
}
function reference(resource: Json, schemas: readonly ScimSchema[]): Json {
  const base = refIds(resource);
  const named = Array.isArray(base['schemas'])
    ? base['schemas'].filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase())
    : [];
  const hits = schemas.filter((s) => named.includes(s.id.toLowerCase()));
  const candidates = hits.length > 0 ? hits : [...schemas];
  const out: Json = {};
  for (const [key, value] of Object.entries(base)) {
    if (/^urn:/i.test(key) && isRecord(value)) {
      const ext = schemas.find((s) => s.id.toLowerCase() === key.toLowerCase());
      out[key] = ext ? refObject(value, ext.attributes) : value;
      continue;
    }
    let def: SchemaAttribute | undefined;
    for (const s of candidates) {
      def = refFind(s.attributes, key);
      if (def) break;
    }
    out[key] = def ? refCoerce(value, def) : value;
  }
  return out;
}

// ---- A seeded generator of resources with the quirks normalisation handles. ----
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Parsed from JSON text, as a server's answer is (own `__proto__` keys survive JSON.parse). */
function fromJson(text: string): Json {
  return JSON.parse(text) as Json;
}

function randomResource(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const maybe = (p: number) => r() < p;
  const parts: string[] = [];
  const add = (k: string, v: unknown) => parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`);
  add('schemas', maybe(0.8) ? [URN.user, URN.enterpriseUser] : maybe(0.5) ? [URN.group] : 'x');
  add('id', maybe(0.3) ? Math.floor(r() * 100) : `u-${Math.floor(r() * 100)}`);
  add(pick(['userName', 'USERNAME', 'username']), `user${Math.floor(r() * 100)}`);
  if (maybe(0.7))
    add(pick(['active', 'Active']), pick([true, false, 'True', 'false', ' TRUE ', 'yes']));
  if (maybe(0.5))
    add('name', { [pick(['givenName', 'GivenName'])]: 'Ada', familyName: pick(['L', 7]) });
  if (maybe(0.6))
    add(pick(['emails', 'Emails']), [
      { value: 'a@x', type: 'work', primary: pick([true, 'true', 'False', false]) },
      ...(maybe(0.5) ? [{ value: 'b@x', primary: 'TRUE' }] : []),
      ...(maybe(0.3) ? ['bare'] : []),
    ]);
  if (maybe(0.4))
    add(pick(['groups', 'Groups']), [{ value: maybe(0.5) ? 5 : '5', display: 'G' }, 'x', 7]);
  if (maybe(0.3)) add('members', [{ value: maybe(0.5) ? 9 : '9' }, { value: 'm' }]);
  if (maybe(0.4))
    add(pick([URN.enterpriseUser, URN.enterpriseUser.toUpperCase()]), {
      employeeNumber: pick(['E1', 12]),
      manager: { value: pick(['m', 3]), displayName: 'Boss' },
      unknownThing: pick(['1', true]),
    });
  if (maybe(0.3))
    add(pick(['urn:example:unknown:1.0', 'URN:x', 'urn:', 'urn', 'Urn:y']), {
      a: '1',
      b: [1, '2'],
    });
  if (maybe(0.3)) add('x509Certificates', [{ value: 'c', primary: pick(['true', true]) }]);
  if (maybe(0.3)) add('unknownTop', { nested: 'True' });
  if (maybe(0.2)) add('meta', { resourceType: 'User', version: 'W/"1"' });
  const proto = maybe(0.15);
  if (proto) parts.splice(Math.floor(r() * parts.length), 0, `"__proto__":{"polluted":"yes"}`);
  if (maybe(0.15) && parts.length > 2) {
    // `__proto__` inside a complex attribute the schema knows.
    parts.push(`"addresses":[{"__proto__":{"p":1},"locality":"x","primary":"true"}]`);
  }
  return `{${parts.join(',')}}`;
}

const schemas: readonly ScimSchema[] = BUILTIN_SCHEMAS;

describe('normaliseResource', () => {
  it('gives the JSON the copy-everything reference gives, for 3000 generated resources', () => {
    const r = rng(18);
    for (let n = 0; n < 3000; n++) {
      const text = randomResource(r);
      const got = normaliseResource(fromJson(text) as ScimResource, schemas);
      const want = reference(fromJson(text), schemas);
      expect(JSON.stringify(got), text).toBe(JSON.stringify(want));
    }
  });

  it('returns the resource itself when it already conforms, and copies nothing inside', () => {
    const user = fromJson(
      JSON.stringify({
        schemas: [URN.user, URN.enterpriseUser],
        id: 'u-1',
        userName: 'ada',
        active: true,
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ value: 'ada@x', type: 'work', primary: true }],
        groups: [{ value: 'g-1', display: 'Eng' }],
        [URN.enterpriseUser]: { employeeNumber: 'E1', manager: { value: 'm-1' } },
        meta: { resourceType: 'User' },
      }),
    );
    const out = normaliseResource(user as ScimResource, schemas);
    expect(out).toBe(user);
  });

  it('copies exactly the changed path: siblings stay shared, the input is not modified', () => {
    const text = JSON.stringify({
      schemas: [URN.user],
      id: 7,
      userName: 'ada',
      name: { givenName: 'Ada' },
      emails: [
        { value: 'a@x', type: 'work', primary: 'True' },
        { value: 'b@x', type: 'home' },
      ],
      groups: [{ value: 3 }, { value: 'g' }],
    });
    const input = fromJson(text);
    const out = normaliseResource(input as ScimResource, schemas) as Json;
    expect(JSON.stringify(input)).toBe(text);
    expect(out).not.toBe(input);
    expect(out['id']).toBe('7');
    expect(out['name']).toBe(input['name']);
    const emails = out['emails'] as Json[];
    const inEmails = input['emails'] as Json[];
    expect(emails[0]).toEqual({ value: 'a@x', type: 'work', primary: true });
    expect(emails[1]).toBe(inEmails[1]);
    expect(out['groups']).toEqual([{ value: '3' }, { value: 'g' }]);
    expect(Object.keys(out)).toEqual(Object.keys(input));
  });

  it('drops an own __proto__ key as the copying version did, without changing prototypes', () => {
    const text = '{"id":"u","__proto__":{"polluted":"yes"},"userName":"a"}';
    const out = normaliseResource(fromJson(text) as ScimResource, schemas);
    expect(JSON.stringify(out)).toBe(JSON.stringify(reference(fromJson(text), schemas)));
    expect(({} as Json)['polluted']).toBeUndefined();
  });
});
