import { describe, expect, it } from 'vitest';
import { computeEffective } from '../../../../engine/scim/discovery-effective';
import { parseServiceProviderConfig } from '../../../../engine/scim/service-provider-config';
import type { ProbeOutcome } from '../../../../shared/scim/discovery-types';

const caps = (over: Record<string, unknown>) =>
  parseServiceProviderConfig({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    pagination: { index: true, cursor: false, maxPageSize: 100 },
    ...over,
  });
const probes = (filterEq: ProbeOutcome, etag: ProbeOutcome) => ({
  filterEq,
  etag,
  indexPaging: { observed: 'yes' as const },
  cursorPaging: { observed: 'unknown' as const },
  listing: true,
});

describe('computeEffective warnings', () => {
  it('says when advertised ETags and filters do not hold, and turns If-Match off', () => {
    const { effective, warnings } = computeEffective(
      caps({ etag: { supported: true }, filter: { supported: true, maxResults: 100 } }),
      probes({ observed: 'no', note: 'userName eq filter refused (HTTP 400)' }, { observed: 'no' }),
    );
    expect(effective).toMatchObject({ etag: false, filter: false });
    expect(warnings.map((w) => w.code)).toEqual(['filter_refused', 'etag_missing']);
  });

  it('uses filters seen working, keeps If-Match off when ETags are not advertised', () => {
    const { effective, warnings } = computeEffective(
      caps({ bulk: { supported: true, maxOperations: 0 } }),
      probes({ observed: 'yes' }, { observed: 'yes' }),
    );
    expect(effective).toMatchObject({ etag: false, filter: true, bulk: { enabled: false } });
    expect(warnings.map((w) => w.code)).toEqual([
      'bulk_limits_missing',
      'filter_not_advertised',
      'etag_not_advertised',
    ]);
  });

  it('leaves filters and If-Match off when neither is advertised nor probed', () => {
    const { effective } = computeEffective(
      caps({}),
      probes({ observed: 'unknown' }, { observed: 'unknown' }),
    );
    expect(effective).toMatchObject({ etag: false, filter: false });
  });
});
