/**
 * Rate and time left for jobs whose body reports only counts (plan, export): a sliding window of
 * (time, done) samples. The window spans wall time, so a stall (a rate-limit wait, an outage) lowers
 * the rate and raises the time left instead of freezing them.
 */

export type RateSample = { atMs: number; done: number };

export type RateWindow = {
  /** Records a sample and returns the rate (per second) and seconds left, when known. */
  add(sample: RateSample, total?: number): { perSecond?: number; etaSeconds?: number };
};

/** A window of `spanMs` (default 10 s); the rate needs at least `minSpanMs` of history (1 s). */
export function createRateWindow(spanMs = 10_000, minSpanMs = 1_000): RateWindow {
  const samples: RateSample[] = [];
  return {
    add(sample, total) {
      samples.push(sample);
      while (samples.length > 2 && sample.atMs - (samples[1]?.atMs ?? sample.atMs) >= spanMs) {
        samples.shift();
      }
      const first = samples[0];
      if (!first) return {};
      const span = sample.atMs - first.atMs;
      if (span < minSpanMs) return {};
      const perSecond = Math.max(0, sample.done - first.done) / (span / 1000);
      const left = total !== undefined ? total - sample.done : undefined;
      return {
        perSecond,
        ...(left !== undefined && left >= 0 && perSecond > 0
          ? { etaSeconds: left / perSecond }
          : {}),
      };
    },
  };
}
