import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../../../../engine/api/router';
import { createEngine, type Engine } from '../../../../engine/create-engine';
import { createMemorySecretStore } from '../../../../engine/secrets/memory-secret-store';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { Result } from '../../../../shared/util/result';

function failure(result: Result<unknown>): ErrorPayload {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('router (real engine, no sandbox)', () => {
  let dir: string;
  let engine: Engine;
  let router: Router;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-porter-router-'));
    engine = await createEngine({
      dataDir: dir,
      secrets: createMemorySecretStore(
        {},
        { backend: 'memory', secure: false, warning: 'test only' },
      ),
    });
    router = createRouter(engine, { platform: 'testos', validateResponses: true });
  });
  afterAll(async () => {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers app:info with version, platform and the secret storage status', async () => {
    const result = await router.dispatch('app:info', {});
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'SCIM Porter',
        version: engine.version,
        platform: 'testos',
        secretStorage: { backend: 'memory', secure: false, warning: 'test only' },
      },
    });
  });

  it('refuses unknown channels', async () => {
    const error = failure(await router.dispatch('fs:readFile', { path: '/etc/passwd' }));
    expect(error.code).toBe('invalid_request');
  });

  it('lists the failing field paths of a bad request, never the values sent', async () => {
    const secret = 'sekrit-value-123';
    const error = failure(
      await router.dispatch('connections:save', {
        settings: { name: '', baseUrl: 42, auth: { kind: 'basic' }, timeoutMs: 'soon' },
        secret,
        extra: 'nope',
      }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.fields).toEqual(
      expect.arrayContaining([
        'settings.name',
        'settings.baseUrl',
        'settings.auth.username',
        'settings.timeoutMs',
        '(request)',
      ]),
    );
    expect(error.message).toContain('settings.baseUrl');
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain('soon');
    // Nothing reached the engine.
    expect(await readFile(join(dir, 'connections.json'), 'utf8').catch(() => 'absent')).toBe(
      'absent',
    );
  });

  it('names the draft fields of a bad test request and requires an id or settings', async () => {
    const bad = failure(
      await router.dispatch('connections:test', {
        settings: { name: 'x', auth: { kind: 'bearer' } },
      }),
    );
    expect(bad.fields).toEqual(['settings.baseUrl']);
    expect(failure(await router.dispatch('connections:test', {})).fields).toEqual(['id']);
  });

  it('rejects a non-object request', async () => {
    expect(failure(await router.dispatch('connections:list', 'all')).code).toBe('invalid_request');
    expect(failure(await router.dispatch('connections:remove', undefined)).fields).toEqual([
      '(request)',
    ]);
  });

  it('saves, lists and removes through the engine, never returning the secret', async () => {
    const saved = await router.dispatch('connections:save', {
      settings: {
        name: 'Staging',
        baseUrl: 'https://scim.example.com/v2',
        auth: { kind: 'bearer' },
      },
      secret: 'tok-123456',
    });
    expect(saved.ok).toBe(true);
    expect(JSON.stringify(saved)).not.toContain('tok-123456');
    const id = saved.ok ? (saved.value as { id: string; hasSecret: boolean }).id : '';
    expect(saved.ok && (saved.value as { hasSecret: boolean }).hasSecret).toBe(true);

    const list = await router.dispatch('connections:list', {});
    expect(list.ok && (list.value as { name: string }[]).map((c) => c.name)).toEqual(['Staging']);

    expect(await router.dispatch('connections:remove', { id })).toEqual({
      ok: true,
      value: { id },
    });
    const again = failure(await router.dispatch('connections:remove', { id }));
    expect(again.code).toBe('not_found');
  });

  it('maps engine errors to their payloads (testing a connection that does not exist)', async () => {
    const error = failure(await router.dispatch('connections:test', { id: 'no-such-id' }));
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('no-such-id');
    expect(JSON.stringify(error)).not.toMatch(/\[object Object\]|\n\s+at /);
  });
});
