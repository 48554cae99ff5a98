/**
 * A saved connection to the host's Local sandbox through a loopback proxy the test switches by
 * hand (no timing guesses): `limit()` answers every write 429 with Retry-After until `release()`,
 * `down()` stops listening (connections refused, as when the server stops) until `up()` listens on
 * the same port again. Every write is slowed a little so a run lasts long enough to watch.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeHost } from './node-host';

export type FaultProxy = {
  id: string;
  /** Writes answered so far with 429. */
  readonly limited: number;
  /** From the `afterWrites`-th write forwarded on, answer writes 429 (Retry-After in seconds). */
  limit(retryAfterSeconds: number, afterWrites?: number): void;
  release(): void;
  /** Stop listening once `afterWrites` writes have been forwarded (at once by default). */
  down(afterWrites?: number): void;
  /** Resolves once the proxy has stopped (after `down`). */
  whenDown(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
};

const isWrite = (req: IncomingMessage): boolean => req.method !== 'GET';

export async function startFaultProxy(
  host: NodeHost,
  options: { name: string; writeDelayMs?: number },
): Promise<FaultProxy> {
  const sandbox = host.engine.sandbox();
  if (!sandbox) throw new Error('the sandbox is not running');
  const target = new URL(sandbox.url);
  let retryAfter: number | undefined;
  let limited = 0;
  let listening = true;
  let writes = 0;
  const pending: { at: number; run: () => void }[] = [];
  let downed: () => void = () => undefined;
  const isDown = new Promise<void>((r) => {
    downed = r;
  });
  const countWrite = (): void => {
    writes += 1;
    for (const p of pending.splice(0)) {
      if (writes >= p.at) p.run();
      else pending.push(p);
    }
  };
  const when = (afterWrites: number, run: () => void): void => {
    if (writes >= afterWrites) run();
    else pending.push({ at: afterWrites, run });
  };
  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    if (!listening) {
      // Stopped: a request on a connection kept from before is refused and the connection closed.
      res.writeHead(503, { connection: 'close' }).end();
      return;
    }
    if (isWrite(req) && retryAfter !== undefined) {
      limited += 1;
      res.writeHead(429, {
        'retry-after': String(retryAfter),
        'content-type': 'application/scim+json',
      });
      res.end(
        JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
          status: '429',
          detail: 'Too many requests',
        }),
      );
      return;
    }
    if (isWrite(req)) {
      countWrite();
      if (options.writeDelayMs) await new Promise((r) => setTimeout(r, options.writeDelayMs));
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    }
    const answer = await fetch(`${target.origin}${req.url ?? '/'}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length && req.method !== 'GET' ? { body } : {}),
    });
    const out: Record<string, string> = {};
    answer.headers.forEach((v, k) => {
      if (k !== 'content-encoding' && k !== 'content-length' && k !== 'transfer-encoding')
        out[k] = v;
    });
    res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      forward(req, res, Buffer.concat(chunks)).catch(() => res.writeHead(502).end());
    });
  });
  const listen = (port: number) =>
    new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  // New connections are refused at once; answers in flight still arrive (as from a server that
  // stops accepting), and idle kept-alive connections are closed.
  const stop = (): void => {
    server.close();
    server.closeIdleConnections();
  };
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const saved = await host.engine.connections.save({
    settings: {
      name: options.name,
      baseUrl: `http://127.0.0.1:${port}${target.pathname}`,
      auth: { kind: 'bearer' },
      bulk: 'never',
    },
    secret: sandbox.token,
  });
  return {
    id: saved.id,
    get limited() {
      return limited;
    },
    limit(seconds, afterWrites = 0) {
      when(afterWrites, () => {
        retryAfter = seconds;
      });
    },
    release() {
      retryAfter = undefined;
    },
    down(afterWrites = 0) {
      when(afterWrites, () => {
        if (!listening) return;
        listening = false;
        stop();
        downed();
      });
    },
    whenDown: () => isDown,
    async up() {
      if (listening) return;
      listening = true;
      await listen(port);
    },
    close() {
      listening = false;
      return new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => {
          done();
        });
        if (!server.listening) done();
      });
    },
  };
}
