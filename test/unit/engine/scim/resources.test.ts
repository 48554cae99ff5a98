import { describe, expect, it } from 'vitest';
import { createScimClient } from '../../../../engine/scim/client';
import { resourcePath } from '../../../../engine/scim/resources';
import type { DiscoveryResult } from '../../../../shared/scim/discovery-types';
import { BUILTIN_SCHEMAS } from '../../../../shared/scim/schemas/index';
import { eq } from '../../../../shared/scim/filter';
import { createFakeHttp, listResponse, scimError } from './fake-http';

function discovery(over: Partial<DiscoveryResult['effective']> = {}): DiscoveryResult {
  const probe = { observed: 'unknown' as const };
  return {
    baseUrl: 'https://scim.example.test/scim/v2',
    serviceProviderConfig: {
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 0 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      pagination: { cursor: false, index: true },
      authenticationSchemes: [],
    },
    resourceTypes: [],
    schemas: [...BUILTIN_SCHEMAS],
    schemaSource: 'builtin',
    probes: {
      filterEq: probe,
      indexPaging: probe,
      cursorPaging: probe,
      etag: probe,
      patch: probe,
      bulk: probe,
    },
    effective: {
      paging: 'index',
      pageSize: 2,
      bulk: { enabled: false, maxOperations: 0, maxPayloadSize: 0 },
      patch: true,
      etag: true,
      filter: true,
      sort: false,
      ...over,
    },
    warnings: [],
    durationMs: 0,
  };
}

const ada = {
  schemas: [
    'urn:ietf:params:scim:schemas:core:2.0:User',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  ],
  id: 7,
  userName: 'ada',
  active: 'False',
  emails: [{ value: 'a@x', primary: 'true' }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '1' },
};

describe('resource client', () => {
  it('normalises string booleans and numeric ids on read, and takes the version from ETag', async () => {
    const http = createFakeHttp(() => ({ status: 200, body: ada, headers: { etag: 'W/"v1"' } }));
    const client = createScimClient({ http, discovery: discovery() });
    const r = await client.get('/Users', '7', { attributes: ['userName', 'active'] });
    expect(r).toMatchObject({
      id: '7',
      active: false,
      emails: [{ value: 'a@x', primary: true }],
      meta: { version: 'W/"v1"' },
    });
    expect(r['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({
      employeeNumber: '1',
    });
    expect(http.calls[0]).toMatchObject({
      method: 'GET',
      path: '/Users/7',
      query: { attributes: 'userName,active' },
    });
    expect(resourcePath('/Users', 'a b')).toBe('/Users/a%20b');
  });

  it('refuses a GET by id that answers another resource, or one without an id', async () => {
    const http = createFakeHttp(() => ({ status: 200, body: ada }));
    const client = createScimClient({ http, discovery: discovery() });
    await expect(client.get('/Users', '8')).rejects.toMatchObject({
      code: 'read_mismatch',
      message: expect.stringMatching(/another resource \(id 7\)/) as unknown,
    });
    const noId = createFakeHttp(() => ({ status: 200, body: { ...ada, id: undefined } }));
    await expect(
      createScimClient({ http: noId, discovery: discovery() }).get('/Users', '7'),
    ).rejects.toMatchObject({ code: 'read_mismatch' });
  });

  it('PATCHes with a lower-cased PatchOp, If-Match, and GETs after a 204', async () => {
    const http = createFakeHttp((req) =>
      req.method === 'PATCH' ? { status: 204 } : { status: 200, body: { ...ada, active: true } },
    );
    const client = createScimClient({ http, discovery: discovery() });
    const r = await client.patch(
      '/Users',
      '7',
      [{ op: 'Replace' as 'replace', path: 'active', value: true }],
      { ifMatch: 'W/"v1"' },
    );
    expect(r?.active).toBe(true);
    expect(http.calls[0]).toMatchObject({
      method: 'PATCH',
      ifMatch: 'W/"v1"',
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', path: 'active', value: true }],
      },
    });
    expect(http.calls[1]?.method).toBe('GET');
    await expect(client.patch('/Users', '7', [{ op: 'remove' }])).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('falls back to GET + PUT with If-Match when PATCH is not supported', async () => {
    const http = createFakeHttp((req) =>
      req.method === 'PUT'
        ? { status: 200, body: req.body }
        : { status: 200, body: { ...ada, meta: { version: 'W/"9"' } } },
    );
    const client = createScimClient({ http, discovery: discovery({ patch: false }) });
    const r = await client.patch('/Users', '7', [
      { op: 'replace', path: 'name.givenName', value: 'Ada' },
    ]);
    expect(r).toMatchObject({ name: { givenName: 'Ada' } });
    expect(http.calls.map((c) => c.method)).toEqual(['GET', 'PUT']);
    expect(http.calls[1]?.ifMatch).toBe('W/"9"');
    expect(http.calls[1]?.body).not.toHaveProperty('meta');
  });

  it('surfaces 412 as precondition_failed and passes lookupKey on create', async () => {
    const http = createFakeHttp((req) =>
      req.method === 'PUT' ? scimError(412) : { status: 201, body: { ...ada, id: 'n1' } },
    );
    const client = createScimClient({ http, discovery: discovery() });
    await expect(
      client.replace('/Users', '7', { schemas: [], userName: 'ada', meta: { version: 'W/"1"' } }),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(http.calls[0]?.ifMatch).toBe('W/"1"');
    await client.create('/Users', { schemas: [], userName: 'say "hi"' });
    expect(http.calls[1]).toMatchObject({
      method: 'POST',
      idempotent: false,
      lookupKey: 'userName eq "say \\"hi\\""',
    });
  });

  it('lists through GET and POST /.search with identical parameters on every page', async () => {
    const all = [1, 2, 3].map((n) => ({ schemas: [], id: `u${n}`, userName: `u${n}` }));
    const http = createFakeHttp((req) => {
      const start = Number(
        (req.method === 'POST'
          ? (req.body as { startIndex?: number }).startIndex
          : req.query?.['startIndex']) ?? 1,
      );
      return listResponse(all.slice(start - 1, start + 1), { totalResults: 3 });
    });
    const client = createScimClient({ http, discovery: discovery() });
    const ids: string[] = [];
    for await (const r of client.list('/Users', {
      filter: eq('userName', 'x'),
      attributes: ['userName'],
    }))
      ids.push(r.id ?? '');
    expect(ids).toEqual(['u1', 'u2', 'u3']);
    expect(http.calls[0]?.query).toMatchObject({
      filter: 'userName eq "x"',
      attributes: 'userName',
      startIndex: 1,
      count: 2,
    });
    expect(http.calls[1]?.query).toMatchObject({
      filter: 'userName eq "x"',
      attributes: 'userName',
      startIndex: 3,
      count: 2,
    });
    const searched = client.list('/Users', { method: 'POST', filter: 'userName sw "u"' });
    let searchedCount = 0;
    for await (const r of searched) searchedCount += r.id === undefined ? 0 : 1;
    expect(searchedCount).toBe(3);
    expect(http.calls[2]).toMatchObject({
      method: 'POST',
      path: '/Users/.search',
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'userName sw "u"',
        startIndex: 1,
        count: 2,
      },
    });
    expect(searched.stats.items).toBe(3);
    expect(() => client.list('/Users', { filter: 'userName eq' })).toThrow(/not valid/);
  });

  it('filters locally when the server is known to ignore filters', async () => {
    const all = [1, 2, 3].map((n) => ({ schemas: [], id: `u${n}`, userName: `u${n}` }));
    const http = createFakeHttp(() => listResponse(all, { totalResults: 3 }));
    const client = createScimClient({
      http,
      discovery: discovery({ filter: false, pageSize: 10 }),
    });
    const ids: string[] = [];
    for await (const r of client.list('/Users', { filter: 'userName eq "u2"' }))
      ids.push(r.id ?? '');
    expect(ids).toEqual(['u2']);
  });
});
