import { realSleep, type Sleep } from './timers';

export type RateLimiter = {
  /** Resolves when this request may be sent; rejects with `cancelled` if `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every request until `ts` (epoch ms), e.g. after a 429 with Retry-After. Never shortens a pause. */
  pauseUntil(ts: number): void;
  /** Epoch ms until which requests are paused (0 when not paused). */
  pausedUntil(): number;
};

export type RateLimiterOptions = {
  /** Cap on requests per second; undefined or ≤ 0 means no cap (server pauses still apply). */
  maxRequestsPerSecond?: number;
  now?: () => number;
  sleep?: Sleep;
};

/**
 * A smooth rate limiter (GCRA / a token bucket of depth one): requests are spaced at least
 * 1000 / rps ms apart, so no one-second window ever sees more than ⌈rps⌉ requests. Vendor limits
 * are often per sliding window (Slack, Miro: docs/server-behaviour.md, A2), where a burst allowance
 * would overshoot. Also carries the connection-wide pause a 429 + Retry-After imposes on everyone.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const rps = options.maxRequestsPerSecond;
  const interval = rps !== undefined && rps > 0 ? 1000 / rps : 0;
  /** Earliest time the next request may start (the "theoretical arrival time"). */
  let nextSlot = 0;
  let pause = 0;

  return {
    async acquire(signal) {
      // Loop because a pause can be extended (another 429) while we sleep.
      for (;;) {
        const t = now();
        const start = Math.max(t, nextSlot, pause);
        if (start <= t) {
          nextSlot = t + interval;
          return;
        }
        if (start === nextSlot && start >= pause) {
          // Reserve the slot now so concurrent callers queue behind us in order.
          nextSlot = start + interval;
          await sleep(start - t, signal);
          if (pause <= start) return;
          // A pause arrived while we waited; our reservation is void, wait for the pause.
          continue;
        }
        await sleep(start - t, signal);
      }
    },
    pauseUntil(ts) {
      if (ts > pause) pause = ts;
    },
    pausedUntil: () => (pause > now() ? pause : 0),
  };
}
