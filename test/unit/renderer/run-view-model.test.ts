import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../shared/ipc/schemas/jobs';
import {
  addSample,
  chartSeries,
  overall,
  passRows,
  rateText,
  recentRate,
  runState,
  sampleOf,
  timeLeft,
  type RunSample,
} from '../../../renderer/src/features/plan/run-view-model';

const NOW = 1_000_000;

function progress(extra: Partial<JobProgress> = {}): JobProgress {
  return {
    jobId: 'j',
    kind: 'apply',
    phase: 'Applying rows',
    done: 40,
    total: 100,
    opsPerSecond: 10,
    byPass: {
      rows: { done: 38, failed: 2, unknown: 0, total: 100 },
      groups: { done: 0, failed: 0, unknown: 0, total: 0 },
      members: { done: 0, failed: 0, unknown: 0, total: 50 },
      managers: { done: 0, failed: 0, unknown: 0, total: 0 },
    },
    throttle: { requestsPerSecond: 0, rateLimited: 7, retried: 0 },
    ...extra,
  };
}

const waiting = (cause: 'rate-limit' | 'unreachable', seconds: number, attempt?: number) =>
  progress({
    throttle: {
      requestsPerSecond: 0,
      rateLimited: 7,
      retried: 3,
      waiting: { cause, untilEpochMs: NOW + seconds * 1000, ...(attempt ? { attempt } : {}) },
    },
  });

describe('run state', () => {
  it('names a rate-limit wait with its seconds', () => {
    expect(runState(waiting('rate-limit', 12), NOW)).toEqual({
      kind: 'rate-limited',
      text: 'Waiting 12 s — the server is rate-limiting.',
    });
  });
  it('names an outage with the attempt', () => {
    expect(runState(waiting('unreachable', 4, 3), NOW).text).toBe(
      'Server unreachable, retrying (attempt 3) in 4 s.',
    );
  });
  it('counts the wait down as time passes, never below 1 s while it lasts', () => {
    const p = waiting('rate-limit', 12);
    expect(runState(p, NOW + 5_000).text).toBe('Waiting 7 s — the server is rate-limiting.');
    expect(runState(p, NOW + 11_900).text).toBe('Waiting 1 s — the server is rate-limiting.');
  });
  it('paused wins over a wait', () => {
    expect(runState({ ...waiting('rate-limit', 12), paused: true }, NOW).kind).toBe('paused');
  });
  it('running shows the phase', () => {
    expect(runState(progress(), NOW)).toEqual({ kind: 'running', text: 'Applying rows' });
    expect(runState(undefined, NOW).kind).toBe('starting');
  });
});

describe('counts', () => {
  it('lists the passes with planned work, in order', () => {
    expect(passRows(progress()).map((r) => [r.label, r.done, r.failed, r.total])).toEqual([
      ['People (rows)', 38, 2, 100],
      ['Group members', 0, 0, 50],
    ]);
  });
  it('overall counts every pass (never the 0 of 0 of a finished phase)', () => {
    expect(overall(progress({ done: 0, total: 0 }))).toEqual({ finished: 40, total: 150 });
    expect(overall({ jobId: 'j', kind: 'apply', phase: 'x', done: 3, total: 9 })).toEqual({
      finished: 3,
      total: 9,
    });
  });
});

describe('time left', () => {
  const samples: RunSample[] = [
    { atMs: NOW - 20_000, finished: 0, rateLimited: 0 },
    { atMs: NOW - 10_000, finished: 40, rateLimited: 5 },
    { atMs: NOW, finished: 40, rateLimited: 7 },
  ];
  it('uses the rate over wall time, stalls included', () => {
    expect(recentRate(samples, NOW)).toBe(2);
    // 110 left at 2 a second.
    expect(timeLeft(progress(), samples, NOW)).toBe('about 55 s');
  });
  it('adds the wait in progress', () => {
    expect(timeLeft(waiting('rate-limit', 12), samples, NOW)).toBe('about 1 min 7 s');
  });
  it('never says 0 s while work is left and nothing moves', () => {
    const stuck: RunSample[] = [
      { atMs: NOW - 20_000, finished: 40, rateLimited: 0 },
      { atMs: NOW, finished: 40, rateLimited: 9 },
    ];
    expect(timeLeft(progress(), stuck, NOW)).toBe('Unknown — nothing answered recently');
    expect(timeLeft(waiting('unreachable', 30, 2), stuck, NOW)).toBe(
      'at least 30 s (waiting for the server)',
    );
  });
  it('before any count is known, a wait is a lower bound, never "about 1 s"', () => {
    const p = { ...waiting('rate-limit', 4), byPass: {}, done: 0, total: 0 };
    expect(timeLeft(p, [], NOW)).toBe('at least 4 s (waiting for the server)');
    expect(
      timeLeft({ ...p, throttle: { requestsPerSecond: 0, rateLimited: 0, retried: 0 } }, [], NOW),
    ).toBe('—');
  });
  it('paused says so', () => {
    expect(timeLeft(progress({ paused: true }), samples, NOW)).toMatch(/^Paused/);
  });
  it('finishing once every operation is answered', () => {
    const p = progress({
      byPass: { rows: { done: 100, failed: 0, unknown: 0, total: 100 } },
    });
    expect(timeLeft(p, samples, NOW)).toBe('Finishing…');
  });
});

describe('rate and chart', () => {
  it('rate text names 429s, retries and the allowed rate', () => {
    const p = progress({
      throttle: { requestsPerSecond: 5, rateLimited: 1204, retried: 3, allowedPerSecond: 50 },
    });
    expect(rateText(p, [], NOW)).toBe(
      '10.0 operations a second · 1,204 answered 429 · 3 retried · server allows about 50.0 a second',
    );
  });
  it('chart buckets throughput and 429s; samples are bounded', () => {
    let s: RunSample[] = [];
    for (let i = 0; i <= 20; i++) {
      s = addSample(
        s,
        { atMs: NOW - 20_000 + i * 1000, finished: i * 10, rateLimited: i < 10 ? 0 : i - 10 },
        1000,
      );
    }
    const points = chartSeries(s, NOW, 5_000, 4);
    expect(points.map((p) => p.perSecond)).toEqual([10, 10, 10, 10]);
    expect(points.map((p) => p.rateLimited)).toEqual([0, 0, 5, 5]);
    expect(addSample(s, sampleOf(progress(), NOW), 5)).toHaveLength(5);
    expect(sampleOf(progress(), NOW)).toEqual({ atMs: NOW, finished: 40, rateLimited: 7 });
  });
});
