import { describe, expect, it } from 'vitest';
import { executeBulk } from '../../../../engine/scim/bulk';
import { executeSingles } from '../../../../engine/scim/ops-executor';
import { orderByDependencies, type WriteOp } from '../../../../engine/scim/ops';
import type { ScimRequest } from '../../../../engine/scim/transport/types';
import { createFakeHttp, scimError, type FakeAnswer } from './fake-http';

type BulkBody = {
  Operations: { method: string; path: string; bulkId?: string; data?: unknown }[];
  failOnErrors?: number;
};

/** A tiny Bulk server: creates ids u1, u2…, resolves in-request bulkId refs, fails userName "bad". */
function bulkServer(opts: { statusAsNumber?: boolean; reverse?: boolean } = {}) {
  let next = 1;
  const bodies: BulkBody[] = [];
  const sizes: number[] = [];
  const store = new Map<string, unknown>();
  const handler = (req: ScimRequest): FakeAnswer => {
    if (req.path !== '/Bulk') return scimError(404);
    const body = req.body as BulkBody;
    bodies.push(structuredClone(body));
    sizes.push(new TextEncoder().encode(JSON.stringify(body)).length);
    const ids = new Map<string, string>();
    const resolve = (v: unknown): unknown =>
      typeof v === 'string' && v.startsWith('bulkId:')
        ? (ids.get(v.slice(7)) ?? v)
        : Array.isArray(v)
          ? v.map(resolve)
          : v && typeof v === 'object'
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]))
            : v;
    const out = body.Operations.map((op) => {
      const data = resolve(op.data) as Record<string, unknown> | undefined;
      const status = (n: number): string | number => (opts.statusAsNumber ? n : String(n));
      if (JSON.stringify(data ?? {}).includes('bulkId:'))
        return {
          method: op.method,
          bulkId: op.bulkId,
          status: status(409),
          response: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '409',
            detail: 'unresolved bulkId',
          },
        };
      if (data?.['userName'] === 'bad')
        return {
          method: op.method,
          bulkId: op.bulkId,
          status: status(400),
          response: {
            schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
            status: '400',
            scimType: 'invalidValue',
            detail: 'bad userName',
          },
        };
      if (op.method === 'POST') {
        const id = `u${next++}`;
        if (op.bulkId) ids.set(op.bulkId, id);
        store.set(id, data);
        return {
          method: 'POST',
          bulkId: op.bulkId,
          location: `https://scim.example.test/scim/v2${op.path}/${id}`,
          version: 'W/"1"',
          status: status(201),
        };
      }
      if (op.method === 'DELETE') {
        store.delete(op.path.split('/').pop() ?? '');
        return {
          method: 'DELETE',
          location: `https://scim.example.test/scim/v2${op.path}`,
          status: status(204),
        };
      }
      return {
        method: op.method,
        location: `https://scim.example.test/scim/v2${op.path}`,
        status: status(200),
      };
    });
    return {
      status: 200,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
        Operations: opts.reverse ? out.reverse() : out,
      },
    };
  };
  return { handler, bodies, sizes, store };
}

const post = (opId: string, data: Record<string, unknown>, bulkId?: string): WriteOp => ({
  opId,
  method: 'POST',
  endpoint: '/Users',
  data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], ...data },
  ...(bulkId ? { bulkId } : {}),
});

describe('executeBulk', () => {
  it('splits by maxOperations and maps every result to its opId', async () => {
    const server = bulkServer({ statusAsNumber: true });
    const http = createFakeHttp(server.handler);
    const ops = Array.from({ length: 7 }, (_, i) => post(`o${i}`, { userName: `user${i}` }));
    const run = await executeBulk(http, ops, { maxOperations: 3, maxPayloadSize: 1_000_000 });
    expect(server.bodies.map((b) => b.Operations.length)).toEqual([3, 3, 1]);
    expect(run.requests).toBe(3);
    expect(run.results.map((r) => [r.opId, r.ok, r.status, r.id])).toEqual(
      ops.map((o, i) => [o.opId, true, 201, `u${i + 1}`]),
    );
    expect(run.results[0]?.version).toBe('W/"1"');
    expect(server.store.size).toBe(7);
  });

  it('splits by serialised bytes and never exceeds maxPayloadSize', async () => {
    const server = bulkServer();
    const http = createFakeHttp(server.handler);
    const ops = Array.from({ length: 10 }, (_, i) =>
      post(`o${i}`, { userName: `user${i}`, displayName: 'é'.repeat(100) }),
    );
    const limit = 900;
    const run = await executeBulk(http, ops, { maxOperations: 100, maxPayloadSize: limit });
    expect(run.results.every((r) => r.ok)).toBe(true);
    expect(server.sizes.every((s) => s <= limit)).toBe(true);
    // Multi-byte characters count as bytes: 'é' is 2 bytes, so each op is > 200 bytes → at most 3 per request.
    expect(server.bodies.length).toBeGreaterThanOrEqual(4);
    expect(server.bodies.flatMap((b) => b.Operations).length).toBe(10);
  });

  it('keeps bulkId creators before referrers and substitutes ids across requests', async () => {
    const server = bulkServer();
    const http = createFakeHttp(server.handler);
    // The group comes first in the input but references users created after it.
    const group: WriteOp = {
      opId: 'g',
      method: 'POST',
      endpoint: '/Groups',
      bulkId: 'grp',
      data: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Team',
        members: [{ value: 'bulkId:ada' }, { value: 'bulkId:bob' }],
      },
    };
    const ops = [
      group,
      post('a', { userName: 'ada' }, 'ada'),
      post('b', { userName: 'bob' }, 'bob'),
    ];
    expect(orderByDependencies(ops).map((u) => u.map((o) => o.opId))).toEqual([
      ['a'],
      ['b'],
      ['g'],
    ]);
    const run = await executeBulk(http, ops, { maxOperations: 1, maxPayloadSize: 1_000_000 });
    expect(run.results.map((r) => r.ok)).toEqual([true, true, true]);
    // The group went in the third request with the real ids substituted.
    expect(server.bodies[2]?.Operations[0]?.data).toMatchObject({
      members: [{ value: 'u1' }, { value: 'u2' }],
    });
    expect(server.store.get(run.results[0]?.id ?? '')).toMatchObject({
      members: [{ value: 'u1' }, { value: 'u2' }],
    });
  });

  it('leaves bulkId references to the server within one request', async () => {
    const server = bulkServer({ reverse: true });
    const http = createFakeHttp(server.handler);
    const ops = [
      post('a', { userName: 'ada' }, 'ada'),
      {
        opId: 'g',
        method: 'POST',
        endpoint: '/Groups',
        bulkId: 'grp',
        data: { displayName: 'T', members: [{ value: 'bulkId:ada' }] },
      } satisfies WriteOp,
    ];
    const run = await executeBulk(http, ops, { maxOperations: 10, maxPayloadSize: 1_000_000 });
    expect(server.bodies).toHaveLength(1);
    expect(server.bodies[0]?.Operations[1]?.data).toMatchObject({
      members: [{ value: 'bulkId:ada' }],
    });
    // Response order was reversed: mapping by bulkId still gives each op its own id.
    expect(run.results.map((r) => [r.opId, r.id])).toEqual([
      ['a', 'u1'],
      ['g', 'u2'],
    ]);
  });

  it('maps a failing op, and skips ops that depend on it', async () => {
    const server = bulkServer();
    const http = createFakeHttp(server.handler);
    const ops: WriteOp[] = [
      post('bad', { userName: 'bad' }, 'bad'),
      post('ok', { userName: 'fine' }),
      { opId: 'del', method: 'DELETE', endpoint: '/Users', id: 'x 1' },
      {
        opId: 'g',
        method: 'POST',
        endpoint: '/Groups',
        data: { displayName: 'G', members: [{ value: 'bulkId:bad' }] },
      },
    ];
    const run = await executeBulk(http, ops, { maxOperations: 3, maxPayloadSize: 1_000_000 });
    const [bad, ok, del, g] = run.results;
    expect(bad).toMatchObject({
      ok: false,
      status: 400,
      error: { code: 'scim_http', scimType: 'invalidValue', detail: 'bad userName' },
    });
    expect(ok).toMatchObject({ ok: true, status: 201 });
    expect(del).toMatchObject({ ok: true, status: 204, id: 'x 1' });
    expect(server.bodies[0]?.Operations[2]?.path).toBe('/Users/x%201');
    expect(g).toMatchObject({ ok: false, status: 0, error: { code: 'invalid_request' } });
    expect(g?.error?.message).toContain('bulkId:bad');
    expect(server.bodies).toHaveLength(1);
  });

  it('maps a whole-request failure to every op and stops when Bulk is unsupported', async () => {
    const http = createFakeHttp(() => scimError(501, undefined, 'Bulk is not supported'));
    const ops = Array.from({ length: 5 }, (_, i) => post(`o${i}`, { userName: `u${i}` }));
    const run = await executeBulk(http, ops, { maxOperations: 2, maxPayloadSize: 1_000_000 });
    expect(http.calls).toHaveLength(1);
    expect(run.unsupported?.code).toBe('bulk_rejected');
    expect(run.results.every((r) => !r.ok && r.error?.code === 'bulk_rejected')).toBe(true);
    expect(run.results[0]?.error?.status).toBe(501);
  });

  it('halves the request on 413 and retries', async () => {
    const server = bulkServer();
    const http = createFakeHttp((req) =>
      (req.body as BulkBody).Operations.length > 2
        ? scimError(413, 'tooMany')
        : server.handler(req),
    );
    const ops = Array.from({ length: 5 }, (_, i) => post(`o${i}`, { userName: `u${i}` }));
    const run = await executeBulk(http, ops, { maxOperations: 5, maxPayloadSize: 1_000_000 });
    expect(run.results.every((r) => r.ok)).toBe(true);
    expect(server.store.size).toBe(5);
    expect(server.bodies.map((b) => b.Operations.length)).toEqual([2, 2, 1]);
  });

  it('stops sending after failOnErrors is reached', async () => {
    const server = bulkServer();
    const http = createFakeHttp(server.handler);
    const ops = [
      post('b1', { userName: 'bad' }),
      post('b2', { userName: 'bad' }),
      post('o3', { userName: 'x' }),
    ];
    const run = await executeBulk(http, ops, {
      maxOperations: 2,
      maxPayloadSize: 1_000_000,
      failOnErrors: 2,
    });
    expect(server.bodies[0]?.failOnErrors).toBe(2);
    expect(server.bodies).toHaveLength(1);
    expect(run.results[2]).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});

describe('executeSingles', () => {
  it('runs creators before referrers and substitutes real ids', async () => {
    let n = 0;
    const seen: ScimRequest[] = [];
    const http = createFakeHttp(async (req) => {
      seen.push(req);
      await new Promise((r) => setTimeout(r, req.path === '/Users' ? 5 : 0));
      if (req.method === 'POST') {
        const id = `id${++n}`;
        return {
          status: 201,
          body: { ...(req.body as object), id, meta: { version: 'W/"a"' } },
          headers: { location: `https://scim.example.test/scim/v2${req.path}/${id}` },
        };
      }
      if ((req.body as { userName?: string } | undefined)?.userName === 'bad')
        return scimError(409, 'uniqueness');
      return { status: 204 };
    });
    const ops: WriteOp[] = [
      {
        opId: 'g',
        method: 'PATCH',
        endpoint: '/Groups',
        id: 'G1',
        data: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'add', path: 'members', value: [{ value: 'bulkId:ada' }] }],
        },
      },
      post('a', { userName: 'ada' }, 'ada'),
      {
        opId: 'p',
        method: 'PUT',
        endpoint: '/Users',
        id: 'u9',
        data: { userName: 'bad' },
        version: 'W/"7"',
      },
    ];
    const results = await executeSingles(http, ops, { concurrency: 3 });
    expect(results.map((r) => [r.opId, r.ok, r.status])).toEqual([
      ['g', true, 204],
      ['a', true, 201],
      ['p', false, 409],
    ]);
    expect(results[1]).toMatchObject({ id: 'id1', version: 'W/"a"' });
    expect(results[2]?.error).toMatchObject({ code: 'scim_http', scimType: 'uniqueness' });
    const patch = seen.find((r) => r.method === 'PATCH');
    expect(JSON.stringify(patch?.body)).toContain('"value":"id1"');
    expect(seen.find((r) => r.method === 'PUT')?.ifMatch).toBe('W/"7"');
    expect(seen.find((r) => r.method === 'POST')?.lookupKey).toBe('userName eq "ada"');
  });

  it('fails circular references and dependents of failed creators without sending them', async () => {
    const http = createFakeHttp(() => scimError(400, 'invalidValue'));
    const ops: WriteOp[] = [
      {
        opId: 'x',
        method: 'POST',
        endpoint: '/Groups',
        bulkId: 'x',
        data: { members: [{ value: 'bulkId:y' }] },
      },
      {
        opId: 'y',
        method: 'POST',
        endpoint: '/Groups',
        bulkId: 'y',
        data: { members: [{ value: 'bulkId:x' }] },
      },
      post('a', { userName: 'a' }, 'a'),
      {
        opId: 'g',
        method: 'POST',
        endpoint: '/Groups',
        data: { members: [{ value: 'bulkId:a' }] },
      },
    ];
    const results = await executeSingles(http, ops);
    expect(results.map((r) => r.error?.code)).toEqual([
      'invalid_request',
      'invalid_request',
      'scim_http',
      'invalid_request',
    ]);
    expect(http.calls).toHaveLength(1);
  });
});
