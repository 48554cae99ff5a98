import { cancelledError, realSleep, type Sleep } from './timers';

export type RateLimiter = {
  /** Resolves when this request may be sent; rejects with `cancelled` if `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every request until `ts` (epoch ms), e.g. after a 429 with Retry-After. Never shortens a pause. */
  pauseUntil(ts: number): void;
  /** Epoch ms until which requests are paused (0 when not paused). */
  pausedUntil(): number;
};

type RateLimiterOptions = {
  /** Cap on requests per second; undefined or ≤ 0 means no cap (server pauses still apply). */
  maxRequestsPerSecond?: number;
  /** The rate now, asked again while requests wait (adaptive pacing); wins over `maxRequestsPerSecond`. */
  rate?: () => number | undefined;
  now?: () => number;
  sleep?: Sleep;
};

type Waiter = { resolve: () => void; signal?: AbortSignal; onAbort?: () => void };

/** A waiting queue looks at the rate and the pause again at least this often. */
const RECHECK_MS = 250;

/**
 * A smooth rate limiter (GCRA / a token bucket of depth one): requests are spaced at least
 * 1000 / rps ms apart, so no one-second window ever sees more than ⌈rps⌉ requests. Vendor limits
 * are often per sliding window (Slack, Miro: docs/server-behaviour.md, A2), where a burst allowance
 * would overshoot. Waiters queue FIFO and are let go one by one; the rate is asked again before
 * each one and at least every {@link RECHECK_MS}, so a rate that changes (the adaptive pacing of
 * pacing.ts) takes effect for requests already waiting. Also carries the connection-wide pause a
 * 429 + Retry-After imposes on everyone.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const fixed = options.maxRequestsPerSecond;
  const rateNow = options.rate ?? (() => fixed);
  /** When the last request was let go. */
  let last = Number.NEGATIVE_INFINITY;
  let pause = 0;
  const queue: Waiter[] = [];
  let pumping = false;

  let interval = 0;
  const earliest = (t: number): number => {
    const rps = rateNow();
    interval = rps !== undefined && rps > 0 ? 1000 / rps : 0;
    return Math.max(t, last + interval, pause);
  };
  /**
   * Lets a request go at `t`. The schedule advances by exactly one interval when the timer woke
   * a little late (timers always do, by a millisecond or so: at 50/s that alone costs 7 % of the
   * rate), and restarts from `t` after a longer lateness so a stalled loop never bursts.
   */
  const grant = (t: number): void => {
    const slot = Math.max(last + interval, pause);
    last = t - slot < interval ? Math.min(t, Math.max(slot, last + interval)) : t;
  };

  const pump = async (): Promise<void> => {
    pumping = true;
    try {
      while (queue.length > 0) {
        const t = now();
        const at = earliest(t);
        if (at > t) {
          await sleep(Math.min(at - t, RECHECK_MS));
          continue;
        }
        const w = queue.shift();
        if (!w) break;
        if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
        grant(t);
        w.resolve();
      }
    } finally {
      pumping = false;
    }
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(cancelledError(signal));
      const t = now();
      if (queue.length === 0 && earliest(t) <= t) {
        last = t;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve, ...(signal ? { signal } : {}) };
        if (signal) {
          waiter.onAbort = () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(cancelledError(signal));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        queue.push(waiter);
        if (!pumping) void pump();
      });
    },
    pauseUntil(ts) {
      if (ts > pause) pause = ts;
    },
    pausedUntil: () => (pause > now() ? pause : 0),
  };
}
