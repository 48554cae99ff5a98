import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/create-engine';
import { secretKey } from '../../engine/connections/connection-service';
import { startSandbox, type SandboxHandle } from '../../sandbox';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import { AppError } from '../../shared/errors/errors';

describe('connection profiles against a real sandbox server', () => {
  let dir: string;
  let server: SandboxHandle;
  let engine: Engine;
  const secrets = createMemorySecretStore();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-conn-'));
    server = await startSandbox({ port: 0, seed: 5, features: { bulkMaxOperations: 7 } });
    engine = await createEngine({ dataDir: dir, secrets, sandbox: { enabled: true, seed: 3 } });
  });
  afterAll(async () => {
    await engine.dispose();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens on a ready Local sandbox connection that tests fine', async () => {
    const list = await engine.connections.list();
    const sandbox = list.find((c) => c.kind === 'sandbox');
    expect(sandbox?.name).toBe('Local sandbox');
    expect(sandbox?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(sandbox?.hasSecret).toBe(true);
    const d = await engine.connections.test({ id: sandbox!.id });
    expect(d.serviceProviderConfig.patch.supported).toBe(true);
  });

  it('saves a profile without its secret on disk, tests it, and removes it with its secret', async () => {
    const saved = await engine.connections.save({
      settings: { name: 'Staging', baseUrl: server.url + '/', auth: { kind: 'bearer' } },
      secret: server.token,
    });
    expect(saved.baseUrl).toBe(server.url); // trailing slash tolerated and removed
    expect(saved.hasSecret).toBe(true);
    const onDisk = await readFile(join(dir, 'connections.json'), 'utf8');
    expect(onDisk).toContain('Staging');
    expect(onDisk).not.toContain(server.token);

    const d = await engine.connections.test({ id: saved.id });
    expect(d.serviceProviderConfig.bulk.supported).toBe(true);
    expect(d.serviceProviderConfig.bulk.maxOperations).toBe(7);
    expect(d.resourceTypes.map((r) => r.name).sort()).toEqual(['Group', 'User']);

    await engine.connections.remove(saved.id);
    expect((await engine.connections.list()).some((c) => c.id === saved.id)).toBe(false);
    expect(await secrets.get(secretKey(saved.id))).toBeUndefined();
  });

  it('keeps the stored secret on edit when none is given, and refuses duplicate names', async () => {
    const a = await engine.connections.save({
      settings: { name: 'Prod', baseUrl: server.url, auth: { kind: 'bearer' } },
      secret: server.token,
    });
    const edited = await engine.connections.save({
      id: a.id,
      settings: {
        name: 'Prod EU',
        baseUrl: server.url,
        auth: { kind: 'bearer' },
        maxConcurrency: 4,
      },
    });
    expect(edited.hasSecret).toBe(true);
    expect(edited.maxConcurrency).toBe(4);
    await expect(
      engine.connections.save({
        settings: { name: 'prod eu', baseUrl: server.url, auth: { kind: 'bearer' } },
      }),
    ).rejects.toThrow(/already exists/);
  });

  it('tests an unsaved draft and reports a wrong token as an auth error', async () => {
    const ok = await engine.connections.test({
      settings: { name: 'Draft', baseUrl: server.url, auth: { kind: 'bearer' } },
      secret: server.token,
    });
    expect(ok.baseUrl).toBe(server.url);
    const err = await engine.connections
      .test({
        settings: { name: 'Draft', baseUrl: server.url, auth: { kind: 'bearer' } },
        secret: 'wrong',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('auth');
    expect((err as AppError).facts.status).toBe(401);
  });

  it('rejects bad settings with invalid_request and a missing secret with secret_unavailable', async () => {
    await expect(
      engine.connections.save({ settings: { name: '', baseUrl: 'x', auth: { kind: 'bearer' } } }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      engine.connections.test({
        settings: { name: 'N', baseUrl: server.url, auth: { kind: 'bearer' } },
      }),
    ).rejects.toMatchObject({ code: 'secret_unavailable' });
  });
});
