/**
 * Runs the deviation server (test/servers/deviant-server.ts: the sandbox plus injected latency, a
 * 429 rate limit, Bulk on or off) as its own process, so a benchmark's measured process holds only
 * the client. Prints one JSON line on stdout once listening: `{"url":"…","token":"…"}`. Each line
 * `stats` on stdin is answered with one JSON line of what the server answered so far
 * (`{"requests":…,"byStatus":{"201":…,"429":…},"bulkRequests":…,"users":…,"cpuMs":…}`); it serves until
 * SIGTERM/SIGINT or until its stdin closes (the parent went away).
 *
 * The server's request log is emptied every 500 ms: it keeps every body, which at 100k requests
 * would make this process, not the client, the memory story.
 *
 * Run: npx tsx bench/lib/run-deviant-server.ts --latency 20 [--rate 200] [--bulk-max 100|0]
 *        [--window fixed|sliding] [--limit-headers x-ratelimit|ietf|ietf-legacy]
 */
import { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startDeviantServer } from '../../test/servers/deviant-server';

export type DeviantServerStats = {
  /** Answers written (every status), discovery included. */
  requests: number;
  byStatus: Record<string, number>;
  /** Requests to /Bulk. */
  bulkRequests: number;
  /** Users in the store now. */
  users: number;
  /** CPU this server process used so far (user + system), ms: a CPU-bound run shows here. */
  cpuMs: number;
  /** Per epoch second with answers: [second, answers other than 429, 429 answers]. */
  timeline: [number, number, number][];
};

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
  return n;
}

type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

/**
 * Counts every status this process answers with (the deviant server has no counter of its own),
 * in total and per epoch second (accepted, 429) for the bench's timeline.
 */
function countStatuses(
  byStatus: Record<string, number>,
  perSecond: Map<number, [number, number]>,
): void {
  const proto = ServerResponse.prototype as unknown as { writeHead: WriteHead };
  const original = proto.writeHead;
  proto.writeHead = function (this: ServerResponse, ...args: unknown[]): ServerResponse {
    const status = args[0];
    if (typeof status === 'number') {
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const second = Math.floor(Date.now() / 1000);
      const counts = perSecond.get(second) ?? [0, 0];
      counts[status === 429 ? 1 : 0] += 1;
      perSecond.set(second, counts);
    }
    return original.apply(this, args);
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      latency: { type: 'string' },
      rate: { type: 'string' },
      'retry-after': { type: 'string' },
      window: { type: 'string' },
      'limit-headers': { type: 'string' },
      'bulk-max': { type: 'string' },
      token: { type: 'string' },
    },
    strict: true,
  });
  const latencyMs = wholeNumber('latency', values.latency, 20);
  const rate = wholeNumber('rate', values.rate, 0);
  const bulkMax = wholeNumber('bulk-max', values['bulk-max'], 100);
  const retryAfter = values['retry-after'] ?? 'seconds';
  if (retryAfter !== 'seconds' && retryAfter !== 'http-date') {
    throw new Error('--retry-after must be seconds or http-date');
  }
  const window = values.window ?? 'fixed';
  if (window !== 'fixed' && window !== 'sliding')
    throw new Error('--window must be fixed or sliding');
  const limitHeaders = values['limit-headers'];
  if (
    limitHeaders !== undefined &&
    limitHeaders !== 'x-ratelimit' &&
    limitHeaders !== 'ietf' &&
    limitHeaders !== 'ietf-legacy'
  ) {
    throw new Error('--limit-headers must be x-ratelimit, ietf or ietf-legacy');
  }
  const byStatus: Record<string, number> = {};
  const perSecond = new Map<number, [number, number]>();
  countStatuses(byStatus, perSecond);
  const server = await startDeviantServer({
    seed: 0,
    latencyMs,
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(rate > 0
      ? {
          rateLimit: {
            perSecond: rate,
            retryAfter,
            window,
            ...(limitHeaders !== undefined ? { headers: limitHeaders } : {}),
          },
        }
      : {}),
    ...(bulkMax > 0 ? { features: { bulk: true, bulkMaxOperations: bulkMax } } : { noBulk: true }),
  });
  let bulkRequests = 0;
  const drain = setInterval(() => {
    for (const r of server.requests) if (r.path.endsWith('/Bulk')) bulkRequests += 1;
    server.requests.length = 0;
  }, 500);
  const stats = (): DeviantServerStats => {
    for (const r of server.requests) if (r.path.endsWith('/Bulk')) bulkRequests += 1;
    server.requests.length = 0;
    return {
      requests: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus: { ...byStatus },
      bulkRequests,
      users: server.sandbox.count('User'),
      cpuMs: cpuMs(),
      timeline: [...perSecond].map(([second, [ok, refused]]) => [second, ok, refused]),
    };
  };
  process.stdout.write(`${JSON.stringify({ url: server.url, token: server.token })}\n`);

  let closing = false;
  const stop = (): void => {
    if (closing) return;
    closing = true;
    clearInterval(drain);
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'stats') process.stdout.write(`${JSON.stringify(stats())}\n`);
  });
  lines.on('close', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
