/**
 * One endpoint bucket of the pacing (pacing.ts): what the server's rate-limit headers said for it,
 * the window they describe, the requests in flight, and the limiter that spaces its requests.
 */
import { allowedRate, policyRate, type RateHeaderInfo } from './rate-headers';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import type { Sleep } from './timers';

/** How much of what the headers allow is used, leaving room for clocks and late answers. */
export const HEADER_MARGIN = 0.97;

export type Bucket = {
  info?: RateHeaderInfo;
  /** Longest time-to-reset seen: the window length, to project the next window. */
  windowMs: number;
  /** The latest reset time an answer named. */
  seenReset: number;
  inFlight: number;
  limiter: RateLimiter;
};

/** A bucket nothing is known of yet; its limiter asks {@link bucketRate} for the rate. */
export function createBucket(now: () => number, sleep: Sleep): Bucket {
  const created: Bucket = {
    windowMs: 0,
    seenReset: 0,
    inFlight: 0,
    limiter: createRateLimiter({ rate: () => bucketRate(created, now()), now, sleep }),
  };
  return created;
}

/**
 * The rate the bucket's headers allow at `t` (undefined: no headers, or nothing left until the
 * window resets, in which case the bucket's limiter is paused until then). A window that is over
 * is projected forward: a fresh one is assumed until an answer says more.
 */
export function bucketRate(b: Bucket, t: number): number | undefined {
  const info = b.info;
  if (!info) return undefined;
  if (t >= info.resetAtMs && b.windowMs > 0) {
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
}

/**
 * Takes in the rate-limit headers of an answer: the window length (named, or the step between
 * two resets of fixed windows; until one is seen the pacing spends what is left evenly), the
 * latest reset, and a pause until the reset when the answer was a throttle.
 */
export function noteRateHeaders(b: Bucket, info: RateHeaderInfo, throttled: boolean): void {
  if (info.windowSeconds !== undefined) b.windowMs = info.windowSeconds * 1000;
  else if (info.resetAtMs - b.seenReset >= 500 && b.seenReset > 0) {
    b.windowMs = Math.max(b.windowMs, info.resetAtMs - b.seenReset);
  }
  b.seenReset = Math.max(b.seenReset, info.resetAtMs);
  b.info = info;
  if (throttled) b.limiter.pauseUntil(info.resetAtMs);
}
