import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/log/logger';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp, TransportOptions } from '../../engine/scim/transport/types';
import { AppError } from '../../shared/errors/errors';
import { startFaultServer, type FaultServer } from '../servers/fault-server';

let server: FaultServer;
const opened: ScimHttp[] = [];
const open = (options: Partial<TransportOptions> = {}): ScimHttp => {
  const http = createScimHttp({
    baseUrl: `${server.url}/scim/v2`,
    auth: { kind: 'bearer', token: 'tok-abc-123' },
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  opened.push(http);
  return http;
};
const fail = (p: Promise<unknown>): Promise<AppError> =>
  p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => {
      if (!(e instanceof AppError)) throw e;
      return e;
    },
  );
const user = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: 'u1',
  userName: 'ada@example.com',
};

beforeAll(async () => {
  server = await startFaultServer();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
  server.requests.length = 0;
  server.setHandler(() => ({ status: 200, body: {} }));
});
afterAll(async () => {
  await server.close();
});

describe('requests on the wire', () => {
  it('encodes query values, sends JSON bodies and If-Match, and returns the ETag', async () => {
    server.enqueue({ status: 200, headers: { etag: 'W/"2"' }, body: user });
    const http = open();
    const res = await http.request({
      method: 'PUT',
      path: '/Users/u1',
      query: { attributes: 'userName,emails', filter: 'userName eq "ada+1@x.org"' },
      body: user,
      ifMatch: 'W/"1"',
    });
    const [req] = server.requests;
    expect(req?.query.get('filter')).toBe('userName eq "ada+1@x.org"');
    expect(req?.url).not.toContain(' ');
    expect(req?.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(req?.headers['if-match']).toBe('W/"1"');
    expect(JSON.parse(req?.body ?? '')).toEqual(user);
    expect(res.etag).toBe('W/"2"');
    expect(res.body).toEqual(user);
  });

  it('accepts an empty 204 and JSON sent as text/plain with lowercase list keys', async () => {
    server.enqueue(
      { status: 204 },
      {
        status: 200,
        contentType: 'text/plain',
        body: JSON.stringify({ totalResults: '1', resources: [user] }),
      },
    );
    const http = open();
    const patched = await http.request({
      method: 'PATCH',
      path: '/Users/u1',
      body: { Operations: [] },
    });
    expect(patched.status).toBe(204);
    expect(patched.body).toBeUndefined();
    const list = await http.request({ method: 'GET', path: '/Users' });
    expect(list.body).toEqual({ totalResults: 1, Resources: [user] });
  });

  it('reports an HTML page answered with 200 as not_scim', async () => {
    server.enqueue({
      status: 200,
      contentType: 'text/html',
      body: '<html><head><title>Sign in</title></head><body>login</body></html>',
    });
    const err = await fail(open().request({ method: 'GET', path: '/Users' }));
    expect(err.code).toBe('not_scim');
    expect(err.message).toContain('title: "Sign in"');
  });
});

describe('retries', () => {
  it('waits for Retry-After in seconds on 429, then succeeds', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '1' }, body: { detail: 'slow down' } });
    const http = open();
    const res = await http.request({ method: 'POST', path: '/Users', body: user });
    expect(res.status).toBe(200);
    const posts = server.received('/Users', 'POST');
    expect(posts).toHaveLength(2);
    expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(http.stats()).toMatchObject({ requests: 1, retries: 1, throttled: 1, failures: 0 });
  });

  it('waits for Retry-After given as an HTTP-date', async () => {
    const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
    server.enqueue({ status: 429, headers: { 'retry-after': at.toUTCString() } });
    const http = open();
    await http.request({ method: 'GET', path: '/Users' });
    const gets = server.received('/Users', 'GET');
    expect(gets).toHaveLength(2);
    expect((gets[1]?.at ?? 0) - (gets[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('retries a 503 and gives up with the server error after maxRetries', async () => {
    server.enqueue({ status: 503 });
    const http = open();
    expect((await http.request({ method: 'GET', path: '/Users' })).status).toBe(200);
    server.setHandler(() => ({ status: 503, body: { detail: 'maintenance' } }));
    const err = await fail(
      open({ retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } }).request({
        method: 'GET',
        path: '/Groups',
      }),
    );
    expect(err.toPayload()).toMatchObject({
      code: 'scim_http',
      status: 503,
      detail: 'maintenance',
    });
    expect(server.received('/Groups')).toHaveLength(3);
  });

  it('reports ECONNREFUSED as "Nothing is listening"', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => {
      probe.close(() => {
        r();
      });
    });
    const http = createScimHttp({
      baseUrl: `http://127.0.0.1:${port}/scim`,
      auth: { kind: 'none' },
      retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 5 },
    });
    opened.push(http);
    const err = await fail(http.request({ method: 'POST', path: '/Users', body: user }));
    expect(err.code).toBe('network');
    expect(err.message).toBe(`Nothing is listening at 127.0.0.1:${port}.`);
  });

  it('replays a GET whose connection dropped after it was received', async () => {
    server.enqueue({ kind: 'destroy-after-body' });
    const res = await open().request({ method: 'GET', path: '/Users/u1' });
    expect(res.status).toBe(200);
    expect(server.received('/Users/u1', 'GET')).toHaveLength(2);
  });

  it('never replays a POST whose connection dropped after it was received', async () => {
    server.enqueue({ kind: 'destroy-after-body' });
    const err = await fail(
      open().request({
        method: 'POST',
        path: '/Users',
        body: user,
        lookupKey: 'userName eq "ada@example.com"',
      }),
    );
    expect(err.toPayload()).toMatchObject({
      code: 'outcome_unknown',
      method: 'POST',
      lookupKey: 'userName eq "ada@example.com"',
    });
    expect(server.received('/Users', 'POST')).toHaveLength(1);
  });

  it('never replays a PATCH after a 504 from a gateway, but does replay it when marked idempotent', async () => {
    server.enqueue({ status: 504, contentType: 'text/plain', body: 'Gateway Timeout' });
    const err = await fail(open().request({ method: 'PATCH', path: '/Users/u1', body: {} }));
    expect(err.code).toBe('outcome_unknown');
    expect(server.received('/Users/u1', 'PATCH')).toHaveLength(1);
    server.enqueue({ status: 504 });
    await open().request({ method: 'PATCH', path: '/Users/u2', body: {}, idempotent: true });
    expect(server.received('/Users/u2', 'PATCH')).toHaveLength(2);
  });

  it('times out a hanging GET after retrying, and a hanging POST becomes outcome_unknown', async () => {
    server.setHandler(() => ({ kind: 'hang' }));
    const http = open({ timeoutMs: 300, retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 5 } });
    const started = performance.now();
    const err = await fail(http.request({ method: 'GET', path: '/Users' }));
    expect(err.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(server.received('/Users', 'GET')).toHaveLength(2);
    const post = await fail(http.request({ method: 'POST', path: '/Groups', body: {} }));
    expect(post.code).toBe('outcome_unknown');
    expect(server.received('/Groups', 'POST')).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    server.setHandler(() => ({ kind: 'hang' }));
    const controller = new AbortController();
    const pending = open().request({ method: 'GET', path: '/Users', signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 100);
    expect((await fail(pending)).code).toBe('cancelled');
  });
});

describe('quirks and secrets', () => {
  it('retries a Google-style quota 403 like a 429', async () => {
    server.enqueue({
      status: 403,
      contentType: 'application/json',
      body: { error: { errors: [{ reason: 'userRateLimitExceeded' }] } },
    });
    const http = open();
    expect((await http.request({ method: 'GET', path: '/Users' })).status).toBe(200);
    expect(server.received('/Users')).toHaveLength(2);
    expect(http.stats().throttled).toBe(1);
  });

  it('keeps the token out of logs and errors even when the server echoes it', async () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: { write: (l: string) => lines.push(l) }, level: 'debug' });
    server.enqueue(
      { status: 503 },
      {
        status: 400,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '400',
          detail: 'bad header Bearer tok-abc-123 (tok-abc-123)',
        },
      },
    );
    const http = createScimHttp(
      {
        baseUrl: `${server.url}/scim/v2`,
        auth: { kind: 'bearer', token: 'tok-abc-123' },
        retry: { baseDelayMs: 5, maxDelayMs: 5 },
      },
      { logger },
    );
    opened.push(http);
    const err = await fail(
      http.request({ method: 'GET', path: '/Users', query: { access_token: 'tok-abc-123' } }),
    );
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer tok-abc-123');
    expect(lines.length).toBeGreaterThan(0);
    const everything = lines.join('') + JSON.stringify(err.toPayload()) + err.message;
    expect(everything).not.toContain('tok-abc-123');
    expect(err.facts.detail).toContain('bad header');
  });
});

describe('limits', () => {
  it('holds a 20 requests/second cap', async () => {
    const http = open({ maxRequestsPerSecond: 20, maxConcurrency: 8 });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => http.request({ method: 'GET', path: `/Users/${i}` })),
    );
    // 30 requests spaced 50 ms apart cannot take less than 29 × 50 ms; a loaded machine only
    // makes it slower. The spacing itself (no one-second window above the cap) is proven with a
    // controlled clock in test/unit/engine/transport/limiters.test.ts: arrival times seen by a
    // server in this same process bunch up whenever the event loop is held up.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
    expect(server.requests).toHaveLength(30);
  });

  it('halves concurrency on 503s and grows it back on success', async () => {
    let active = 0;
    let peak = 0;
    let throttle = 6;
    server.setHandler(async () => {
      if (throttle > 0) {
        throttle -= 1;
        return { status: 503 };
      }
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 15));
      active -= 1;
      return { status: 200, body: {} };
    });
    const http = open({
      maxConcurrency: 8,
      retry: { maxRetries: 8, baseDelayMs: 5, maxDelayMs: 20 },
    });
    await Promise.all(
      Array.from({ length: 4 }, () => http.request({ method: 'GET', path: '/Users' })),
    );
    const afterThrottle = http.stats().concurrency;
    expect(afterThrottle).toBeLessThan(4);
    peak = 0;
    await Promise.all(
      Array.from({ length: 80 }, () => http.request({ method: 'GET', path: '/Users' })),
    );
    expect(http.stats().concurrency).toBeGreaterThanOrEqual(6);
    expect(peak).toBeGreaterThan(afterThrottle);
    expect(peak).toBeLessThanOrEqual(8);
    expect(http.stats().retries).toBe(6);
  });

  it('leaves slots alone on 429s: the rate limit is paced, not halved', async () => {
    let throttle = 4;
    server.setHandler(async () => {
      if (throttle > 0) {
        throttle -= 1;
        return { status: 429, headers: { 'retry-after': '0' } };
      }
      await new Promise((r) => setTimeout(r, 5));
      return { status: 200, body: {} };
    });
    const http = open({
      maxConcurrency: 8,
      retry: { maxRetries: 8, baseDelayMs: 5, maxDelayMs: 20 },
    });
    await Promise.all(
      Array.from({ length: 4 }, () => http.request({ method: 'GET', path: '/Users' })),
    );
    expect(http.stats().concurrency).toBeGreaterThanOrEqual(4);
    expect(http.stats().throttled).toBe(4);
    expect(http.pacing()).toMatchObject({ rateLimited: 4 });
  });
});

describe('proxy', () => {
  it('tunnels through an HTTP CONNECT proxy with proxy credentials', async () => {
    const connects: { target: string; auth: string | undefined }[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const { port } = proxy.address() as AddressInfo;
    try {
      const http = open({ proxyUrl: `http://pu:pp@127.0.0.1:${port}` });
      expect((await http.request({ method: 'GET', path: '/Users' })).status).toBe(200);
      await http.close();
      expect(connects[0]?.target).toBe(`127.0.0.1:${server.port}`);
      expect(connects[0]?.auth).toBe(`Basic ${Buffer.from('pu:pp').toString('base64')}`);
      expect(server.requests[0]?.headers['authorization']).toBe('Bearer tok-abc-123');
      expect(server.requests[0]?.headers['proxy-authorization']).toBeUndefined();
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => {
        proxy.close(() => {
          r();
        });
      });
    }
  });
});

describe('redirects', () => {
  it('follows a same-origin GET redirect with credentials', async () => {
    server.enqueue({ status: 301, headers: { location: '/scim/v2/Users/real' } });
    const res = await open().request({ method: 'GET', path: '/Users/old' });
    expect(res.status).toBe(200);
    expect(server.received('/Users/real')[0]?.headers['authorization']).toBe('Bearer tok-abc-123');
  });

  it('does not follow a redirect to another origin, so Authorization never leaves', async () => {
    const other = await startFaultServer();
    try {
      server.enqueue({ status: 302, headers: { location: `${other.url}/login?next=/scim` } });
      const err = await fail(open().request({ method: 'GET', path: '/Users' }));
      expect(err.message).toContain(`another origin (${other.url})`);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('does not resend a POST on redirect', async () => {
    server.enqueue({ status: 307, headers: { location: '/scim/v2/Users2' } });
    const err = await fail(open().request({ method: 'POST', path: '/Users', body: user }));
    expect(err.code).toBe('scim_http');
    expect(server.requests).toHaveLength(1);
  });
});
