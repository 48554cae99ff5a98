/**
 * Discovery (RFC 7644 §4; RFC 7643 §5–7; RFC 9865 §4): find the base URL that answers
 * /ServiceProviderConfig, read capabilities, resource types and schemas, run read-only probes and
 * decide what the engine will actually use.
 */
import { AppError, isAppError } from '../../shared/errors/errors';
import type { DiscoveryResult, DiscoveryWarning } from '../../shared/scim/discovery-types';
import { BUILTIN_RESOURCE_TYPES } from '../../shared/scim/resource-types';
import { builtinSchema } from '../../shared/scim/schemas/index';
import type { ResourceTypeInfo, ScimSchema } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { computeEffective } from './discovery-effective';
import { runProbes } from './probes';
import type { JsonObject } from './read';
import { parseResourceTypes, parseSchemas } from './schema-parse';
import { parseServiceProviderConfig, unwrapServiceProviderConfig } from './service-provider-config';
import { baseUrlCandidates, normaliseBaseUrl } from './transport/base-url';
import type { ScimHttp } from './transport/types';

export type DiscoverOptions = {
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

/** GET of an optional discovery endpoint; undefined (with a warning) when the server does not offer it. */
async function optionalGet(
  http: ScimHttp,
  path: string,
  warnings: DiscoveryWarning[],
  signal?: AbortSignal,
): Promise<unknown> {
  try {
    return (await http.request({ method: 'GET', path, ...(signal ? { signal } : {}) })).body;
  } catch (e) {
    if (isAppError(e) && (e.code === 'cancelled' || (e.code === 'auth' && e.facts.status === 401)))
      throw e;
    const what = isAppError(e)
      ? e.facts.status !== undefined
        ? `HTTP ${e.facts.status}`
        : e.code
      : 'error';
    warnings.push({
      code: 'endpoint_unavailable',
      message: `GET ${path} failed (${what}); built-in definitions are used instead.`,
    });
    return undefined;
  }
}

/**
 * Combines server schemas with the built-in RFC 7643 copies for any schema a resource type names
 * that the server did not publish (core User/Group and the enterprise extension only).
 */
function mergeSchemas(
  server: ScimSchema[],
  resourceTypes: ResourceTypeInfo[],
  warnings: DiscoveryWarning[],
): { schemas: ScimSchema[]; source: DiscoveryResult['schemaSource'] } {
  const have = new Set(server.map((s) => s.id.toLowerCase()));
  const needed = new Set<string>([URN.user, URN.group, URN.enterpriseUser]);
  for (const rt of resourceTypes) {
    needed.add(rt.schema);
    for (const x of rt.schemaExtensions) needed.add(x.schema);
  }
  const added: ScimSchema[] = [];
  for (const id of needed) {
    if (have.has(id.toLowerCase())) continue;
    const builtin = builtinSchema(id);
    if (builtin) added.push(builtin);
  }
  if (server.length === 0) {
    warnings.push({
      code: 'schemas_builtin',
      message:
        'The server publishes no schemas; the built-in RFC 7643 core and enterprise schemas are used.',
    });
    return { schemas: added, source: 'builtin' };
  }
  if (added.length > 0) {
    warnings.push({
      code: 'schemas_partial',
      message: `The server does not publish ${added.map((s) => s.name ?? s.id).join(', ')}; built-in RFC 7643 copies are used for them.`,
    });
    return { schemas: [...server, ...added], source: 'mixed' };
  }
  return { schemas: server, source: 'server' };
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
  const warnings: DiscoveryWarning[] = [];
  const found = await findServiceProviderConfig(createHttpFor, typedBaseUrl, signal);
  const { http } = found;
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
  const spc = parseServiceProviderConfig(found.spc);

  const [rtBody, schemaBody] = await Promise.all([
    optionalGet(http, '/ResourceTypes', warnings, signal),
    optionalGet(http, '/Schemas', warnings, signal),
  ]);
  let resourceTypes = rtBody === undefined ? [] : parseResourceTypes(rtBody);
  if (resourceTypes.length === 0) {
    warnings.push({
      code: 'resource_types_builtin',
      message: 'The server lists no resource types; /Users and /Groups are assumed.',
    });
    resourceTypes = BUILTIN_RESOURCE_TYPES.map((rt) => ({
      ...rt,
      schemaExtensions: [...rt.schemaExtensions],
    }));
  }
  const { schemas, source } = mergeSchemas(
    schemaBody === undefined ? [] : parseSchemas(schemaBody),
    resourceTypes,
    warnings,
  );

  const userEndpoint =
    resourceTypes.find((rt) => rt.schema.toLowerCase() === URN.user.toLowerCase())?.endpoint ??
    '/Users';
  const probes = opts.skipProbes
    ? {
        filterEq: {
          advertised: spc.filter.supported,
          observed: 'unknown' as const,
          note: 'not probed',
        },
        indexPaging: {
          advertised: spc.pagination.index,
          observed: 'unknown' as const,
          note: 'not probed',
        },
        cursorPaging: {
          advertised: spc.pagination.cursor,
          observed: 'unknown' as const,
          note: 'not probed',
        },
        etag: { advertised: spc.etag.supported, observed: 'unknown' as const, note: 'not probed' },
        patch: {
          advertised: spc.patch.supported,
          observed: 'unknown' as const,
          note: 'not probed',
        },
        bulk: { advertised: spc.bulk.supported, observed: 'unknown' as const, note: 'not probed' },
        listing: true,
        warnings: [],
      }
    : await runProbes(http, spc, {
        endpoint: userEndpoint,
        ...(opts.randomValue ? { randomValue: opts.randomValue } : {}),
        ...(signal ? { signal } : {}),
      });
  const { effective, warnings: effWarnings } = computeEffective(spc, probes);

  return {
    baseUrl: found.baseUrl,
    serviceProviderConfig: spc,
    resourceTypes,
    schemas,
    schemaSource: source,
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
