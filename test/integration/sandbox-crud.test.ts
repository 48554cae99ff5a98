import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { URN } from '../../shared/scim/urns';

let sb: SandboxHandle;

type Reply = { status: number; headers: Headers; body: Record<string, unknown> };

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${sb.token}`,
      'Content-Type': 'application/scim+json',
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [URN.user],
  userName,
  ...extra,
});

beforeAll(async () => {
  sb = await startSandbox({ seed: false });
});
afterAll(async () => {
  await sb.close();
});

describe('sandbox: authentication', () => {
  it('answers 401 with a SCIM error and WWW-Authenticate without the token', async () => {
    const res = await fetch(`${sb.url}/Users`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ schemas: [URN.error], status: '401' });
  });
  it('answers 401 to a wrong token of the same length', async () => {
    const wrong = sb.token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'));
    const res = await fetch(`${sb.url}/Users`, { headers: { Authorization: `Bearer ${wrong}` } });
    expect(res.status).toBe(401);
  });
});

describe('sandbox: discovery', () => {
  it('serves ServiceProviderConfig with the RFC 9865 pagination block', async () => {
    const { status, body, headers } = await call('GET', '/ServiceProviderConfig');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/scim+json');
    expect(body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      etag: { supported: true },
      pagination: { cursor: true, index: true, defaultPageSize: 100, maxPageSize: 1000 },
    });
  });
  it('serves Schemas and ResourceTypes', async () => {
    const schemas = await call('GET', '/Schemas');
    const ids = (schemas.body.Resources as { id: string }[]).map((s) => s.id);
    expect(ids).toEqual([URN.user, URN.group, URN.enterpriseUser]);
    const one = await call('GET', `/Schemas/${URN.enterpriseUser}`);
    expect(one.status).toBe(200);
    const rts = await call('GET', '/ResourceTypes');
    expect((rts.body.Resources as { endpoint: string }[]).map((r) => r.endpoint)).toEqual([
      '/Users',
      '/Groups',
    ]);
  });
});

describe('sandbox: users CRUD', () => {
  it('creates with 201, Location, ETag and meta; reads, replaces and deletes', async () => {
    const created = await call(
      'POST',
      '/Users',
      newUser('ada@example.com', { id: 'ignored', name: { givenName: 'Ada' } }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).not.toBe('ignored');
    expect(created.headers.get('location')).toBe(`${sb.url}/Users/${id}`);
    expect(created.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    expect(created.body.meta).toMatchObject({
      resourceType: 'User',
      location: `${sb.url}/Users/${id}`,
    });
    expect(sb.store.getUserByUserName('ADA@example.com')?.id).toBe(id);

    const got = await call('GET', `/Users/${id}`);
    expect(got.body.userName).toBe('ada@example.com');

    const replaced = await call(
      'PUT',
      `/Users/${id}`,
      newUser('ada@example.com', { title: 'Countess' }),
    );
    expect(replaced.status).toBe(200);
    expect(sb.store.get('User', id)?.title).toBe('Countess');
    expect(sb.store.get('User', id)?.name).toBeUndefined();

    const deleted = await call('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(sb.store.get('User', id)).toBeUndefined();
    expect((await call('GET', `/Users/${id}`)).status).toBe(404);
  });

  it('enforces userName uniqueness case-insensitively with 409 uniqueness', async () => {
    expect((await call('POST', '/Users', newUser('grace@example.com'))).status).toBe(201);
    const dup = await call('POST', '/Users', newUser('GRACE@example.com'));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ scimType: 'uniqueness', status: '409' });
    expect(sb.store.userCount()).toBe(1);
  });

  it('rejects missing schemas, missing userName, wrong types and unknown attributes with 400', async () => {
    expect((await call('POST', '/Users', { userName: 'x' })).body.scimType).toBe('invalidSyntax');
    expect((await call('POST', '/Users', { schemas: [URN.user] })).body.scimType).toBe(
      'invalidValue',
    );
    expect((await call('POST', '/Users', newUser('y', { active: 'True' }))).body.scimType).toBe(
      'invalidValue',
    );
    expect((await call('POST', '/Users', newUser('z', { shoeSize: 42 }))).status).toBe(400);
    expect(sb.store.getUserByUserName('y')).toBeUndefined();
  });

  it('ignores readOnly attributes on write and never returns password', async () => {
    const r = await call(
      'POST',
      '/Users',
      newUser('pw@example.com', { password: 's3cret', groups: [{ value: 'x' }] }),
    );
    expect(r.status).toBe(201);
    expect(r.body.password).toBeUndefined();
    expect(r.body.groups).toBeUndefined();
  });

  it('applies attributes and excludedAttributes', async () => {
    const r = await call(
      'POST',
      '/Users',
      newUser('proj@example.com', { title: 'T', name: { givenName: 'G', familyName: 'F' } }),
    );
    const id = r.body.id as string;
    const only = await call('GET', `/Users/${id}?attributes=name.givenName`);
    expect(only.body).toEqual({ schemas: [URN.user], id, name: { givenName: 'G' } });
    const without = await call('GET', `/Users/${id}?excludedAttributes=title,meta`);
    expect(without.body.title).toBeUndefined();
    expect(without.body.meta).toBeUndefined();
    expect(without.body.userName).toBe('proj@example.com');
  });

  it('answers unknown endpoints with 404 and bad media types with 415', async () => {
    expect((await call('GET', '/Widgets')).status).toBe(404);
    const res = await fetch(`${sb.url}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(res.status).toBe(415);
  });
});

describe('sandbox: groups', () => {
  it("keeps members with $ref and computes users' groups; deleting a user drops the membership", async () => {
    const a = (
      await call('POST', '/Users', newUser('m1@example.com', { displayName: 'Member One' }))
    ).body.id as string;
    const b = (await call('POST', '/Users', newUser('m2@example.com'))).body.id as string;
    const g = await call('POST', '/Groups', {
      schemas: [URN.group],
      displayName: 'Crew',
      members: [{ value: a }, { value: b }],
    });
    expect(g.status).toBe(201);
    const gid = g.body.id as string;
    expect(g.body.members).toEqual([
      { value: a, type: 'User', $ref: `${sb.url}/Users/${a}`, display: 'Member One' },
      { value: b, type: 'User', $ref: `${sb.url}/Users/${b}`, display: 'm2@example.com' },
    ]);
    const user = await call('GET', `/Users/${a}`);
    expect(user.body.groups).toEqual([
      { value: gid, $ref: `${sb.url}/Groups/${gid}`, display: 'Crew', type: 'direct' },
    ]);
    const dup = await call('POST', '/Groups', { schemas: [URN.group], displayName: 'crew' });
    expect(dup.status).toBe(409);
    const bad = await call('POST', '/Groups', {
      schemas: [URN.group],
      displayName: 'Ghosts',
      members: [{ value: 'nope' }],
    });
    expect(bad.status).toBe(400);
    await call('DELETE', `/Users/${a}`);
    const after = sb.store.get('Group', gid);
    expect((after?.members as { value: string }[]).map((m) => m.value)).toEqual([b]);
    const byMember = await call(
      'GET',
      `/Groups?filter=${encodeURIComponent(`members.value eq "${b}"`)}`,
    );
    expect(byMember.body.totalResults).toBe(1);
    const byGroup = await call(
      'GET',
      `/Users?filter=${encodeURIComponent(`groups.value eq "${gid}"`)}`,
    );
    expect((byGroup.body.Resources as { id: string }[]).map((u) => u.id)).toEqual([b]);
  });
});
