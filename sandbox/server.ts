/**
 * Starts the built-in sandbox SCIM server on loopback: a real RFC 7643/7644 service provider
 * with demo data, optional persistence, and switchable features for testing clients against.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resolveFeatures, type SandboxFeatures } from './features';
import { SANDBOX_BASE_PATH, createSandboxHandler } from './handler';
import { createSaver, loadStore, type Saver } from './persistence';
import { seedDemoData } from './seed';
import { createSandboxStore, type SandboxStore } from './store';
import { withWriteFaults } from './write-faults';

type SandboxOptions = {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Bearer token clients must send; default a random 32-byte hex string. */
  token?: string;
  /** Persist here (JSON Lines); omit to keep data in memory only. */
  dataDir?: string;
  /** Demo users created on first start when the store is empty; default 50; false for none. */
  seed?: number | false;
  features?: Partial<SandboxFeatures>;
  /** Called when a background save fails (the server keeps running). */
  onPersistError?: (error: unknown) => void;
  /** The clock cursors are issued and expired by (tests pass a fake one); default Date.now. */
  now?: () => number;
};

export type SandboxHandle = {
  /** e.g. `http://127.0.0.1:41234/scim/v2` */
  url: string;
  token: string;
  port: number;
  /** Stops listening, closes open connections and writes pending data. */
  close(): Promise<void>;
  /** Direct access for tests: counts, lookups, writes. */
  store: SandboxStore;
};

const SAVE_DELAY_MS = 500;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts a sandbox server. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('hex');
  const features = resolveFeatures(options.features);
  const store = createSandboxStore({ uniqueness: features.uniqueness });
  let saver: Saver | undefined;
  // Seed only on first start: a data file that exists but is empty was emptied on purpose.
  const loaded = options.dataDir !== undefined && (await loadStore(store, options.dataDir));
  const seed = options.seed ?? 50;
  if (!loaded && seed !== false && seed > 0) {
    seedDemoData(store, seed);
  }
  if (options.dataDir !== undefined) {
    const dataDir = options.dataDir;
    saver = createSaver(store, dataDir, SAVE_DELAY_MS, options.onPersistError ?? (() => undefined));
    const s = saver;
    store.onChange(() => {
      s.schedule();
    });
    s.schedule();
  }
  const sockets = new Set<Socket>();
  const server = createServer(
    withWriteFaults(
      createSandboxHandler(store, features, token, options.now),
      features.writeFaults,
    ),
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}${SANDBOX_BASE_PATH}`,
    token,
    port,
    store,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
          server.closeIdleConnections();
          for (const s of sockets) {
            s.destroy();
          }
        });
        await saver?.flush();
      })();
      return closing;
    },
  };
}
