import { describe, expect, it } from 'vitest';
import { RATE_PRESETS, ratePreset } from '../../../../engine/connections/rate-presets';

describe('rate presets', () => {
  it('finds presets by id, case-insensitively, each with a positive rate and a source', () => {
    expect(ratePreset('ENTRA-SCIM')?.requestsPerSecond).toBe(20);
    expect(ratePreset('miro-delete')?.requestsPerSecond).toBeCloseTo(0.66);
    expect(ratePreset('nope')).toBeUndefined();
    for (const p of RATE_PRESETS) {
      expect(p.requestsPerSecond).toBeGreaterThan(0);
      expect(p.source.length).toBeGreaterThan(10);
    }
    expect(new Set(RATE_PRESETS.map((p) => p.id)).size).toBe(RATE_PRESETS.length);
  });
});
