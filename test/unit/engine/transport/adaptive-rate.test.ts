import { describe, expect, it } from 'vitest';
import { createAdaptiveRate } from '../../../../engine/scim/transport/adaptive-rate';
import { fixedWindowServer, simulate, slidingWindowServer } from './rate-sim';

const share = (r: { accepted: number; rejected: number }): number =>
  r.rejected / (r.accepted + r.rejected);

describe('adaptive rate against a server that does not say its limit (simulated, virtual clock)', () => {
  for (const R of [10, 50, 200]) {
    it(`learns a sliding-window cap of ${R}/s: ≥ 0.9 × R over 60 s, ≤ 2 % answered 429`, async () => {
      const r = await simulate({ server: slidingWindowServer(R), seconds: 60 });
      expect(r.rate / R).toBeGreaterThanOrEqual(0.9);
      expect(share(r)).toBeLessThanOrEqual(0.02);
      // Converged within a few seconds: from the fifth second on, only the seconds of an upward
      // probe (its 429 costs a Retry-After pause, which can straddle two seconds) get less than 0.9 × R through.
      const slow = r.perSecond.slice(5).filter((n) => n < 0.9 * R);
      expect(slow.length).toBeLessThanOrEqual(4);
      expect(r.pacing.stats()).toMatchObject({ source: 'learned' });
      expect(r.pacing.stats().allowedPerSecond).toBeLessThanOrEqual(R);
    });
  }

  it('learns a fixed-window cap (every request counted, Retry-After: 1) with few 429s', async () => {
    for (const R of [10, 50, 200]) {
      const r = await simulate({ server: fixedWindowServer(R), seconds: 60 });
      expect(r.rate / R).toBeGreaterThanOrEqual(0.9);
      expect(share(r)).toBeLessThanOrEqual(0.02);
    }
  });

  it('reaches 0.9 × R within a 30 s run (slow start, the first throttle and its pause included)', async () => {
    for (const R of [10, 50, 200]) {
      for (const server of [slidingWindowServer(R), fixedWindowServer(R)]) {
        const r = await simulate({ server, seconds: 30, latencyMs: 10 });
        expect(r.rate / R).toBeGreaterThanOrEqual(0.9);
        expect(share(r)).toBeLessThanOrEqual(0.01);
      }
    }
  });

  it('keeps 429s rarer as the run goes on (the hold before probing doubles)', async () => {
    const r = await simulate({ server: slidingWindowServer(50), seconds: 180 });
    // First minute: slow start plus a few probes; the next two only a probe or two.
    expect(r.rejected).toBeLessThanOrEqual(12);
    expect(r.rate / 50).toBeGreaterThanOrEqual(0.93);
  });

  it('never exceeds the cap the admin set, even when the server allows more', async () => {
    const r = await simulate({
      server: slidingWindowServer(200),
      seconds: 20,
      maxRequestsPerSecond: 40,
    });
    expect(r.rejected).toBe(0);
    expect(Math.max(...r.perSecond)).toBeLessThanOrEqual(40);
    expect(r.pacing.stats()).toMatchObject({ source: 'cap', allowedPerSecond: 40 });
  });

  it('finds a raised limit again by probing upward', async () => {
    let R = 20;
    const inner = slidingWindowServer(1000);
    let window: number[] = [];
    const server = {
      accepted: 0,
      rejected: 0,
      handle(t: number) {
        if (t - 1_700_000_000_000 > 30_000) R = 60;
        window = window.filter((x) => x > t - 1000);
        if (window.length >= R) {
          server.rejected += 1;
          return { status: 429, headers: { 'retry-after': '1' } };
        }
        window.push(t);
        server.accepted += 1;
        return inner.handle(t);
      },
    };
    const r = await simulate({ server, seconds: 120 });
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(r.perSecond.slice(5, 30))).toBeGreaterThanOrEqual(18);
    // Within a minute and a half of the raise it runs at ≥ 0.9 × the new limit.
    expect(mean(r.perSecond.slice(110))).toBeGreaterThanOrEqual(54);
  });
});

describe('adaptive rate against a server that sends rate-limit headers', () => {
  for (const R of [10, 50, 200]) {
    it(`paces from IETF RateLimit/RateLimit-Policy (sliding ${R}/s): ≤ 0.5 % 429s`, async () => {
      const r = await simulate({ server: slidingWindowServer(R, true), seconds: 60 });
      expect(share(r)).toBeLessThanOrEqual(0.005);
      expect(r.rate / R).toBeGreaterThanOrEqual(0.9);
      expect(r.pacing.stats()).toMatchObject({ source: 'headers' });
    });
    it(`paces from X-RateLimit-* with Reset in epoch seconds (fixed ${R}/s): ≤ 0.5 % 429s`, async () => {
      const r = await simulate({ server: fixedWindowServer(R, true), seconds: 60 });
      expect(share(r)).toBeLessThanOrEqual(0.005);
      expect(r.rate / R).toBeGreaterThanOrEqual(0.9);
    });
  }
});

describe('createAdaptiveRate', () => {
  it('slow-starts: doubles every quarter second while requests wait, then stops bounding', () => {
    let t = 0;
    const rate = createAdaptiveRate({ now: () => t, initialRate: 20 });
    expect(rate.allowed(true)).toBe(20);
    for (let step = 0; step < 10; step++) {
      t += 250;
      rate.allowed(true);
    }
    expect(rate.allowed()).toBeUndefined();
    expect(rate.learned()).toBe(false);
  });

  it('does not grow while nothing waits for it (an idle client learns nothing)', () => {
    let t = 0;
    const rate = createAdaptiveRate({ now: () => t, initialRate: 20 });
    for (let step = 0; step < 10; step++) {
      t += 250;
      rate.allowed();
    }
    expect(rate.allowed()).toBe(20);
  });

  it('drops to a margin below what the server accepted in the last second', () => {
    let t = 10_000;
    const rate = createAdaptiveRate({ now: () => t, initialRate: 1000 });
    for (let i = 0; i < 100; i++) {
      rate.onAnswer(t, false);
      t += 10;
    }
    rate.onAnswer(t - 5, true);
    expect(rate.learned()).toBe(true);
    const learned = rate.allowed() ?? 0;
    expect(learned).toBeGreaterThan(95);
    expect(learned).toBeLessThan(98);
    // Answers to requests sent before the drop do not drop it again.
    rate.onAnswer(t - 5, true);
    expect(rate.allowed()).toBe(learned);
  });

  it('halves the slow start when throttled before anything got through', () => {
    let t = 0;
    const rate = createAdaptiveRate({ now: () => t, initialRate: 20 });
    t += 10;
    rate.onAnswer(0, true);
    expect(rate.allowed()).toBe(10);
    expect(rate.learned()).toBe(false);
  });
});
