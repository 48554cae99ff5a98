/**
 * What the sandbox supports, and the /ServiceProviderConfig document (RFC 7643 §5, with the
 * RFC 9865 §4 `pagination` block) that advertises exactly that.
 */
import { URN } from '../shared/scim/urns';

/** Switches and limits for one sandbox instance. */
export type SandboxFeatures = {
  bulk: boolean;
  bulkMaxOperations: number;
  bulkMaxPayloadSize: number;
  patch: boolean;
  etag: boolean;
  /** Writes without If-Match get 428 Precondition Required. */
  requireIfMatch: boolean;
  indexPaging: boolean;
  cursorPaging: boolean;
  defaultPageSize: number;
  maxPageSize: number;
  filter: boolean;
  filterMaxResults: number;
  sort: boolean;
  /**
   * Seconds a cursor stays valid (RFC 9865 `cursorTimeout`); fractions allowed so tests can expire
   * cursors quickly. Optional addition to the agreed API; default 3600.
   */
  cursorTimeout?: number;
  /** userName and group displayName must be unique (409 `uniqueness`); off accepts duplicates. */
  uniqueness: boolean;
  /** Seeded faults on writes, after the write was applied (sandbox/write-faults.ts). */
  writeFaults?: WriteFaults;
};

/**
 * Faults injected on writes (POST/PUT/PATCH/DELETE, /Bulk included) *after* the sandbox applied
 * them, the case a client must not replay blindly: with probability `rate` (a seeded PRNG, so a
 * run is reproducible) the answer is replaced by a 503 or the connection is dropped.
 */
export type WriteFaults = {
  /** 0..1, share of writes that get a fault. */
  rate: number;
  /** PRNG seed. */
  seed: number;
  /** Which faults; default both. */
  kinds?: readonly ('503' | 'drop')[];
  /** Told about every fault chosen (tests count them). */
  onFault?: (kind: '503' | 'drop', method: string, url: string) => void;
};

/** Defaults: everything on, limits as in the RFC 7643 §8.5 example where it gives one. */
export const DEFAULT_SANDBOX_FEATURES: SandboxFeatures = {
  bulk: true,
  bulkMaxOperations: 1000,
  bulkMaxPayloadSize: 1_048_576,
  patch: true,
  etag: true,
  requireIfMatch: false,
  indexPaging: true,
  cursorPaging: true,
  defaultPageSize: 100,
  maxPageSize: 1000,
  filter: true,
  filterMaxResults: 1000,
  sort: true,
  cursorTimeout: 3600,
  uniqueness: true,
};

/** Fills unspecified features with defaults. */
export function resolveFeatures(partial: Partial<SandboxFeatures> = {}): SandboxFeatures {
  return { ...DEFAULT_SANDBOX_FEATURES, ...partial };
}

/** Largest number of resources one list response may carry (page cap and filter.maxResults). */
export function pageCap(features: SandboxFeatures): number {
  return Math.max(0, Math.min(features.maxPageSize, features.filterMaxResults));
}

/** The /ServiceProviderConfig body. `baseUrl` makes meta.location absolute. */
export function serviceProviderConfig(
  features: SandboxFeatures,
  baseUrl: string,
): Record<string, unknown> {
  const timeout = features.cursorTimeout ?? DEFAULT_SANDBOX_FEATURES.cursorTimeout ?? 3600;
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://www.rfc-editor.org/rfc/rfc7644',
    patch: { supported: features.patch },
    bulk: {
      supported: features.bulk,
      maxOperations: features.bulk ? features.bulkMaxOperations : 0,
      maxPayloadSize: features.bulk ? features.bulkMaxPayloadSize : 0,
    },
    filter: { supported: features.filter, maxResults: features.filterMaxResults },
    changePassword: { supported: false },
    sort: { supported: features.sort },
    etag: { supported: features.etag },
    pagination: {
      cursor: features.cursorPaging,
      index: features.indexPaging,
      defaultPaginationMethod: features.indexPaging || !features.cursorPaging ? 'index' : 'cursor',
      defaultPageSize: features.defaultPageSize,
      maxPageSize: features.maxPageSize,
      // RFC 9865 §4 defines cursorTimeout in whole seconds.
      ...(features.cursorPaging ? { cursorTimeout: Math.max(1, Math.ceil(timeout)) } : {}),
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with a bearer token in the Authorization header',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}
