/**
 * Discovery (RFC 7644 §4; RFC 7643 §5–7; RFC 9865 §4): find the base URL that answers
 * /ServiceProviderConfig, read capabilities, resource types and schemas, run read-only probes and
 * decide what the engine will actually use.
 */
import { AppError, isAppError } from '../../shared/errors/errors';
import type {
  DiscoveryResult,
  DiscoveryWarning,
  ProbeOutcome,
} from '../../shared/scim/discovery-types';
import type { ResourceTypeInfo, ServiceProviderCapabilities } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { readCatalogue } from './discovery-catalogue';
import { computeEffective } from './discovery-effective';
import { runProbes, type ProbeResults } from './probes';
import type { JsonObject } from './read';
import { parseServiceProviderConfig, unwrapServiceProviderConfig } from './service-provider-config';
import { baseUrlCandidates, normaliseBaseUrl } from './transport/base-url';
import type { ScimHttp } from './transport/types';

type DiscoverOptions = {
  signal?: AbortSignal;
  /** Skip the read-only probes (effective values then follow the advertisement). */
  skipProbes?: boolean;
  /** Value generator for the filter probe (tests). */
  randomValue?: () => string;
  now?: () => number;
};

/** Errors that say something about the credentials, network or request itself: never retried on another URL. */
const FATAL = new Set([
  'auth',
  'network',
  'tls',
  'timeout',
  'invalid_url',
  'rate_limited',
  'cancelled',
  'config',
  'secret_unavailable',
]);

type Found = { http: ScimHttp; baseUrl: string; spc: JsonObject; plural: boolean };

async function trySpc(http: ScimHttp, path: string, signal?: AbortSignal): Promise<JsonObject> {
  const res = await http.request({ method: 'GET', path, ...(signal ? { signal } : {}) });
  const spc = unwrapServiceProviderConfig(res.body);
  if (!spc) {
    throw new AppError(
      'not_scim',
      `GET ${path} answered JSON that is not a SCIM ServiceProviderConfig.`,
      {
        status: res.status,
        method: 'GET',
        url: res.url,
        raw: JSON.stringify(res.body ?? null).slice(0, 2000),
      },
    );
  }
  return spc;
}

/**
 * Tries each base URL candidate (as typed, then with/without `/v2`), each with `/ServiceProviderConfig`
 * and then the SCIM 1.1-era plural `/ServiceProviderConfigs` (quirk: spc-plural, Slack v1.1 and
 * Salesforce — docs/server-behaviour.md, "Slack", "Salesforce"). Credential, TLS and network
 * errors surface at once as they are; otherwise the first candidate's error is thrown when nothing
 * answers.
 */
async function findServiceProviderConfig(
  createHttpFor: (baseUrl: string) => ScimHttp,
  typedBaseUrl: string,
  signal?: AbortSignal,
): Promise<Found> {
  const candidates = baseUrlCandidates(typedBaseUrl);
  const errors: AppError[] = [];
  for (const baseUrl of candidates) {
    const http = createHttpFor(baseUrl);
    for (const [path, plural] of [
      ['/ServiceProviderConfig', false],
      ['/ServiceProviderConfigs', true],
    ] as const) {
      try {
        return { http, baseUrl: http.baseUrl, spc: await trySpc(http, path, signal), plural };
      } catch (e) {
        if (!isAppError(e) || FATAL.has(e.code)) throw e;
        errors.push(e);
      }
    }
  }
  const first = errors[0];
  const allMissing = errors.every((e) => e.code === 'not_found');
  if (first && !allMissing) throw first;
  throw new AppError(
    'not_scim',
    `No SCIM service answered: ${candidates.map((c) => `${c}/ServiceProviderConfig`).join(' and ')} were not found (HTTP 404).`,
    {
      status: 404,
      nextStep:
        'Check the base URL: it is usually the address that ends just before /Users, often ending in /scim/v2.',
    },
    { cause: first },
  );
}

/** Warnings about where the ServiceProviderConfig was found: another base URL, or the 1.1 plural. */
export function locationWarnings(
  found: { baseUrl: string; plural: boolean },
  typedBaseUrl: string,
): DiscoveryWarning[] {
  const warnings: DiscoveryWarning[] = [];
  if (found.baseUrl !== normaliseBaseUrl(typedBaseUrl)) {
    warnings.push({
      code: 'base_url_adjusted',
      message: `The SCIM service answered at ${found.baseUrl}, not at the URL as typed.`,
    });
  }
  if (found.plural) {
    warnings.push({
      code: 'spc_plural',
      message:
        'The server answers only the SCIM 1.1-style /ServiceProviderConfigs; SCIM 2.0 behaviour is assumed.',
    });
  }
  return warnings;
}

/** Probe results when probing is skipped: every capability as advertised, observed `unknown`. */
export function unprobed(spc: ServiceProviderCapabilities): ProbeResults {
  const asAdvertised = (advertised: boolean): ProbeOutcome => ({
    advertised,
    observed: 'unknown',
    note: 'not probed',
  });
  return {
    filterEq: asAdvertised(spc.filter.supported),
    indexPaging: asAdvertised(spc.pagination.index),
    cursorPaging: asAdvertised(spc.pagination.cursor),
    etag: asAdvertised(spc.etag.supported),
    patch: asAdvertised(spc.patch.supported),
    bulk: asAdvertised(spc.bulk.supported),
    listing: true,
    warnings: [],
  };
}

/** The endpoint of the User resource type (probes run against it); `/Users` when none is listed. */
function userEndpointOf(resourceTypes: readonly ResourceTypeInfo[]): string {
  return (
    resourceTypes.find((rt) => rt.schema.toLowerCase() === URN.user.toLowerCase())?.endpoint ??
    '/Users'
  );
}

/**
 * Runs discovery against a typed base URL. `createHttpFor(baseUrl)` builds a transport for a candidate
 * base URL; the caller owns (and closes) every transport it creates.
 *
 * @throws AppError `auth`/`network`/`tls`/`timeout`… as the first request failed, or `not_scim` when no
 * candidate answers a ServiceProviderConfig.
 */
export async function discover(
  createHttpFor: (baseUrl: string) => ScimHttp,
  typedBaseUrl: string,
  opts: DiscoverOptions = {},
): Promise<DiscoveryResult> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const { signal } = opts;
  const found = await findServiceProviderConfig(createHttpFor, typedBaseUrl, signal);
  const warnings = locationWarnings(found, typedBaseUrl);
  const spc = parseServiceProviderConfig(found.spc);
  const catalogue = await readCatalogue(found.http, warnings, signal);
  const probes = opts.skipProbes
    ? unprobed(spc)
    : await runProbes(found.http, spc, {
        endpoint: userEndpointOf(catalogue.resourceTypes),
        ...(opts.randomValue ? { randomValue: opts.randomValue } : {}),
        ...(signal ? { signal } : {}),
      });
  const { effective, warnings: effWarnings } = computeEffective(spc, probes);
  return {
    baseUrl: found.baseUrl,
    serviceProviderConfig: spc,
    resourceTypes: catalogue.resourceTypes,
    schemas: catalogue.schemas,
    schemaSource: catalogue.schemaSource,
    probes: {
      filterEq: probes.filterEq,
      indexPaging: probes.indexPaging,
      cursorPaging: probes.cursorPaging,
      etag: probes.etag,
      patch: probes.patch,
      bulk: probes.bulk,
    },
    effective,
    warnings: [...warnings, ...probes.warnings, ...effWarnings],
    durationMs: Math.max(0, now() - started),
  };
}
