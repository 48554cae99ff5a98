/**
 * Combines what a server advertises with what the probes saw into what the engine will use
 * (`DiscoveryResult.effective`). Pure, so every rule is unit-tested.
 */
import type {
  DiscoveryResult,
  DiscoveryWarning,
  ProbeOutcome,
} from '../../shared/scim/discovery-types';
import type { ServiceProviderCapabilities } from '../../shared/scim/types';

/**
 * Page size when the server states no limit: conservative, as AWS caps at 100
 * (docs/server-behaviour.md, A5).
 */
const FALLBACK_PAGE_SIZE = 100;
/** Upper bound we ask for even when a server allows more: keeps pages and memory bounded. */
const MAX_PAGE_SIZE = 1000;
/** Bulk payload assumed when `bulk.supported` but `maxPayloadSize` is not stated (RFC 7643 §8.5 example). */
const FALLBACK_BULK_PAYLOAD = 1_048_576;
/** Bulk operations per request cap, even when a server allows more (RFC 7643 §8.5 example). */
const MAX_BULK_OPERATIONS = 1000;

type ProbeView = {
  filterEq: ProbeOutcome;
  indexPaging: ProbeOutcome;
  cursorPaging: ProbeOutcome;
  etag: ProbeOutcome;
  listing: boolean;
  /** Why index paging failed in the probe (see probe-paging.ts). */
  indexFailure?: 'count_ignored' | 'cursor_instead' | 'start_index_ignored' | 'listing';
};

/**
 * Page size: the server's maxPageSize, else filter.maxResults (RFC 7643 §5: most resources per
 * answer), else the stated default if larger than the fallback, else 100 — never "unlimited".
 */
export function effectivePageSize(spc: ServiceProviderCapabilities): number {
  const p = spc.pagination;
  let size = p.maxPageSize ?? (spc.filter.maxResults > 0 ? spc.filter.maxResults : undefined);
  size ??= Math.max(FALLBACK_PAGE_SIZE, p.defaultPageSize ?? 0);
  if (spc.filter.maxResults > 0) size = Math.min(size, spc.filter.maxResults);
  return Math.max(1, Math.min(size, MAX_PAGE_SIZE));
}

/**
 * The paging that will be used follows what the probes saw, never index paging they saw fail:
 * cursors when they work; index paging unless the probe saw it fail; the whole list in one answer
 * when the server ignores `count`; otherwise `refused` (startIndex ignored and no cursor: only a
 * list that fits in one page can be read completely, and a longer one stops as incomplete).
 */
function pagingKind(
  spc: ServiceProviderCapabilities,
  probes: ProbeView,
): DiscoveryResult['effective']['paging'] {
  if (!probes.listing) return 'none';
  const cursor = probes.cursorPaging.observed;
  const index = probes.indexPaging.observed;
  // Cursors are the only drift-safe export primitive (RFC 9865; docs/server-behaviour.md, C2):
  // prefer them when seen working.
  if (cursor === 'yes') return 'cursor';
  if (cursor === 'unknown' && spc.pagination.cursor && (!spc.pagination.index || index === 'no'))
    return 'cursor';
  if (index !== 'no') return 'index';
  switch (probes.indexFailure) {
    case 'count_ignored':
      return 'none';
    case 'cursor_instead':
      return 'cursor';
    case 'start_index_ignored':
    case 'listing':
    case undefined:
      return 'refused';
  }
}

/** Bulk as it will be used: only with a stated maxOperations, capped, with a payload fallback. */
function effectiveBulk(
  spc: ServiceProviderCapabilities,
  warnings: DiscoveryWarning[],
): DiscoveryResult['effective']['bulk'] {
  const b = spc.bulk;
  if (!b.supported) return { enabled: false, maxOperations: 0, maxPayloadSize: 0 };
  if (b.maxOperations <= 0) {
    warnings.push({
      code: 'bulk_limits_missing',
      message: 'Bulk is advertised without maxOperations; single requests will be used instead.',
    });
    return { enabled: false, maxOperations: 0, maxPayloadSize: 0 };
  }
  if (b.maxPayloadSize <= 0) {
    warnings.push({
      code: 'bulk_limits_missing',
      message: `Bulk is advertised without maxPayloadSize; requests are kept under ${FALLBACK_BULK_PAYLOAD} bytes.`,
    });
  }
  return {
    enabled: true,
    maxOperations: Math.min(b.maxOperations, MAX_BULK_OPERATIONS),
    maxPayloadSize: b.maxPayloadSize > 0 ? b.maxPayloadSize : FALLBACK_BULK_PAYLOAD,
  };
}

/** Warns when the advertisement says nothing about pagination or page size. */
function warnAboutPaging(spc: ServiceProviderCapabilities, warnings: DiscoveryWarning[]): void {
  const pag = spc.pagination;
  if (!pag.cursor && !pag.index) {
    warnings.push({
      code: 'no_pagination_advertised',
      message:
        'The server advertises no pagination (RFC 9865 `pagination`); paging behaviour was probed instead.',
    });
  }
  if (pag.maxPageSize === undefined && spc.filter.maxResults <= 0) {
    warnings.push({
      code: 'no_page_size_limit',
      message: `The server states no maximum page size; pages of ${effectivePageSize(spc)} are requested and shorter answers are followed.`,
    });
  }
}

/** Filters are used when the probe saw one work, or, unprobed, when they are advertised. */
function effectiveFilter(
  spc: ServiceProviderCapabilities,
  probes: ProbeView,
  warnings: DiscoveryWarning[],
): boolean {
  const fo = probes.filterEq.observed;
  if (!spc.filter.supported && fo === 'yes') {
    warnings.push({
      code: 'filter_not_advertised',
      message: 'Filters are not advertised but an eq filter worked; SCIM Porter will use it.',
    });
  } else if (
    spc.filter.supported &&
    fo === 'no' &&
    probes.filterEq.note?.startsWith('userName eq filter refused') === true
  ) {
    warnings.push({
      code: 'filter_refused',
      message: 'Filters are advertised but the server refused a simple userName eq filter.',
    });
  }
  return fo === 'yes' || (fo === 'unknown' && spc.filter.supported);
}

/** If-Match is only sent when the server says it supports it; a server that does not may reject it. */
function effectiveEtag(
  spc: ServiceProviderCapabilities,
  probes: ProbeView,
  warnings: DiscoveryWarning[],
): boolean {
  const eo = probes.etag.observed;
  if (spc.etag.supported && eo === 'no') {
    warnings.push({
      code: 'etag_missing',
      message: 'ETags are advertised but resources carry no version; If-Match is not sent.',
    });
  } else if (!spc.etag.supported && eo === 'yes') {
    warnings.push({
      code: 'etag_not_advertised',
      message: 'Resources carry versions but ETags are not advertised; If-Match is not sent.',
    });
  }
  return spc.etag.supported && eo !== 'no';
}

/** The effective settings plus the warnings that explain where they differ from the advertisement. */
export function computeEffective(
  spc: ServiceProviderCapabilities,
  probes: ProbeView,
): { effective: DiscoveryResult['effective']; warnings: DiscoveryWarning[] } {
  const warnings: DiscoveryWarning[] = [];
  const bulk = effectiveBulk(spc, warnings);
  warnAboutPaging(spc, warnings);
  const filter = effectiveFilter(spc, probes, warnings);
  const etag = effectiveEtag(spc, probes, warnings);
  return {
    effective: {
      paging: pagingKind(spc, probes),
      pageSize: effectivePageSize(spc),
      bulk,
      patch: spc.patch.supported,
      etag,
      filter,
      sort: spc.sort.supported,
    },
    warnings,
  };
}
