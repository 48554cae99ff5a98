/**
 * The protocol layer (discovery, resources, lists) against the real sandbox SCIM server over
 * loopback HTTP with the real transport. Every assertion checks what the server holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { createScimClient, type ScimClient } from '../../engine/scim/client';
import { discover } from '../../engine/scim/discovery';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp } from '../../engine/scim/transport/types';
import { eq, valuePath } from '../../shared/scim/filter';
import { URN } from '../../shared/scim/urns';

describe('protocol layer against the sandbox: discovery and resources', () => {
  let server: SandboxHandle;
  const opened: ScimHttp[] = [];
  let client: ScimClient;

  const httpFor = (baseUrl: string): ScimHttp => {
    const http = createScimHttp({
      baseUrl,
      auth: { kind: 'bearer', token: server.token },
      timeoutMs: 5000,
    });
    opened.push(http);
    return http;
  };

  beforeAll(async () => {
    server = await startSandbox({ port: 0, seed: 20 });
    const d = await discover(httpFor, server.url.replace(/\/v2$/, ''));
    client = createScimClient({ http: httpFor(d.baseUrl), discovery: d });
  });
  afterAll(async () => {
    await Promise.all(opened.map((h) => h.close()));
    await server.close();
  });

  it('discovers the base URL, capabilities, server schemas and observed behaviour', () => {
    const d = client.discovery;
    expect(d.baseUrl).toBe(server.url);
    expect(d.schemaSource).toBe('server');
    expect(d.schemas.map((s) => s.id)).toEqual(
      expect.arrayContaining([URN.user, URN.group, URN.enterpriseUser]),
    );
    expect(d.resourceTypes.map((r) => r.endpoint)).toEqual(
      expect.arrayContaining(['/Users', '/Groups']),
    );
    expect(d.serviceProviderConfig.bulk).toEqual({
      supported: true,
      maxOperations: 1000,
      maxPayloadSize: 1_048_576,
    });
    expect(d.probes.filterEq.observed).toBe('yes');
    expect(d.probes.indexPaging.observed).toBe('yes');
    expect(d.probes.cursorPaging.observed).toBe('yes');
    expect(d.probes.etag.observed).toBe('yes');
    expect(d.effective).toMatchObject({
      paging: 'cursor',
      bulk: { enabled: true, maxOperations: 1000 },
      etag: true,
      filter: true,
      patch: true,
    });
    expect(d.warnings.map((w) => w.code)).toContain('base_url_adjusted');
  });

  it('surfaces a wrong token as an auth error', async () => {
    const bad = (baseUrl: string): ScimHttp => {
      const http = createScimHttp({
        baseUrl,
        auth: { kind: 'bearer', token: 'wrong' },
        timeoutMs: 5000,
        retry: { maxRetries: 0 },
      });
      opened.push(http);
      return http;
    };
    await expect(discover(bad, server.url)).rejects.toMatchObject({
      code: 'auth',
      facts: { status: 401 },
    });
  });

  it('creates, reads, patches, replaces and deletes a user, checked against the server', async () => {
    const created = await client.create('/Users', {
      schemas: [URN.user, URN.enterpriseUser],
      userName: 'grace.hopper@example.test',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      emails: [{ value: 'grace@example.test', type: 'work', primary: true }],
      active: true,
      [URN.enterpriseUser]: { employeeNumber: '1906' },
    });
    const id = created.id ?? '';
    expect(id).not.toBe('');
    expect(server.store.get('User', id)).toMatchObject({ userName: 'grace.hopper@example.test' });

    const read = await client.get('/Users', id);
    expect(read.meta?.version).toBeTruthy();

    const patched = await client.patch(
      '/Users',
      id,
      [
        { op: 'replace', path: 'active', value: false },
        { op: 'replace', path: 'name.givenName', value: 'Amazing Grace' },
        {
          op: 'replace',
          path: valuePath('emails', eq('type', 'work')).text + '.value',
          value: 'amazing@example.test',
        },
        { op: 'replace', path: `${URN.enterpriseUser}:employeeNumber`, value: '1992' },
      ],
      { ifMatch: read.meta?.version ?? '' },
    );
    expect(patched).toMatchObject({ active: false, name: { givenName: 'Amazing Grace' } });
    const held = server.store.get('User', id);
    expect(held).toMatchObject({
      active: false,
      name: { givenName: 'Amazing Grace' },
      emails: [{ value: 'amazing@example.test' }],
    });
    expect(held?.[URN.enterpriseUser]).toMatchObject({ employeeNumber: '1992' });

    // The version read before the PATCH is stale now: the server must refuse it (RFC 7644 §3.14).
    await expect(
      client.replace('/Users', id, { ...read, displayName: 'stale' }),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(server.store.get('User', id)?.['displayName']).not.toBe('stale');

    const fresh = await client.get('/Users', id);
    const replaced = await client.replace('/Users', id, {
      ...fresh,
      displayName: 'Grace H.',
      title: 'Rear Admiral',
    });
    expect(replaced).toMatchObject({ displayName: 'Grace H.', title: 'Rear Admiral' });
    expect(server.store.get('User', id)).toMatchObject({
      displayName: 'Grace H.',
      title: 'Rear Admiral',
    });

    await client.delete('/Users', id);
    expect(server.store.get('User', id)).toBeUndefined();
    await expect(client.get('/Users', id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists with a filter built by the builder, through GET and POST /.search', async () => {
    const target = server.store.list('User')[3];
    const userName = String(target?.['userName']);
    const viaGet: string[] = [];
    for await (const r of client.list('/Users', { filter: eq('userName', userName) }))
      viaGet.push(r.id ?? '');
    expect(viaGet).toEqual([target?.id]);
    const viaPost: string[] = [];
    for await (const r of client.list('/Users', {
      filter: eq('userName', userName.toUpperCase()),
      method: 'POST',
      attributes: ['userName'],
    })) {
      viaPost.push(r.id ?? '');
    }
    // userName is caseExact false (RFC 7643 §4.1.1): the upper-cased value matches too.
    expect(viaPost).toEqual([target?.id]);
    const none: string[] = [];
    for await (const r of client.list('/Users', {
      filter: eq('userName', 'x" or userName pr or "y'),
    }))
      none.push(r.id ?? '');
    expect(none).toEqual([]);
  });
});
