import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { URN } from '../../shared/scim/urns';

let sb: SandboxHandle;

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };
async function call(
  handle: SandboxHandle,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${handle.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${handle.token}`,
      'Content-Type': 'application/scim+json',
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}
const patchBody = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });
const createUser = (userName: string, extra: Record<string, unknown> = {}) =>
  sb.store.create('User', { schemas: [URN.user], userName, ...extra });

beforeAll(async () => {
  sb = await startSandbox({ seed: false });
});
afterAll(async () => {
  await sb.close();
});

describe('sandbox: PATCH', () => {
  it('applies value-filter paths, sub-attributes and extension URNs', async () => {
    const u = createUser('patch1@example.com', {
      emails: [
        { value: 'patch1@example.com', type: 'work', primary: true },
        { value: 'p1@home.example', type: 'home' },
      ],
    });
    const r = await call(
      sb,
      'PATCH',
      `/Users/${u.id ?? ''}`,
      patchBody(
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new1@example.com' },
        { op: 'remove', path: 'emails[type eq "home"]' },
        { op: 'add', path: 'name.givenName', value: 'Pat' },
        { op: 'add', path: `${URN.enterpriseUser}:department`, value: 'Ops' },
        { op: 'replace', value: { title: 'Lead', 'name.familyName': 'Ch' } },
      ),
    );
    expect(r.status).toBe(200);
    const stored = sb.store.get('User', u.id ?? '');
    expect(stored?.emails).toEqual([{ value: 'new1@example.com', type: 'work', primary: true }]);
    expect(stored?.name).toEqual({ givenName: 'Pat', familyName: 'Ch' });
    expect(stored?.title).toBe('Lead');
    expect(stored?.[URN.enterpriseUser]).toEqual({ department: 'Ops' });
    expect(stored?.schemas).toEqual([URN.user, URN.enterpriseUser]);
    expect(r.body.title).toBe('Lead');
  });

  it('removes group members given as a value list, and adds members', async () => {
    const a = createUser('gm-a@example.com').id ?? '';
    const b = createUser('gm-b@example.com').id ?? '';
    const g = sb.store.create('Group', {
      schemas: [URN.group],
      displayName: 'PatchCrew',
      members: [{ value: a }],
    });
    const gid = g.id ?? '';
    await call(
      sb,
      'PATCH',
      `/Groups/${gid}`,
      patchBody({ op: 'add', path: 'members', value: [{ value: b }] }),
    );
    expect(
      (sb.store.get('Group', gid)?.members as { value: string }[]).map((m) => m.value),
    ).toEqual([a, b]);
    await call(
      sb,
      'PATCH',
      `/Groups/${gid}`,
      patchBody({ op: 'remove', path: 'members', value: [{ value: a }] }),
    );
    expect(
      (sb.store.get('Group', gid)?.members as { value: string }[]).map((m) => m.value),
    ).toEqual([b]);
    await call(
      sb,
      'PATCH',
      `/Groups/${gid}`,
      patchBody({ op: 'remove', path: `members[value eq "${b}"]` }),
    );
    expect(sb.store.get('Group', gid)?.members).toBeUndefined();
  });

  it('refuses readOnly targets (mutability), unknown paths (invalidPath), non-RFC op names and unmatched filters', async () => {
    const id = createUser('patch2@example.com').id ?? '';
    const cases: [unknown, string][] = [
      [{ op: 'replace', path: 'id', value: 'x' }, 'mutability'],
      [{ op: 'add', path: 'groups', value: [{ value: 'x' }] }, 'mutability'],
      [{ op: 'replace', path: 'shoeSize', value: 1 }, 'invalidPath'],
      [{ op: 'Replace', path: 'title', value: 'x' }, 'invalidSyntax'],
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x' }, 'noTarget'],
      [{ op: 'replace', path: 'active', value: 'False' }, 'invalidValue'],
    ];
    for (const [op, scimType] of cases) {
      const r = await call(sb, 'PATCH', `/Users/${id}`, patchBody(op));
      expect(r.status, JSON.stringify(op)).toBe(400);
      expect(r.body.scimType, JSON.stringify(op)).toBe(scimType);
    }
    expect(sb.store.get('User', id)?.title).toBeUndefined();
  });

  it('keeps userName unique through PATCH', async () => {
    createUser('taken@example.com');
    const id = createUser('free@example.com').id ?? '';
    const r = await call(
      sb,
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'replace', path: 'userName', value: 'TAKEN@example.com' }),
    );
    expect(r.status).toBe(409);
    expect(sb.store.get('User', id)?.userName).toBe('free@example.com');
  });
});

describe('sandbox: ETags', () => {
  it('honours If-Match (412 on mismatch) and If-None-Match (304)', async () => {
    const id = createUser('etag@example.com').id ?? '';
    const got = await call(sb, 'GET', `/Users/${id}`);
    const etag = got.headers.get('etag') ?? '';
    expect(etag).toBe((got.body.meta as { version: string }).version);
    expect(
      (await call(sb, 'GET', `/Users/${id}`, undefined, { 'If-None-Match': etag })).status,
    ).toBe(304);
    const ok = await call(
      sb,
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'add', path: 'title', value: 'A' }),
      { 'If-Match': etag },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).not.toBe(etag);
    const stale = await call(
      sb,
      'PATCH',
      `/Users/${id}`,
      patchBody({ op: 'add', path: 'title', value: 'B' }),
      { 'If-Match': etag },
    );
    expect(stale.status).toBe(412);
    expect(sb.store.get('User', id)?.title).toBe('A');
    expect((await call(sb, 'DELETE', `/Users/${id}`, undefined, { 'If-Match': etag })).status).toBe(
      412,
    );
    expect((await call(sb, 'DELETE', `/Users/${id}`, undefined, { 'If-Match': '*' })).status).toBe(
      204,
    );
  });

  it('answers 428 to writes without If-Match when requireIfMatch is on', async () => {
    const strict = await startSandbox({ seed: false, features: { requireIfMatch: true } });
    try {
      const u = strict.store.create('User', {
        schemas: [URN.user],
        userName: 'strict@example.com',
      });
      const r = await call(strict, 'PUT', `/Users/${u.id ?? ''}`, {
        schemas: [URN.user],
        userName: 'strict@example.com',
        title: 'x',
      });
      expect(r.status).toBe(428);
      const ok = await call(
        strict,
        'PUT',
        `/Users/${u.id ?? ''}`,
        { schemas: [URN.user], userName: 'strict@example.com', title: 'x' },
        {
          'If-Match': u.meta?.version ?? '',
        },
      );
      expect(ok.status).toBe(200);
      expect(strict.store.get('User', u.id ?? '')?.title).toBe('x');
    } finally {
      await strict.close();
    }
  });
});

describe('sandbox: Bulk', () => {
  const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({
    schemas: [URN.bulkRequest],
    Operations,
    ...extra,
  });
  const userOp = (bulkId: string, userName: string) => ({
    method: 'POST',
    path: '/Users',
    bulkId,
    data: { schemas: [URN.user], userName },
  });

  it('resolves bulkId references (also forward ones) and reports per-operation status', async () => {
    const r = await call(
      sb,
      'POST',
      '/Bulk',
      bulk([
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'g1',
          data: {
            schemas: [URN.group],
            displayName: 'BulkGroup',
            members: [{ value: 'bulkId:u1' }],
          },
        },
        userOp('u1', 'bulk1@example.com'),
        {
          method: 'PATCH',
          path: '/Users/bulkId:u1',
          data: {
            schemas: [URN.patchOp],
            Operations: [{ op: 'add', path: 'title', value: 'Bulked' }],
          },
        },
        userOp('u2', 'BULK1@example.com'),
      ]),
    );
    expect(r.status).toBe(200);
    const ops = r.body.Operations as {
      bulkId?: string;
      method: string;
      status: string;
      location?: string;
      response?: { scimType?: string };
    }[];
    const u1 = sb.store.getUserByUserName('bulk1@example.com');
    expect(u1?.title).toBe('Bulked');
    const group = sb.store.getGroupByDisplayName('BulkGroup');
    expect((group?.members as { value: string }[])[0]?.value).toBe(u1?.id);
    expect(ops.find((o) => o.bulkId === 'u1')).toMatchObject({
      status: '201',
      location: `${sb.url}/Users/${u1?.id ?? ''}`,
    });
    expect(ops.find((o) => o.bulkId === 'g1')?.status).toBe('201');
    expect(ops.find((o) => o.method === 'PATCH')?.status).toBe('200');
    expect(ops.find((o) => o.bulkId === 'u2')).toMatchObject({
      status: '409',
      response: { scimType: 'uniqueness' },
    });
  });

  it('stops after failOnErrors errors', async () => {
    const r = await call(
      sb,
      'POST',
      '/Bulk',
      bulk(
        [
          userOp('a', 'dupe@example.com'),
          userOp('b', 'dupe@example.com'),
          userOp('c', 'after@example.com'),
        ],
        { failOnErrors: 1 },
      ),
    );
    expect((r.body.Operations as unknown[]).length).toBe(2);
    expect(sb.store.getUserByUserName('after@example.com')).toBeUndefined();
  });

  it('enforces maxOperations and maxPayloadSize with 413 tooMany', async () => {
    const small = await startSandbox({
      seed: false,
      features: { bulkMaxOperations: 2, bulkMaxPayloadSize: 2000 },
    });
    try {
      const many = await call(
        small,
        'POST',
        '/Bulk',
        bulk([userOp('a', 'a@x'), userOp('b', 'b@x'), userOp('c', 'c@x')]),
      );
      expect(many.status).toBe(413);
      expect(many.body.scimType).toBe('tooMany');
      const big = await call(small, 'POST', '/Bulk', bulk([userOp('a', `${'x'.repeat(3000)}@x`)]));
      expect(big.status).toBe(413);
      expect(small.store.userCount()).toBe(0);
      const spc = await call(small, 'GET', '/ServiceProviderConfig');
      expect(spc.body.bulk).toEqual({ supported: true, maxOperations: 2, maxPayloadSize: 2000 });
    } finally {
      await small.close();
    }
  });

  it('answers 501 when bulk is off', async () => {
    const off = await startSandbox({ seed: false, features: { bulk: false } });
    try {
      expect((await call(off, 'POST', '/Bulk', bulk([]))).status).toBe(501);
    } finally {
      await off.close();
    }
  });
});

describe('sandbox: persistence', () => {
  it('keeps data across restarts and does not re-seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-persist-'));
    try {
      const first = await startSandbox({ dataDir: dir, seed: 5 });
      expect(first.store.userCount()).toBe(5);
      const created = await call(first, 'POST', '/Users', {
        schemas: [URN.user],
        userName: 'kept@example.com',
      });
      const seeded = first.store.list('User')[0]?.id ?? '';
      await call(first, 'DELETE', `/Users/${seeded}`);
      await first.close();
      const text = await readFile(join(dir, 'sandbox.jsonl'), 'utf8');
      expect(text.split('\n').filter((l) => l !== '').length).toBeGreaterThan(5);

      const second = await startSandbox({ dataDir: dir, seed: 5 });
      try {
        expect(second.store.userCount()).toBe(5);
        expect(second.store.get('User', created.body.id as string)?.userName).toBe(
          'kept@example.com',
        );
        expect(second.store.get('User', seeded)).toBeUndefined();
        const again = await call(second, 'POST', '/Users', {
          schemas: [URN.user],
          userName: 'KEPT@example.com',
        });
        expect(again.status).toBe(409);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
