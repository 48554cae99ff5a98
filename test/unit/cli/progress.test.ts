import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../cli/io';
import { createProgressMeter, formatDuration, formatProgress } from '../../../cli/progress';

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
});
