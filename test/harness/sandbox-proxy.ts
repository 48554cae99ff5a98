import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeHost } from './node-host';

export type SandboxProxy = {
  /** The saved connection that goes through the proxy. */
  id: string;
  close(): Promise<void>;
};

/**
 * A saved connection to the host's Local sandbox through a loopback proxy that can hold or slow
 * requests (`before` runs before each one is forwarded), so a test can watch a job in progress.
 */
export async function startSandboxProxy(
  host: NodeHost,
  options: {
    name: string;
    bulk?: 'auto' | 'never';
    before?: (req: IncomingMessage) => Promise<void>;
  },
): Promise<SandboxProxy> {
  const sandbox = host.engine.sandbox();
  if (!sandbox) throw new Error('the sandbox is not running');
  const target = new URL(sandbox.url);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        await options.before?.(req);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
        }
        const body = chunks.length ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${target.origin}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body && req.method !== 'GET' ? { body } : {}),
        });
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding') {
            out[k] = v;
          }
        });
        res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  const saved = await host.engine.connections.save({
    settings: {
      name: options.name,
      baseUrl: `http://127.0.0.1:${port}${target.pathname}`,
      auth: { kind: 'bearer' },
      ...(options.bulk ? { bulk: options.bulk } : {}),
    },
    secret: sandbox.token,
  });
  return {
    id: saved.id,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          done();
        });
      }),
  };
}
