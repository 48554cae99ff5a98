import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp, TransportOptions } from '../../engine/scim/transport/types';
import { AppError } from '../../shared/errors/errors';
import { startFaultServer, type FaultServer } from '../servers/fault-server';

const dir = join(import.meta.dirname, '..', 'fixtures', 'tls');
const pem = (name: string): string => readFileSync(join(dir, name), 'utf8');
const ca = pem('ca.pem');

let good: FaultServer;
let selfSigned: FaultServer;
let wrongHost: FaultServer;

beforeAll(async () => {
  [good, selfSigned, wrongHost] = await Promise.all([
    startFaultServer({ tls: { cert: pem('server.pem'), key: pem('server-key.pem') } }),
    startFaultServer({ tls: { cert: pem('self-signed.pem'), key: pem('self-signed-key.pem') } }),
    startFaultServer({ tls: { cert: pem('wrong-host.pem'), key: pem('wrong-host-key.pem') } }),
  ]);
});
afterAll(async () => {
  await Promise.all([good.close(), selfSigned.close(), wrongHost.close()]);
});

async function get(server: FaultServer, tls: TransportOptions['tls']): Promise<AppError | number> {
  const http: ScimHttp = createScimHttp({
    baseUrl: `${server.url}/scim/v2`,
    auth: { kind: 'bearer', token: 't' },
    tls,
    retry: { maxRetries: 0 },
  });
  try {
    return (await http.request({ method: 'GET', path: '/Users' })).status;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  } finally {
    await http.close();
  }
}

describe('TLS', () => {
  it('rejects a server signed by an unknown CA, and accepts it once the CA is added', async () => {
    const err = await get(good, undefined);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('tls');
    expect((err as AppError).message).toMatch(/unknown certificate authority/);
    expect(await get(good, { caCertsPem: [ca] })).toBe(200);
  });

  it('rejects a self-signed certificate with a tls error naming it', async () => {
    const err = (await get(selfSigned, { caCertsPem: [ca] })) as AppError;
    expect(err.code).toBe('tls');
    expect(err.message).toMatch(/self-signed/);
    expect(selfSigned.requests).toHaveLength(0);
  });

  it('rejects a certificate for another host name even from a trusted CA', async () => {
    const err = (await get(wrongHost, { caCertsPem: [ca] })) as AppError;
    expect(err.code).toBe('tls');
    expect(err.message).toMatch(/different host name/);
    expect(wrongHost.requests).toHaveLength(0);
  });

  it('connects to any of them with verify: false', async () => {
    expect(await get(selfSigned, { verify: false })).toBe(200);
    expect(await get(wrongHost, { verify: false })).toBe(200);
  });

  it('hints at https:// when plain http is spoken to a TLS port', async () => {
    const err = (await get(
      { ...good, url: good.url.replace('https:', 'http:') },
      undefined,
    )) as AppError;
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('network');
    expect(err.message).toContain('must start with https://');
  });
});
