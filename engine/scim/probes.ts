/**
 * Read-only probes of what a server really does, next to what its ServiceProviderConfig claims
 * (advertised ≠ enforced: docs/server-behaviour.md, A3 and B1). Nothing here writes: PATCH and Bulk
 * cannot be probed without writing, so they are reported as advertised with `observed: 'unknown'`.
 */
import { randomUUID } from 'node:crypto';
import type { DiscoveryWarning, ProbeOutcome } from '../../shared/scim/discovery-types';
import { eq } from '../../shared/scim/filter';
import type { ServiceProviderCapabilities } from '../../shared/scim/types';
import { probeFilter } from './probe-filter';
import { probeCursor, probeIndex, type IndexFailure } from './probe-paging';
import { probeGet } from './probe-request';
import { isRecord, objectMember, stringMember } from './read';
import type { ScimHttp } from './transport/types';

export type ProbeResults = {
  filterEq: ProbeOutcome;
  indexPaging: ProbeOutcome;
  cursorPaging: ProbeOutcome;
  etag: ProbeOutcome;
  patch: ProbeOutcome;
  bulk: ProbeOutcome;
  /** Whether an unfiltered list answered at all (Google Cloud Identity refuses it with `tooMany`). */
  listing: boolean;
  /** Why index paging cannot be used, when the probe saw it fail. */
  indexFailure?: IndexFailure;
  /** `totalResults` of the unfiltered list, when the server gave it. */
  totalResults?: number;
  warnings: DiscoveryWarning[];
};

type ProbeOptions = {
  /** Endpoint to probe (default `/Users`). */
  endpoint?: string;
  /** Source of the impossible userName used by the filter probe (tests pass a fixed one). */
  randomValue?: () => string;
  signal?: AbortSignal;
};

/** Runs the read-only probes against `endpoint` (default `/Users`). */
export async function runProbes(
  http: ScimHttp,
  spc: ServiceProviderCapabilities,
  opts: ProbeOptions = {},
): Promise<ProbeResults> {
  const endpoint = opts.endpoint ?? '/Users';
  const signal = opts.signal;
  const warnings: DiscoveryWarning[] = [];
  const pag = spc.pagination;
  const indexAdvertised = pag.index || pag.cursor ? pag.index : undefined;
  const cursorAdvertised = pag.index || pag.cursor ? pag.cursor : undefined;

  const impossible = `scim-porter-probe-${(opts.randomValue ?? randomUUID)()}@invalid.example`;
  const [first, cursor, filtered] = await Promise.all([
    probeGet(http, endpoint, { startIndex: 1, count: 1 }, signal),
    probeGet(http, endpoint, { count: 1, cursor: '' }, signal),
    probeGet(http, endpoint, { filter: eq('userName', impossible).text, count: 1 }, signal),
  ]);
  const index = await probeIndex(http, endpoint, first, indexAdvertised, warnings, signal);
  const { listing, totalResults, sample } = index;
  const indexPaging = index.outcome;
  const cursorPaging = probeCursor(cursor, cursorAdvertised, totalResults, warnings);
  const filterEq = await probeFilter(
    http,
    {
      endpoint,
      impossible: filtered,
      listing,
      totalResults,
      sample,
      advertised: spc.filter.supported,
      ...(signal ? { signal } : {}),
    },
    warnings,
  );

  // --- ETags (RFC 7644 §3.14) ---------------------------------------------------------------
  let etag: ProbeOutcome = {
    advertised: spc.etag.supported,
    observed: 'unknown',
    note: 'no resource to look at',
  };
  const sampleId = stringMember(sample, 'id');
  if (sample && sampleId !== undefined) {
    const one = await probeGet(http, `${endpoint}/${encodeURIComponent(sampleId)}`, {}, signal);
    const version =
      stringMember(objectMember(sample, 'meta'), 'version') ??
      (one.ok && isRecord(one.res.body)
        ? stringMember(objectMember(one.res.body, 'meta'), 'version')
        : undefined);
    const header = one.ok ? one.res.etag : undefined;
    const seen = [
      version !== undefined ? 'meta.version' : '',
      header !== undefined ? 'ETag header' : '',
    ].filter(Boolean);
    etag = seen.length
      ? { advertised: spc.etag.supported, observed: 'yes', note: seen.join(' and ') }
      : {
          advertised: spc.etag.supported,
          observed: 'no',
          note: one.ok
            ? 'no meta.version and no ETag header'
            : `GET of one resource failed (${one.why})`,
        };
  }

  const notProbed = 'not probed: it would need a write';
  return {
    filterEq,
    indexPaging,
    cursorPaging,
    etag,
    patch: { advertised: spc.patch.supported, observed: 'unknown', note: notProbed },
    bulk: { advertised: spc.bulk.supported, observed: 'unknown', note: notProbed },
    listing,
    ...(index.failure !== undefined ? { indexFailure: index.failure } : {}),
    ...(totalResults !== undefined ? { totalResults } : {}),
    warnings,
  };
}
