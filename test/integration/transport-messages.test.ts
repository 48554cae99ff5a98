/**
 * Issue 17 item 7: messages that used to point at the wrong thing. An OAuth token endpoint that
 * answers with a redirect is reported as a redirect (not as refused credentials, and the secret
 * is not sent on), and a proxy nobody listens on is named as the proxy (not the SCIM server).
 */
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp, TransportOptions } from '../../engine/scim/transport/types';
import { startFaultServer, type FaultServer } from '../servers/fault-server';

let server: FaultServer;
let elsewhere: FaultServer;
const opened: ScimHttp[] = [];
const open = (options: Omit<TransportOptions, 'baseUrl'>): ScimHttp => {
  const http = createScimHttp({
    baseUrl: `${server.url}/scim/v2`,
    retry: { maxRetries: 0, baseDelayMs: 5, maxDelayMs: 10 },
    ...options,
  });
  opened.push(http);
  return http;
};

/** A 127.0.0.1 port with nothing listening on it (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((r) =>
    probe.close(() => {
      r();
    }),
  );
  return port;
}

beforeAll(async () => {
  server = await startFaultServer();
  elsewhere = await startFaultServer();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
  server.requests.length = 0;
  elsewhere.requests.length = 0;
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});

describe('misleading messages', () => {
  it('an OAuth token endpoint answering a redirect is reported as a redirect, and not followed', async () => {
    server.setHandler((req) =>
      req.path === '/oauth/token'
        ? { status: 302, headers: { location: `${elsewhere.url}/oauth/token` }, body: '' }
        : { status: 200, body: {} },
    );
    const http = open({
      auth: {
        kind: 'oauth2',
        tokenUrl: `${server.url}/oauth/token`,
        clientId: 'porter',
        clientSecret: 'client-secret-value',
      },
    });
    const failure = http.request({ method: 'GET', path: '/Users' });
    await expect(failure).rejects.toMatchObject({ code: 'auth', facts: { status: 302 } });
    const error: unknown = await failure.then(
      () => undefined,
      (e: unknown) => e,
    );
    const message = error instanceof Error ? error.message : '';
    expect(message).toMatch(/answered with a redirect \(HTTP 302 to http:\/\/127\.0\.0\.1/);
    expect(message).not.toMatch(/refused the client credentials/);
    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requests.filter((r) => r.path.startsWith('/scim'))).toHaveLength(0);
  });

  it('an unreachable proxy is named as the proxy, for SCIM requests and the token endpoint', async () => {
    const port = await closedPort();
    const proxyUrl = `http://127.0.0.1:${port}`;
    const scim = open({ auth: { kind: 'bearer', token: 'tok-abc-123' }, proxyUrl });
    const direct = scim.request({ method: 'GET', path: '/Users' });
    await expect(direct).rejects.toMatchObject({ code: 'network' });
    await expect(direct).rejects.toThrow(`The proxy 127.0.0.1:${port} could not be reached`);

    const oauth = open({
      auth: {
        kind: 'oauth2',
        tokenUrl: `${server.url}/oauth/token`,
        clientId: 'porter',
        clientSecret: 'client-secret-value',
      },
      proxyUrl,
    });
    await expect(oauth.request({ method: 'GET', path: '/Users' })).rejects.toThrow(
      `The proxy 127.0.0.1:${port} could not be reached`,
    );
    expect(server.requests).toHaveLength(0);
  });
});
