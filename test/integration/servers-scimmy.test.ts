import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScimmyServer, type ScimmyServer } from '../servers/scimmy-server';
import { URN } from '../../shared/scim/urns';

let s: ScimmyServer;
beforeAll(async () => {
  s = await startScimmyServer();
});
afterAll(async () => {
  await s.close();
});

type Reply = { status: number; json: Record<string, unknown> };
async function call(method: string, path: string, body?: unknown, token = s.token): Promise<Reply> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

describe('scimmy server (independent implementation)', () => {
  it('refuses a wrong token', async () => {
    expect((await call('GET', '/Users', undefined, 'wrong')).status).toBe(401);
  });

  it('advertises Users, Groups and the enterprise extension', async () => {
    const rts = await call('GET', '/ResourceTypes');
    const users = (
      rts.json.Resources as { name: string; schemaExtensions?: { schema: string }[] }[]
    ).find((r) => r.name === 'User');
    expect(users?.schemaExtensions?.map((e) => e.schema)).toContain(URN.enterpriseUser);
    expect((await call('GET', '/ServiceProviderConfig')).json.patch).toEqual({ supported: true });
  });

  it('creates, gets, lists with a filter, patches and deletes', async () => {
    const created = await call('POST', '/Users', {
      schemas: [URN.user, URN.enterpriseUser],
      userName: 'ada@example.com',
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      [URN.enterpriseUser]: { department: 'Math' },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(s.users.get(id)?.userName).toBe('ada@example.com');

    expect((await call('GET', `/Users/${id}`)).json.userName).toBe('ada@example.com');
    await call('POST', '/Users', { schemas: [URN.user], userName: 'bob@example.com' });
    const listed = await call(
      'GET',
      `/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`,
    );
    expect(listed.json.totalResults).toBe(1);

    const dup = await call('POST', '/Users', { schemas: [URN.user], userName: 'ADA@example.com' });
    expect(dup.status).toBe(409);

    const patched = await call('PATCH', `/Users/${id}`, {
      schemas: [URN.patchOp],
      Operations: [{ op: 'replace', path: 'displayName', value: 'Ada L.' }],
    });
    expect(patched.status).toBe(200);
    expect(s.users.get(id)?.displayName).toBe('Ada L.');

    const group = await call('POST', '/Groups', {
      schemas: [URN.group],
      displayName: 'Analysts',
      members: [{ value: id }],
    });
    expect(group.status).toBe(201);

    expect((await call('DELETE', `/Users/${id}`)).status).toBe(204);
    expect(s.users.has(id)).toBe(false);
    expect((await call('GET', `/Users/${id}`)).status).toBe(404);
    const g = s.groups.get(group.json.id as string);
    expect(g?.members).toEqual([]);
  });
});
