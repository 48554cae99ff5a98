/**
 * The exporter's fast list against real loopback servers with the real transport: the sandbox,
 * deviation servers (page caps 50/100/200, short pages, cursor-only, 429 with Retry-After) and the
 * churn server, whose users change while the list runs. Results are compared with the servers'
 * stores.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openWithOptions, type OpenConnection } from '../../engine/connections/open-connection';
import { fastList, type FastListOptions, type FastListStats } from '../../engine/export/fast-list';
import { startSandbox } from '../../sandbox';
import { createPageFetcher, type ListQuery } from '../../engine/scim/list-request';
import type { TransportOptions } from '../../engine/scim/transport/types';
import { startChurnServer, type ChurnOptions, type ChurnServer } from '../servers/churn-server';
import { startDeviantServer, type DeviantOptions } from '../servers/deviant-server';
import { startGateProxy } from '../harness/gate-proxy';

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function connect(
  url: string,
  token: string,
  extra: Partial<TransportOptions> = {},
): Promise<OpenConnection> {
  const conn = await openWithOptions(
    { id: 't', name: 't', bulk: 'auto' },
    { baseUrl: url, auth: { kind: 'bearer', token }, timeoutMs: 10_000, ...extra },
  );
  closers.push(() => conn.close());
  return conn;
}

type Listed = { ids: string[]; stats: FastListStats; ms: number };

/** Lists /Users through the fast list with a real page fetcher. */
async function listUsers(
  conn: OpenConnection,
  opts: Partial<FastListOptions> = {},
  query: ListQuery = {},
): Promise<Listed> {
  const fetcher = createPageFetcher(
    conn.http,
    '/Users',
    { attributes: ['userName'], ...query },
    (r) => conn.client.normalise(r),
  );
  const started = performance.now();
  const list = fastList(fetcher, {
    // Discovery prefers cursors where both work; most tests here exercise index pages.
    mode: 'index',
    pageSize: 100,
    concurrency: 8,
    ...opts,
  });
  const ids: string[] = [];
  for await (const r of list) ids.push(r.id ?? '');
  return { ids, stats: list.stats, ms: performance.now() - started };
}

/** Pages of a capped index walk: the first page, then pages advancing by cap − 1 (overlap 1). */
const cappedPages = (total: number, cap: number): number =>
  1 + Math.ceil((total - cap) / (cap - 1));

describe('fast list against the sandbox', () => {
  it('reads 3,000 users by concurrent index pages, in order, each once', async () => {
    const server = await startSandbox({ port: 0, seed: 3000 });
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    const expected = server.store.list('User').map((u) => u.id);
    const { ids, stats } = await listUsers(conn, { pageSize: 100, concurrency: 8 });
    expect(ids).toEqual(expected);
    expect(stats).toMatchObject({
      mode: 'index',
      pages: cappedPages(3000, 100),
      items: 3000,
      duplicatesDropped: 0,
      gapFills: 0,
      shiftedBoundaries: 0,
      possiblyMissing: 0,
      finalTotalResults: 3000,
      verification: { ran: false, found: 0 },
      concurrentPages: 8,
    });
  });

  it('restarts a cursor that expired while the consumer was busy', async () => {
    // The server's clock is a fake one the test moves: no race with real time under load.
    let clock = 0;
    const server = await startSandbox({
      port: 0,
      seed: 300,
      features: { cursorTimeout: 1 },
      now: () => clock,
    });
    closers.push(() => server.close());
    const proxy = await startGateProxy(server.url);
    closers.push(() => proxy.close());
    const conn = await connect(proxy.url, server.token);
    const probes = proxy.answered.length; // discovery's own requests, before the list starts
    const fetcher = createPageFetcher(conn.http, '/Users', {});
    const list = fastList(fetcher, { mode: 'cursor', pageSize: 50, concurrency: 1 });
    const pages = () => proxy.answered.slice(probes).length;
    const ids: string[] = [];
    for await (const r of list) {
      ids.push(r.id ?? '');
      if (ids.length === 50) {
        // The lookahead has used page 2's cursor; once it is answered, time passes beyond the
        // timeout, so page 3's cursor (issued with page 2) has expired when it is presented.
        while (pages() < 2) await new Promise((res) => setImmediate(res));
        clock += 5_000;
      }
    }
    expect(ids).toEqual(server.store.list('User').map((u) => u.id));
    expect(list.stats).toMatchObject({ restarts: 1, duplicatesDropped: 100, possiblyMissing: 0 });
  });

  it('reads them by pipelined cursor pages too', async () => {
    const server = await startSandbox({ port: 0, seed: 1000 });
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    const expected = server.store.list('User').map((u) => u.id);
    const { ids, stats } = await listUsers(conn, { mode: 'cursor', pageSize: 100 });
    expect(ids).toEqual(expected);
    expect(stats).toMatchObject({ mode: 'cursor', pages: 10, restarts: 0, possiblyMissing: 0 });
  });
});

describe('fast list against deviation servers', () => {
  it.each([50, 100, 200])('follows a page cap of %i', async (cap) => {
    const server = await startDeviantServer({ seed: 1234, pageCap: cap });
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    const before = server.requests.length;
    const { ids, stats } = await listUsers(conn, { pageSize: 500, concurrency: 6 });
    expect(ids).toEqual(server.sandbox.list('User').map((u) => u.id));
    const pages = cappedPages(1234, cap);
    expect(stats).toMatchObject({ pages, gapFills: 0, possiblyMissing: 0, duplicatesDropped: 0 });
    const lists = server.requests.slice(before).filter((r) => r.path.endsWith('/Users'));
    // Every page after the first asks for the cap the first page revealed; then one count=0.
    expect(lists).toHaveLength(pages + 1);
    expect(lists[0]?.query).toMatchObject({ startIndex: '1', count: '500' });
    expect(lists.slice(1, -1).every((r) => r.query.count === String(cap))).toBe(true);
    expect(lists.at(-1)?.query).toMatchObject({ startIndex: '1', count: '0' });
  });

  it('fills short pages and still delivers every user once, in order', async () => {
    const server = await startDeviantServer({ seed: 1500, shortPages: true });
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    const { ids, stats } = await listUsers(conn, { pageSize: 100, concurrency: 8 });
    expect(ids).toEqual(server.sandbox.list('User').map((u) => u.id));
    expect(stats.gapFills).toBeGreaterThan(0);
    expect(stats).toMatchObject({ possiblyMissing: 0, shiftedBoundaries: 0, duplicatesDropped: 0 });
  });

  it('follows a cursor-only server, by discovery and when asked for index pages', async () => {
    const server = await startDeviantServer({ seed: 800, cursorOnly: true, pageCap: 100 });
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    expect(conn.discovery.effective.paging).toBe('cursor');
    const expected = server.sandbox.list('User').map((u) => u.id);
    const byCursor = await listUsers(conn, {
      mode: conn.discovery.effective.paging,
      pageSize: 100,
    });
    expect(byCursor.ids).toEqual(expected);
    expect(byCursor.stats).toMatchObject({ mode: 'cursor', pages: 8, switchedToCursor: false });
    const forced = await listUsers(conn, { mode: 'index', pageSize: 100 });
    expect(forced.ids).toEqual(expected);
    expect(forced.stats).toMatchObject({ mode: 'cursor', pages: 8, switchedToCursor: true });
    expect(forced.stats.concurrentPages).toBe(1);
  });

  it('gets every user exactly once through 429s with Retry-After (the transport waits and retries)', async () => {
    const options: DeviantOptions = {
      seed: 400,
      pageCap: 50,
      // The planned pages leave together, so more than 4 arrive within one second.
      rateLimit: { perSecond: 4, retryAfter: 'seconds' },
    };
    const server = await startDeviantServer(options);
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    const before = server.requests.length;
    const t0 = conn.http.stats();
    const { ids, stats } = await listUsers(conn, { pageSize: 50, concurrency: 8 });
    const t1 = conn.http.stats();
    expect(ids).toEqual(server.sandbox.list('User').map((u) => u.id));
    const pages = cappedPages(400, 50);
    expect(stats).toMatchObject({ pages, items: 400, possiblyMissing: 0, duplicatesDropped: 0 });
    const sent = server.requests.slice(before);
    // Each page (and the final count) was answered once; every other request was a 429 retried.
    expect(t1.requests - t0.requests).toBe(pages + 1);
    expect(t1.throttled - t0.throttled).toBeGreaterThan(0);
    expect(sent).toHaveLength(pages + 1 + (t1.throttled - t0.throttled));
    expect(t1.failures - t0.failures).toBe(0);
  });

  it('keeps pages in flight instead of one page at a time (latency 40 ms)', async () => {
    const server = await startDeviantServer({ seed: 2000, pageCap: 100, latencyMs: 40 });
    closers.push(() => server.close());
    const conn = await connect(server.url, server.token);
    const one = await listUsers(conn, { pageSize: 100, concurrency: 1 });
    const eight = await listUsers(conn, { pageSize: 100, concurrency: 8 });
    expect(eight.ids).toEqual(one.ids);
    expect(one.stats.concurrentPages).toBe(1);
    expect(eight.stats.concurrentPages).toBe(8);
    // How much faster that is is a figure for bench/export-throughput.ts, not a timed assertion.
  });
});

describe('fast list while the server changes (churn server)', () => {
  /** Starts a churn server, connects without churn, then lists with the server churning. */
  async function churnRun(
    options: ChurnOptions,
    list: Partial<FastListOptions>,
    query: ListQuery = {},
  ): Promise<{ server: ChurnServer; listed: Listed; before: Set<string>; after: Set<string> }> {
    const server = await startChurnServer(options);
    closers.push(() => server.close());
    server.setChurning(false);
    const conn = await connect(server.url, server.token);
    const before = server.liveUserIds();
    server.setChurning(true);
    const listed = await listUsers(conn, list, query);
    server.setChurning(false);
    return { server, listed, before, after: server.liveUserIds() };
  }

  /** Users that existed for the whole list but were not delivered. */
  function missedSurvivors(r: { listed: Listed; before: Set<string>; after: Set<string> }) {
    const got = new Set(r.listed.ids);
    return [...r.before].filter((id) => r.after.has(id) && !got.has(id));
  }

  function expectSound(r: {
    server: ChurnServer;
    listed: Listed;
    before: Set<string>;
    after: Set<string>;
  }): void {
    const { ids } = r.listed;
    expect(new Set(ids).size).toBe(ids.length);
    // Nothing invented: every id existed at some point.
    expect(ids.filter((id) => !r.before.has(id) && !r.server.inserted.has(id))).toEqual([]);
    expect(r.server.deleted.size).toBeGreaterThan(0);
  }

  const churn: ChurnOptions = {
    seed: 2000,
    pageCap: 100,
    latencyMs: 2,
    deleteEveryNthList: 1,
    insertEveryNthList: 1,
    perChange: 3,
  };

  it('index pages in creation order: no duplicates, every survivor delivered, verified', async () => {
    const r = await churnRun(churn, { pageSize: 100, concurrency: 8 });
    expectSound(r);
    expect(missedSurvivors(r)).toEqual([]);
    const s = r.listed.stats;
    expect(s.verification?.ran).toBe(true);
    expect(s.finalTotalResults).toBe(r.after.size);
    expect(s.possiblyMissing).toBeGreaterThanOrEqual(
      Math.max(0, r.after.size - r.listed.ids.length),
    );
  });

  it('index pages sorted by userName (inserts land mid-list): every survivor delivered', async () => {
    const r = await churnRun(
      { ...churn, randomSeed: 7 },
      { pageSize: 100, concurrency: 8 },
      { sortBy: 'userName' },
    );
    expectSound(r);
    expect(missedSurvivors(r)).toEqual([]);
    expect(r.listed.stats.verification?.ran).toBe(true);
    expect(r.listed.stats.finalTotalResults).toBe(r.after.size);
  });

  it.each([1, 2, 3])(
    'without verification (seed %i), whatever the first pass missed is reported',
    async (randomSeed) => {
      const r = await churnRun(
        { ...churn, randomSeed },
        { pageSize: 100, concurrency: 8, verify: 'never' },
      );
      expectSound(r);
      const s = r.listed.stats;
      expect(s.verification).toEqual({ ran: false, found: 0 });
      // The list shifted under concurrent pages: detected at page boundaries.
      expect(s.shiftedBoundaries).toBeGreaterThan(0);
      const missed = missedSurvivors(r);
      if (missed.length > 0) expect(s.possiblyMissing).toBeGreaterThan(0);
      expect(s.possiblyMissing).toBeGreaterThanOrEqual(missed.length > 0 ? 1 : 0);
    },
  );

  it('cursor pages: no duplicates and every survivor delivered', async () => {
    const r = await churnRun({ ...churn, randomSeed: 11 }, { mode: 'cursor', pageSize: 100 });
    expectSound(r);
    expect(missedSurvivors(r)).toEqual([]);
    expect(r.listed.stats.mode).toBe('cursor');
    expect(r.listed.stats.finalTotalResults).toBe(r.after.size);
  });
});
