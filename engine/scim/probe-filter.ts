/**
 * The filter probe: an `eq` filter is trusted only after it was checked against known answers.
 * An impossible userName must return nothing (else the server ignores filters and returns
 * everyone), and the userName of a resource the probe just listed must return that resource
 * (else the filter is unsupported: some servers answer 200 with an empty list instead of 400, so
 * "no match" and "unsupported" look alike until a known answer tells them apart).
 */
import type { DiscoveryWarning, ProbeOutcome } from '../../shared/scim/discovery-types';
import { eq } from '../../shared/scim/filter';
import { probeGet, listOf, type Answer } from './probe-request';
import { intMember, stringMember, type JsonObject } from './read';
import type { ScimHttp } from './transport/types';

type FilterProbeInput = {
  endpoint: string;
  /** The answer to the impossible-userName filter. */
  impossible: Answer;
  /** Whether an unfiltered list answered, and what it held. */
  listing: boolean;
  totalResults: number | undefined;
  /** A resource the listing returned: its userName is the known answer. */
  sample: JsonObject | undefined;
  advertised: boolean;
  signal?: AbortSignal;
};

const UNSUPPORTED =
  'unsupported: a userName eq filter for a user the server had just listed returned nothing';

function ignoredOutcome(advertised: boolean, warnings: DiscoveryWarning[]): ProbeOutcome {
  warnings.push({
    code: 'filter_ignored',
    message:
      'The server ignores filters (an impossible userName filter returned resources). Lookups by filter are unsafe and are turned off.',
  });
  return {
    advertised,
    observed: 'no',
    note: 'an impossible userName eq filter returned resources: the filter is ignored',
  };
}

/** Asks for the sample by its userName: the filter works only if the sample comes back. */
async function knownAnswer(
  http: ScimHttp,
  i: FilterProbeInput,
  userName: string,
  sampleId: string | undefined,
  warnings: DiscoveryWarning[],
): Promise<ProbeOutcome> {
  const adv = { advertised: i.advertised };
  const known = await probeGet(
    http,
    i.endpoint,
    { filter: eq('userName', userName).text, count: 10 },
    i.signal,
  );
  if (!known.ok) {
    return { ...adv, observed: 'no', note: `userName eq filter refused (${known.why})` };
  }
  const { items } = listOf(known.res);
  const found = items.some((r) => sampleId === undefined || stringMember(r, 'id') === sampleId);
  if (items.length === 0) {
    warnings.push({
      code: 'filter_unsupported',
      message:
        'The server answered a userName filter for an existing user with an empty list: filters are not supported, so lookups by filter are turned off (lists are filtered locally).',
    });
    return { ...adv, observed: 'no', note: UNSUPPORTED };
  }
  if (!found) {
    warnings.push({
      code: 'filter_wrong_answer',
      message:
        'A userName filter for an existing user returned other resources; lookups by filter are turned off.',
    });
    return { ...adv, observed: 'no', note: 'a userName eq filter returned other resources' };
  }
  return {
    ...adv,
    observed: 'yes',
    note: 'checked: an impossible userName returned nothing and a listed userName returned its user',
  };
}

/** Runs the filter probe; see the module comment. */
export async function probeFilter(
  http: ScimHttp,
  i: FilterProbeInput,
  warnings: DiscoveryWarning[],
): Promise<ProbeOutcome> {
  const adv = { advertised: i.advertised };
  if (!i.impossible.ok) {
    return { ...adv, observed: 'no', note: `userName eq filter refused (${i.impossible.why})` };
  }
  const { body, items } = listOf(i.impossible.res);
  const total = intMember(body, 'totalResults');
  if (items.length > 0 || (total !== undefined && total > 0))
    return ignoredOutcome(i.advertised, warnings);
  if (i.listing && (i.totalResults ?? 1) === 0) {
    return {
      ...adv,
      observed: 'unknown',
      note: 'the server holds no resources, so the filter cannot be checked against a known answer',
    };
  }
  const userName = stringMember(i.sample, 'userName');
  if (userName !== undefined) {
    return knownAnswer(http, i, userName, stringMember(i.sample, 'id'), warnings);
  }
  if (!i.listing) {
    // Listing refused without a filter (Google's tooMany): filters are the only way in.
    return {
      ...adv,
      observed: 'yes',
      note: 'an impossible userName eq filter returned nothing (the server lists nothing without a filter, so no known answer was checked)',
    };
  }
  return {
    ...adv,
    observed: 'unknown',
    note: 'no listed userName to check the filter against',
  };
}
