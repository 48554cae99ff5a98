import type { ResourceTypeInfo, ScimSchema, ServiceProviderCapabilities } from './types';

/** What a probe saw, next to what the server advertised. */
export type ProbeOutcome = {
  advertised?: boolean;
  observed: 'yes' | 'no' | 'unknown';
  note?: string;
};

/** What discovery, its probes and opening a connection can warn about (a closed set). */
export const DISCOVERY_WARNING_CODES = [
  'base_url_adjusted',
  'spc_plural',
  'endpoint_unavailable',
  'resource_types_builtin',
  'schemas_builtin',
  'schemas_partial',
  'bulk_limits_missing',
  'no_pagination_advertised',
  'no_page_size_limit',
  'filter_not_advertised',
  'filter_refused',
  'filter_ignored',
  'filter_unsupported',
  'filter_wrong_answer',
  'etag_missing',
  'etag_not_advertised',
  'listing_refused',
  'listing_failed',
  'start_index_ignored',
  'no_total_results',
  'count_ignored',
  'cursor_not_working',
  'plain_http',
  'plain_http_token_url',
] as const;

export type DiscoveryWarningCode = (typeof DISCOVERY_WARNING_CODES)[number];

export type DiscoveryWarning = { code: DiscoveryWarningCode; message: string };

/** Everything discovery learned about a server; drives every later request. */
export type DiscoveryResult = {
  /** The base URL that answered (may differ from the one typed, e.g. `/v2` appended). */
  baseUrl: string;
  serviceProviderConfig: ServiceProviderCapabilities;
  resourceTypes: ResourceTypeInfo[];
  schemas: ScimSchema[];
  /** Where schemas came from: the server, the built-in RFC 7643 copies, or both. */
  schemaSource: 'server' | 'builtin' | 'mixed';
  probes: {
    filterEq: ProbeOutcome;
    indexPaging: ProbeOutcome;
    cursorPaging: ProbeOutcome;
    etag: ProbeOutcome;
    patch: ProbeOutcome;
    bulk: ProbeOutcome;
  };
  /** What the engine will actually use, after combining advertised values and probes. */
  effective: {
    /**
     * How lists are read: `cursor` (RFC 9865), `index` (startIndex seen honoured), `none` (the
     * server ignores `count` and answers the whole list at once), or `refused`: paging was seen
     * failing (startIndex ignored and no cursor), so only a list that fits in one page is read.
     */
    paging: 'cursor' | 'index' | 'none' | 'refused';
    pageSize: number;
    bulk: { enabled: boolean; maxOperations: number; maxPayloadSize: number };
    patch: boolean;
    etag: boolean;
    filter: boolean;
    sort: boolean;
  };
  warnings: DiscoveryWarning[];
  durationMs: number;
};
