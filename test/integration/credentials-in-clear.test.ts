/**
 * Issue 17 item 3: no credentials in clear anywhere. A user:password inside a proxy or OAuth token
 * URL is refused (never saved to connections.json, never listed); a Basic credential a server
 * echoes without its scheme, and secrets echoed JSON-escaped (`\/`), are scrubbed from errors;
 * an OAuth token URL over plain http:// to another machine gets the loud warning.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { plainHttpWarning } from '../../cli/connect';
import { createRouter, type Router } from '../../engine/api/router';
import { plainHttpWarnings } from '../../engine/connections/open-connection';
import { createEngine, type Engine } from '../../engine/create-engine';
import { createScimHttp } from '../../engine/scim/transport/http';
import type { ScimHttp } from '../../engine/scim/transport/types';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import { AppError } from '../../shared/errors/errors';
import { startFaultServer, type FaultServer } from '../servers/fault-server';

let dir: string;
let engine: Engine;
let router: Router;
let server: FaultServer;
const opened: ScimHttp[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-porter-clear-'));
  engine = await createEngine({ dataDir: dir, secrets: createMemorySecretStore() });
  router = createRouter(engine, { validateResponses: true });
  server = await startFaultServer();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((h) => h.close()));
});
afterAll(async () => {
  await engine.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: () => undefined,
    env,
    cwd: dir,
  };
  const code = await runCli(['--data-dir', dir, ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The error as the UI and the CLI get it (message and facts). */
function errorText(error: unknown): string {
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return JSON.stringify(error.toPayload());
}

/** Asks the transport for /Users while the server echoes `body`; returns the error as the UI gets it. */
async function echoed(auth: Parameters<typeof createScimHttp>[0]['auth'], body: string) {
  server.setHandler(() => ({ status: 400, body, contentType: 'application/json' }));
  const http = createScimHttp({ baseUrl: `${server.url}/scim/v2`, auth, retry: { maxRetries: 0 } });
  opened.push(http);
  const error: unknown = await http.request({ method: 'GET', path: '/Users' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return errorText(error);
}

describe('credentials inside URLs', () => {
  it('connections:save and connections:test refuse user:password in the proxy or token URL; nothing is saved', async () => {
    const proxied = {
      settings: {
        name: 'Proxied',
        baseUrl: 'https://scim.example/scim/v2',
        auth: { kind: 'bearer' },
        proxyUrl: 'http://proxyuser:proxy-pa55@127.0.0.1:3128',
      },
      secret: 'tok-proxied-1',
    };
    const oauth = {
      settings: {
        name: 'OAuth',
        baseUrl: 'https://scim.example/scim/v2',
        auth: {
          kind: 'oauth2',
          tokenUrl: 'https://porter:token-pa55@id.example/oauth/token',
          clientId: 'porter',
        },
      },
      secret: 'cs-1',
    };
    for (const [request, field] of [
      [proxied, 'proxyUrl'],
      [oauth, 'auth.tokenUrl'],
    ] as const) {
      for (const channel of ['connections:save', 'connections:test'] as const) {
        const result = await router.dispatch(channel, request);
        expect(result.ok, channel).toBe(false);
        if (!result.ok) {
          expect(result.error).toMatchObject({ code: 'invalid_request', fields: [field] });
          expect(result.error.message).toMatch(/does not save credentials inside a URL/);
          expect(JSON.stringify(result.error)).not.toMatch(/pa55/);
        }
      }
    }
    const file = await readFile(join(dir, 'connections.json'), 'utf8').catch(() => '');
    expect(file).not.toMatch(/pa55/);
  });

  it('a connections.json from before keeps its proxy password out of connections list', async () => {
    const legacy = join(dir, 'legacy');
    const profile = {
      id: 'p1',
      name: 'Old',
      kind: 'remote',
      baseUrl: 'https://scim.example/scim/v2',
      auth: { kind: 'oauth2', tokenUrl: 'https://u:token-pa55@id.example/t', clientId: 'c' },
      tls: { verify: true },
      proxyUrl: 'http://proxyuser:proxy-pa55@proxy.example:3128/',
      timeoutMs: 30000,
      maxConcurrency: 8,
      bulk: 'auto',
      createdAt: '',
      updatedAt: '',
    };
    await rm(legacy, { recursive: true, force: true });
    await mkdir(legacy);
    await writeFile(
      join(legacy, 'connections.json'),
      JSON.stringify({ version: 1, profiles: [profile] }),
    );
    for (const args of [
      ['connections', 'list'],
      ['connections', 'list', '--json'],
    ]) {
      const run = await cli(['--data-dir', legacy, ...args]);
      expect(run.code).toBe(0);
      expect(run.out + run.err).not.toMatch(/pa55/);
    }
    const legacyEngine = await createEngine({
      dataDir: legacy,
      secrets: createMemorySecretStore(),
    });
    const listed = await createRouter(legacyEngine).dispatch('connections:list', {});
    expect(JSON.stringify(listed)).not.toMatch(/pa55/);
    expect(JSON.stringify(listed)).toContain('proxy.example:3128');
    await legacyEngine.dispose();
  });

  it('the CLI refuses a password in --proxy and takes it from SCIM_PROXY_PASSWORD instead', async () => {
    const run = await cli(
      ['discover', '--url', `${server.url}/scim/v2`, '--proxy', 'http://u:cli-pa55@127.0.0.1:9'],
      {
        SCIM_TOKEN: 'tok-cli-1',
      },
    );
    expect(run.code).not.toBe(0);
    expect(run.err).toMatch(/--proxy must not contain a password/);
    expect(run.out + run.err).not.toMatch(/cli-pa55/);
    const add = await cli([
      'connections',
      'add',
      'P',
      '--url',
      'https://scim.example/scim/v2',
      '--proxy',
      'http://u:cli-pa55@127.0.0.1:9',
    ]);
    expect(add.code).not.toBe(0);
    expect(add.out + add.err).not.toMatch(/cli-pa55/);
  });
});

describe('the redactor catches echoed credentials in other shapes', () => {
  it('a Basic credential echoed without its scheme (base64 of user:password)', async () => {
    const pair = Buffer.from('ada:correct-horse-9').toString('base64');
    const text = await echoed(
      { kind: 'basic', username: 'ada', password: 'correct-horse-9' },
      JSON.stringify({ detail: `credential ${pair} is not allowed`, status: '400' }),
    );
    expect(text).toContain('is not allowed');
    expect(text).not.toContain(pair);
  });

  it('an OAuth client pair echoed without its scheme', async () => {
    const pair = Buffer.from('porter:cs-echo-77').toString('base64');
    server.setHandler((req) =>
      req.path === '/oauth/token'
        ? {
            status: 401,
            body: { error: 'invalid_client', error_description: `bad ${pair}` },
            contentType: 'application/json',
          }
        : { status: 200, body: {} },
    );
    const http = createScimHttp({
      baseUrl: `${server.url}/scim/v2`,
      auth: {
        kind: 'oauth2',
        tokenUrl: `${server.url}/oauth/token`,
        clientId: 'porter',
        clientSecret: 'cs-echo-77',
      },
      retry: { maxRetries: 0 },
    });
    opened.push(http);
    const error: unknown = await http.request({ method: 'GET', path: '/Users' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const text = errorText(error);
    expect(text).toContain('invalid_client');
    expect(text).not.toContain(pair);
  });

  it('a secret echoed JSON-escaped with \\/ (PHP and some Java servers)', async () => {
    const token = 'tok/with/slashes+9Zz';
    const text = await echoed(
      { kind: 'bearer', token },
      `{"detail":"token ${token.replace(/\//g, '\\/')} expired","status":"400"}`,
    );
    expect(text).toContain('expired');
    expect(text).not.toContain('tok\\\\/with');
    expect(text).not.toContain('with\\\\/slashes');
  });
});

describe('plain http for the OAuth token endpoint', () => {
  const oauth = (tokenUrl: string) =>
    ({ kind: 'oauth2', tokenUrl, clientId: 'c', clientSecret: 's' }) as const;

  it('warns like an insecure base URL, in the app and the CLI', () => {
    const app = plainHttpWarnings('https://scim.example/v2', oauth('http://id.example/token'));
    expect(app.map((w) => w.code)).toEqual(['plain_http_token_url']);
    expect(app[0]?.message).toMatch(
      /client secret and the access token cross the network unencrypted/,
    );
    const cli = plainHttpWarning({
      baseUrl: 'https://scim.example/v2',
      auth: oauth('http://id.example/token'),
    });
    expect(cli.join('\n')).toMatch(/^WARNING: the OAuth token URL uses plain http:\/\//);
    // Loopback and https token endpoints are fine.
    expect(
      plainHttpWarnings('https://scim.example/v2', oauth('http://127.0.0.1:8080/token')),
    ).toEqual([]);
    expect(plainHttpWarnings('https://scim.example/v2', oauth('https://id.example/token'))).toEqual(
      [],
    );
  });
});
