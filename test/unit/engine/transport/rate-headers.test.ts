import { describe, expect, it } from 'vitest';
import {
  allowedRate,
  parseSfList,
  policyRate,
  readRateHeaders,
} from '../../../../engine/scim/transport/rate-headers';
import { bucketOf, createPacing } from '../../../../engine/scim/transport/pacing';
import { virtualTime } from './rate-sim';

const NOW = 1_700_000_000_500;

describe('readRateHeaders', () => {
  it('reads X-RateLimit-* (Okta, GitHub) with Reset in epoch seconds', () => {
    expect(
      readRateHeaders(
        {
          'x-ratelimit-limit': '600',
          'x-ratelimit-remaining': '599',
          'x-ratelimit-reset': '1700000060',
        },
        NOW,
      ),
    ).toEqual({ limit: 600, remaining: 599, resetAtMs: 1_700_000_060_000 });
    // Okta's own spelling.
    expect(
      readRateHeaders({ 'x-rate-limit-remaining': '3', 'x-rate-limit-reset': '1700000001' }, NOW),
    ).toEqual({ remaining: 3, resetAtMs: 1_700_000_001_000 });
  });

  it('reads a small X-RateLimit-Reset as delta-seconds', () => {
    expect(
      readRateHeaders({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '30' }, NOW),
    ).toEqual({ remaining: 5, resetAtMs: NOW + 30_000 });
  });

  it('reads the IETF draft RateLimit and RateLimit-Policy structured fields', () => {
    expect(
      readRateHeaders(
        {
          'ratelimit-policy': '"burst";q=100;w=60, "daily";q=1000;w=86400',
          ratelimit: '"burst";r=50;t=30',
        },
        NOW,
      ),
    ).toEqual({ limit: 100, windowSeconds: 60, remaining: 50, resetAtMs: NOW + 30_000 });
  });

  it('takes the tightest of several IETF quotas', () => {
    const info = readRateHeaders(
      {
        'ratelimit-policy': '"a";q=100;w=60, "b";q=10;w=1',
        ratelimit: '"a";r=90;t=30, "b";r=1;t=1',
      },
      NOW,
    );
    expect(info).toMatchObject({ limit: 10, windowSeconds: 1, remaining: 1 });
  });

  it('reads the older RateLimit-Limit/-Remaining/-Reset (delta-seconds) and draft 07 dictionary', () => {
    expect(
      readRateHeaders(
        {
          'ratelimit-limit': '100, 100;w=60',
          'ratelimit-remaining': '40',
          'ratelimit-reset': '12',
        },
        NOW,
      ),
    ).toEqual({ limit: 100, windowSeconds: 60, remaining: 40, resetAtMs: NOW + 12_000 });
    expect(readRateHeaders({ ratelimit: 'limit=10, remaining=1, reset=7' }, NOW)).toEqual({
      limit: 10,
      remaining: 1,
      resetAtMs: NOW + 7000,
    });
  });

  it('ignores absent or unreadable headers', () => {
    expect(readRateHeaders({}, NOW)).toBeUndefined();
    expect(
      readRateHeaders({ 'x-ratelimit-remaining': 'many', 'x-ratelimit-reset': '1' }, NOW),
    ).toBeUndefined();
    expect(parseSfList('')).toEqual([]);
  });
});

describe('header pacing rates', () => {
  it('spends what is left evenly until the reset, keeping in-flight requests in reserve', () => {
    const info = { remaining: 10, resetAtMs: NOW + 2000 };
    expect(allowedRate(info, NOW, 0)).toBe(5);
    expect(allowedRate(info, NOW, 10)).toBe(0);
  });

  it('paces at the policy average once the window is known', () => {
    const info = { limit: 600, remaining: 10, resetAtMs: NOW + 2000 };
    expect(policyRate(info, 60_000, NOW, 0)).toBe(10);
    expect(policyRate(info, 0, NOW, 0)).toBe(5);
  });
});

describe('createPacing', () => {
  it('names buckets by method and resource type', () => {
    expect(bucketOf('POST', '/Users')).toBe('POST Users');
    expect(bucketOf('PATCH', '/Users/abc')).toBe('PATCH Users/{id}');
    expect(bucketOf('GET', '/Groups?filter=x')).toBe('GET Groups');
  });

  it('reports a Retry-After pause as a wait for the rate limit, with its end and attempt', async () => {
    const clock = virtualTime(NOW);
    const pacing = createPacing({ now: clock.now, sleep: clock.sleep });
    const sentAt = await pacing.acquire('POST Users');
    pacing.answered('POST Users', sentAt, { throttled: true, headers: { 'retry-after': '12' } });
    pacing.count('rateLimited');
    pacing.pauseUntil(NOW + 12_000);
    const done = pacing.waiting('rate-limit', NOW + 12_000, 1);
    expect(pacing.stats()).toMatchObject({
      rateLimited: 1,
      retried: 0,
      waiting: { cause: 'rate-limit', untilEpochMs: NOW + 12_000, attempt: 1 },
    });
    done();
    const unreachable = pacing.waiting('unreachable', NOW + 20_000, 3);
    expect(pacing.stats().waiting).toEqual({
      cause: 'unreachable',
      untilEpochMs: NOW + 20_000,
      attempt: 3,
    });
    unreachable();
  });

  it('waits for the reset when a spend-evenly bucket has nothing left, per bucket', async () => {
    const clock = virtualTime(NOW);
    const pacing = createPacing({ now: clock.now, sleep: clock.sleep });
    const sentAt = await pacing.acquire('GET Users');
    pacing.answered('GET Users', sentAt, {
      throttled: false,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(NOW / 1000) + 5),
      },
    });
    let otherAt = 0;
    let usersAt = 0;
    const users = pacing.acquire('GET Users').then((t) => (usersAt = t));
    const groups = pacing.acquire('GET Groups').then((t) => (otherAt = t));
    await clock.run(NOW + 60_000);
    await Promise.all([users, groups]);
    expect(otherAt).toBe(NOW);
    expect(usersAt).toBeGreaterThanOrEqual((Math.floor(NOW / 1000) + 5) * 1000);
    expect(pacing.stats()).toMatchObject({ source: 'headers' });
  });
});
