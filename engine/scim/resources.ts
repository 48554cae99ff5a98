/**
 * Resource operations on any endpoint (Users, Groups, discovered types): RFC 7644 §3.3 create,
 * §3.4.1 get, §3.4.2/§3.4.3 list, §3.5.1 replace, §3.5.2 patch, §3.6 delete, with ETags (§3.14)
 * and resource-level quirk normalisation on every read.
 */
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { AppError } from '../../shared/errors/errors';
import type { DiscoveryResult } from '../../shared/scim/discovery-types';
import { lookupFilterFor, type ScimFilter } from '../../shared/scim/filter';
import type { PatchOperation, ScimResource } from '../../shared/scim/types';
import { validateFilter } from './filter-parse';
import { createPageFetcher, type ListQuery } from './list-request';
import { pageThrough, type PagedList, type PagingMode } from './paging';
import { applyPatchLocally, buildPatchRequest } from './patch';
import { idFromLocation, normaliseResource, withVersionFromEtag } from './quirks/resource';
import { isRecord } from './read';
import { assertReadById } from './read-verify';
import type { ScimHttp, ScimResponse } from './transport/types';

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

/** `endpoint/id`, with the id percent-encoded (ids are opaque strings, RFC 7643 §3.1). */
export function resourcePath(endpoint: string, id: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

function signalOf(opts: { signal?: AbortSignal } | undefined): { signal?: AbortSignal } {
  return opts?.signal ? { signal: opts.signal } : {};
}

/** The same paged list, keeping only resources that `keep` accepts (stats stay the server's). */
function filterPaged(paged: PagedList, keep: (r: ScimResource) => boolean): PagedList {
  return {
    get stats() {
      return paged.stats;
    },
    async *[Symbol.asyncIterator]() {
      for await (const r of paged) if (keep(r)) yield r;
    },
  };
}

/** Creates the resource client for one connection. */
export function createResourceClient(http: ScimHttp, discovery: DiscoveryResult): ResourceClient {
  const etags = discovery.effective.etag;

  function normalise(resource: ScimResource, etag?: string): ScimResource {
    return withVersionFromEtag(normaliseResource(resource, discovery.schemas), etag);
  }

  function fromResponse(res: ScimResponse, what: string): ScimResource {
    if (!isRecord(res.body)) {
      throw new AppError(
        'not_scim',
        `The server answered ${what} without a resource (HTTP ${res.status}).`,
        { status: res.status, url: res.url },
      );
    }
    return normalise(res.body as ScimResource, res.etag);
  }

  function ifMatch(version: string | undefined): { ifMatch?: string } {
    return etags && version ? { ifMatch: version } : {};
  }

  async function get(endpoint: string, id: string, opts?: ReadOptions): Promise<ScimResource> {
    const res = await http.request({
      method: 'GET',
      path: resourcePath(endpoint, id),
      query: {
        attributes: opts?.attributes?.length ? opts.attributes.join(',') : undefined,
        excludedAttributes: opts?.excludedAttributes?.length
          ? opts.excludedAttributes.join(',')
          : undefined,
      },
      ...signalOf(opts),
    });
    return assertReadById(endpoint, id, fromResponse(res, `GET ${endpoint}/${id}`), {
      status: res.status,
      url: res.url,
    });
  }

  async function replace(
    endpoint: string,
    id: string,
    resource: ScimResource,
    opts?: WriteOptions,
  ): Promise<ScimResource> {
    // meta is server-owned (RFC 7643 §3.1, readOnly); some servers reject it in a PUT body.
    const { meta, ...body } = resource;
    const res = await http.request({
      method: 'PUT',
      path: resourcePath(endpoint, id),
      body,
      ...ifMatch(opts?.ifMatch ?? meta?.version),
      ...signalOf(opts),
    });
    return res.body === undefined
      ? get(endpoint, id, signalOf(opts))
      : fromResponse(res, `PUT ${endpoint}/${id}`);
  }

  return {
    normalise,
    get,
    replace,

    list(endpoint: string, opts: ListOptions = {}): PagedList {
      const filterText =
        opts.filter === undefined
          ? undefined
          : typeof opts.filter === 'string'
            ? validateFilter(opts.filter)
            : opts.filter.text;
      // Safety net: a server that ignores filters (probe) would return everything; filter locally too.
      const local =
        filterText !== undefined && !discovery.effective.filter
          ? compileFilter(parseFilter(filterText))
          : undefined;
      const query: ListQuery = {
        ...(opts.attributes ? { attributes: opts.attributes } : {}),
        ...(opts.excludedAttributes ? { excludedAttributes: opts.excludedAttributes } : {}),
        ...(opts.sortBy !== undefined ? { sortBy: opts.sortBy } : {}),
        ...(opts.sortOrder !== undefined ? { sortOrder: opts.sortOrder } : {}),
        ...(opts.method !== undefined ? { method: opts.method } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      };
      const fetcher = createPageFetcher(
        http,
        endpoint,
        { ...query, ...(filterText !== undefined ? { filter: filterText } : {}) },
        (r) => normalise(r),
      );
      const pageSize = opts.pageSize ?? discovery.effective.pageSize;
      const paged = pageThrough(fetcher, {
        mode: opts.paging ?? discovery.effective.paging,
        pageSize,
        what: `Reading ${endpoint}`,
        ...(opts.maxItems !== undefined ? { maxItems: opts.maxItems } : {}),
      });
      // Filtered locally after paging, so the read's integrity is judged on what the server sent.
      return local ? filterPaged(paged, (r) => local(r)) : paged;
    },

    async create(
      endpoint: string,
      resource: ScimResource,
      opts?: CreateOptions,
    ): Promise<ScimResource> {
      const lookupKey = opts?.lookupKey ?? lookupFilterFor(resource)?.text;
      const res = await http.request({
        method: 'POST',
        path: endpoint,
        body: resource,
        idempotent: false,
        ...(lookupKey !== undefined ? { lookupKey } : {}),
        ...signalOf(opts),
      });
      if (isRecord(res.body)) return fromResponse(res, `POST ${endpoint}`);
      // 201 with only a Location header: read the resource it names.
      const id = idFromLocation(res.headers['location']);
      if (id === undefined) {
        throw new AppError(
          'not_scim',
          `The server accepted POST ${endpoint} but returned neither the resource nor its Location.`,
          {
            status: res.status,
            url: res.url,
            ...(lookupKey !== undefined ? { lookupKey } : {}),
          },
        );
      }
      return get(endpoint, id, signalOf(opts));
    },

    async patch(
      endpoint: string,
      id: string,
      operations: PatchOperation[],
      opts?: PatchOptions,
    ): Promise<ScimResource | undefined> {
      const wantResource = opts?.returnResource ?? true;
      if (!discovery.effective.patch) {
        // PUT fallback (scim-client-rules.md "Writing"): GET → apply locally → PUT with If-Match.
        const current = await get(endpoint, id, signalOf(opts));
        const next = applyPatchLocally(current, operations);
        const version = opts?.ifMatch ?? current.meta?.version;
        return replace(endpoint, id, next, {
          ...(version !== undefined ? { ifMatch: version } : {}),
          ...signalOf(opts),
        });
      }
      const res = await http.request({
        method: 'PATCH',
        path: resourcePath(endpoint, id),
        body: buildPatchRequest(operations),
        // PATCH with add may not be idempotent (RFC 7644 §3.5.2): never replayed blindly.
        idempotent: false,
        lookupKey: `id eq ${JSON.stringify(id)}`,
        ...ifMatch(opts?.ifMatch),
        ...signalOf(opts),
      });
      if (isRecord(res.body)) return fromResponse(res, `PATCH ${endpoint}/${id}`);
      // 204 No Content (Entra, many others): read it back only when the caller needs it.
      return wantResource ? get(endpoint, id, signalOf(opts)) : undefined;
    },

    async delete(endpoint: string, id: string, opts?: WriteOptions): Promise<void> {
      await http.request({
        method: 'DELETE',
        path: resourcePath(endpoint, id),
        ...ifMatch(opts?.ifMatch),
        ...signalOf(opts),
      });
    },
  };
}
