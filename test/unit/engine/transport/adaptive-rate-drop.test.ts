import { describe, expect, it } from 'vitest';
import {
  dropAfterThrottle,
  type LearnedRate,
} from '../../../../engine/scim/transport/adaptive-rate';

const fresh: LearnedRate = {
  ceiling: 0,
  base: 0,
  droppedAt: Number.NEGATIVE_INFINITY,
  holdMs: 30_000,
  isLearned: false,
};
const learned = (over: Partial<LearnedRate>): LearnedRate => ({
  ...fresh,
  ceiling: 100,
  base: 97,
  droppedAt: 0,
  isLearned: true,
  ...over,
});

describe('dropAfterThrottle', () => {
  it('takes the accepted rate as the ceiling the first time, a margin below it', () => {
    const next = dropAfterThrottle(fresh, {
      t: 1000,
      acceptedCount: 50,
      acceptedRate: 50,
      before: 80,
    });
    expect(next).toEqual({ ceiling: 50, base: 50 * 0.97, holdMs: 30_000, holdThrottles: 0 });
  });
  it('drops by 0.7 on a repeat throttle soon after the last drop', () => {
    const next = dropAfterThrottle(learned({ droppedAt: 1000 }), {
      t: 2500,
      acceptedCount: 50,
      acceptedRate: 50,
      before: 60,
    });
    expect(next.base).toBeCloseTo(42);
    expect(next.ceiling).toBeCloseTo(42 / 0.97);
    expect(next.holdMs).toBe(30_000);
  });
  it('takes a first throttle while holding for jitter: a 0.95 step, never above the accepted rate margin', () => {
    const s = { t: 5000, acceptedCount: 100, acceptedRate: 100, calendarCount: 40, before: 90 };
    const next = dropAfterThrottle(learned({ droppedAt: 0, base: 90, holdMs: 20_000 }), s);
    expect(next.base).toBeCloseTo(90 * 0.95);
    expect(next.holdMs).toBe(30_000);
    expect(next.holdThrottles).toBe(1);
    const low = dropAfterThrottle(learned({ base: 90 }), { ...s, acceptedRate: 80 });
    expect(low.base).toBeCloseTo(80 * 0.97);
  });
  it('takes what got through since the calendar second began on a further throttle while holding (a fixed window)', () => {
    // Held 230/s because the last second (straddling two windows) let 235 through; the server
    // counts 200 per epoch second, and 200 got through in the second of the refusal.
    const next = dropAfterThrottle(learned({ base: 230, holdThrottles: 1 }), {
      t: 5000,
      acceptedCount: 230,
      acceptedRate: 230,
      calendarCount: 200,
      before: 230,
    });
    expect(next.base).toBeCloseTo(200 * 0.97);
    expect(next.holdThrottles).toBe(2);
  });
  it('trusts the calendar count no lower than 0.85 of the held rate, and always steps down', () => {
    const s = { t: 5000, acceptedCount: 100, acceptedRate: 100, before: 100 };
    const again = learned({ base: 100, holdThrottles: 1 });
    expect(dropAfterThrottle(again, { ...s, calendarCount: 10 }).base).toBeCloseTo(85 * 0.97);
    expect(dropAfterThrottle(again, { ...s, calendarCount: 120 }).base).toBeCloseTo(100 * 0.97);
    expect(dropAfterThrottle(again, { ...s, calendarCount: 3 }).base).toBeCloseTo(85);
  });
  it('doubles the hold when the new ceiling confirms the last one, up to a minute', () => {
    const s = { t: 100_000, acceptedCount: 100, acceptedRate: 105, before: 120 };
    expect(dropAfterThrottle(learned({ holdMs: 20_000 }), s).holdMs).toBe(40_000);
    expect(dropAfterThrottle(learned({ holdMs: 40_000 }), s).holdMs).toBe(60_000);
    const moved = { ...s, acceptedRate: 150, before: 150 };
    expect(dropAfterThrottle(learned({ holdMs: 40_000 }), moved).holdMs).toBe(30_000);
  });
  it('never goes below 0.2 requests a second', () => {
    const next = dropAfterThrottle(learned({ droppedAt: 0 }), {
      t: 100,
      acceptedCount: 0,
      acceptedRate: 0,
      before: 0.1,
    });
    expect(next.base).toBe(0.2);
  });
});
