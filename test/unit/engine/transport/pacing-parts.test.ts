import { describe, expect, it } from 'vitest';
import {
  bucketRate,
  createBucket,
  HEADER_MARGIN,
  noteRateHeaders,
} from '../../../../engine/scim/transport/pacing-bucket';
import {
  createSendLog,
  currentWait,
  RECENT_MS,
  throttleView,
  tightestBound,
} from '../../../../engine/scim/transport/pacing-view';

const noSleep = (): Promise<void> => Promise.resolve();

describe('pacing bucket', () => {
  it('has no rate before headers, then the policy average less the margin', () => {
    const b = createBucket(() => 0, noSleep);
    expect(bucketRate(b, 0)).toBeUndefined();
    noteRateHeaders(b, { limit: 100, windowSeconds: 10, remaining: 50, resetAtMs: 5000 }, false);
    expect(b.windowMs).toBe(10_000);
    expect(bucketRate(b, 0)).toBeCloseTo(10 * HEADER_MARGIN);
  });
  it('learns a fixed window from the step between two resets', () => {
    const b = createBucket(() => 0, noSleep);
    noteRateHeaders(b, { remaining: 9, resetAtMs: 1000 }, false);
    expect(b.windowMs).toBe(0);
    noteRateHeaders(b, { remaining: 9, resetAtMs: 61_000 }, false);
    expect(b.windowMs).toBe(60_000);
    expect(b.seenReset).toBe(61_000);
  });
  it('pauses until the reset when the window is spent, and after a throttled answer', () => {
    const b = createBucket(() => 0, noSleep);
    noteRateHeaders(b, { remaining: 0, resetAtMs: 4000 }, false);
    expect(bucketRate(b, 1000)).toBeUndefined();
    expect(b.limiter.pausedUntil()).toBe(4000);
    const c = createBucket(() => 0, noSleep);
    noteRateHeaders(c, { remaining: 5, resetAtMs: 7000 }, true);
    expect(c.limiter.pausedUntil()).toBe(7000);
  });
  it('projects a fresh window once the one the headers named is over', () => {
    const b = createBucket(() => 0, noSleep);
    noteRateHeaders(b, { limit: 10, windowSeconds: 1, remaining: 0, resetAtMs: 1000 }, false);
    expect(bucketRate(b, 3500)).toBeCloseTo(10 * HEADER_MARGIN);
    expect(b.info).toEqual({ limit: 10, windowSeconds: 1, remaining: 10, resetAtMs: 4000 });
  });
});

describe('pacing view', () => {
  it('measures the sent rate over the recent window only', () => {
    const log = createSendLog();
    for (let i = 0; i < 30; i++) log.note(i * 100);
    expect(log.rate(2900)).toBe(10);
    expect(log.rate(2900 + RECENT_MS)).toBe(0);
  });
  it('shows an unreachable wait over a longer rate-limit wait, and ignores woken ones', () => {
    const waits = [
      { cause: 'rate-limit' as const, untilEpochMs: 9000, attempt: 1 },
      { cause: 'unreachable' as const, untilEpochMs: 5000, attempt: 2 },
      { cause: 'unreachable' as const, untilEpochMs: 500, attempt: 3 },
    ];
    expect(currentWait(waits, 20_000, 1000)).toEqual(waits[1]);
    expect(currentWait(waits.slice(2), 0, 1000)).toBeUndefined();
  });
  it('shows a pause as a rate-limit wait lasting as long as the longest', () => {
    const waits = [{ cause: 'rate-limit' as const, untilEpochMs: 3000, attempt: 2 }];
    expect(currentWait(waits, 8000, 1000)).toEqual({
      cause: 'rate-limit',
      untilEpochMs: 8000,
      attempt: 2,
    });
    expect(currentWait([], 8000, 1000)).toEqual({ cause: 'rate-limit', untilEpochMs: 8000 });
    expect(currentWait([], 500, 1000)).toBeUndefined();
  });
  it('picks the lowest bound, the first on a tie', () => {
    expect(tightestBound([[undefined, 'cap']])).toBeUndefined();
    expect(
      tightestBound([
        [50, 'cap'],
        [12, 'learned'],
        [30, 'headers'],
      ]),
    ).toEqual([12, 'learned']);
    expect(
      tightestBound([
        [10, 'cap'],
        [10, 'headers'],
      ]),
    ).toEqual([10, 'cap']);
  });
  it('builds the job throttle: rounded bound with its source, counts and the wait', () => {
    const sent = createSendLog();
    sent.note(900);
    const view = throttleView(1000, {
      bounds: [
        [undefined, 'cap'],
        [7.26, 'learned'],
      ],
      pausedUntil: 4000,
      waits: [],
      sent,
      counts: { rateLimited: 3, retried: 1 },
    });
    expect(view).toEqual({
      requestsPerSecond: 0.3,
      allowedPerSecond: 7.3,
      source: 'learned',
      rateLimited: 3,
      retried: 1,
      waiting: { cause: 'rate-limit', untilEpochMs: 4000 },
    });
  });
});
