import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { URN } from '../../shared/scim/urns';

let sb: SandboxHandle;

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sb.url}${path}`, {
    headers: { Authorization: `Bearer ${sb.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;
const ids = (body: Record<string, unknown>) =>
  (body.Resources as { id: string }[]).map((r) => r.id);

beforeAll(async () => {
  sb = await startSandbox({ seed: 25, features: { cursorTimeout: 0.3 } });
  sb.store.create('User', {
    schemas: [URN.user, URN.enterpriseUser],
    userName: 'Case.Test@Example.com',
    externalId: 'ExT-1',
    title: 'Zymurgist',
    emails: [
      { value: 'Case.Test@Example.com', type: 'work', primary: true },
      { value: 'home@example.net', type: 'home' },
    ],
    active: false,
    [URN.enterpriseUser]: { department: 'Brewing' },
  });
});
afterAll(async () => {
  await sb.close();
});

describe('sandbox: filters follow schema case rules', () => {
  it('userName and emails are caseExact false', async () => {
    expect((await get(q('userName eq "case.test@example.COM"'))).body.totalResults).toBe(1);
    expect((await get(q('emails.value eq "CASE.test@example.com"'))).body.totalResults).toBe(1);
    expect((await get(q('emails eq "home@EXAMPLE.net"'))).body.totalResults).toBe(1);
  });
  it('externalId and id are caseExact true', async () => {
    expect((await get(q('externalId eq "ExT-1"'))).body.totalResults).toBe(1);
    expect((await get(q('externalId eq "ext-1"'))).body.totalResults).toBe(0);
    const id = sb.store.getUserByUserName('case.test@example.com')?.id ?? '';
    expect((await get(q(`id eq "${id}"`))).body.totalResults).toBe(1);
    expect((await get(q(`id eq "${id.toUpperCase()}"`))).body.totalResults).toBe(0);
  });
  it('supports co/sw/ew/pr, and/or/not, value paths, extension URNs, booleans and dates', async () => {
    expect((await get(q('title co "ymurg"'))).body.totalResults).toBe(1);
    expect((await get(q('userName sw "CASE."'))).body.totalResults).toBe(1);
    expect(
      (await get(q('emails[type eq "home" and value ew "@example.net"]'))).body.totalResults,
    ).toBe(1);
    expect((await get(q(`${URN.enterpriseUser}:department eq "brewing"`))).body.totalResults).toBe(
      1,
    );
    expect((await get(q('active eq false and title pr'))).body.totalResults).toBe(
      sb.store.list('User').filter((u) => u.active === false && u.title !== undefined).length,
    );
    const total = sb.store.userCount();
    expect((await get(q('not (userName eq "case.test@example.com")'))).body.totalResults).toBe(
      total - 1,
    );
    expect(
      (await get(q('userName eq "case.test@example.com" or externalId eq "nope"'))).body
        .totalResults,
    ).toBe(1);
    expect((await get(q('meta.created gt "2000-01-01T00:00:00Z"'))).body.totalResults).toBe(total);
  });
  it('rejects bad syntax, unknown attributes and ordering on booleans with 400 invalidFilter', async () => {
    for (const f of ['userName eq', 'shoeSize eq "1"', 'active gt true']) {
      const r = await get(q(f));
      expect(r.status, f).toBe(400);
      expect(r.body.scimType, f).toBe('invalidFilter');
    }
  });
});

describe('sandbox: index paging', () => {
  it('pages with exact counts and no overlap', async () => {
    const total = sb.store.userCount();
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 10) {
      const { body } = await get(`/Users?startIndex=${start}&count=10`);
      expect(body.totalResults).toBe(total);
      expect(body.startIndex).toBe(start);
      expect(body.itemsPerPage).toBe(Math.min(10, total - start + 1));
      seen.push(...ids(body));
    }
    expect(new Set(seen).size).toBe(total);
  });
  it('count=0 gives only totalResults; counts above the cap are capped', async () => {
    const zero = await get('/Users?count=0');
    expect(zero.body).toMatchObject({
      totalResults: sb.store.userCount(),
      itemsPerPage: 0,
      Resources: [],
    });
    const neg = await get('/Users?count=-5');
    expect(neg.body.itemsPerPage).toBe(0);
    const big = await get('/Users?count=5000');
    expect(big.body.itemsPerPage).toBe(sb.store.userCount());
  });
  it('sorts by sortBy/sortOrder with case rules', async () => {
    const asc = await get('/Users?sortBy=userName&count=1000');
    const names = (asc.body.Resources as { userName: string }[]).map((u) =>
      u.userName.toLowerCase(),
    );
    expect(names).toEqual([...names].sort());
    const desc = await get('/Users?sortBy=userName&sortOrder=descending&count=1000');
    expect(
      (desc.body.Resources as { userName: string }[]).map((u) => u.userName.toLowerCase()),
    ).toEqual([...names].reverse());
  });
});

describe('sandbox: cursor paging (RFC 9865)', () => {
  it('walks every user exactly once', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 20; i++) {
      const { status, body } = await get(`/Users?count=7&cursor=${encodeURIComponent(cursor)}`);
      expect(status).toBe(200);
      expect(body.startIndex).toBeUndefined();
      seen.push(...ids(body));
      if (typeof body.nextCursor !== 'string') {
        break;
      }
      cursor = body.nextCursor;
    }
    expect(seen.length).toBe(sb.store.userCount());
    expect(new Set(seen).size).toBe(seen.length);
  });
  it('filtered cursor paging and a deletion between pages do not skip or repeat', async () => {
    const first = await get(`/Users?count=5&cursor=&filter=${encodeURIComponent('userName pr')}`);
    const page1 = ids(first.body);
    const victim = page1[4] ?? '';
    sb.store.remove('User', victim);
    const second = await get(
      `/Users?count=5&filter=${encodeURIComponent('userName pr')}&cursor=${String(first.body.nextCursor)}`,
    );
    const expected = sb.store
      .list('User')
      .map((u) => u.id ?? '')
      .slice(4, 9);
    expect(ids(second.body)).toEqual(expected);
  });
  it('rejects a tampered cursor (invalidCursor), a cursor for another query, and an expired one', async () => {
    const { body } = await get('/Users?count=2&cursor=');
    const cursor = String(body.nextCursor);
    const tampered = await get(`/Users?count=2&cursor=${cursor.slice(0, -2)}xx`);
    expect(tampered.body).toMatchObject({ status: '400', scimType: 'invalidCursor' });
    const other = await get(
      `/Users?count=2&cursor=${cursor}&filter=${encodeURIComponent('active eq true')}`,
    );
    expect(other.body.scimType).toBe('invalidCursor');
    await new Promise((r) => setTimeout(r, 400));
    const expired = await get(`/Users?count=2&cursor=${cursor}`);
    expect(expired.body).toMatchObject({ status: '400', scimType: 'expiredCursor' });
  });
  it('rejects cursor together with startIndex', async () => {
    expect((await get('/Users?cursor=&startIndex=1')).status).toBe(400);
  });
});

describe('sandbox: POST .search', () => {
  it('searches one type and the root', async () => {
    const body = {
      schemas: [URN.searchRequest],
      filter: 'userName eq "case.test@example.com"',
      attributes: ['userName'],
    };
    const post = (path: string) =>
      fetch(`${sb.url}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/scim+json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, unknown>,
      }));
    const users = await post('/Users/.search');
    expect(users.status).toBe(200);
    expect(users.body.Resources).toEqual([
      { schemas: [URN.user], id: expect.any(String) as string, userName: 'Case.Test@Example.com' },
    ]);
    const root = await post('/.search');
    expect(root.body.totalResults).toBe(1);
  });
});
