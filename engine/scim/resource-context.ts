/**
 * What every resource operation (resources.ts) shares for one connection: the transport, what
 * discovery found, and the reading of a response into a normalised resource (quirks, ETag version).
 */
import { AppError } from '../../shared/errors/errors';
import type { DiscoveryResult } from '../../shared/scim/discovery-types';
import type { ScimResource } from '../../shared/scim/types';
import { normaliseResource, withVersionFromEtag } from './quirks/resource';
import { isRecord } from './read';
import type { ScimHttp, ScimResponse } from './transport/types';

export type ResourceContext = {
  readonly http: ScimHttp;
  readonly discovery: DiscoveryResult;
  /** Normalises a resource read from the server, taking its version from `etag`. */
  readonly normalise: (resource: ScimResource, etag?: string) => ScimResource;
  /** The normalised resource in a response's body; `not_scim` when there is none. */
  readonly fromResponse: (res: ScimResponse, what: string) => ScimResource;
  /** The If-Match to send: only when the server supports ETags (RFC 7644 §3.14) and a version is known. */
  readonly ifMatch: (version: string | undefined) => { ifMatch?: string };
};

export function resourceContext(http: ScimHttp, discovery: DiscoveryResult): ResourceContext {
  const normalise = (resource: ScimResource, etag?: string): ScimResource =>
    withVersionFromEtag(normaliseResource(resource, discovery.schemas), etag);
  return {
    http,
    discovery,
    normalise,
    fromResponse: (res, what) => {
      if (!isRecord(res.body)) {
        throw new AppError(
          'not_scim',
          `The server answered ${what} without a resource (HTTP ${res.status}).`,
          { status: res.status, url: res.url },
        );
      }
      return normalise(res.body as ScimResource, res.etag);
    },
    ifMatch: (version) => (discovery.effective.etag && version ? { ifMatch: version } : {}),
  };
}

/** `endpoint/id`, with the id percent-encoded (ids are opaque strings, RFC 7643 §3.1). */
export function resourcePath(endpoint: string, id: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

export function signalOf(opts: { signal?: AbortSignal } | undefined): { signal?: AbortSignal } {
  return opts?.signal ? { signal: opts.signal } : {};
}
