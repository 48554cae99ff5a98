import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp, TransportOptions } from '../../engine/scim/transport/types';
import { startFaultServer, type FaultServer, type RecordedRequest } from '../servers/fault-server';

let server: FaultServer;
const opened: ScimHttp[] = [];
const open = (options: Omit<TransportOptions, 'baseUrl'>): ScimHttp => {
  const http = createScimHttp({
    baseUrl: `${server.url}/scim/v2`,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  opened.push(http);
  return http;
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

const scimCalls = (): RecordedRequest[] =>
  server.requests.filter((r) => r.path.startsWith('/scim/v2'));

describe('static credentials', () => {
  it('sends a bearer token, SCIM accept and user agent headers', async () => {
    const http = open({
      auth: { kind: 'bearer', token: 'tok-123' },
      userAgent: 'SCIM-Porter/test',
    });
    const res = await http.request({ method: 'GET', path: '/ServiceProviderConfig' });
    expect(res.status).toBe(200);
    const [req] = scimCalls();
    expect(req?.headers['authorization']).toBe('Bearer tok-123');
    expect(req?.headers['accept']).toBe('application/scim+json, application/json');
    expect(req?.headers['user-agent']).toBe('SCIM-Porter/test');
  });

  it('sends UTF-8 Basic credentials', async () => {
    const http = open({ auth: { kind: 'basic', username: 'zoë', password: 'pä ss' } });
    await http.request({ method: 'GET', path: '/Users' });
    const header = scimCalls()[0]?.headers['authorization'] ?? '';
    expect(Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8')).toBe('zoë:pä ss');
  });

  it('sends a custom header and no Authorization', async () => {
    const http = open({ auth: { kind: 'header', name: 'X-Api-Key', value: 'k-1' } });
    await http.request({ method: 'GET', path: '/Users' });
    expect(scimCalls()[0]?.headers['x-api-key']).toBe('k-1');
    expect(scimCalls()[0]?.headers['authorization']).toBeUndefined();
  });

  it('does not resend static credentials after a 401', async () => {
    server.setHandler(() => ({
      status: 401,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' },
    }));
    const http = open({ auth: { kind: 'bearer', token: 'bad' } });
    await expect(http.request({ method: 'GET', path: '/Users' })).rejects.toMatchObject({
      code: 'auth',
    });
    expect(scimCalls()).toHaveLength(1);
  });
});

describe('OAuth 2.0 client credentials (RFC 6749 §4.4)', () => {
  let issued = 0;
  const tokenCalls = (): RecordedRequest[] => server.received('/oauth/token', 'POST');

  function oauthServer(expiresIn: number, rejectFirstScimCall = false): void {
    issued = 0;
    let rejected = false;
    server.setHandler((req) => {
      if (req.path === '/oauth/token') {
        issued += 1;
        return {
          status: 200,
          contentType: 'application/json',
          body: { access_token: `at-${issued}`, token_type: 'Bearer', expires_in: expiresIn },
        };
      }
      if (rejectFirstScimCall && !rejected) {
        rejected = true;
        return { status: 401, body: { detail: 'token revoked' } };
      }
      const ok = req.headers['authorization'] === `Bearer at-${issued}`;
      return ok
        ? { status: 200, body: { ok: true } }
        : { status: 401, body: { detail: 'stale token' } };
    });
  }

  const oauth = (
    extra: Partial<Extract<TransportOptions['auth'], { kind: 'oauth2' }>> = {},
  ): TransportOptions['auth'] => ({
    kind: 'oauth2',
    tokenUrl: `${server.url}/oauth/token`,
    clientId: 'porter',
    clientSecret: 's3cret',
    scope: 'scim.read scim.write',
    ...extra,
  });

  it('fetches one token for many concurrent requests and reuses it', async () => {
    oauthServer(3600);
    const http = open({ auth: oauth() });
    await Promise.all(
      Array.from({ length: 6 }, () => http.request({ method: 'GET', path: '/Users' })),
    );
    await http.request({ method: 'GET', path: '/Groups' });
    expect(tokenCalls()).toHaveLength(1);
    const form = new URLSearchParams(tokenCalls()[0]?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('scim.read scim.write');
    expect(form.get('client_secret')).toBeNull();
    expect(tokenCalls()[0]?.headers['authorization']).toBe(
      `Basic ${Buffer.from('porter:s3cret').toString('base64')}`,
    );
    expect(scimCalls().every((r) => r.headers['authorization'] === 'Bearer at-1')).toBe(true);
  });

  it('can send client credentials in the body', async () => {
    oauthServer(3600);
    const http = open({ auth: oauth({ credentialsInBody: true }) });
    await http.request({ method: 'GET', path: '/Users' });
    const form = new URLSearchParams(tokenCalls()[0]?.body);
    expect(form.get('client_id')).toBe('porter');
    expect(form.get('client_secret')).toBe('s3cret');
    expect(tokenCalls()[0]?.headers['authorization']).toBeUndefined();
  });

  it('refreshes the token after it expires', async () => {
    oauthServer(1); // refreshed at 80 % of one second
    const http = open({ auth: oauth() });
    await http.request({ method: 'GET', path: '/Users' });
    await new Promise((r) => setTimeout(r, 900));
    await http.request({ method: 'GET', path: '/Users' });
    expect(tokenCalls()).toHaveLength(2);
    expect(scimCalls().map((r) => r.headers['authorization'])).toEqual([
      'Bearer at-1',
      'Bearer at-2',
    ]);
  });

  it('refreshes once on a 401 and retries the request', async () => {
    oauthServer(3600, true);
    const http = open({ auth: oauth() });
    const res = await http.request({ method: 'GET', path: '/Users' });
    expect(res.body).toEqual({ ok: true });
    expect(tokenCalls()).toHaveLength(2);
    expect(scimCalls()).toHaveLength(2);
  });

  it('turns a token endpoint error into an auth error with the OAuth error code', async () => {
    server.setHandler(() => ({
      status: 401,
      contentType: 'application/json',
      body: { error: 'invalid_client', error_description: 'Client authentication failed' },
    }));
    const http = open({ auth: oauth() });
    const err = await http.request({ method: 'GET', path: '/Users' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'auth' });
    const text = JSON.stringify((err as { toPayload(): unknown }).toPayload());
    expect(text).toContain('invalid_client');
    expect(text).toContain('Client authentication failed');
    expect(text).not.toContain('s3cret');
    expect(scimCalls()).toHaveLength(0);
  });
});
