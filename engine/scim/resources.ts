/**
 * Resource operations on any endpoint (Users, Groups, discovered types): RFC 7644 §3.3 create,
 * §3.4.1 get, §3.4.2/§3.4.3 list, §3.5.1 replace, §3.5.2 patch, §3.6 delete, with ETags (§3.14)
 * and resource-level quirk normalisation on every read.
 */
import type { DiscoveryResult } from '../../shared/scim/discovery-types';
import type { ScimFilter } from '../../shared/scim/filter';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import type { ListQuery } from './list-request';
import type { PagedList, PagingMode } from './paging';
import { resourceContext } from './resource-context';
import { listResources } from './resource-list';
import { findResource, getResource } from './resource-read';
import { createResource, deleteResource, patchResource, replaceResource } from './resource-write';
import type { ScimHttp } from './transport/types';

export { resourcePath } from './resource-context';

export type ReadOptions = {
  attributes?: string[];
  excludedAttributes?: string[];
  signal?: AbortSignal;
};

export type ListOptions = Omit<ListQuery, 'filter'> & {
  filter?: string | ScimFilter;
  /** Requested page size; default: discovery's effective page size. */
  pageSize?: number;
  /** Override the paging kind discovery chose. */
  paging?: PagingMode;
  /** Stop after this many resources. */
  maxItems?: number;
};

export type WriteOptions = {
  /** Version for If-Match; sent only when the server supports ETags (RFC 7644 §3.14). */
  ifMatch?: string;
  signal?: AbortSignal;
};

export type CreateOptions = {
  /** How to find the resource if the outcome is unknown; default from userName/externalId/displayName. */
  lookupKey?: string;
  signal?: AbortSignal;
};

export type PatchOptions = WriteOptions & {
  /** Return the resource after the PATCH, GETting it when the server answers 204 (default true). */
  returnResource?: boolean;
};

export type ResourceClient = {
  get(endpoint: string, id: string, opts?: ReadOptions): Promise<ScimResource>;
  /**
   * `get`, except that a resource the server does not have (404, RFC 7644 §3.12) is `undefined`
   * instead of an error: the one place where "404 means absent" is decided.
   */
  find(endpoint: string, id: string, opts?: ReadOptions): Promise<ScimResource | undefined>;
  list(endpoint: string, opts?: ListOptions): PagedList;
  create(endpoint: string, resource: ScimResource, opts?: CreateOptions): Promise<ScimResource>;
  replace(
    endpoint: string,
    id: string,
    resource: ScimResource,
    opts?: WriteOptions,
  ): Promise<ScimResource>;
  patch(
    endpoint: string,
    id: string,
    operations: PatchOperation[],
    opts?: PatchOptions,
  ): Promise<ScimResource | undefined>;
  delete(endpoint: string, id: string, opts?: WriteOptions): Promise<void>;
  /** Normalises a resource read by other means (e.g. a Bulk answer) the same way. */
  normalise: (resource: ScimResource, etag?: string) => ScimResource;
};

/** Creates the resource client for one connection. */
export function createResourceClient(http: ScimHttp, discovery: DiscoveryResult): ResourceClient {
  const ctx = resourceContext(http, discovery);
  return {
    normalise: ctx.normalise,
    get: (endpoint, id, opts) => getResource(ctx, endpoint, id, opts),
    find: (endpoint, id, opts) => findResource(ctx, endpoint, id, opts),
    list: (endpoint, opts) => listResources(ctx, endpoint, opts),
    create: (endpoint, resource, opts) => createResource(ctx, endpoint, resource, opts),
    replace: (endpoint, id, resource, opts) => replaceResource(ctx, endpoint, id, resource, opts),
    patch: (endpoint, id, operations, opts) => patchResource(ctx, endpoint, id, operations, opts),
    delete: (endpoint, id, opts) => deleteResource(ctx, endpoint, id, opts),
  };
}
