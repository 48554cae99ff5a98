import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io';
import {
  createProgressMeter,
  formatDuration,
  formatProgress,
  formatThrottle,
} from '../../../cli/progress';

describe('progress line', () => {
  it('shows count, total, rate and ETA', () => {
    expect(formatProgress('users', 12_345, 100_000, 5_000)).toBe(
      '12,345 / 100,000 users · 2,469/s · ETA 36s',
    );
    expect(formatProgress('users', 10, undefined, 1_000)).toBe('10 users · 10/s');
  });

  it('formats durations for humans', () => {
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(61)).toBe('1m01s');
    expect(formatDuration(3_700)).toBe('1h01m');
    expect(formatDuration(Infinity)).toBe('?');
  });

  it('logs a plain line every 10 s when stderr is not a terminal', () => {
    const lines: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: (l) => {
        lines.push(l);
      },
      progress: () => {
        throw new Error('no in-place progress off a terminal');
      },
      interactive: false,
      env: {},
      cwd: '/',
    };
    let t = 0;
    const meter = createProgressMeter(io, 'users', () => t);
    t = 10_000;
    meter.update(100, 1000);
    t = 15_000;
    meter.update(150, 1000);
    t = 20_000;
    meter.update(200, 1000);
    expect(lines).toEqual([
      '100 / 1,000 users · 10/s · ETA 1m30s',
      '200 / 1,000 users · 10/s · ETA 1m20s',
    ]);
  });

  it('shows how the connection is paced, and nothing while nothing paces it', () => {
    const now = 1_700_000_000_000;
    expect(
      formatThrottle({ requestsPerSecond: 400, rateLimited: 0, retried: 0 }, now),
    ).toBeUndefined();
    expect(
      formatThrottle(
        {
          requestsPerSecond: 47.5,
          allowedPerSecond: 48.4,
          source: 'learned',
          rateLimited: 3,
          retried: 0,
          waiting: { cause: 'rate-limit', untilEpochMs: now + 11_200 },
        },
        now,
      ),
    ).toBe("rate 48/s (learned), 429s: 3, waiting 12 s for the server's rate limit");
    expect(
      formatThrottle(
        {
          requestsPerSecond: 0,
          allowedPerSecond: 9.7,
          source: 'headers',
          rateLimited: 0,
          retried: 2,
          waiting: { cause: 'unreachable', untilEpochMs: now + 4000, attempt: 3 },
        },
        now,
      ),
    ).toBe(
      "rate 9.7/s (from the server's headers), retries: 2, server unreachable, trying again in 4 s (attempt 3)",
    );
  });

  it('redraws the line every tick while the run waits, with the wait counting down', () => {
    const drawn: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: () => undefined,
      progress: (l) => {
        drawn.push(l);
      },
      interactive: true,
      env: {},
      cwd: '/',
    };
    let t = 1_700_000_000_000;
    let tick = (): void => undefined;
    let stopped = false;
    const meter = createProgressMeter(io, 'operations', () => t, {
      throttle: () => ({
        requestsPerSecond: 0,
        allowedPerSecond: 50,
        source: 'cap',
        rateLimited: 1,
        retried: 0,
        waiting: { cause: 'rate-limit', untilEpochMs: 1_700_000_012_000 },
      }),
      ticker: (_ms, fn) => {
        tick = fn;
        return () => {
          stopped = true;
        };
      },
    });
    meter.update(10, 100);
    t += 1000;
    tick();
    t += 1000;
    tick();
    expect(drawn).toHaveLength(3);
    expect(drawn[0]).toContain("waiting 12 s for the server's rate limit");
    expect(drawn[2]).toContain(
      "rate 50/s (cap), 429s: 1, waiting 10 s for the server's rate limit",
    );
    meter.finish();
    expect(stopped).toBe(true);
  });
});

describe('progress before the first answer', () => {
  it('shows the totals and "sending the first batch…" at once, then the time it has waited', () => {
    const drawn: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: () => undefined,
      progress: (l) => {
        drawn.push(l);
      },
      interactive: true,
      env: {},
      cwd: '/',
    };
    let t = 1_700_000_000_000;
    let tick = (): void => undefined;
    const meter = createProgressMeter(io, 'operations', () => t, {
      throttle: () => ({ requestsPerSecond: 0, rateLimited: 0, retried: 0 }),
      ticker: (_ms, fn) => {
        tick = fn;
        return () => undefined;
      },
      startNote: 'sending the first batch…',
    });
    // The engine reports the planned totals before the first Bulk request is answered.
    meter.update(0, 5000, 'applying rows');
    expect(drawn).toEqual(['0 / 5,000 operations · sending the first batch… · applying rows']);
    t += 12_000;
    tick();
    expect(drawn[1]).toBe('0 / 5,000 operations · sending the first batch… (12s) · applying rows');
    t += 1000;
    meter.update(1000, 5000, 'applying rows');
    expect(drawn[2]).toBe('1,000 / 5,000 operations · 77/s · ETA 52s · applying rows');
  });
});
