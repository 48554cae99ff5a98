import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY,
  isIdempotentMethod,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
} from '../../../../engine/scim/transport/retry';

const settings = { maxRetries: 3, baseDelayMs: 400, maxDelayMs: 5000 };
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
  });
  it('reads an IMF-fixdate relative to now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', NOW)).toBe(5000);
  });
  it('reads the obsolete RFC 850 and asctime date forms', () => {
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:00:07 GMT', NOW)).toBe(7000);
    // asctime has no zone (read as local time), so only check that it is understood.
    expect(typeof parseRetryAfter('Thu Jan  1 00:00:09 2026', NOW)).toBe('number');
  });
  it('treats a date in the past as "now"', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', NOW)).toBe(0);
  });
  it('clamps absurd waits', () => {
    expect(parseRetryAfter('999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });
  it('ignores missing and unreadable values', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('1e3', NOW)).toBeUndefined();
  });
  it('accepts fractional seconds', () => {
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base·2^n)]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
      expect(backoffDelay(attempt, settings, 0)).toBe(0);
      expect(backoffDelay(attempt, settings, 0.999999)).toBeLessThanOrEqual(ceiling);
      expect(backoffDelay(attempt, settings, 0.999999)).toBeGreaterThan(ceiling - 2);
    }
  });
  it('never exceeds the cap even for huge attempt numbers', () => {
    expect(backoffDelay(1000, DEFAULT_RETRY, 0.99)).toBeLessThanOrEqual(DEFAULT_RETRY.maxDelayMs);
  });
});

describe('decideRetry', () => {
  it('retries 429 for any method and 503 for idempotent ones, using Retry-After when given', () => {
    expect(
      decideRetry({ kind: 'response', status: 429, retryAfterMs: 1234 }, 0, false, settings, 0.5),
    ).toEqual({
      action: 'retry',
      delayMs: 1234,
      throttled: true,
    });
    const d = decideRetry({ kind: 'response', status: 503 }, 0, true, settings, 0);
    expect(d.action).toBe('retry');
    if (d.action === 'retry') expect(d.delayMs).toBeGreaterThanOrEqual(1000);
  });
  it('stops after maxRetries', () => {
    expect(decideRetry({ kind: 'response', status: 429 }, 3, true, settings, 0.5)).toEqual({
      action: 'fail',
    });
    expect(decideRetry({ kind: 'failure', phase: 'before-send' }, 3, true, settings, 0.5)).toEqual({
      action: 'fail',
    });
  });
  it('retries gateway errors only for idempotent requests', () => {
    expect(decideRetry({ kind: 'response', status: 502 }, 0, true, settings, 0.5).action).toBe(
      'retry',
    );
    expect(decideRetry({ kind: 'response', status: 504 }, 0, false, settings, 0.5).action).toBe(
      'unknown',
    );
  });
  it('does not retry client errors or 500', () => {
    for (const status of [400, 401, 403, 404, 409, 412, 413, 500]) {
      expect(decideRetry({ kind: 'response', status }, 0, true, settings, 0.5)).toEqual({
        action: 'fail',
      });
    }
  });
  it('never replays a non-idempotent request that got a 5xx: its outcome is unknown', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(decideRetry({ kind: 'response', status }, 0, false, settings, 0.5)).toEqual({
        action: 'unknown',
      });
    }
  });
  it('never replays a non-idempotent request that may have been sent', () => {
    expect(decideRetry({ kind: 'failure', phase: 'maybe-sent' }, 0, false, settings, 0.5)).toEqual({
      action: 'unknown',
    });
    expect(
      decideRetry({ kind: 'failure', phase: 'maybe-sent' }, 0, true, settings, 0.5).action,
    ).toBe('retry');
    expect(
      decideRetry({ kind: 'failure', phase: 'before-send' }, 0, false, settings, 0.5).action,
    ).toBe('retry');
  });
  it('knows POST and PATCH are not idempotent', () => {
    expect(['GET', 'PUT', 'DELETE', 'POST', 'PATCH'].map(isIdempotentMethod)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
