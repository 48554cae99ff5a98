import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { startEngineHost, type EngineHost } from '../../engine/host/engine-host';
import type { SecretStore } from '../../engine/ports';
import { contentSecurityPolicy } from '../../electron/main/policy/csp';
import { createMemorySecretStore } from '../../engine/secrets/memory-secret-store';
import { forkSourceEngine } from './engine-process';
import { createScriptedDesktop, type ScriptedDesktop } from './scripted-desktop';
import { createSeedEngine, liveSandboxUrl, type SeedEngine } from './seed-engine';

/** Where `npx electron-vite build` puts the renderer. */
const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

const MAX_BODY_BYTES = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export type NodeHost = {
  /** Origin serving the renderer and the bridge, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The engine's temp data folder (connections.json lives here). */
  dataDir: string;
  /** Seeding and inspection from the test process (the engine itself runs in its own process). */
  engine: SeedEngine;
  /** The engine process behind the bridge, as main sees it. */
  engineHost: EngineHost;
  /** Native dialogs, taskbar progress and notifications, scripted by the test. */
  desktop: ScriptedDesktop;
  /** Every event the engine emitted, in order. */
  events: { event: string; payload: unknown }[];
  /** Pushes an event to connected pages as the engine would. */
  emit(event: string, payload: unknown): void;
  close(): Promise<void>;
};

type NodeHostOptions = {
  rendererDir?: string;
  secrets?: SecretStore;
  /** Start the built-in sandbox and its "Local sandbox" profile, as the app does (default true). */
  sandbox?: boolean;
};

/**
 * The e2e stand-in for Electron main: like main, it runs the engine and its router in their own
 * process (a Node child through the same engine host main uses) and forwards to it, behind one
 * loopback origin that also serves the built renderer, so the shipped CSP ('self') holds unchanged.
 * `POST /__bridge/invoke` → the engine process's router; `GET /__bridge/events` → its events as SSE.
 * Native dialogs and secrets stay in this process, served to the engine process as main serves them.
 */
export async function startNodeHost(options: NodeHostOptions = {}): Promise<NodeHost> {
  const rendererDir = options.rendererDir ?? RENDERER_DIR;
  await stat(join(rendererDir, 'index.html')).catch((e: unknown) => {
    throw new Error(`No built renderer at ${rendererDir}: run "npx electron-vite build" first.`, {
      cause: e,
    });
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'scim-porter-e2e-'));
  const events: NodeHost['events'] = [];
  const streams = new Set<ServerResponse>();
  const emit = (event: string, payload: unknown): void => {
    events.push({ event, payload });
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const res of streams) res.write(frame);
  };
  const desktop = createScriptedDesktop();
  const secrets = options.secrets ?? createMemorySecretStore();
  const withSandbox = options.sandbox ?? true;
  // Chosen here so tests can seed the sandbox over HTTP, as they could when it ran in-process.
  const sandboxToken = randomBytes(32).toString('hex');
  const engineHost = startEngineHost({
    spawn: () => forkSourceEngine(),
    start: {
      dataDir,
      // As in the app: the page may only name files chosen in a (scripted) dialog or dropped.
      fileAccess: 'chosen',
      sandbox: { enabled: withSandbox, token: sandboxToken },
      validateResponses: true,
    },
    ports: { desktop, secrets },
    emit,
  });
  let sandbox: { url: string; token: string } | undefined;
  try {
    await engineHost.ready();
    if (withSandbox) sandbox = { url: await liveSandboxUrl(engineHost), token: sandboxToken };
  } catch (e) {
    await engineHost.dispose();
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const engine = createSeedEngine(dataDir, secrets, sandbox);
  let origin = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(e instanceof Error ? e.message : String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/__bridge/invoke' && req.method === 'POST') {
      // Only our own page may call the engine (the HTTP twin of isTrustedSender).
      if (req.headers.origin !== origin) {
        res.writeHead(403).end();
        return;
      }
      const body = JSON.parse(await readBody(req)) as { channel?: unknown; request?: unknown };
      const result = await engineHost.dispatch(String(body.channel), body.request);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      return;
    }
    if (url.pathname === '/__bridge/dropped' && req.method === 'POST') {
      // The twin of the preload's `files:dropped`: the shim reports a dropped file's path.
      if (req.headers.origin !== origin) {
        res.writeHead(403).end();
        return;
      }
      engineHost.grant(await readBody(req));
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/__bridge/events' && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => {
        streams.delete(res);
      });
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    await serveStatic(url.pathname, res);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
    const file = resolve(rendererDir, `.${relative}`);
    const inside = file.startsWith(resolve(rendererDir) + sep);
    const info = inside ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy(),
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', done);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    dataDir,
    engine,
    engineHost,
    desktop,
    events,
    emit,
    async close() {
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      });
      await engineHost.dispose();
      engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      done(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
