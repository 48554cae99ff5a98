/**
 * A discrete-event simulation of one connection's pacing (pacing.ts) against a simulated
 * rate-capped server, on a virtual clock: no real time passes, so convergence can be asserted
 * exactly and fast. Workers behave like the transport: acquire, send, wait `latencyMs`, feed the
 * answer back, and on a 429 honour Retry-After (a connection-wide pause) and try again.
 */
import { createPacing, type Pacing } from '../../../../engine/scim/transport/pacing';
import type { Sleep } from '../../../../engine/scim/transport/timers';

type SimAnswer = { status: number; headers: Record<string, string> };
type SimServer = { handle(t: number): SimAnswer; accepted: number; rejected: number };

/** Accepts at most `rate` requests in any sliding window of one second (rejected ones not counted). */
export function slidingWindowServer(rate: number, headers = false): SimServer {
  const log: number[] = [];
  let head = 0;
  const server: SimServer = {
    accepted: 0,
    rejected: 0,
    handle(t) {
      while (head < log.length && (log[head] ?? 0) <= t - 1000) head += 1;
      const used = log.length - head;
      const oldest = log[head] ?? t;
      const resetSeconds = Math.max(1, Math.ceil((oldest + 1000 - t) / 1000));
      const h = (remaining: number): Record<string, string> =>
        headers
          ? {
              'ratelimit-policy': `"default";q=${rate};w=1`,
              ratelimit: `"default";r=${remaining};t=${resetSeconds}`,
            }
          : {};
      if (used >= rate) {
        server.rejected += 1;
        return { status: 429, headers: { 'retry-after': String(resetSeconds), ...h(0) } };
      }
      log.push(t);
      server.accepted += 1;
      return { status: 201, headers: h(rate - used - 1) };
    },
  };
  return server;
}

/** Counts every request per calendar second; X-RateLimit headers with Reset in epoch seconds. */
export function fixedWindowServer(rate: number, headers = false): SimServer {
  let second = -1;
  let count = 0;
  const server: SimServer = {
    accepted: 0,
    rejected: 0,
    handle(t) {
      const s = Math.floor(t / 1000);
      if (s !== second) {
        second = s;
        count = 0;
      }
      count += 1;
      const h: Record<string, string> = headers
        ? {
            'x-ratelimit-limit': String(rate),
            'x-ratelimit-remaining': String(Math.max(0, rate - count)),
            'x-ratelimit-reset': String(s + 1),
          }
        : {};
      if (count > rate) {
        server.rejected += 1;
        return { status: 429, headers: { 'retry-after': '1', ...h } };
      }
      server.accepted += 1;
      return { status: 201, headers: h };
    },
  };
  return server;
}

type Timer = { at: number; seq: number; resolve: () => void };

/** Virtual time: `sleep` parks on a timer list; `run` advances to the next timer when all is idle. */
export function virtualTime(start = 1_700_000_000_000): {
  now: () => number;
  sleep: Sleep;
  run(until: number): Promise<void>;
} {
  let t = start;
  let seq = 0;
  const timers: Timer[] = [];
  const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
  return {
    now: () => t,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        timers.push({ at: t + Math.max(0, ms), seq: seq++, resolve });
      }),
    async run(until) {
      for (;;) {
        await flush();
        if (timers.length === 0) return;
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > until) return;
        timers.shift();
        t = next.at;
        next.resolve();
      }
    },
  };
}

type SimResult = {
  accepted: number;
  rejected: number;
  /** Accepted requests per second over the whole run. */
  rate: number;
  /** Accepted per second in each simulated second. */
  perSecond: number[];
  pacing: Pacing;
};

export async function simulate(opts: {
  server: SimServer;
  seconds: number;
  concurrency?: number;
  latencyMs?: number;
  maxRequestsPerSecond?: number;
}): Promise<SimResult> {
  const clock = virtualTime();
  const start = clock.now();
  const end = start + opts.seconds * 1000;
  const latency = opts.latencyMs ?? 20;
  const pacing = createPacing({
    now: clock.now,
    sleep: clock.sleep,
    ...(opts.maxRequestsPerSecond !== undefined
      ? { maxRequestsPerSecond: opts.maxRequestsPerSecond }
      : {}),
  });
  const perSecond = Array.from({ length: opts.seconds }, () => 0);
  const worker = async (): Promise<void> => {
    while (clock.now() < end) {
      const sentAt = await pacing.acquire('POST Users');
      if (clock.now() >= end) return;
      const answer = opts.server.handle(clock.now());
      await clock.sleep(latency);
      const throttled = answer.status === 429;
      pacing.answered('POST Users', sentAt, { throttled, headers: answer.headers });
      if (!throttled) {
        const i = Math.floor((sentAt - start) / 1000);
        perSecond[i] = (perSecond[i] ?? 0) + 1;
        continue;
      }
      pacing.count('rateLimited');
      const retryAfter = Number(answer.headers['retry-after'] ?? '1') * 1000;
      pacing.pauseUntil(clock.now() + retryAfter);
      await clock.sleep(retryAfter);
    }
  };
  const workers = Array.from({ length: opts.concurrency ?? 8 }, () => worker());
  await clock.run(end + 60_000);
  await Promise.all(workers);
  const { accepted, rejected } = opts.server;
  return { accepted, rejected, rate: accepted / opts.seconds, perSecond, pacing };
}
