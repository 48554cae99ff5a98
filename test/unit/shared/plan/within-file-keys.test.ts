import { describe, expect, it } from 'vitest';
import { createKeyTracker, normaliseForMatch } from '../../../../engine/plan/within-file-keys';

const values = (entries: Record<string, string>): Map<string, string> =>
  new Map(Object.entries(entries));

describe('normaliseForMatch', () => {
  it('applies NFC, trims, collapses white space and lower-cases unless case-exact', () => {
    expect(normaliseForMatch('  Ada\u00a0 \tLovelace ', false)).toBe('ada lovelace');
    expect(normaliseForMatch('Zoe\u0308@Example.COM', false)).toBe('zoë@example.com');
    expect(normaliseForMatch('Zoe\u0308@Example.COM', true)).toBe('Zoë@Example.COM');
    expect(normaliseForMatch('ÅNGSTRÖM', false)).toBe(
      normaliseForMatch('a\u030angstro\u0308m', false),
    );
  });
});

describe('createKeyTracker', () => {
  it('keeps every first row through the growth of its table', () => {
    const tracker = createKeyTracker([['userName']], () => false);
    for (let r = 1; r <= 20_000; r++) {
      expect(tracker.track(r, values({ userName: `user${r}@example.com` }))).toEqual([]);
    }
    expect(tracker.track(20_001, values({ userName: 'USER1@example.com' }))).toEqual([1]);
    expect(tracker.track(20_002, values({ userName: 'user19999@example.com' }))).toEqual([19_999]);
    expect(tracker.track(20_003, values({ userName: 'user1@example.com' }))).toEqual([1, 20_001]);
  });

  it('reports the earlier rows that share a key value, across case and Unicode variants', () => {
    const tracker = createKeyTracker([['userName'], ['externalId']], () => false);
    expect(tracker.track(1, values({ userName: 'zoë@example.com', externalId: 'E1' }))).toEqual([]);
    expect(tracker.track(2, values({ userName: 'other@example.com', externalId: 'E2' }))).toEqual(
      [],
    );
    expect(
      tracker.track(3, values({ userName: ' ZOE\u0308@EXAMPLE.COM ', externalId: 'E3' })),
    ).toEqual([1]);
    expect(tracker.track(4, values({ userName: 'new@example.com', externalId: 'e2' }))).toEqual([
      2,
    ]);
    expect(tracker.track(5, values({ userName: 'zoë@example.com', externalId: 'E2' }))).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('keeps case-exact keys apart by case', () => {
    const tracker = createKeyTracker([['externalId']], (p) => p === 'externalId');
    expect(tracker.track(1, values({ externalId: 'abc' }))).toEqual([]);
    expect(tracker.track(2, values({ externalId: 'ABC' }))).toEqual([]);
    expect(tracker.track(3, values({ externalId: ' abc' }))).toEqual([1]);
  });

  it('does not compare values of different keys, and skips blank values', () => {
    const tracker = createKeyTracker([['userName'], ['externalId']], () => false);
    expect(tracker.track(1, values({ userName: 'x' }))).toEqual([]);
    expect(tracker.track(2, values({ externalId: 'x' }))).toEqual([]);
    expect(tracker.track(3, values({ userName: '  ', externalId: '' }))).toEqual([]);
    expect(tracker.track(4, values({ userName: ' ', externalId: '\t' }))).toEqual([]);
  });

  it('matches composite keys only when every part is present and equal', () => {
    const tracker = createKeyTracker([['name.givenName', 'name.familyName']], () => false);
    expect(
      tracker.track(1, values({ 'name.givenName': 'Ada', 'name.familyName': 'Lovelace' })),
    ).toEqual([]);
    expect(tracker.track(2, values({ 'name.givenName': 'Ada' }))).toEqual([]);
    expect(
      tracker.track(3, values({ 'name.givenName': 'Ada Lovelace', 'name.familyName': '' })),
    ).toEqual([]);
    expect(
      tracker.track(4, values({ 'name.givenName': 'AdaL', 'name.familyName': 'ovelace' })),
    ).toEqual([]);
    expect(
      tracker.track(5, values({ 'name.givenName': 'ada', 'name.familyName': 'LOVELACE' })),
    ).toEqual([1]);
  });

  it('tells 200,000 distinct values apart and finds every repeat', () => {
    const tracker = createKeyTracker([['userName']], () => false);
    let reported = 0;
    for (let row = 1; row <= 200_000; row++) {
      reported += tracker.track(row, values({ userName: `user${row}@example.com` })).length;
    }
    expect(reported).toBe(0);
    for (let row = 200_001; row <= 200_100; row++) {
      const earlier = row - 200_000;
      expect(tracker.track(row, values({ userName: `USER${earlier}@example.com` }))).toEqual([
        earlier,
      ]);
    }
  });
});
