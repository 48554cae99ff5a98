// A loopback HTTP proxy in front of a SCIM server that lets requests through until `close()` of
// the gate, then holds the matching ones until `release()`: a test can stop a CLI command while
// requests are provably in flight, without timing guesses.
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type GateProxy = {
  url: string;
  /** Requests forwarded so far, as "METHOD path". */
  forwarded: string[];
  /** Requests whose answer has been passed back in full, as "METHOD path". */
  answered: string[];
  /** From now on, hold every request that `match` accepts. */
  shut(match: (req: IncomingMessage) => boolean): void;
  /** Resolves once at least `n` requests are held. */
  whenHeld(n?: number): Promise<void>;
  /** Lets the held requests (and every later one) through. */
  release(): void;
  close(): Promise<void>;
};

export async function startGateProxy(targetUrl: string): Promise<GateProxy> {
  const target = new URL(targetUrl);
  const forwarded: string[] = [];
  const answered: string[] = [];
  let match: ((req: IncomingMessage) => boolean) | undefined;
  let held: (() => void)[] = [];
  let waiters: { n: number; done: () => void }[] = [];
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    forwarded.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('end', () => answered.push(`${req.method ?? ''} ${req.url ?? ''}`));
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (match?.(req)) {
        held.push(() => {
          forward(req, body, res);
        });
        waiters = waiters.filter((w) => {
          if (held.length < w.n) return true;
          w.done();
          return false;
        });
        return;
      }
      forward(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const prefix = target.pathname.replace(/\/$/, '');
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    forwarded,
    answered,
    shut: (m) => {
      match = m;
    },
    whenHeld: (n = 1) =>
      held.length >= n
        ? Promise.resolve()
        : new Promise<void>((done) => {
            waiters.push({ n, done });
          }),
    release: () => {
      match = undefined;
      const now = held;
      held = [];
      for (const go of now) go();
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => {
          r();
        });
      }),
  };
}
