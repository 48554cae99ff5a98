import { describe, expect, it } from 'vitest';
import { discover } from '../../../../engine/scim/discovery';
import type { ScimRequest } from '../../../../engine/scim/transport/types';
import { createFakeHttp, listResponse, scimError, type FakeAnswer } from './fake-http';

const SPC = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  patch: { supported: true },
  bulk: { supported: false },
  filter: { supported: true, maxResults: 100 },
  etag: { supported: true },
  sort: { supported: false },
  changePassword: { supported: false },
  pagination: { cursor: true, index: true, maxPageSize: 50 },
};

const users = Array.from({ length: 3 }, (_, i) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: `u${i + 1}`,
  userName: `user${i + 1}`,
  active: 'True',
  meta: { version: `W/"${i}"` },
}));

/** A well-behaved server at `root`; `tweak` can override any answer. */
function server(
  root: string,
  tweak: (req: ScimRequest) => FakeAnswer | undefined = () => undefined,
) {
  return (base: string) =>
    createFakeHttp((req) => {
      const t = tweak(req);
      if (t) return t;
      if (base !== root)
        return {
          status: 404,
          body: '<html><title>Not Found</title></html>',
          headers: { 'content-type': 'text/html' },
        };
      if (req.path === '/ServiceProviderConfig') return { status: 200, body: SPC };
      if (req.path === '/ResourceTypes' || req.path === '/Schemas') return scimError(404);
      if (req.path === '/Users') {
        const q = req.query ?? {};
        if (q['filter'] !== undefined) {
          // A working eq filter: the known-answer probe asks for a listed userName.
          const wanted = /^userName eq "(.*)"$/.exec(String(q['filter']))?.[1];
          const hits = users.filter((u) => u['userName'] === wanted);
          return listResponse(hits, { totalResults: hits.length });
        }
        if (q['cursor'] !== undefined)
          return listResponse(users.slice(0, 1), { totalResults: 3, nextCursor: 'n1' });
        const start = Number(q['startIndex'] ?? 1);
        return listResponse(users.slice(start - 1, start), {
          totalResults: 3,
          startIndex: start,
          itemsPerPage: 1,
        });
      }
      if (req.path.startsWith('/Users/'))
        return { status: 200, body: users[0], headers: { etag: 'W/"0"' } };
      return scimError(404);
    }, base);
}

describe('discover', () => {
  it('finds the /v2 variant, falls back to built-in schemas and probes behaviour', async () => {
    const result = await discover(server('https://h.test/scim/v2'), 'https://h.test/scim/', {
      randomValue: () => 'fixed',
    });
    expect(result.baseUrl).toBe('https://h.test/scim/v2');
    expect(result.schemaSource).toBe('builtin');
    expect(result.schemas.map((s) => s.name)).toEqual(['User', 'Group', 'EnterpriseUser']);
    expect(result.resourceTypes.map((r) => r.endpoint)).toEqual(['/Users', '/Groups']);
    expect(result.probes.filterEq).toMatchObject({ advertised: true, observed: 'yes' });
    expect(result.probes.indexPaging).toMatchObject({ advertised: true, observed: 'yes' });
    expect(result.probes.cursorPaging).toMatchObject({ advertised: true, observed: 'yes' });
    expect(result.probes.etag).toMatchObject({ advertised: true, observed: 'yes' });
    expect(result.probes.bulk).toMatchObject({ advertised: false, observed: 'unknown' });
    expect(result.effective).toMatchObject({
      paging: 'cursor',
      pageSize: 50,
      filter: true,
      etag: true,
      patch: true,
      bulk: { enabled: false },
    });
    expect(result.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['base_url_adjusted', 'schemas_builtin', 'resource_types_builtin']),
    );
  });

  it('uses the SCIM 1.1 plural /ServiceProviderConfigs', async () => {
    const make = server('https://h.test/scim/v2', (req) => {
      if (req.path === '/ServiceProviderConfig') return scimError(404);
      if (req.path === '/ServiceProviderConfigs')
        return { status: 200, body: { ...SPC, schemas: ['urn:scim:schemas:core:1.0'] } };
      return undefined;
    });
    const result = await discover(make, 'https://h.test/scim/v2', { skipProbes: true });
    expect(result.warnings.map((w) => w.code)).toContain('spc_plural');
    expect(result.serviceProviderConfig.patch.supported).toBe(true);
  });

  it('surfaces a 401 on the first request as an auth error without trying other URLs', async () => {
    const made: string[] = [];
    const make = (base: string) => {
      made.push(base);
      return createFakeHttp(() => scimError(401), base);
    };
    await expect(discover(make, 'https://h.test/scim')).rejects.toMatchObject({
      code: 'auth',
      facts: { status: 401 },
    });
    expect(made).toEqual(['https://h.test/scim']);
  });

  it('surfaces an HTML answer as not_scim when no candidate answers', async () => {
    const make = (base: string) =>
      createFakeHttp(
        () => ({
          status: 200,
          body: '<!doctype html><html><head><title>Sign in</title></head></html>',
          headers: { 'content-type': 'text/html' },
        }),
        base,
      );
    const failure = await discover(make, 'https://h.test/scim').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'not_scim' });
  });

  it('tells an unsupported filter (empty 200 for a listed userName) from "no match"', async () => {
    const make = server('https://h.test/scim/v2', (req) =>
      req.path === '/Users' && req.query?.['filter'] !== undefined
        ? listResponse([], { totalResults: 0 })
        : undefined,
    );
    const result = await discover(make, 'https://h.test/scim/v2');
    expect(result.probes.filterEq).toMatchObject({ observed: 'no' });
    expect(result.probes.filterEq.note).toMatch(/unsupported/);
    expect(result.effective.filter).toBe(false);
    expect(result.warnings.map((w) => w.code)).toContain('filter_unsupported');
  });

  it('never uses index paging the probe saw fail: startIndex ignored and no cursor is refused', async () => {
    const make = server('https://h.test/scim/v2', (req) => {
      if (req.path !== '/Users' || req.query?.['filter'] !== undefined) return undefined;
      if (req.query?.['cursor'] !== undefined) return scimError(400, 'invalidValue');
      return listResponse(users.slice(0, 1), { totalResults: 3 }); // page 1, whatever startIndex says
    });
    const result = await discover(make, 'https://h.test/scim/v2');
    expect(result.probes.indexPaging).toMatchObject({ observed: 'no' });
    expect(result.effective.paging).toBe('refused');
    expect(result.warnings.map((w) => w.code)).toContain('start_index_ignored');
  });

  it('warns and turns filters off when a server ignores filters', async () => {
    const make = server('https://h.test/scim/v2', (req) =>
      req.path === '/Users' && req.query?.['filter'] !== undefined
        ? listResponse(users, { totalResults: 3 })
        : undefined,
    );
    const result = await discover(make, 'https://h.test/scim/v2');
    expect(result.probes.filterEq.observed).toBe('no');
    expect(result.effective.filter).toBe(false);
    expect(result.warnings.map((w) => w.code)).toContain('filter_ignored');
  });
});
