import { describe, expect, it } from 'vitest';
import { rateLine } from '../../../renderer/src/components/job-rate';

describe('rateLine', () => {
  it('says nothing before the engine knows a rate', () => {
    expect(rateLine({ done: 0, total: 10 })).toBeUndefined();
  });
  it('gives the rate and the time left', () => {
    expect(rateLine({ done: 100, total: 1100, opsPerSecond: 50, etaSeconds: 20 })).toBe(
      '50 a second · about 20 s left',
    );
  });
  it('never shows 0 s left while work remains and nothing moves', () => {
    expect(rateLine({ done: 100, total: 1100, opsPerSecond: 0 }, 'rows a second')).toBe(
      '0.0 rows a second · time left unknown (no progress right now)',
    );
  });
  it('has no time left without a total', () => {
    expect(rateLine({ done: 100, opsPerSecond: 2.5 })).toBe('2.5 a second');
  });
});
