/**
 * A small programmable HTTP(S) server for transport tests. Each request is answered by the next
 * queued step (or the handler), and every request is recorded so tests assert what the server
 * actually received: how many times, with which headers, when.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type RecordedRequest = {
  index: number;
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
  /** performance.now() when the request headers arrived. */
  at: number;
};

export type FaultStep =
  /** Answer: an object body is sent as JSON (`application/scim+json` unless contentType says otherwise). */
  | {
      kind?: 'respond';
      status?: number;
      headers?: Record<string, string>;
      body?: unknown;
      contentType?: string;
      /** Wait before sending headers (slow server). */
      delayMs?: number;
    }
  /** Destroy the socket before reading the request body: the request was never applied. */
  | { kind: 'destroy-before-body' }
  /** Read the body (the request is "applied"), then destroy the socket without answering. */
  | { kind: 'destroy-after-body' }
  /** Read the body and never answer (until the server closes). */
  | { kind: 'hang' };

export type FaultHandler = (req: RecordedRequest) => FaultStep | Promise<FaultStep>;

type FaultServerOptions = {
  tls?: { cert: string; key: string };
  /** Answers requests when the queue is empty; default 200 `{}`. */
  handler?: FaultHandler;
  host?: string;
};

export type FaultServer = {
  /** e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Queues steps answered in order before the handler is used. */
  enqueue(...steps: FaultStep[]): void;
  setHandler(handler: FaultHandler): void;
  /** Requests whose path ends with `suffix` (and, optionally, the given method). */
  received(suffix: string, method?: string): RecordedRequest[];
  close(): Promise<void>;
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function flatten(h: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a fault server on 127.0.0.1, port 0. */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const queue: FaultStep[] = [];
  let handler: FaultHandler = options.handler ?? (() => ({ status: 200, body: {} }));
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const url = req.url ?? '/';
      const parsed = new URL(url, 'http://x');
      const record: RecordedRequest = {
        index: requests.length,
        method: req.method ?? 'GET',
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: flatten(req.headers),
        body: '',
        at: performance.now(),
      };
      const step = queue.shift() ?? (await handler(record));
      if (step.kind === 'destroy-before-body') {
        requests.push(record);
        req.socket.destroy();
        return;
      }
      record.body = await readBody(req);
      requests.push(record);
      if (step.kind === 'destroy-after-body') {
        req.socket.destroy();
        return;
      }
      if (step.kind === 'hang') return;
      if (step.delayMs) await wait(step.delayMs);
      if (res.destroyed) return;
      const status = step.status ?? 200;
      let payload = '';
      const headers: Record<string, string> = { ...step.headers };
      if (step.body !== undefined) {
        payload = typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
        headers['content-type'] ??=
          step.contentType ??
          (typeof step.body === 'string' ? 'text/plain' : 'application/scim+json');
      }
      res.writeHead(status, headers);
      res.end(payload);
    })().catch(() => {
      res.destroy();
    });
  };

  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // TLS handshakes that the client rejects surface here; they are expected in TLS tests.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    requests,
    enqueue: (...steps) => queue.push(...steps),
    setHandler: (h) => {
      handler = h;
    },
    received: (suffix, method) =>
      requests.filter((r) => r.path.endsWith(suffix) && (!method || r.method === method)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
