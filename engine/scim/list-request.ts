/**
 * Builds the page requests of a list: GET with query parameters (RFC 7644 §3.4.2) or POST
 * `/.search` with a SearchRequest body (§3.4.3), with identical parameters on every page as
 * RFC 9865 §3 requires for cursors.
 */
import type { ScimResource } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import type { Page, PageFetcher, PageRequest } from './paging';
import { intMember, isRecord, member, stringMember } from './read';
import type { ScimHttp } from './transport/types';

export type ListQuery = {
  /** Filter text (RFC 7644 §3.4.2.2); validate user input with validateFilter first. */
  filter?: string;
  attributes?: string[];
  excludedAttributes?: string[];
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  /** GET with query parameters (default) or POST /.search (long filters, sensitive values). */
  method?: 'GET' | 'POST';
  signal?: AbortSignal;
};

/** Reads a ListResponse body (already wire-normalised) into a Page. Bare arrays are accepted. */
function toPage(body: unknown): Page {
  if (Array.isArray(body)) return { resources: body.filter(isRecord) as ScimResource[] };
  if (!isRecord(body)) return { resources: [] };
  const list = member(body, 'Resources');
  const totalResults = intMember(body, 'totalResults');
  const itemsPerPage = intMember(body, 'itemsPerPage');
  const startIndex = intMember(body, 'startIndex');
  const nextCursor = stringMember(body, 'nextCursor');
  return {
    resources: Array.isArray(list) ? (list.filter(isRecord) as ScimResource[]) : [],
    ...(totalResults !== undefined ? { totalResults } : {}),
    ...(itemsPerPage !== undefined ? { itemsPerPage } : {}),
    ...(startIndex !== undefined ? { startIndex } : {}),
    ...(nextCursor !== undefined ? { nextCursor } : {}),
  };
}

/** The page fetcher for one list query against one endpoint; `map` normalises each resource. */
export function createPageFetcher(
  http: ScimHttp,
  endpoint: string,
  q: ListQuery,
  map: (r: ScimResource) => ScimResource = (r) => r,
): PageFetcher {
  const signal = q.signal ? { signal: q.signal } : {};
  return async (req: PageRequest): Promise<Page> => {
    let body: unknown;
    if (q.method === 'POST') {
      const search = {
        schemas: [URN.searchRequest],
        ...(q.filter !== undefined ? { filter: q.filter } : {}),
        ...(q.attributes?.length ? { attributes: q.attributes } : {}),
        ...(q.excludedAttributes?.length ? { excludedAttributes: q.excludedAttributes } : {}),
        ...(q.sortBy !== undefined ? { sortBy: q.sortBy } : {}),
        ...(q.sortOrder !== undefined ? { sortOrder: q.sortOrder } : {}),
        ...(req.startIndex !== undefined ? { startIndex: req.startIndex } : {}),
        ...(req.cursor !== undefined ? { cursor: req.cursor } : {}),
        ...(req.count !== undefined ? { count: req.count } : {}),
      };
      // A search is a read: safe to replay when its outcome is unknown.
      body = (
        await http.request({
          method: 'POST',
          path: `${endpoint}/.search`,
          body: search,
          idempotent: true,
          ...signal,
        })
      ).body;
    } else {
      const query = {
        filter: q.filter,
        attributes: q.attributes?.length ? q.attributes.join(',') : undefined,
        excludedAttributes: q.excludedAttributes?.length
          ? q.excludedAttributes.join(',')
          : undefined,
        sortBy: q.sortBy,
        sortOrder: q.sortOrder,
        startIndex: req.startIndex,
        cursor: req.cursor,
        count: req.count,
      };
      body = (await http.request({ method: 'GET', path: endpoint, query, ...signal })).body;
    }
    const page = toPage(body);
    return { ...page, resources: page.resources.map(map) };
  };
}
