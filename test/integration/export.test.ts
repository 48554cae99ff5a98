/**
 * The exporter end to end against real loopback servers: the sandbox, an independent server
 * (scimmy), and deviation servers (page caps, lists that omit attributes, 429s). Assertions are on
 * the files written, compared with what the server holds.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { exportResources } from '../../engine/export/exporter';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { startDeviantServer, type DeviantServer } from '../servers/deviant-server';
import { startScimmyServer, type ScimmyServer } from '../servers/scimmy-server';
import { startChurnServer } from '../servers/churn-server';

const ENT = URN.enterpriseUser;
let dir: string;
const conns: OpenConnection[] = [];

async function connect(url: string, token: string): Promise<OpenConnection> {
  const conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: url, auth: { kind: 'bearer', token }, timeoutMs: 10_000 },
  );
  conns.push(conn);
  return conn;
}

function jsonLines(text: string): ScimResource[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ScimResource);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-export-'));
});
afterAll(async () => {
  await Promise.all(conns.map((c) => c.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('export from the sandbox', () => {
  let server: SandboxHandle;
  let conn: OpenConnection;
  const made: ScimResource[] = [];

  beforeAll(async () => {
    server = await startSandbox({ port: 0, seed: 0 });
    conn = await connect(server.url, server.token);
    const people: ScimResource[] = [
      {
        schemas: [URN.user, ENT],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace, "the first"' },
        displayName: '=HYPERLINK("http://evil")',
        active: true,
        emails: [{ type: 'work', value: 'ada@example.com', primary: true }],
        phoneNumbers: [{ type: 'mobile', value: '+14155550100' }],
        [ENT]: { employeeNumber: '00042', department: 'R&D\nLab 2' },
      },
      {
        schemas: [URN.user],
        userName: 'taro@example.jp',
        name: { givenName: '太郎', familyName: '山田' },
        displayName: '山田 太郎',
        active: false,
        emails: [{ type: 'work', value: 'taro@example.jp' }],
      },
      {
        schemas: [URN.user],
        userName: 'zoe@example.com',
        name: { givenName: 'Zoë', familyName: 'Ñuñez' },
        title: "@admin 'quoted'",
        active: true,
      },
    ];
    for (const p of people) made.push(await conn.client.create('/Users', p));
    const [ada, taro] = made;
    await conn.client.create('/Groups', {
      schemas: [URN.group],
      displayName: 'Engineering; Core',
      members: [{ value: ada!.id! }, { value: taro!.id! }],
    });
    await conn.client.create('/Groups', {
      schemas: [URN.group],
      displayName: 'Admins',
      members: [{ value: ada!.id! }],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes a byte-exact CSV for tricky values, with SCIM paths as headers', async () => {
    const out = join(dir, 'users.csv');
    const s = await exportResources(conn, {
      resourceType: 'users',
      format: 'csv',
      outFile: out,
      attributes: [
        'userName',
        'name.givenName',
        'name.familyName',
        'displayName',
        'title',
        'active',
        'emails',
        'phoneNumbers',
        `${ENT}:employeeNumber`,
        `${ENT}:department`,
        'groups',
      ],
      sortBy: 'userName',
    });
    expect(s.exported).toBe(3);
    const text = await readFile(out, 'utf8');
    const lines = text.split('\r\n');
    const header = lines[0]!;
    expect(header.startsWith('id,')).toBe(true);
    for (const h of [
      'userName',
      'name.givenName',
      'emails[type eq ""work""].value',
      'phoneNumbers[type eq ""mobile""].value',
      `${ENT}:employeeNumber`,
      'groups',
    ]) {
      expect(header).toContain(h);
    }
    // The row for Ada, byte for byte in the columns that matter.
    const ada = made[0]!;
    expect(text).toContain(`${ada.id},ada@example.com,`);
    expect(text).toContain(`"Lovelace, ""the first"""`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`'+14155550100`);
    expect(text).toContain(`"R&D\nLab 2"`);
    expect(text).toContain(`00042`);
    expect(text).toContain(`Admins;Engineering\\; Core`);
    expect(text).toContain(`山田 太郎`);
    expect(text).toContain(`Zoë,Ñuñez`);
    expect(text).toContain(`"'@admin 'quoted'"`.replace(/^"|"$/g, ''));
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith('\r\n')).toBe(true);
    // Exactly one header + three rows (the quoted newline does not count as a row end).
    expect(text.split(/\r\n/).filter(Boolean)).toHaveLength(4);
  });

  it('starts with a BOM for Excel and leaves formulas alone when asked', async () => {
    const out = join(dir, 'excel.csv');
    await exportResources(conn, {
      resourceType: 'Users',
      format: 'csv',
      outFile: out,
      excel: true,
      escapeFormulas: false,
      attributes: ['userName', 'displayName', 'phoneNumbers'],
    });
    const bytes = await readFile(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain(`"=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`,+14155550100`);
  });

  it('JSON Lines keeps every attribute exactly as a GET returns it', async () => {
    const out = join(dir, 'users.jsonl');
    const s = await exportResources(conn, { resourceType: 'Users', format: 'jsonl', outFile: out });
    expect(s.exported).toBe(3);
    const records = jsonLines(await readFile(out, 'utf8'));
    for (const r of records) {
      const live = await conn.client.get('/Users', r.id!);
      expect(r).toEqual(live);
    }
    const ada = records.find((r) => r['userName'] === 'ada@example.com')!;
    expect((ada['groups'] as { display: string }[]).map((g) => g.display).sort()).toEqual([
      'Admins',
      'Engineering; Core',
    ]);
  });

  it('exports groups with their members', async () => {
    const out = join(dir, 'groups.csv');
    const s = await exportResources(conn, { resourceType: 'groups', format: 'csv', outFile: out });
    expect(s.exported).toBe(2);
    const rows = Papa.parse<Record<string, string>>(await readFile(out, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const eng = rows.find((r) => r['displayName'] === 'Engineering; Core')!;
    expect(eng['members']!.split(';').sort()).toEqual([made[0]!.id!, made[1]!.id!].sort());
    expect(rows.find((r) => r['displayName'] === 'Admins')!['members']).toBe(made[0]!.id);
  });

  it('applies a filter on the server and keeps a snapshot next to the CSV', async () => {
    const out = join(dir, 'active.csv');
    const snap = join(dir, 'active.snapshot.jsonl');
    const s = await exportResources(conn, {
      resourceType: 'Users',
      format: 'csv',
      outFile: out,
      filter: 'active eq true',
      snapshotFile: snap,
    });
    expect(s.exported).toBe(2);
    const records = jsonLines(await readFile(snap, 'utf8'));
    expect(records.map((r) => r['userName']).sort()).toEqual([
      'ada@example.com',
      'zoe@example.com',
    ]);
    expect(records.every((r) => typeof r.meta?.version === 'string')).toBe(true);
  });

  it('refuses an output folder that does not exist, leaving nothing behind', async () => {
    await expect(
      exportResources(conn, {
        resourceType: 'Users',
        format: 'csv',
        outFile: join(dir, 'missing', 'x.csv'),
      }),
    ).rejects.toMatchObject({ code: 'config' });
  });
});

describe('values a CSV cell cannot hold', () => {
  it('CSV counts them and says to use JSON Lines; JSON Lines keeps them and says nothing', async () => {
    const server = await startSandbox({ port: 0, seed: 0 });
    try {
      const conn = await connect(server.url, server.token);
      await conn.client.create('/Users', {
        schemas: [URN.user],
        userName: 'two@example.com',
        emails: [
          { type: 'work', value: 'two@example.com', primary: true },
          { type: 'work', value: 'second@example.com' },
        ],
      });
      const csv = await exportResources(conn, {
        resourceType: 'Users',
        format: 'csv',
        outFile: join(dir, 'two.csv'),
      });
      expect(csv.unrepresentable).toBeGreaterThan(0);
      expect(csv.warnings).toContain(
        `${csv.unrepresentable} values have no CSV column (e.g. a second work email); export as JSON Lines to keep every value.`,
      );
      const out = join(dir, 'two.jsonl');
      const jsonl = await exportResources(conn, {
        resourceType: 'Users',
        format: 'jsonl',
        outFile: out,
      });
      expect(jsonl.unrepresentable).toBe(0);
      expect(jsonl.warnings.some((w) => w.includes('no CSV column'))).toBe(false);
      const [record] = jsonLines(await readFile(out, 'utf8'));
      expect((record?.['emails'] as { value: string }[]).map((e) => e.value)).toEqual([
        'two@example.com',
        'second@example.com',
      ]);
      expect(jsonl.bytes).toBe((await readFile(out)).length);
    } finally {
      await server.close();
    }
  });
});

describe('export at scale and against deviations', () => {
  it('exports every user exactly once through a 100-per-page cap, concurrently', async () => {
    const server: DeviantServer = await startDeviantServer({ seed: 2500, pageCap: 100 });
    try {
      const conn = await connect(server.url, server.token);
      const out = join(dir, 'capped.jsonl');
      const s = await exportResources(conn, {
        resourceType: 'Users',
        format: 'jsonl',
        outFile: out,
      });
      const ids = jsonLines(await readFile(out, 'utf8')).map((r) => r.id);
      const truth = server.sandbox.list('User').map((u) => u.id);
      expect(ids).toHaveLength(truth.length);
      expect(new Set(ids).size).toBe(truth.length);
      expect(new Set(ids)).toEqual(new Set(truth));
      expect(s.exported).toBe(truth.length);
      expect(s.duplicatesDropped).toBe(0);
      expect(s.paging).toBe('index');
      expect(s.concurrentPages).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });

  it('follows a cursor-only server, and cursors when asked on a server with both', async () => {
    const server = await startDeviantServer({ seed: 450, pageCap: 50, cursorOnly: true });
    try {
      const conn = await connect(server.url, server.token);
      const out = join(dir, 'cursor-only.jsonl');
      const s = await exportResources(conn, {
        resourceType: 'Users',
        format: 'jsonl',
        outFile: out,
      });
      expect(s.paging).toBe('cursor');
      const ids = jsonLines(await readFile(out, 'utf8')).map((r) => r.id);
      expect(new Set(ids)).toEqual(new Set(server.sandbox.list('User').map((u) => u.id)));
      expect(ids).toHaveLength(450);
    } finally {
      await server.close();
    }
    const both = await startDeviantServer({ seed: 120, pageCap: 50 });
    try {
      const conn = await connect(both.url, both.token);
      const out = join(dir, 'forced-cursor.jsonl');
      const s = await exportResources(conn, {
        resourceType: 'Users',
        format: 'jsonl',
        outFile: out,
        paging: 'cursor',
      });
      expect(s.paging).toBe('cursor');
      expect(jsonLines(await readFile(out, 'utf8'))).toHaveLength(120);
    } finally {
      await both.close();
    }
  });

  it('exports each surviving user once while users are inserted and deleted', async () => {
    const server = await startChurnServer({
      seed: 1200,
      pageCap: 100,
      latencyMs: 5,
      insertEveryNthList: 2,
      deleteEveryNthList: 3,
      perChange: 3,
    });
    try {
      const conn = await connect(server.url, server.token);
      server.setChurning(true);
      const out = join(dir, 'churn.jsonl');
      const s = await exportResources(conn, {
        resourceType: 'Users',
        format: 'jsonl',
        outFile: out,
        includeGroups: false,
      });
      server.setChurning(false);
      const ids = jsonLines(await readFile(out, 'utf8')).map((r) => r.id!);
      expect(new Set(ids).size).toBe(ids.length);
      const exported = new Set(ids);
      const live = server.liveUserIds();
      // Every user that existed throughout the export is in the file.
      const survivors = [...live].filter((id) => !server.inserted.has(id));
      expect(survivors.filter((id) => !exported.has(id))).toEqual([]);
      // Nothing in the file was made up: each id existed at some point.
      expect(ids.filter((id) => !live.has(id) && !server.deleted.has(id))).toEqual([]);
      expect(s.exported).toBe(ids.length);
      expect(server.deleted.size + server.inserted.size).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('survives 429s with Retry-After and still exports the exact set', async () => {
    const server = await startDeviantServer({
      seed: 600,
      pageCap: 50,
      rateLimit: { perSecond: 4, retryAfter: 'seconds' },
    });
    try {
      const conn = await connect(server.url, server.token);
      const out = join(dir, 'throttled.csv');
      const s = await exportResources(conn, {
        resourceType: 'Users',
        format: 'csv',
        outFile: out,
        includeGroups: false,
      });
      expect(s.exported).toBe(server.sandbox.list('User').length);
      expect(s.throttled).toBeGreaterThan(0);
      const rows = (await readFile(out, 'utf8')).split('\r\n').filter(Boolean);
      expect(rows).toHaveLength(s.exported + 1);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('completes resources a list trims when full fidelity is asked for', async () => {
    const server = await startDeviantServer({ seed: 40, listOmitsAttributes: true });
    try {
      const conn = await connect(server.url, server.token);
      const trimmed = join(dir, 'trimmed.jsonl');
      const full = join(dir, 'full.jsonl');
      await exportResources(conn, { resourceType: 'Users', format: 'jsonl', outFile: trimmed });
      const s = await exportResources(conn, {
        resourceType: 'Users',
        format: 'jsonl',
        outFile: full,
        fullFidelity: true,
      });
      const a = jsonLines(await readFile(trimmed, 'utf8'));
      const b = jsonLines(await readFile(full, 'utf8'));
      expect(b).toHaveLength(a.length);
      const keys = (rs: ScimResource[]) => rs.reduce((n, r) => n + Object.keys(r).length, 0);
      expect(keys(b)).toBeGreaterThan(keys(a));
      const one = b[0]!;
      const live = await conn.client.get('/Users', one.id!);
      expect(Object.keys(one).sort()).toEqual(Object.keys(live).sort());
      expect(s.exported).toBe(40);
    } finally {
      await server.close();
    }
  });

  it('exports from an independent SCIM server (scimmy)', async () => {
    const server: ScimmyServer = await startScimmyServer();
    try {
      const conn = await connect(server.url, server.token);
      for (let i = 0; i < 30; i++) {
        await conn.client.create('/Users', {
          schemas: [URN.user],
          userName: `user${i}@example.org`,
          name: { givenName: `Given${i}`, familyName: 'Family' },
          emails: [{ type: 'work', value: `user${i}@example.org` }],
        });
      }
      const out = join(dir, 'scimmy.csv');
      const s = await exportResources(conn, { resourceType: 'Users', format: 'csv', outFile: out });
      expect(s.exported).toBe(server.users.size);
      const text = await readFile(out, 'utf8');
      expect(text).toContain('user29@example.org');
      expect(text.split('\r\n').filter(Boolean)).toHaveLength(31);
    } finally {
      await server.close();
    }
  });
});
