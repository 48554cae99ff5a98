/**
 * The pacing of one connection: which rate its requests go at and why, and what it looks like
 * from outside (the `throttle` of a job's progress). It combines
 *   - the cap the admin set (`--max-rps`, a preset): never exceeded;
 *   - the connection-wide rate learned from 429s (adaptive-rate.ts);
 *   - the rate-limit headers the server sends (rate-headers.ts), kept per endpoint bucket
 *     (method + resource type, + `/{id}` for one resource: Okta and GitHub count per endpoint);
 *   - the connection-wide pause a Retry-After imposes.
 * Every request waits for its bucket (when that bucket has headers), then for the connection.
 */
import type { JobThrottle } from '../../../shared/ipc/schemas/jobs';
import { createAdaptiveRate } from './adaptive-rate';
import { allowedRate, policyRate, readRateHeaders, type RateHeaderInfo } from './rate-headers';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import type { Sleep } from './timers';

export type PacingStats = JobThrottle;
export type WaitCause = NonNullable<JobThrottle['waiting']>['cause'];

export type Pacing = {
  /** Waits until a request to `bucket` may go; returns its send time for {@link Pacing.answered}. */
  acquire(bucket: string, signal?: AbortSignal): Promise<number>;
  /** An answer came back for a request sent at `sentAt` (from acquire). */
  answered(
    bucket: string,
    sentAt: number,
    answer: { throttled: boolean; headers: Record<string, string> },
  ): void;
  /** A request was sent and no answer came (network failure): frees its in-flight place. */
  lost(bucket: string): void;
  /** Holds every request until `ts` (a Retry-After). */
  pauseUntil(ts: number): void;
  /** A request sleeps before its next attempt; call the returned function when it wakes. */
  waiting(cause: WaitCause, untilEpochMs: number, attempt: number): () => void;
  /** Counts a 429 / a retry after a failure or 5xx, for the stats. */
  count(what: 'rateLimited' | 'retried'): void;
  stats(): PacingStats;
};

export type PacingOptions = {
  maxRequestsPerSecond?: number;
  now: () => number;
  sleep: Sleep;
};

/** How much of what the headers allow is used, leaving room for clocks and late answers. */
const HEADER_MARGIN = 0.97;
const RECENT_MS = 3000;

type Bucket = {
  info?: RateHeaderInfo;
  /** Longest time-to-reset seen: the window length, to project the next window. */
  windowMs: number;
  /** The latest reset time an answer named. */
  seenReset: number;
  inFlight: number;
  limiter: RateLimiter;
};

/** `POST Users`, `GET Users/{id}`, `POST Bulk`: the endpoint a vendor's per-endpoint limit names. */
export function bucketOf(method: string, path: string): string {
  const parts = path
    .replace(/^[a-z]+:\/\/[^/]+/i, '')
    .split('?')[0]
    ?.split('/')
    .filter(Boolean);
  const resource = parts?.[0] ?? '';
  return `${method} ${resource}${parts && parts.length > 1 ? '/{id}' : ''}`;
}

export function createPacing(options: PacingOptions): Pacing {
  const { now, sleep } = options;
  const cap =
    options.maxRequestsPerSecond !== undefined && options.maxRequestsPerSecond > 0
      ? options.maxRequestsPerSecond
      : undefined;
  const learner = createAdaptiveRate({
    now,
    ...(cap !== undefined ? { initialRate: Math.min(20, cap) } : {}),
  });
  let headersSeen = false;
  const connectionRate = (): number | undefined => {
    // Headers say more than 429s can: once a server sends them, they pace (per bucket).
    const learned = headersSeen ? undefined : learner.allowed(true);
    if (learned === undefined) return cap;
    return cap === undefined ? learned : Math.min(cap, learned);
  };
  const connection = createRateLimiter({ rate: connectionRate, now, sleep });
  const buckets = new Map<string, Bucket>();
  /** Send times of the last few seconds, oldest first from `sentHead`. */
  let sent: number[] = [];
  let sentHead = 0;
  const counts = { rateLimited: 0, retried: 0 };
  const waits = new Set<{ cause: WaitCause; untilEpochMs: number; attempt: number }>();
  let lastBucket: Bucket | undefined;

  const headerRate = (b: Bucket): number | undefined => {
    const info = b.info;
    if (!info) return undefined;
    const t = now();
    if (t >= info.resetAtMs && b.windowMs > 0) {
      // The window the headers described is over: assume a fresh one until an answer says more.
      const fresh = {
        ...info,
        remaining: info.limit ?? info.remaining,
        resetAtMs: info.resetAtMs + b.windowMs,
      };
      while (fresh.resetAtMs <= t) fresh.resetAtMs += b.windowMs;
      b.info = fresh;
    }
    const win = b.info ?? info;
    const policy = policyRate(win, b.windowMs, t, b.inFlight);
    const spendEvenly = win.limit === undefined || policy === allowedRate(win, t, b.inFlight);
    if (spendEvenly && win.remaining - b.inFlight <= 0 && win.resetAtMs > t) {
      // Nothing left in this window (as far as answers told): wait for its reset.
      b.limiter.pauseUntil(win.resetAtMs);
      return undefined;
    }
    return policy * HEADER_MARGIN;
  };

  const bucket = (key: string): Bucket => {
    let b = buckets.get(key);
    if (!b) {
      const created: Bucket = {
        windowMs: 0,
        seenReset: 0,
        inFlight: 0,
        limiter: createRateLimiter({ rate: () => headerRate(created), now, sleep }),
      };
      buckets.set(key, created);
      b = created;
    }
    return b;
  };

  const recentRate = (t: number): number => {
    while (sentHead < sent.length && (sent[sentHead] ?? 0) <= t - RECENT_MS) sentHead += 1;
    if (sentHead > 4096) {
      sent = sent.slice(sentHead);
      sentHead = 0;
    }
    return Math.round(((sent.length - sentHead) * 10_000) / RECENT_MS) / 10;
  };

  const currentWait = (t: number): JobThrottle['waiting'] => {
    const pause = Math.max(connection.pausedUntil(), lastBucket?.limiter.pausedUntil() ?? 0);
    let best: JobThrottle['waiting'];
    for (const w of waits) {
      if (w.untilEpochMs <= t) continue;
      if (
        !best ||
        (w.cause === 'unreachable' && best.cause !== 'unreachable') ||
        w.untilEpochMs > best.untilEpochMs
      )
        best = { ...w };
    }
    if (pause > t && (!best || best.cause !== 'unreachable'))
      return {
        cause: 'rate-limit',
        untilEpochMs: Math.max(pause, best?.untilEpochMs ?? 0),
        ...(best?.attempt ? { attempt: best.attempt } : {}),
      };
    return best;
  };

  return {
    async acquire(key, signal) {
      const b = bucket(key);
      await connection.acquire(signal);
      // The bucket after the connection: requests that queued before the first headers came
      // must not all go at once when they do. (Without headers it only notes the send.)
      await b.limiter.acquire(signal);
      const t = now();
      b.inFlight += 1;
      sent.push(t);
      if (sent.length - sentHead > 50_000) recentRate(t);
      lastBucket = b;
      return t;
    },
    answered(key, sentAt, answer) {
      const b = bucket(key);
      b.inFlight = Math.max(0, b.inFlight - 1);
      const t = now();
      const info = readRateHeaders(answer.headers, t);
      if (info) {
        headersSeen = true;
        if (info.windowSeconds !== undefined) b.windowMs = info.windowSeconds * 1000;
        else if (info.resetAtMs - b.seenReset >= 500 && b.seenReset > 0) {
          // A new window began: the step between resets is the window (fixed windows), and
          // until one is seen the pacing spends what is left evenly instead.
          b.windowMs = Math.max(b.windowMs, info.resetAtMs - b.seenReset);
        }
        b.seenReset = Math.max(b.seenReset, info.resetAtMs);
        b.info = info;
        if (answer.throttled) b.limiter.pauseUntil(info.resetAtMs);
      }
      learner.onAnswer(sentAt, answer.throttled);
    },
    lost(key) {
      const b = bucket(key);
      b.inFlight = Math.max(0, b.inFlight - 1);
    },
    pauseUntil(ts) {
      connection.pauseUntil(ts);
      learner.onPause(ts);
    },
    waiting(cause, untilEpochMs, attempt) {
      const w = { cause, untilEpochMs, attempt };
      waits.add(w);
      return () => waits.delete(w);
    },
    count(what) {
      counts[what] += 1;
    },
    stats() {
      const t = now();
      const learned = learner.learned() && !headersSeen ? learner.allowed() : undefined;
      const fromHeaders = lastBucket ? headerRate(lastBucket) : undefined;
      const bounds: [number | undefined, NonNullable<JobThrottle['source']>][] = [
        [cap, 'cap'],
        [learned, 'learned'],
        [fromHeaders, 'headers'],
      ];
      let allowed: [number, NonNullable<JobThrottle['source']>] | undefined;
      for (const [rate, source] of bounds) {
        if (rate !== undefined && (!allowed || rate < allowed[0])) allowed = [rate, source];
      }
      const waiting = currentWait(t);
      return {
        requestsPerSecond: recentRate(t),
        ...(allowed
          ? { allowedPerSecond: Math.round(allowed[0] * 10) / 10, source: allowed[1] }
          : {}),
        rateLimited: counts.rateLimited,
        retried: counts.retried,
        ...(waiting ? { waiting } : {}),
      };
    },
  };
}
