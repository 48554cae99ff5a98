/**
 * Read-only probes of what a server really does, next to what its ServiceProviderConfig claims
 * (advertised ≠ enforced: see vendor-quirks.md A3 and B1). Nothing here writes: PATCH and Bulk
 * cannot be probed without writing, so they are reported as advertised with `observed: 'unknown'`.
 */
import { randomUUID } from 'node:crypto';
import { isAppError } from '../../../shared/errors/errors';
import type { DiscoveryWarning, ProbeOutcome } from '../../../shared/scim/discovery-types';
import { eq } from '../../../shared/scim/filter';
import type { ServiceProviderCapabilities } from '../../../shared/scim/types';
import {
  intMember,
  isRecord,
  listItems,
  objectMember,
  stringMember,
  type JsonObject,
} from './read';
import type { ScimHttp, ScimResponse } from './transport/types';

export type ProbeResults = {
  filterEq: ProbeOutcome;
  indexPaging: ProbeOutcome;
  cursorPaging: ProbeOutcome;
  etag: ProbeOutcome;
  patch: ProbeOutcome;
  bulk: ProbeOutcome;
  /** Whether an unfiltered list answered at all (Google Cloud Identity refuses it with `tooMany`). */
  listing: boolean;
  /** `totalResults` of the unfiltered list, when the server gave it. */
  totalResults?: number;
  warnings: DiscoveryWarning[];
};

export type ProbeOptions = {
  /** Endpoint to probe (default `/Users`). */
  endpoint?: string;
  /** Source of the impossible userName used by the filter probe (tests pass a fixed one). */
  randomValue?: () => string;
  signal?: AbortSignal;
};

type Answer =
  { ok: true; res: ScimResponse } | { ok: false; why: string; scimType?: string; status?: number };

/** Why a probe request failed, in a few words, for the probe note. */
function why(e: unknown): { why: string; scimType?: string; status?: number } {
  if (!isAppError(e)) return { why: 'unexpected error' };
  const { status, scimType } = e.facts;
  const parts = [status !== undefined ? `HTTP ${status}` : e.code, scimType ?? '']
    .filter(Boolean)
    .join(' ');
  return {
    why: parts,
    ...(scimType !== undefined ? { scimType } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}

function rethrowIfFatal(e: unknown): void {
  // Cancellation and credential failures are not "the feature is missing": surface them.
  if (isAppError(e) && (e.code === 'cancelled' || (e.code === 'auth' && e.facts.status === 401)))
    throw e;
}

async function get(
  http: ScimHttp,
  path: string,
  query: Record<string, string | number>,
  signal?: AbortSignal,
): Promise<Answer> {
  try {
    return {
      ok: true,
      res: await http.request({ method: 'GET', path, query, ...(signal ? { signal } : {}) }),
    };
  } catch (e) {
    rethrowIfFatal(e);
    return { ok: false, ...why(e) };
  }
}

function listOf(res: ScimResponse): { body: JsonObject | undefined; items: JsonObject[] } {
  const body = isRecord(res.body) ? res.body : undefined;
  return { body, items: listItems(res.body) };
}

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
    get(http, endpoint, { startIndex: 1, count: 1 }, signal),
    get(http, endpoint, { count: 1, cursor: '' }, signal),
    get(http, endpoint, { filter: eq('userName', impossible).text, count: 1 }, signal),
  ]);

  // --- listing + index paging ---------------------------------------------------------------
  let indexPaging: ProbeOutcome;
  let totalResults: number | undefined;
  let sample: JsonObject | undefined;
  let listing = false;
  if (!first.ok) {
    indexPaging = {
      ...(indexAdvertised !== undefined ? { advertised: indexAdvertised } : {}),
      observed: 'no',
      note: `listing ${endpoint} failed (${first.why})`,
    };
    if (first.scimType === 'tooMany') {
      warnings.push({
        code: 'listing_refused',
        message: `The server refuses to list ${endpoint} without a filter (tooMany); exports need a filter.`,
      });
    } else {
      warnings.push({
        code: 'listing_failed',
        message: `Listing ${endpoint} failed during discovery (${first.why}).`,
      });
    }
  } else {
    listing = true;
    const { body, items } = listOf(first.res);
    totalResults = intMember(body, 'totalResults');
    sample = items[0];
    const adv = indexAdvertised !== undefined ? { advertised: indexAdvertised } : {};
    if (items.length > 1) {
      indexPaging = { ...adv, observed: 'no', note: `count=1 returned ${items.length} resources` };
      warnings.push({
        code: 'count_ignored',
        message: `The server ignored count=1 and returned ${items.length} resources in one page.`,
      });
    } else if (
      stringMember(body, 'nextCursor') !== undefined &&
      intMember(body, 'startIndex') === undefined
    ) {
      indexPaging = { ...adv, observed: 'no', note: 'answered an index request with a cursor' };
    } else if (totalResults !== undefined && totalResults >= 2 && sample) {
      // Does startIndex move? Page 2 must hold a different resource than page 1.
      const second = await get(http, endpoint, { startIndex: 2, count: 1 }, signal);
      const secondId = second.ok ? stringMember(listOf(second.res).items[0], 'id') : undefined;
      const firstId = stringMember(sample, 'id');
      if (second.ok && secondId !== undefined && secondId !== firstId) {
        indexPaging = { ...adv, observed: 'yes', note: `totalResults ${totalResults}` };
      } else {
        indexPaging = {
          ...adv,
          observed: 'no',
          note: second.ok
            ? 'startIndex=2 returned the same resource as startIndex=1'
            : `startIndex=2 failed (${second.why})`,
        };
        warnings.push({
          code: 'start_index_ignored',
          message: 'The server does not honour startIndex; index paging would repeat resources.',
        });
      }
    } else {
      indexPaging = {
        ...adv,
        observed: totalResults === undefined ? 'unknown' : 'yes',
        note:
          totalResults === undefined
            ? 'no totalResults in the answer'
            : `totalResults ${totalResults}`,
      };
    }
    if (totalResults === undefined) {
      warnings.push({
        code: 'no_total_results',
        message: 'List answers carry no totalResults; counts can only be checked at the end.',
      });
    }
  }

  // --- cursor paging (RFC 9865) -------------------------------------------------------------
  let cursorPaging: ProbeOutcome;
  const cAdv = cursorAdvertised !== undefined ? { advertised: cursorAdvertised } : {};
  if (!cursor.ok) {
    cursorPaging = { ...cAdv, observed: 'no', note: `cursor request failed (${cursor.why})` };
  } else {
    const { body, items } = listOf(cursor.res);
    const next = stringMember(body, 'nextCursor');
    const total = intMember(body, 'totalResults') ?? totalResults;
    if (next !== undefined)
      cursorPaging = { ...cAdv, observed: 'yes', note: 'nextCursor returned' };
    else if (items.length === 0 || (total !== undefined && total <= 1)) {
      cursorPaging = {
        ...cAdv,
        observed: 'unknown',
        note: 'too few resources to see a nextCursor',
      };
    } else
      cursorPaging = {
        ...cAdv,
        observed: 'no',
        note: 'no nextCursor although more resources exist',
      };
  }
  if (cursorAdvertised === true && cursorPaging.observed === 'no') {
    warnings.push({
      code: 'cursor_not_working',
      message: 'Cursor paging is advertised but the server did not return a nextCursor.',
    });
  }

  // --- filter eq --------------------------------------------------------------------------
  let filterEq: ProbeOutcome;
  const fAdv = { advertised: spc.filter.supported };
  if (!filtered.ok) {
    filterEq = { ...fAdv, observed: 'no', note: `userName eq filter refused (${filtered.why})` };
  } else {
    const { body, items } = listOf(filtered.res);
    const total = intMember(body, 'totalResults');
    if (items.length > 0 || (total !== undefined && total > 0)) {
      filterEq = {
        ...fAdv,
        observed: 'no',
        note: 'an impossible userName eq filter returned resources: the filter is ignored',
      };
      warnings.push({
        code: 'filter_ignored',
        message:
          'The server ignores filters (an impossible userName filter returned resources). Lookups by filter are unsafe and are turned off.',
      });
    } else if (listing && (totalResults ?? 1) === 0) {
      filterEq = {
        ...fAdv,
        observed: 'unknown',
        note: 'the server holds no resources, so an ignored filter cannot be told apart',
      };
    } else {
      filterEq = {
        ...fAdv,
        observed: 'yes',
        note: 'an impossible userName eq filter returned nothing',
      };
    }
  }

  // --- ETags (RFC 7644 §3.14) ---------------------------------------------------------------
  let etag: ProbeOutcome = {
    advertised: spc.etag.supported,
    observed: 'unknown',
    note: 'no resource to look at',
  };
  const sampleId = stringMember(sample, 'id');
  if (sample && sampleId !== undefined) {
    const one = await get(http, `${endpoint}/${encodeURIComponent(sampleId)}`, {}, signal);
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
    ...(totalResults !== undefined ? { totalResults } : {}),
    warnings,
  };
}
