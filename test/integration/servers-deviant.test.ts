import { afterEach, describe, expect, it } from 'vitest';
import {
  startDeviantServer,
  type DeviantOptions,
  type DeviantServer,
} from '../servers/deviant-server';
import { URN } from '../../shared/scim/urns';

let server: DeviantServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: DeviantOptions): Promise<DeviantServer> {
  server = await startDeviantServer(options);
  return server;
}

type Reply = { status: number; headers: Headers; text: string; json: Record<string, unknown> };
async function call(
  s: DeviantServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${s.token}`,
      'Content-Type': 'application/scim+json',
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (HTML login page, empty body)
  }
  return { status: res.status, headers: res.headers, text, json };
}
const q = (f: string) => `/Users?filter=${encodeURIComponent(f)}`;
const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [URN.user],
  userName,
  ...extra,
});
const bulkBody = {
  schemas: [URN.bulkRequest],
  Operations: [{ method: 'POST', path: '/Users', bulkId: 'a', data: user('b@x') }],
};

describe('deviant server options', () => {
  it('records requests without secrets', async () => {
    const s = await start({});
    await call(s, 'POST', '/Users', user('rec@example.com'));
    const r = s.requests[0];
    expect(r).toMatchObject({
      method: 'POST',
      path: '/scim/v2/Users',
      body: { userName: 'rec@example.com' },
    });
    expect(r?.headers.authorization).toBe('Bearer <redacted>');
    expect(JSON.stringify(s.requests)).not.toContain(s.token);
    expect(s.sandbox.getUserByUserName('rec@example.com')).toBeDefined();
  });

  it('noBulk: SPC says unsupported and /Bulk answers 501', async () => {
    const s = await start({ noBulk: true });
    expect((await call(s, 'GET', '/ServiceProviderConfig')).json.bulk).toMatchObject({
      supported: false,
    });
    expect((await call(s, 'POST', '/Bulk', bulkBody)).status).toBe(501);
  });

  it('bulkAdvertisedButRejected: SPC says supported, /Bulk answers 404 (or the given status)', async () => {
    const s = await start({ bulkAdvertisedButRejected: 501 });
    expect((await call(s, 'GET', '/ServiceProviderConfig')).json.bulk).toMatchObject({
      supported: true,
    });
    expect((await call(s, 'POST', '/Bulk', bulkBody)).status).toBe(501);
    expect(s.sandbox.userCount()).toBe(0);
  });

  it('eqOnlyFilters: eq/and pass, anything else is 400 invalidFilter', async () => {
    const s = await start({ seed: 3, eqOnlyFilters: true });
    expect((await call(s, 'GET', q('userName eq "x" and active eq true'))).status).toBe(200);
    const r = await call(s, 'GET', q('userName sw "a"'));
    expect(r.status).toBe(400);
    expect(r.json.scimType).toBe('invalidFilter');
  });

  it('silentUnsupportedFilters: unsupported filters answer 200 with zero results', async () => {
    const s = await start({ seed: 3, silentUnsupportedFilters: true });
    const name = String(s.sandbox.list('User')[0]?.userName);
    expect((await call(s, 'GET', q(`userName eq "${name}"`))).json.totalResults).toBe(1);
    const r = await call(s, 'GET', q(`userName sw "${name.slice(0, 3)}"`));
    expect(r.status).toBe(200);
    expect(r.json.totalResults).toBe(0);
  });

  it('pageCap: pages never exceed the cap, while SPC still advertises the larger maximum', async () => {
    const s = await start({ seed: 20, pageCap: 5 });
    const r = await call(s, 'GET', '/Users?count=50');
    expect(r.json.itemsPerPage).toBe(5);
    expect(r.json.totalResults).toBe(20);
    expect((await call(s, 'GET', '/ServiceProviderConfig')).json.pagination).toMatchObject({
      maxPageSize: 1000,
    });
  });

  it('shortPages: pages hold fewer than asked although more exist', async () => {
    const s = await start({ seed: 30, shortPages: true });
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      sizes.push(((await call(s, 'GET', '/Users?count=10')).json.Resources as unknown[]).length);
    }
    expect(sizes.every((n) => n >= 1 && n < 10)).toBe(true);
  });

  it('cursorOnly: SPC says cursor only and startIndex is ignored', async () => {
    const s = await start({ seed: 12, cursorOnly: true });
    expect((await call(s, 'GET', '/ServiceProviderConfig')).json.pagination).toMatchObject({
      cursor: true,
      index: false,
    });
    const first = await call(s, 'GET', '/Users?count=5');
    const later = await call(s, 'GET', '/Users?startIndex=6&count=5');
    expect(later.status).toBe(200);
    expect(later.json.Resources).toEqual(first.json.Resources);
    expect(typeof later.json.nextCursor).toBe('string');
  });

  it('rateLimit: 429 with Retry-After in seconds or as an HTTP date', async () => {
    const s = await start({ rateLimit: { perSecond: 2, retryAfter: 'seconds' } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await call(s, 'GET', '/Users');
      statuses.push(r.status);
      retryAfter ??= r.headers.get('retry-after');
    }
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toMatch(/^\d+$/);
    await s.close();
    const d = await start({ rateLimit: { perSecond: 1, retryAfter: 'http-date' } });
    let date: string | null = null;
    for (let i = 0; i < 4 && date === null; i++) {
      date = (await call(d, 'GET', '/Users')).headers.get('retry-after');
    }
    expect(Number.isNaN(Date.parse(date ?? ''))).toBe(false);
  });

  it('fail503: every n-th request, before or after applying it', async () => {
    const s = await start({ fail503: { every: 2 } });
    const a = await call(s, 'POST', '/Users', user('a@example.com'));
    const b = await call(s, 'POST', '/Users', user('b@example.com'));
    expect([a.status, b.status]).toEqual([201, 503]);
    expect(s.sandbox.getUserByUserName('b@example.com')).toBeUndefined();
    await s.close();
    const after = await start({ fail503: { after: true } });
    expect((await call(after, 'POST', '/Users', user('c@example.com'))).status).toBe(503);
    expect(after.sandbox.getUserByUserName('c@example.com')).toBeDefined();
  });

  it('dropConnection: before-apply loses the write, after-apply keeps it; both drop the socket', async () => {
    const s = await start({
      dropConnection: { when: 'before-apply', match: (r) => r.method === 'POST', times: 1 },
    });
    await expect(call(s, 'POST', '/Users', user('lost@example.com'))).rejects.toThrow();
    expect(s.sandbox.getUserByUserName('lost@example.com')).toBeUndefined();
    expect((await call(s, 'POST', '/Users', user('second@example.com'))).status).toBe(201);
    await s.close();
    const t = await start({
      dropConnection: { when: 'after-apply', match: (r) => r.method === 'POST', times: 1 },
    });
    await expect(call(t, 'POST', '/Users', user('applied@example.com'))).rejects.toThrow();
    expect(t.sandbox.getUserByUserName('applied@example.com')).toBeDefined();
  });

  it('etagRequired: writes without If-Match get 428', async () => {
    const s = await start({ etagRequired: true });
    const u = s.sandbox.create('User', user('e@example.com'));
    const r = await call(s, 'PATCH', `/Users/${u.id ?? ''}`, {
      schemas: [URN.patchOp],
      Operations: [{ op: 'add', path: 'title', value: 'x' }],
    });
    expect(r.status).toBe(428);
    expect(s.sandbox.get('User', u.id ?? '')?.title).toBeUndefined();
  });

  it('entraPatch: capitalised ops and string booleans accepted, 204 on PATCH, active as strings', async () => {
    const s = await start({ entraPatch: true });
    const u = s.sandbox.create('User', user('entra@example.com', { active: true }));
    const r = await call(s, 'PATCH', `/Users/${u.id ?? ''}`, {
      schemas: [URN.patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(s.sandbox.get('User', u.id ?? '')?.active).toBe(false);
    expect((await call(s, 'GET', `/Users/${u.id ?? ''}`)).json.active).toBe('False');
  });

  it('lowercaseResourcesKey, plainJsonContentType, stringNumbers reshape list responses', async () => {
    const s = await start({
      seed: 2,
      lowercaseResourcesKey: true,
      plainJsonContentType: true,
      stringNumbers: true,
    });
    const r = await call(s, 'GET', '/Users');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.json.Resources).toBeUndefined();
    expect((r.json.resources as unknown[]).length).toBe(2);
    expect(r.json.totalResults).toBe('2');
    expect(r.json.itemsPerPage).toBe('2');
  });

  it('pluralSpc: only /ServiceProviderConfigs exists', async () => {
    const s = await start({ pluralSpc: true });
    expect((await call(s, 'GET', '/ServiceProviderConfig')).status).toBe(404);
    const plural = await call(s, 'GET', '/ServiceProviderConfigs');
    expect(plural.status).toBe(200);
    expect(plural.json.schemas).toEqual([URN.serviceProviderConfig]);
  });

  it('htmlLogin: every request answers a 200 HTML sign-in page', async () => {
    const s = await start({ htmlLogin: true });
    const r = await call(s, 'GET', '/ServiceProviderConfig');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toContain('<form');
  });

  it('listOmitsAttributes: the list drops attributes that GET returns', async () => {
    const s = await start({ seed: 1, listOmitsAttributes: true });
    const listed =
      ((await call(s, 'GET', '/Users')).json.Resources as Record<string, unknown>[])[0] ?? {};
    const full = (await call(s, 'GET', `/Users/${String(listed.id)}`)).json;
    expect(full.phoneNumbers).toBeDefined();
    expect(full[URN.enterpriseUser]).toBeDefined();
    expect(listed.phoneNumbers).toBeUndefined();
    expect(listed[URN.enterpriseUser]).toBeUndefined();
  });

  it('latencyMs: answers are delayed', async () => {
    const s = await start({ latencyMs: 150 });
    const t0 = performance.now();
    await call(s, 'GET', '/ServiceProviderConfig');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });
});
