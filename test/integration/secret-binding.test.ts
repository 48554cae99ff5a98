/**
 * Issue 17 item 2: a stored secret is bound to where it was entered. Through the IPC router (what
 * the renderer can call), edits to a saved connection's server origin, OAuth token URL, proxy or
 * custom header name cannot make main send the stored bearer token, client secret or API key
 * anywhere new: connections:save and connections:test refuse until the secret is typed again.
 * Two loopback servers on different ports are two origins; the second must never see a secret.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../../engine/api/router';
import { createEngine, type Engine } from '../../engine/create-engine';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import type { ConnectionSettingsInput } from '../../shared/connections/profile';
import type { ErrorPayload } from '../../shared/errors/payload';
import type { Channel } from '../../shared/ipc/channels';
import type { ResponseOf } from '../../shared/ipc/contract';
import { startFaultServer, type FaultServer } from '../servers/fault-server';

const TOKEN = 'stored-bearer-token-1234';
const CLIENT_SECRET = 'stored-client-secret-5678';
const API_KEY = 'stored-api-key-9012';

let dir: string;
let engine: Engine;
let router: Router;
let home: FaultServer;
let attacker: FaultServer;

async function call<C extends Channel>(channel: C, request: unknown): Promise<ResponseOf<C>> {
  const result = await router.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as ResponseOf<C>;
}

async function refused(channel: Channel, request: unknown): Promise<ErrorPayload> {
  const result = await router.dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} should have been refused`);
  return result.error;
}

/** Everything the attacker's server received, as one string (headers and bodies). */
function attackerSaw(): string {
  return JSON.stringify(attacker.requests);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-binding-'));
  engine = await createEngine({ dataDir: dir, secrets: createMemorySecretStore() });
  router = createRouter(engine, { validateResponses: true });
  home = await startFaultServer();
  attacker = await startFaultServer();
  home.setHandler((req) =>
    req.path === '/oauth/token'
      ? {
          status: 200,
          body: { access_token: 'at-1', expires_in: 3600 },
          contentType: 'application/json',
        }
      : { status: 404, body: {} },
  );
});
afterEach(() => {
  attacker.requests.length = 0;
  home.requests.length = 0;
});
afterAll(async () => {
  await engine.dispose();
  await home.close();
  await attacker.close();
  await rm(dir, { recursive: true, force: true });
});

type Case = {
  kind: string;
  secret: string;
  settings: ConnectionSettingsInput;
  /** The same settings with one change that would send the secret to the attacker. */
  moved: (s: ConnectionSettingsInput) => ConnectionSettingsInput;
};

const cases = (): Case[] => [
  {
    kind: 'bearer token, base URL origin',
    secret: TOKEN,
    settings: { name: 'Bearer', baseUrl: `${home.url}/scim/v2`, auth: { kind: 'bearer' } },
    moved: (s) => ({ ...s, baseUrl: `${attacker.url}/scim/v2` }),
  },
  {
    kind: 'OAuth client secret, token URL',
    secret: CLIENT_SECRET,
    settings: {
      name: 'OAuth',
      baseUrl: `${home.url}/scim/v2`,
      auth: { kind: 'oauth2', tokenUrl: `${home.url}/oauth/token`, clientId: 'porter' },
    },
    moved: (s) => ({
      ...s,
      auth: { kind: 'oauth2', tokenUrl: `${attacker.url}/oauth/token`, clientId: 'porter' },
    }),
  },
  {
    kind: 'API key, header name',
    secret: API_KEY,
    settings: {
      name: 'Header',
      baseUrl: `${home.url}/scim/v2`,
      auth: { kind: 'header', name: 'X-Api-Key' },
    },
    // Same origin, but a header name the server (or a proxy in front of it) would log.
    moved: (s) => ({ ...s, auth: { kind: 'header', name: 'X-Log-Me' } }),
  },
  {
    kind: 'bearer token, proxy',
    secret: TOKEN,
    settings: { name: 'Proxied', baseUrl: `${home.url}/scim/v2`, auth: { kind: 'bearer' } },
    moved: (s) => ({ ...s, proxyUrl: attacker.url }),
  },
];

describe('a stored secret is bound to where it was entered', () => {
  const KINDS = [
    'bearer token, base URL origin',
    'OAuth client secret, token URL',
    'API key, header name',
    'bearer token, proxy',
  ];
  it.each(KINDS)('%s: the page cannot send it to a new place', async (kind) => {
    const c = cases().find((x) => x.kind === kind);
    if (!c) throw new Error(`no case ${kind}`);
    const saved = await call('connections:save', { settings: c.settings, secret: c.secret });
    expect(saved.hasSecret).toBe(true);
    const moved = c.moved(c.settings);

    const tested = await refused('connections:test', { id: saved.id, settings: moved });
    expect(tested).toMatchObject({ code: 'invalid_request', fields: ['secret'] });
    expect(tested.message).toMatch(/enter the .+ again/);
    const save = await refused('connections:save', { id: saved.id, settings: moved });
    expect(save).toMatchObject({ code: 'invalid_request', fields: ['secret'] });
    // An empty secret field means "keep the stored one": refused the same way.
    expect(
      (await refused('connections:save', { id: saved.id, settings: moved, secret: '' })).code,
    ).toBe('invalid_request');
    // The saved profile is unchanged, so testing it goes home, not to the attacker.
    await router.dispatch('connections:test', { id: saved.id });
    expect(attacker.requests).toHaveLength(0);
    expect(attackerSaw()).not.toContain(c.secret);

    // Edits that keep the binding still reuse the stored secret.
    const renamed = await call('connections:save', {
      id: saved.id,
      settings: { ...c.settings, name: `${c.settings.name} (renamed)` },
    });
    expect(renamed.hasSecret).toBe(true);
    expect(attacker.requests).toHaveLength(0);
  });

  it('typing the secret again moves it (so the check above can see a request arrive)', async () => {
    const c = cases()[0];
    if (!c) throw new Error('no case');
    const saved = await call('connections:save', {
      settings: { ...c.settings, name: 'Retyped' },
      secret: TOKEN,
    });
    const moved = c.moved({ ...c.settings, name: 'Retyped' });
    await router.dispatch('connections:test', {
      id: saved.id,
      settings: moved,
      secret: 'typed-again-token',
    });
    expect(attacker.requests.length).toBeGreaterThan(0);
    expect(attackerSaw()).toContain('typed-again-token');
    expect(attackerSaw()).not.toContain(TOKEN);
    const after = await call('connections:save', {
      id: saved.id,
      settings: moved,
      secret: 'typed-again-token',
    });
    expect(after).toMatchObject({ hasSecret: true, baseUrl: `${attacker.url}/scim/v2` });
  });

  it('switching a connection to no authentication drops the stored secret', async () => {
    const saved = await call('connections:save', {
      settings: { name: 'To none', baseUrl: `${home.url}/scim/v2`, auth: { kind: 'bearer' } },
      secret: TOKEN,
    });
    const none = await call('connections:save', {
      id: saved.id,
      settings: { name: 'To none', baseUrl: `${attacker.url}/scim/v2`, auth: { kind: 'none' } },
    });
    expect(none.hasSecret).toBe(false);
    expect(await engine.secrets.get(`connection:${saved.id}`)).toBeUndefined();
  });
});
