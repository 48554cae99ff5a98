import { describe, expect, it } from 'vitest';
import { formatDiscovery } from '../../../../cli/format-discovery';
import { verifyLookupHits } from '../../../../engine/plan/lookup-verify';
import { assertSameKey } from '../../../../engine/scim/read-verify';
import {
  incompleteReadError,
  judgeRead,
  understatedWarning,
} from '../../../../engine/scim/read-integrity';
import type { DiscoveryResult } from '../../../../shared/scim/discovery-types';
import { eq } from '../../../../shared/scim/filter';
import { autoExportPaging, describePaging } from '../../../../shared/scim/paging-plan';

describe('judgeRead', () => {
  it('calls a read short of a steady count incomplete, naming the count', () => {
    const v = judgeRead({ listed: 200, totalFirst: 300, totalLast: 300 });
    expect(v).toMatchObject({ complete: false, cause: 'count_overstated', missing: 100 });
    if (!v.complete) expect(v.sentence).toMatch(/counted 300.*listed only 200.*100 may be missing/);
  });

  it('blames a change only when the count moved', () => {
    expect(judgeRead({ listed: 30, totalFirst: 30, totalLast: 32 })).toMatchObject({
      cause: 'changed',
      missing: 2,
    });
  });

  it('names an ignored startIndex whatever the counts say', () => {
    const v = judgeRead({
      listed: 10,
      totalFirst: 25,
      totalLast: 25,
      stoppedBecause: 'no new resources in 1 pages (startIndex ignored?)',
    });
    expect(v).toMatchObject({ complete: false, cause: 'start_index_ignored', missing: 15 });
  });

  it('is complete when all was read, reporting an understated count', () => {
    const v = judgeRead({ listed: 30, totalFirst: 20, totalLast: 20 });
    expect(v).toMatchObject({ complete: true, countUnderstated: 10 });
    expect(understatedWarning(v)).toMatch(
      /totalResults \(20\) is smaller than what it listed \(30\)/,
    );
    expect(
      judgeRead({ listed: 5, stoppedBecause: 'item limit reached', totalLast: 9 }),
    ).toMatchObject({
      complete: true,
    });
  });

  it('offers per-row look-ups as the way out only where eq was seen working', () => {
    const v = judgeRead({ listed: 1, totalLast: 2, totalFirst: 2 });
    if (v.complete) throw new Error('expected incomplete');
    expect(incompleteReadError(v, 'Planning', true).facts.nextStep).toMatch(/--lookup per-row/);
    expect(incompleteReadError(v, 'Planning', false).facts.nextStep).not.toMatch(/per-row/);
    expect(incompleteReadError(v, 'Planning', true).code).toBe('incomplete_read');
  });
});

describe('read verification', () => {
  it('refuses a re-read whose userName is not the matched one', () => {
    const matched = { schemas: [], id: '1', userName: 'ada@x' };
    expect(assertSameKey('/Users', matched, { ...matched, userName: 'ADA@x' })).toBeDefined();
    expect(() => assertSameKey('/Users', matched, { ...matched, userName: 'bob@x' })).toThrow(
      /answered userName "bob@x", but the account matched was "ada@x"/,
    );
  });

  it('refuses a look-up answer that does not match its filter', () => {
    const f = eq('userName', 'ada@x');
    const ada = { schemas: [], id: '1', userName: 'ada@x' };
    expect(verifyLookupHits(f, [ada])).toEqual([ada]);
    expect(() => verifyLookupHits(f, [ada, { schemas: [], id: '2', userName: 'bob@x' }])).toThrow(
      /does not match it \(bob@x\)/,
    );
  });
});

function discovery(
  paging: DiscoveryResult['effective']['paging'],
  index: 'yes' | 'no' | 'unknown',
): DiscoveryResult {
  const probe = { observed: 'unknown' as const };
  return {
    baseUrl: 'https://h.test/scim/v2',
    serviceProviderConfig: {
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 0 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      pagination: { cursor: true, index: true },
      authenticationSchemes: [],
    },
    resourceTypes: [],
    schemas: [],
    schemaSource: 'builtin',
    probes: {
      filterEq: { observed: 'yes' },
      indexPaging: { observed: index },
      cursorPaging: probe,
      etag: probe,
      patch: probe,
      bulk: probe,
    },
    effective: {
      paging,
      pageSize: 100,
      bulk: { enabled: false, maxOperations: 0, maxPayloadSize: 0 },
      patch: true,
      etag: false,
      filter: true,
      sort: false,
    },
    warnings: [],
    durationMs: 0,
  };
}

describe('the paging that will be used', () => {
  it('exports take index pages only where the probe saw them work', () => {
    expect(autoExportPaging(discovery('cursor', 'yes'))).toBe('index');
    expect(autoExportPaging(discovery('cursor', 'no'))).toBe('cursor');
    expect(autoExportPaging(discovery('refused', 'no'))).toBe('refused');
  });

  it('discover prints what exports and other lists will use, never index paging seen failing', () => {
    const text = formatDiscovery(discovery('refused', 'no')).join('\n');
    expect(text).toContain(describePaging(discovery('refused', 'no')).exports);
    expect(text).toMatch(/exports: one page of 100 only: startIndex was seen ignored/);
    expect(text).not.toMatch(/exports: index paging/);
    const both = formatDiscovery(discovery('cursor', 'yes')).join('\n');
    expect(both).toMatch(/exports: index paging, 100 per page, several pages at a time/);
    expect(both).toMatch(/other lists: cursor paging/);
    expect(both).toMatch(/per-row eq look-ups possible/);
  });
});
