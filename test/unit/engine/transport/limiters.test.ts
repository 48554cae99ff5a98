import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from '../../../../engine/scim/transport/adaptive-concurrency';
import { createRateLimiter } from '../../../../engine/scim/transport/rate-limit';
import type { Sleep } from '../../../../engine/scim/transport/timers';
import { AppError } from '../../../../shared/errors/errors';

/** A virtual clock: sleep advances time instantly, so spacing is exact and tests take no time. */
function virtualClock(): { now: () => number; sleep: Sleep } {
  let t = 1_000_000;
  return {
    now: () => t,
    sleep: (ms) => {
      t += Math.max(0, ms);
      return Promise.resolve();
    },
  };
}

describe('createRateLimiter', () => {
  it('spaces requests 1000/rps apart with no initial burst', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ maxRequestsPerSecond: 20, ...clock });
    const start = clock.now();
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      await limiter.acquire();
      times.push(clock.now() - start);
    }
    expect(times[0]).toBe(0);
    expect(times[29]).toBe(29 * 50);
    // No one-second window holds more than 20 starts.
    for (const t of times)
      expect(times.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(20);
  });

  it('does not limit without a cap', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter(clock);
    for (let i = 0; i < 100; i++) await limiter.acquire();
    expect(clock.now()).toBe(1_000_000);
  });

  it('holds everyone until a server-imposed pause ends and never shortens it', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter(clock);
    limiter.pauseUntil(clock.now() + 3000);
    limiter.pauseUntil(clock.now() + 1000);
    expect(limiter.pausedUntil()).toBe(clock.now() + 3000);
    const before = clock.now();
    await limiter.acquire();
    expect(clock.now() - before).toBe(3000);
    expect(limiter.pausedUntil()).toBe(0);
  });

  it('rejects with cancelled when the signal aborts', async () => {
    const limiter = createRateLimiter({ maxRequestsPerSecond: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const pending = limiter.acquire(controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('createConcurrencyLimiter (AIMD)', () => {
  it('starts at min(4, max), grows by one per window of successes, and stops at max', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrency: 6 });
    expect(limiter.limit()).toBe(4);
    for (let i = 0; i < 4; i++) (await limiter.acquire()).release('success');
    expect(limiter.limit()).toBe(5);
    for (let i = 0; i < 5; i++) (await limiter.acquire()).release('success');
    expect(limiter.limit()).toBe(6);
    for (let i = 0; i < 50; i++) (await limiter.acquire()).release('success');
    expect(limiter.limit()).toBe(6);
    expect(createConcurrencyLimiter({ maxConcurrency: 2 }).limit()).toBe(2);
  });

  it('halves once per burst of throttles and never drops below 1', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrency: 8, initial: 8 });
    const slots = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    for (const s of slots) s.release('throttled');
    expect(limiter.limit()).toBe(4);
    for (let i = 0; i < 5; i++) (await limiter.acquire()).release('throttled');
    expect(limiter.limit()).toBe(1);
  });

  it('queues FIFO beyond the limit and hands slots over on release', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrency: 1 });
    const first = await limiter.acquire();
    const order: number[] = [];
    const a = limiter.acquire().then((s) => {
      order.push(1);
      return s;
    });
    const b = limiter.acquire().then((s) => {
      order.push(2);
      return s;
    });
    expect(limiter.inFlight()).toBe(1);
    first.release('neutral');
    (await a).release('neutral');
    (await b).release('neutral');
    expect(order).toEqual([1, 2]);
    expect(limiter.inFlight()).toBe(0);
  });

  it('removes an aborted waiter from the queue', async () => {
    const limiter = createConcurrencyLimiter({ maxConcurrency: 1 });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AppError);
    held.release('neutral');
    const next = await limiter.acquire();
    expect(limiter.inFlight()).toBe(1);
    next.release('neutral');
  });
});
