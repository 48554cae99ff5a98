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
import { bucketRate, createBucket, noteRateHeaders, type Bucket } from './pacing-bucket';
import { createSendLog, throttleView } from './pacing-view';
import { readRateHeaders } from './rate-headers';
import { createRateLimiter } from './rate-limit';
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

type PacingOptions = {
  maxRequestsPerSecond?: number;
  now: () => number;
  sleep: Sleep;
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

/** The admin's cap on requests per second; unset or ≤ 0 means none. */
function capOf(maxRequestsPerSecond: number | undefined): number | undefined {
  return maxRequestsPerSecond !== undefined && maxRequestsPerSecond > 0
    ? maxRequestsPerSecond
    : undefined;
}

export function createPacing(options: PacingOptions): Pacing {
  const { now, sleep } = options;
  const cap = capOf(options.maxRequestsPerSecond);
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
  const sent = createSendLog();
  const counts = { rateLimited: 0, retried: 0 };
  const waits = new Set<{ cause: WaitCause; untilEpochMs: number; attempt: number }>();
  let lastBucket: Bucket | undefined;

  const bucket = (key: string): Bucket => {
    const b = buckets.get(key) ?? createBucket(now, sleep);
    buckets.set(key, b);
    return b;
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
      sent.note(t);
      lastBucket = b;
      return t;
    },
    answered(key, sentAt, answer) {
      const b = bucket(key);
      b.inFlight = Math.max(0, b.inFlight - 1);
      const info = readRateHeaders(answer.headers, now());
      if (info) {
        headersSeen = true;
        noteRateHeaders(b, info, answer.throttled);
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
      return throttleView(t, {
        bounds: [
          [cap, 'cap'],
          [learner.learned() && !headersSeen ? learner.allowed() : undefined, 'learned'],
          [lastBucket ? bucketRate(lastBucket, now()) : undefined, 'headers'],
        ],
        // Read after the bucket's rate: running out of a window pauses the bucket.
        pausedUntil: Math.max(connection.pausedUntil(), lastBucket?.limiter.pausedUntil() ?? 0),
        waits,
        sent,
        counts,
      });
    },
  };
}
