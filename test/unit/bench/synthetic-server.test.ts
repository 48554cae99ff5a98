/**
 * The export benchmark's synthetic SCIM server (bench/lib/synthetic-scim-server.ts): index and cursor
 * pages cover every user exactly once, the page cap holds whatever `count` asks, and the bearer
 * token is required. Raw HTTP (fetch), so the server is checked independently of the client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSyntheticServer,
  syntheticUser,
  userId,
  type PagingModeOption,
  type SyntheticServer,
} from '../../../bench/lib/synthetic-scim-server';
import { openWithOptions } from '../../../engine/connections/open-connection';
import { URN } from '../../../shared/scim/urns';

type ListBody = {
  schemas: string[];
  totalResults: number;
  itemsPerPage: number;
  startIndex?: number;
  nextCursor?: string;
  Resources: { id: string; userName?: string; [k: string]: unknown }[];
};

const USERS = 1234;
const CAP = 50;
const servers: SyntheticServer[] = [];

async function start(mode: PagingModeOption, users = USERS): Promise<SyntheticServer> {
  const s = await startSyntheticServer({ users, latencyMs: 0, pageCap: CAP, mode });
  servers.push(s);
  return s;
}

async function get(
  s: SyntheticServer,
  path: string,
  /** null: no Authorization header. */
  token: string | null = s.token,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.url}${path}`, {
    headers: token !== null ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function list(s: SyntheticServer, query: string): Promise<ListBody> {
  const { status, body } = await get(s, `/Users?${query}`);
  expect(status).toBe(200);
  return body as ListBody;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('synthetic SCIM server', () => {
  let both: SyntheticServer;
  beforeAll(async () => {
    both = await start('both');
  });

  it('index pages cover every user exactly once, in order, capped at pageCap', async () => {
    const ids: string[] = [];
    let startIndex = 1;
    for (;;) {
      const page = await list(both, `startIndex=${startIndex}&count=500`);
      expect(page.totalResults).toBe(USERS);
      expect(page.startIndex).toBe(startIndex);
      expect(page.nextCursor).toBeUndefined();
      expect(page.Resources.length).toBeLessThanOrEqual(CAP);
      expect(page.itemsPerPage).toBe(page.Resources.length);
      if (page.Resources.length === 0) break;
      ids.push(...page.Resources.map((r) => r.id));
      startIndex += page.Resources.length;
    }
    expect(ids).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(USERS);
    expect(ids).toEqual(Array.from({ length: USERS }, (_, i) => userId(i + 1, USERS)));
  });

  it('cursor pages cover every user exactly once and end without nextCursor', async () => {
    const ids: string[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      const page = await list(both, `cursor=${encodeURIComponent(cursor)}&count=500`);
      pages += 1;
      expect(page.Resources.length).toBeLessThanOrEqual(CAP);
      expect(page.startIndex).toBeUndefined();
      ids.push(...page.Resources.map((r) => r.id));
      if (page.nextCursor === undefined) break;
      cursor = page.nextCursor;
    }
    expect(pages).toBe(Math.ceil(USERS / CAP));
    expect(ids).toHaveLength(USERS);
    expect(new Set(ids).size).toBe(USERS);
  });

  it('honours smaller counts, count=0 and startIndex past the end', async () => {
    expect((await list(both, 'startIndex=1&count=7')).Resources).toHaveLength(7);
    const none = await list(both, 'startIndex=1&count=0');
    expect(none.Resources).toHaveLength(0);
    expect(none.totalResults).toBe(USERS);
    expect((await list(both, `startIndex=${USERS + 1}&count=10`)).Resources).toHaveLength(0);
    const last = await list(both, `startIndex=${USERS - 2}&count=10`);
    expect(last.Resources.map((r) => r.id)).toEqual([
      userId(USERS - 2, USERS),
      userId(USERS - 1, USERS),
      userId(USERS, USERS),
    ]);
  });

  it('rejects a cursor it did not issue', async () => {
    const { status, body } = await get(both, '/Users?cursor=bogus&count=10');
    expect(status).toBe(400);
    expect(body['scimType']).toBe('invalidCursor');
  });

  it('requires the bearer token', async () => {
    expect((await get(both, '/Users', null)).status).toBe(401);
    expect((await get(both, '/Users', 'wrong')).status).toBe(401);
    expect((await get(both, '/ServiceProviderConfig', 'wrong')).status).toBe(401);
    expect((await get(both, '/Users/' + userId(1, USERS), null)).status).toBe(401);
  });

  it('generates the same realistic user for an index every time', async () => {
    const id = userId(42, USERS);
    const { status, body } = await get(both, `/Users/${id}`);
    expect(status).toBe(200);
    expect(body).toEqual(syntheticUser(42, USERS, both.url));
    expect(body['id']).toBe('u-0000042');
    expect(body['schemas']).toContain(URN.enterpriseUser);
    const phone = (body['phoneNumbers'] as { value: string; type: string }[])[0];
    expect(phone?.type).toBe('mobile');
    expect(phone?.value.startsWith('+')).toBe(true);
    const size = JSON.stringify(body).length;
    expect(size).toBeGreaterThanOrEqual(600);
    expect(size).toBeLessThanOrEqual(900);
    expect((await get(both, '/Users/u-9999999')).status).toBe(404);
  });

  it('answers userName eq filters (what discovery probes) and refuses others', async () => {
    const name = String(syntheticUser(7, USERS, both.url)['userName']);
    const hit = await list(both, `filter=${encodeURIComponent(`userName eq "${name}"`)}`);
    expect(hit.totalResults).toBe(1);
    expect(hit.Resources[0]?.id).toBe(userId(7, USERS));
    const miss = await list(
      both,
      `filter=${encodeURIComponent('userName eq "x@invalid.example"')}`,
    );
    expect(miss.totalResults).toBe(0);
    const refused = await get(both, `/Users?filter=${encodeURIComponent('title co "x"')}`);
    expect(refused.status).toBe(400);
    expect(refused.body['scimType']).toBe('invalidFilter');
  });

  it('advertises RFC 9865 pagination and what it does not support', async () => {
    const { body } = await get(both, '/ServiceProviderConfig');
    expect(body['pagination']).toMatchObject({
      cursor: true,
      index: true,
      defaultPageSize: CAP,
      maxPageSize: CAP,
    });
    for (const f of ['patch', 'bulk', 'etag']) {
      expect(body[f]).toMatchObject({ supported: false });
    }
    expect(body['filter']).toMatchObject({ supported: true });
    expect((await get(both, '/ResourceTypes')).status).toBe(200);
    expect((await get(both, '/Schemas')).status).toBe(404);
  });

  it('lists generated groups whose members are real user ids', async () => {
    const { status, body } = await get(both, '/Groups?startIndex=1&count=100');
    expect(status).toBe(200);
    const groups = (body as ListBody).Resources;
    expect(groups.length).toBe((body as ListBody).totalResults);
    expect(groups.length).toBeGreaterThan(0);
    const members = groups.flatMap((g) =>
      (g['members'] as { value: string }[]).map((m) => m.value),
    );
    expect(members.length).toBeGreaterThan(0);
    for (const m of members) expect((await get(both, `/Users/${m}`)).status).toBe(200);
  });

  it('index mode: cursor not advertised, a cursor parameter is ignored', async () => {
    const s = await start('index', 120);
    const { body } = await get(s, '/ServiceProviderConfig');
    expect(body['pagination']).toMatchObject({ cursor: false, index: true });
    const page = await list(s, 'cursor=&count=10');
    expect(page.nextCursor).toBeUndefined();
    expect(page.startIndex).toBe(1);
  });

  it('cursor mode: an index request is answered with cursor pages that still cover everyone', async () => {
    const s = await start('cursor', 120);
    const { body } = await get(s, '/ServiceProviderConfig');
    expect(body['pagination']).toMatchObject({ cursor: true, index: false });
    const first = await list(s, 'startIndex=61&count=10');
    expect(first.startIndex).toBeUndefined();
    expect(first.Resources[0]?.id).toBe(userId(1, 120));
    const ids: string[] = [];
    let page = first;
    for (;;) {
      ids.push(...page.Resources.map((r) => r.id));
      if (page.nextCursor === undefined) break;
      page = await list(s, `cursor=${page.nextCursor}&count=500`);
    }
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
  });

  it('the engine discovers the paging each mode is meant to exercise and lists everyone', async () => {
    for (const [mode, expected] of [
      ['index', 'index'],
      ['cursor', 'cursor'],
      ['both', 'cursor'],
    ] as const) {
      const s = await start(mode, 321);
      const conn = await openWithOptions(
        { id: 't', name: 't', bulk: 'never' },
        { baseUrl: s.url, auth: { kind: 'bearer', token: s.token } },
      );
      try {
        expect(conn.discovery.effective.paging).toBe(expected);
        expect(conn.discovery.effective.pageSize).toBe(CAP);
        const list = conn.client.list('/Users');
        const ids: string[] = [];
        for await (const r of list) ids.push(r.id ?? '');
        expect(new Set(ids).size).toBe(321);
        expect(list.stats.duplicatesDropped).toBe(0);
      } finally {
        await conn.close();
      }
    }
  });
});
