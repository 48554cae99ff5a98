/**
 * Pure retry policy for the transport: what may be retried, how long to wait, and how to read
 * `Retry-After`. No I/O here so every branch is unit-tested.
 */

/** Upper bound for any server-requested wait; a longer Retry-After is clamped to this. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

export type RetrySettings = {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

/** undici's RetryHandler uses 500 ms / 30 s / 5 (docs/server-behaviour.md, C3); we start lower. */
export const DEFAULT_RETRY: RetrySettings = { maxRetries: 5, baseDelayMs: 300, maxDelayMs: 30_000 };

/** When a transport failure happened relative to the request bytes leaving this machine. */
export type FailurePhase = 'before-send' | 'maybe-sent';

/** What one attempt produced, as far as the retry policy cares. */
type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfterMs?: number }
  | { kind: 'failure'; phase: FailurePhase };

export type RetryDecision =
  /** Wait `delayMs`, then send again. */
  | { action: 'retry'; delayMs: number; throttled: boolean }
  /** Stop and report the error as it is. */
  | { action: 'fail' }
  /** Stop: a non-idempotent request may have been applied; the caller must look it up first. */
  | { action: 'unknown' };

/**
 * 429 Too Many Requests (RFC 6585 §4): the request was not processed; safe to resend for any
 * method. 503 Service Unavailable (RFC 9110 §15.6.4) says the same, but servers answer it after
 * applying a write (overloaded back ends, proxies timing out): resent for idempotent requests
 * only; a non-idempotent one (a create) gets an unknown outcome, settled by look-up first.
 */
const NOT_PROCESSED = new Set([429, 503]);
/**
 * Gateway errors (RFC 9110 §15.6.3, §15.6.5): the origin may or may not have applied the request
 * before the gateway gave up, so only idempotent requests are resent.
 */
const GATEWAY = new Set([502, 504]);

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, base·2^attempt)]. Spreads
 * retries of many concurrent requests instead of having them return in lock-step.
 *
 * @param attempt 0 for the first retry.
 * @param random a number in [0, 1).
 */
export function backoffDelay(attempt: number, settings: RetrySettings, random: number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random * ceiling);
}

/**
 * Decides what to do after an attempt.
 *
 * @param retriesSoFar retries already made for this request (0 after the first attempt).
 * @param idempotent whether the request may be replayed when its outcome is unknown.
 */
export function decideRetry(
  outcome: AttemptOutcome,
  retriesSoFar: number,
  idempotent: boolean,
  settings: RetrySettings,
  random: number,
): RetryDecision {
  const exhausted = retriesSoFar >= settings.maxRetries;
  if (outcome.kind === 'failure') {
    if (outcome.phase === 'maybe-sent' && !idempotent) return { action: 'unknown' };
    if (exhausted) return { action: 'fail' };
    return {
      action: 'retry',
      delayMs: backoffDelay(retriesSoFar, settings, random),
      throttled: false,
    };
  }
  const { status } = outcome;
  // Any 5xx to a non-idempotent request: it may have been applied (issue 14: duplicates when a
  // create answered 503 after it was applied was sent again).
  if (status >= 500 && !idempotent) return { action: 'unknown' };
  if (NOT_PROCESSED.has(status)) {
    if (exhausted) return { action: 'fail' };
    const jitter = backoffDelay(retriesSoFar, settings, random);
    // Without Retry-After a throttled server needs real breathing room, not a 0 ms jitter draw.
    const delayMs = outcome.retryAfterMs ?? Math.max(jitter, Math.min(1000, settings.maxDelayMs));
    return { action: 'retry', delayMs, throttled: true };
  }
  if (GATEWAY.has(status)) {
    if (!idempotent) return { action: 'unknown' };
    if (exhausted) return { action: 'fail' };
    return {
      action: 'retry',
      delayMs: outcome.retryAfterMs ?? backoffDelay(retriesSoFar, settings, random),
      throttled: false,
    };
  }
  return { action: 'fail' };
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): either delay-seconds (a non-negative integer) or an
 * HTTP-date. Returns milliseconds to wait, clamped to [0, {@link MAX_RETRY_AFTER_MS}], or undefined
 * when the header is absent or unreadable.
 */
export function parseRetryAfter(
  header: string | undefined | null,
  now: number,
): number | undefined {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) {
    return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  }
  // Some servers send fractional seconds; accept them rather than ignore the hint.
  if (/^\d+\.\d+$/.test(value)) {
    return Math.min(Math.ceil(Number(value) * 1000), MAX_RETRY_AFTER_MS);
  }
  // HTTP-date: IMF-fixdate plus the obsolete RFC 850 / asctime forms, all of which Date.parse reads.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** Default idempotency per method (RFC 9110 §9.2.2): POST and PATCH are not idempotent. */
export function isIdempotentMethod(method: string): boolean {
  return method !== 'POST' && method !== 'PATCH';
}
