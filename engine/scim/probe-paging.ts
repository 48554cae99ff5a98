/**
 * The paging probes: what a server does with `startIndex`/`count` (RFC 7644 §3.4.2.4) and with
 * `cursor` (RFC 9865), observed rather than read from the ServiceProviderConfig. Index paging is
 * trusted only when page 2 holds a different resource than page 1 (a server that ignores
 * `startIndex` answers page 1 every time).
 */
import type { DiscoveryWarning, ProbeOutcome } from '../../shared/scim/discovery-types';
import { probeGet, listOf, type Answer } from './probe-request';
import { intMember, stringMember, type JsonObject } from './read';
import type { ScimHttp } from './transport/types';

/** Why index paging cannot be used, when the probe saw it fail. */
export type IndexFailure = 'count_ignored' | 'cursor_instead' | 'start_index_ignored' | 'listing';

type IndexProbe = {
  outcome: ProbeOutcome;
  failure?: IndexFailure;
  listing: boolean;
  totalResults?: number;
  sample?: JsonObject;
};

function listingFailed(
  first: Answer & { ok: false },
  endpoint: string,
  adv: { advertised?: boolean },
  warnings: DiscoveryWarning[],
): IndexProbe {
  warnings.push(
    first.scimType === 'tooMany'
      ? {
          code: 'listing_refused',
          message: `The server refuses to list ${endpoint} without a filter (tooMany); exports need a filter.`,
        }
      : {
          code: 'listing_failed',
          message: `Listing ${endpoint} failed during discovery (${first.why}).`,
        },
  );
  return {
    outcome: { ...adv, observed: 'no', note: `listing ${endpoint} failed (${first.why})` },
    failure: 'listing',
    listing: false,
  };
}

/** Page 2 must hold another resource than page 1, or startIndex is not honoured. */
async function secondPage(
  http: ScimHttp,
  endpoint: string,
  sample: JsonObject,
  total: number | undefined,
  adv: { advertised?: boolean },
  warnings: DiscoveryWarning[],
  signal?: AbortSignal,
): Promise<Pick<IndexProbe, 'outcome' | 'failure'>> {
  const second = await probeGet(http, endpoint, { startIndex: 2, count: 1 }, signal);
  const items = second.ok ? listOf(second.res).items : [];
  const secondId = stringMember(items[0], 'id');
  const firstId = stringMember(sample, 'id');
  const counted = total !== undefined ? `totalResults ${total}` : 'no totalResults';
  if (second.ok && items.length === 0 && total === undefined) {
    return { outcome: { ...adv, observed: 'unknown', note: `${counted}; page 2 was empty` } };
  }
  if (second.ok && secondId !== undefined && secondId !== firstId) {
    return { outcome: { ...adv, observed: 'yes', note: `${counted}; page 2 differs from page 1` } };
  }
  warnings.push({
    code: 'start_index_ignored',
    message:
      'The server does not honour startIndex (page 2 repeated page 1); index paging would repeat resources and miss the rest, so it is not used.',
  });
  return {
    outcome: {
      ...adv,
      observed: 'no',
      note: second.ok
        ? 'startIndex=2 returned the same resource as startIndex=1'
        : `startIndex=2 failed (${second.why})`,
    },
    failure: 'start_index_ignored',
  };
}

/** Probes index paging from the answer to `startIndex=1&count=1`. */
export async function probeIndex(
  http: ScimHttp,
  endpoint: string,
  first: Answer,
  advertised: boolean | undefined,
  warnings: DiscoveryWarning[],
  signal?: AbortSignal,
): Promise<IndexProbe> {
  const adv = advertised !== undefined ? { advertised } : {};
  if (!first.ok) return listingFailed(first, endpoint, adv, warnings);
  const { body, items } = listOf(first.res);
  const totalResults = intMember(body, 'totalResults');
  const sample = items[0];
  const base = {
    listing: true,
    ...(totalResults !== undefined ? { totalResults } : {}),
    ...(sample ? { sample } : {}),
  };
  if (totalResults === undefined) {
    warnings.push({
      code: 'no_total_results',
      message: 'List answers carry no totalResults; counts can only be checked at the end.',
    });
  }
  if (items.length > 1) {
    warnings.push({
      code: 'count_ignored',
      message: `The server ignored count=1 and returned ${items.length} resources in one page.`,
    });
    const note = `count=1 returned ${items.length} resources`;
    return { ...base, outcome: { ...adv, observed: 'no', note }, failure: 'count_ignored' };
  }
  if (
    stringMember(body, 'nextCursor') !== undefined &&
    intMember(body, 'startIndex') === undefined
  ) {
    const note = 'answered an index request with a cursor';
    return { ...base, outcome: { ...adv, observed: 'no', note }, failure: 'cursor_instead' };
  }
  if (sample && (totalResults === undefined || totalResults >= 2)) {
    return {
      ...base,
      ...(await secondPage(http, endpoint, sample, totalResults, adv, warnings, signal)),
    };
  }
  const note =
    totalResults === undefined ? 'no totalResults in the answer' : `totalResults ${totalResults}`;
  return {
    ...base,
    outcome: { ...adv, observed: totalResults === undefined ? 'unknown' : 'yes', note },
  };
}

/** Probes cursor paging (RFC 9865) from the answer to `cursor=&count=1`. */
export function probeCursor(
  cursor: Answer,
  advertised: boolean | undefined,
  totalResults: number | undefined,
  warnings: DiscoveryWarning[],
): ProbeOutcome {
  const cAdv = advertised !== undefined ? { advertised } : {};
  let out: ProbeOutcome;
  if (!cursor.ok) {
    out = { ...cAdv, observed: 'no', note: `cursor request failed (${cursor.why})` };
  } else {
    const { body, items } = listOf(cursor.res);
    const next = stringMember(body, 'nextCursor');
    const total = intMember(body, 'totalResults') ?? totalResults;
    if (next !== undefined) out = { ...cAdv, observed: 'yes', note: 'nextCursor returned' };
    else if (items.length === 0 || (total !== undefined && total <= 1)) {
      out = { ...cAdv, observed: 'unknown', note: 'too few resources to see a nextCursor' };
    } else out = { ...cAdv, observed: 'no', note: 'no nextCursor although more resources exist' };
  }
  if (advertised === true && out.observed === 'no') {
    warnings.push({
      code: 'cursor_not_working',
      message: 'Cursor paging is advertised but the server did not return a nextCursor.',
    });
  }
  return out;
}
