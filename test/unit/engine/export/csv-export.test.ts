/**
 * The CSV export renders rows from shapes and leaves (csv-shapes.ts) instead of flattening every
 * resource. These tests hold it to the way it rendered before: every record observed by the
 * column collector, written as JSON Lines, read back and flattened — the same bytes for users and
 * groups with extensions, multi-valued attributes, values needing CSV quoting or formula escaping,
 * duplicate types, untyped primaries, joined values, numbers, nulls, empty strings, case variants,
 * marker characters, large resources, more shapes than are kept, and `--attributes` selections.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createColumnCollector } from '../../../../engine/columns/column-discovery';
import { flattenResource } from '../../../../engine/columns/flatten';
import { escapeFormula, formatCsvRow, UTF8_BOM } from '../../../../engine/csv/csv-format';
import { createCsvExport, type CsvExportOptions } from '../../../../engine/export/csv-export';
import { createShapeIndex, probeOf } from '../../../../engine/export/csv-shapes';

/** The shape number of a resource in a fresh index (undefined: not shaped). */
function shapeOf(resource: Json, index = createShapeIndex(4096)): number | undefined {
  return index.shape(resource)?.shape;
}
import { ownGroups } from '../../../../engine/snapshot/group-index';
import type { ScimResource } from '../../../../shared/scim/types';
import { URN } from '../../../../shared/scim/urns';

type Json = Record<string, unknown>;
type Options = { kind?: string; include?: string[]; escapeFormulas?: boolean; excel?: boolean };

/** The CSV as the exporter wrote it before shapes: JSON Lines spool, read back, flattened. */
function reference(records: readonly Json[], o: Options = {}): { text: string; lost: number } {
  const collector = createColumnCollector({
    resourceKind: o.kind ?? 'User',
    ...(o.include ? { include: o.include } : {}),
  });
  const lines: string[] = [];
  for (const r of records) {
    collector.observe(r);
    lines.push(JSON.stringify(r));
  }
  const columns = collector.columns();
  const cell = o.escapeFormulas === false ? (v: string) => v : escapeFormula;
  let text = (o.excel ? UTF8_BOM : '') + formatCsvRow(columns.map((c) => cell(c.header)));
  let lost = 0;
  for (const line of lines) {
    const record = JSON.parse(line) as ScimResource;
    const groups = (ownGroups(record) ?? []).map((g) => g.display);
    const flat = flattenResource(record, columns, { groups });
    lost += flat.unrepresentable;
    text += formatCsvRow(flat.cells.map(cell));
  }
  return { text, lost };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exportCsv(
  records: readonly Json[],
  o: Options & Partial<Pick<CsvExportOptions, 'maxShapes' | 'snapshotFile'>> = {},
): Promise<{ text: string; lost: number; columns: number; bytes: number }> {
  const outFile = join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
  const csv = createCsvExport({
    outFile,
    collector: createColumnCollector({
      resourceKind: o.kind ?? 'User',
      ...(o.include ? { include: o.include } : {}),
    }),
    ...(o.escapeFormulas !== undefined ? { escapeFormulas: o.escapeFormulas } : {}),
    ...(o.excel !== undefined ? { excel: o.excel } : {}),
    ...(o.maxShapes !== undefined ? { maxShapes: o.maxShapes } : {}),
    ...(o.snapshotFile !== undefined ? { snapshotFile: o.snapshotFile } : {}),
  });
  for (const r of records) await csv.add(r as ScimResource);
  const done = await csv.finish();
  const text = await readFile(outFile, 'utf8');
  return { text, lost: done.unrepresentable, columns: done.columns, bytes: done.bytes };
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ODD = [
  'plain',
  'with, comma',
  'with "quotes"',
  'line\nbreak',
  'cr\rhere',
  ' leading space',
  'trailing tab\t',
  '=SUM(A1)',
  '+4930',
  '-5',
  '@home',
  "'=already",
  'semi;colon',
  'back\\slash',
  'Zoë Østergaard',
  '\uE000marker\uE001',
  '\uE0007;\uE001',
  '',
];

/** A user (or group) with a random selection of everything flattening distinguishes. */
function randomResource(r: () => number, i: number): Json {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const maybe = (p: number) => r() < p;
  const odd = () => pick(ODD);
  const u: Json = { schemas: [URN.user], id: `u-${i}` };
  if (maybe(0.9)) u[pick(['userName', 'userName', 'USERNAME'])] = maybe(0.8) ? `user${i}` : odd();
  if (maybe(0.5)) u['name'] = { givenName: odd(), familyName: maybe(0.5) ? odd() : null };
  if (maybe(0.5)) u['active'] = pick([true, false]);
  if (maybe(0.3)) u['nickName'] = maybe(0.5) ? 42 : 3.5;
  if (maybe(0.7)) {
    const types = ['work', 'home', 'Work', 'other', 'x-custom', '', 7];
    u[pick(['emails', 'emails', 'Emails'])] = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
      maybe(0.1)
        ? odd()
        : {
            value: maybe(0.9) ? `${odd()}@x` : '',
            ...(maybe(0.8) ? { [pick(['type', 'type', 'Type', 'TYPE'])]: pick(types) } : {}),
            ...(maybe(0.4) ? { primary: pick([true, false, 'true']) } : {}),
            ...(maybe(0.1) ? { display: odd() } : {}),
            ...(maybe(0.05) ? { nested: { a: 1 } } : {}),
          },
    );
  }
  if (maybe(0.4)) {
    u['roles'] = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
      maybe(0.3)
        ? odd()
        : {
            value: odd(),
            ...(maybe(0.3) ? { type: pick(['a', 'b', 'A']) } : {}),
            ...(maybe(0.2) ? { primary: true } : {}),
          },
    );
  }
  if (maybe(0.3))
    u['addresses'] = [{ type: 'work', locality: odd(), country: 'DE', primary: true }];
  if (maybe(0.3)) u['x509Certificates'] = [{ value: odd() }];
  if (maybe(0.4)) {
    u['groups'] = Array.from({ length: Math.floor(r() * 4) }, (_, j) => ({
      value: maybe(0.2) ? j : `g-${j}`,
      ...(maybe(0.7) ? { display: maybe(0.8) ? pick(['Eng', 'Ops', 'Ärger', 'a;b']) : '' } : {}),
    }));
  }
  if (maybe(0.5)) {
    u[maybe(0.9) ? URN.enterpriseUser : URN.enterpriseUser.toUpperCase()] = {
      employeeNumber: maybe(0.5) ? odd() : 12,
      department: odd(),
      ...(maybe(0.5) ? { manager: { value: `m-${i % 5}`, displayName: odd(), $ref: 'x' } } : {}),
    };
  }
  if (maybe(0.2))
    u['urn:example:ext:1.0:User'] = maybe(0.8) ? { badge: odd(), tags: ['a', odd()] } : 'x';
  if (maybe(0.2)) u['customTop'] = maybe(0.5) ? odd() : [1, 2, 'three'];
  if (maybe(0.1)) u['bad name!'] = 'x';
  if (maybe(0.1)) u['meta'] = { resourceType: 'User' };
  if (maybe(0.05)) u['password'] = 'secret';
  if (maybe(0.05)) u['emptyList'] = [];
  if (maybe(0.05)) u['members'] = [{ value: `u-${i + 1}` }, { value: '' }];
  return u;
}

function users(n: number, seed: number): Json[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => randomResource(r, i));
}

describe('createCsvExport', () => {
  it('writes the bytes the flatten-every-resource export wrote, for 2000 generated users', async () => {
    const records = users(2000, 18);
    const want = reference(records);
    const got = await exportCsv(records);
    expect(got.text).toBe(want.text);
    expect(got.lost).toBe(want.lost);
    expect(got.bytes).toBe(Buffer.byteLength(want.text));
  });

  it('matches for many resources of each shape, with different values in the same places', async () => {
    const r = rng(99);
    const vary = (v: unknown, key: string): unknown => {
      if (/^(type|primary)$/i.test(key)) return v;
      if (typeof v === 'string' && v !== '')
        return ODD.filter((x) => x !== '')[Math.floor(r() * 17)];
      if (typeof v === 'number') return Math.floor(r() * 1000) / 8;
      if (Array.isArray(v)) return v.map((x) => vary(x, ''));
      if (typeof v === 'object' && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, vary(x, k)]));
      }
      return v;
    };
    const records = users(40, 21).flatMap((u) =>
      Array.from({ length: 25 }, () => vary(u, '') as Json),
    );
    const index = createShapeIndex(4096);
    expect(new Set(records.map((x) => shapeOf(x, index))).size).toBeLessThanOrEqual(40);
    const got = await exportCsv(records);
    const want = reference(records);
    expect(got.text).toBe(want.text);
    expect(got.lost).toBe(want.lost);
  });

  it('matches with formulas kept and a BOM', async () => {
    const records = users(300, 7);
    const o = { escapeFormulas: false, excel: true };
    expect((await exportCsv(records, o)).text).toBe(reference(records, o).text);
  });

  it('matches with --attributes selections (values of unselected types go to joined columns)', async () => {
    const records = users(800, 3);
    for (const include of [
      ['userName', 'emails[type eq "work"].value', 'roles', 'groups'],
      ['emails', 'roles.value', URN.enterpriseUser],
      ['name.givenName', `${URN.enterpriseUser}:manager`, 'nickName'],
    ]) {
      const got = await exportCsv(records, { include });
      const want = reference(records, { include });
      expect(got.text, include.join(' ')).toBe(want.text);
      expect(got.lost).toBe(want.lost);
    }
  });

  it('matches for groups, also when a group is too large to be shaped', async () => {
    const groups: Json[] = Array.from({ length: 40 }, (_, g) => ({
      schemas: [URN.group],
      id: `g-${g}`,
      displayName: ODD[g % ODD.length],
      members: Array.from({ length: g === 3 ? 400 : g % 4 }, (_, m) => ({
        value: `u-${m}`,
        display: `User ${m}`,
        type: 'User',
      })),
    }));
    const got = await exportCsv(groups, { kind: 'Group' });
    expect(got.text).toBe(reference(groups, { kind: 'Group' }).text);
    expect(shapeOf(groups[3] as Json)).toBeUndefined();
  });

  it('matches when there are more shapes than it keeps (the rest is spooled whole)', async () => {
    const records = users(400, 11).map((u, i) => ({ ...u, [`custom${i % 50}`]: `v${i}` }));
    const got = await exportCsv(records, { maxShapes: 10 });
    expect(got.text).toBe(reference(records).text);
  });

  it('flattens a resource holding what JSON cannot (non-finite numbers) as its JSON line', async () => {
    const records: Json[] = [
      { id: '1', userName: 'a', nickName: Infinity, emails: [{ value: 'a@x', type: 'work' }] },
      { id: '2', userName: 'b', nickName: 5, emails: [{ value: 'b@x', type: 'work' }] },
    ];
    expect(shapeOf(records[0] as Json)).toBeUndefined();
    expect((await exportCsv(records)).text).toBe(reference(records).text);
  });

  it('writes a one-column row with an empty cell as "" (not a blank line)', async () => {
    const records: Json[] = [{ id: '1' }, { id: '' }, { id: '=2' }, {}];
    const got = await exportCsv(records);
    expect(got.text).toBe('id\r\n1\r\n""\r\n\'=2\r\n""\r\n');
    expect(got.text).toBe(reference(records).text);
  });

  it('escapes formulas, quotes what needs quoting, and counts values without a column', async () => {
    const records: Json[] = [
      { schemas: [], id: '1', userName: '=cmd', emails: [{ type: 'work', value: 'a@x.org' }] },
      {
        schemas: [],
        id: '2',
        userName: 'bo, "the" one',
        emails: [
          { type: 'work', value: 'b@x.org' },
          { type: 'work', value: 'b2@x.org' },
        ],
      },
    ];
    const got = await exportCsv(records);
    const lines = got.text.split('\r\n');
    expect(lines[0]).toBe('id,userName,"emails[type eq ""work""].value"');
    expect(lines[1]).toBe("1,'=cmd,a@x.org");
    expect(lines[2]).toBe('2,"bo, ""the"" one",b@x.org');
    // The second work email has no column.
    expect(got.lost).toBe(1);
  });

  it('writes the JSON Lines snapshot when asked, and leaves no spool behind', async () => {
    const records = users(50, 5);
    const snapshotFile = join(dir, 'snap.jsonl');
    await exportCsv(records, { snapshotFile });
    const snap = await readFile(snapshotFile, 'utf8');
    expect(snap).toBe(records.map((r) => JSON.stringify(r) + '\n').join(''));
    const left = (await readdir(dir)).filter((f) => !f.endsWith('.csv') && f !== 'snap.jsonl');
    expect(left).toEqual([]);
  });
});

describe('shapes', () => {
  it('keep type and primary values in the shape and give every other value as a leaf', () => {
    const index = createShapeIndex(10);
    const a = index.shape({
      id: 'u1',
      emails: [{ value: 'a@x', type: 'work', primary: true }],
      n: 3,
    });
    const b = index.shape({
      id: 'u2',
      emails: [{ value: 'b@y', type: 'work', primary: true }],
      n: 4,
    });
    const c = index.shape({
      id: 'u3',
      emails: [{ value: 'c@z', type: 'home', primary: true }],
      n: 5,
    });
    expect(a?.shape).toBe(b?.shape);
    expect(a?.isNew).toBe(true);
    expect(b?.isNew).toBe(false);
    expect(c?.shape).not.toBe(a?.shape);
    expect(a?.row).toEqual([a?.shape, '', 'u1', 'a@x', '3']);
  });

  it('tell empty strings, numbers, nulls, key spellings and kept values apart', () => {
    const index = createShapeIndex(100);
    const resources: Json[] = [
      { a: 'x' },
      { a: '' },
      { a: 1 },
      { a: null },
      { A: 'x' },
      { a: ['x'] },
      { a: { b: 'x' } },
      { a: [{ b: 'x' }] },
      { 'a:1': 'x' },
      { a: true },
      { a: false },
      { a: [], b: 'x' },
      { a: [{ type: 'work' }] },
      { a: [{ type: 'Work' }] },
      { a: [{ type: 7 }] },
      { a: [{ type: '7' }] },
      { a: [{ primary: 'true' }] },
      { a: [{ primary: true }] },
      { a: [{ type: 'x' }, {}] },
      { a: [{ type: 'x' }], b: [] },
    ];
    const shapes = resources.map((r) => shapeOf(r, index));
    expect(new Set(shapes).size).toBe(resources.length);
    expect(resources.map((r) => shapeOf(r, index))).toEqual(shapes);
  });

  it('stop adding shapes when full, still shaping resources of known shapes', () => {
    const index = createShapeIndex(2);
    expect(index.shape({ a: 'x' })?.shape).toBe(0);
    expect(index.shape({ b: 'x' })?.shape).toBe(1);
    expect(index.shape({ c: 'x' })).toBeUndefined();
    expect(index.shape({ a: 'y' })?.shape).toBe(0);
  });

  it('make a probe with one marker per leaf, in leaf order, keeping own __proto__ members', () => {
    const record = JSON.parse(
      '{"id":"u","__proto__":{"x":"y"},"emails":[{"value":"v","type":"work"}]}',
    ) as Json;
    const probe = probeOf(record);
    expect(JSON.stringify(probe)).toBe(
      '{"id":"\uE0000;\uE001","__proto__":{"x":"\uE0001;\uE001"},"emails":[{"value":"\uE0002;\uE001","type":"work"}]}',
    );
    expect(createShapeIndex(1).shape(record)?.row.slice(2)).toEqual(['u', 'y', 'v']);
  });
});
