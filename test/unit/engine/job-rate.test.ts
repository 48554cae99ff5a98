import { describe, expect, it } from 'vitest';
import { createRateWindow } from '../../../engine/workspace/job-rate';

describe('createRateWindow', () => {
  it('knows no rate before a second of history', () => {
    const w = createRateWindow();
    expect(w.add({ atMs: 0, done: 0 }, 100)).toEqual({});
    expect(w.add({ atMs: 500, done: 10 }, 100)).toEqual({});
  });

  it('gives the rate over the window and the time left at that rate', () => {
    const w = createRateWindow();
    w.add({ atMs: 0, done: 0 }, 1000);
    expect(w.add({ atMs: 2000, done: 100 }, 1000)).toEqual({ perSecond: 50, etaSeconds: 18 });
  });

  it('a stall lowers the rate and raises the time left (never a frozen figure)', () => {
    const w = createRateWindow(10_000);
    w.add({ atMs: 0, done: 0 }, 1000);
    w.add({ atMs: 5000, done: 500 }, 1000);
    const stalled = w.add({ atMs: 14_000, done: 500 }, 1000);
    expect(stalled.perSecond).toBeCloseTo(500 / 14, 5);
    expect(stalled.etaSeconds).toBeCloseTo(14, 5);
    const later = w.add({ atMs: 16_000, done: 500 }, 1000);
    expect(later.perSecond).toBe(0);
    expect(later.etaSeconds).toBeUndefined();
  });

  it('has no time left without a total', () => {
    const w = createRateWindow();
    w.add({ atMs: 0, done: 0 });
    expect(w.add({ atMs: 1000, done: 10 })).toEqual({ perSecond: 10 });
  });
});
