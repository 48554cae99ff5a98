/**
 * Paging (index, cursor, cursor expiry) and writes (Bulk with bulkId references, singles) against
 * the real sandbox SCIM server with the real transport; results are checked against the server's store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { createScimClient, type ScimClient } from '../../engine/scim/client';
import { discover } from '../../engine/scim/discovery';
import type { WriteOp } from '../../engine/scim/ops';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp } from '../../engine/scim/transport/types';
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';

const opened: ScimHttp[] = [];

async function connect(server: SandboxHandle): Promise<ScimClient> {
  const httpFor = (baseUrl: string): ScimHttp => {
    const http = createScimHttp({
      baseUrl,
      auth: { kind: 'bearer', token: server.token },
      timeoutMs: 5000,
    });
    opened.push(http);
    return http;
  };
  const d = await discover(httpFor, server.url);
  return createScimClient({ http: httpFor(d.baseUrl), discovery: d });
}

async function ids(
  list: AsyncIterable<ScimResource>,
  pause?: { afterItems: number; ms: number },
): Promise<string[]> {
  const out: string[] = [];
  for await (const r of list) {
    out.push(r.id ?? '');
    if (pause && out.length === pause.afterItems)
      await new Promise((res) => setTimeout(res, pause.ms));
  }
  return out;
}

describe('protocol layer against the sandbox: paging and bulk', () => {
  let server: SandboxHandle;
  let client: ScimClient;

  beforeAll(async () => {
    server = await startSandbox({ port: 0, seed: 320 });
    client = await connect(server);
  });
  afterAll(async () => {
    await Promise.all(opened.map((h) => h.close()));
    await server.close();
  });

  it('reads every user exactly once by index paging with an odd page size', async () => {
    const expected = server.store.list('User').map((u) => u.id);
    expect(expected.length).toBeGreaterThanOrEqual(300);
    const list = client.list('/Users', { paging: 'index', pageSize: 37, attributes: ['userName'] });
    const got = await ids(list);
    expect(got).toHaveLength(expected.length);
    expect(new Set(got)).toEqual(new Set(expected));
    expect(list.stats).toMatchObject({
      mode: 'index',
      pages: Math.ceil(expected.length / 37),
      duplicatesDropped: 0,
      drift: 0,
    });
  });

  it('reads every user exactly once by cursor paging, and by POST /.search', async () => {
    const expected = new Set(server.store.list('User').map((u) => u.id));
    const byCursor = client.list('/Users', {
      paging: 'cursor',
      pageSize: 50,
      excludedAttributes: ['emails'],
    });
    const got = await ids(byCursor);
    expect(got).toHaveLength(expected.size);
    expect(new Set(got)).toEqual(expected);
    expect(byCursor.stats).toMatchObject({ mode: 'cursor', restarts: 0, duplicatesDropped: 0 });
    const bySearch = await ids(
      client.list('/Users', { method: 'POST', paging: 'index', pageSize: 100 }),
    );
    expect(new Set(bySearch)).toEqual(expected);
  });

  it('restarts an expired cursor and still returns each user once', async () => {
    const quick = await startSandbox({ port: 0, seed: 60, features: { cursorTimeout: 0.2 } });
    try {
      const c = await connect(quick);
      const list = c.list('/Users', { paging: 'cursor', pageSize: 25 });
      const got = await ids(list, { afterItems: 25, ms: 400 });
      const expected = quick.store.list('User').map((u) => u.id);
      expect(got).toHaveLength(expected.length);
      expect(new Set(got)).toEqual(new Set(expected));
      expect(list.stats.restarts).toBe(1);
      expect(list.stats.duplicatesDropped).toBe(25);
    } finally {
      await quick.close();
    }
  });

  it('runs Bulk with a user→group bulkId reference and a failing op, split across requests', async () => {
    const existing = String(server.store.list('User')[0]?.['userName']);
    const ops: WriteOp[] = [
      {
        opId: 'group',
        method: 'POST',
        endpoint: '/Groups',
        bulkId: 'g1',
        data: {
          schemas: [URN.group],
          displayName: 'Bulk Team',
          members: [
            { value: 'bulkId:u1', type: 'User' },
            { value: 'bulkId:u2', type: 'User' },
          ],
        },
      },
      {
        opId: 'u1',
        method: 'POST',
        endpoint: '/Users',
        bulkId: 'u1',
        data: { schemas: [URN.user], userName: 'bulk.one@example.test' },
      },
      {
        opId: 'u2',
        method: 'POST',
        endpoint: '/Users',
        bulkId: 'u2',
        data: { schemas: [URN.user], userName: 'bulk.two@example.test' },
      },
      {
        opId: 'dup',
        method: 'POST',
        endpoint: '/Users',
        bulkId: 'dup',
        data: { schemas: [URN.user], userName: existing },
      },
    ];
    // Two operations per request: the group must come after both users, with their real ids.
    const run = await client.executeBulk(ops, { maxOperations: 2 });
    expect(run.requests).toBe(2);
    const byOp = Object.fromEntries(run.results.map((r) => [r.opId, r]));
    expect(byOp['u1']).toMatchObject({ ok: true, status: 201 });
    expect(byOp['u2']).toMatchObject({ ok: true, status: 201 });
    expect(byOp['group']).toMatchObject({ ok: true, status: 201 });
    expect(byOp['dup']).toMatchObject({
      ok: false,
      status: 409,
      error: { scimType: 'uniqueness' },
    });
    const u1 = server.store.getUserByUserName('bulk.one@example.test');
    const u2 = server.store.getUserByUserName('bulk.two@example.test');
    expect(u1?.id).toBe(byOp['u1']?.id);
    const group = server.store.get('Group', byOp['group']?.id ?? '');
    expect(group?.['displayName']).toBe('Bulk Team');
    expect((group?.['members'] as { value: string }[]).map((m) => m.value).sort()).toEqual(
      [u1?.id, u2?.id].sort(),
    );
  });

  it('runs the same writes as singles when Bulk is off, resolving bulkId by ordering', async () => {
    const noBulk = await startSandbox({ port: 0, seed: 3, features: { bulk: false } });
    try {
      const c = await connect(noBulk);
      expect(c.discovery.effective.bulk.enabled).toBe(false);
      const ops: WriteOp[] = [
        {
          opId: 'group',
          method: 'POST',
          endpoint: '/Groups',
          bulkId: 'g',
          data: { schemas: [URN.group], displayName: 'Singles', members: [{ value: 'bulkId:a' }] },
        },
        {
          opId: 'a',
          method: 'POST',
          endpoint: '/Users',
          bulkId: 'a',
          data: { schemas: [URN.user], userName: 'single.a@example.test', active: true },
        },
        {
          opId: 'bad',
          method: 'PATCH',
          endpoint: '/Users',
          id: 'no-such-id',
          data: {
            schemas: [URN.patchOp],
            Operations: [{ op: 'replace', path: 'active', value: false }],
          },
        },
      ];
      const run = await c.execute(ops, { concurrency: 4 });
      expect(run.via).toBe('singles');
      const [group, a, bad] = run.results;
      expect(a).toMatchObject({ ok: true, status: 201 });
      expect(group).toMatchObject({ ok: true, status: 201 });
      expect(bad).toMatchObject({ ok: false, status: 404, error: { code: 'not_found' } });
      const held = noBulk.store.get('Group', group?.id ?? '');
      expect((held?.['members'] as { value: string }[]).map((m) => m.value)).toEqual([a?.id]);
    } finally {
      await noBulk.close();
    }
  });
});
