/**
 * Listing an endpoint (RFC 7644 §3.4.2 GET, §3.4.3 POST /.search) through the paging discovery
 * chose, filtering locally too when the server is known to ignore filters.
 */
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import type { ScimResource } from '../../shared/scim/types';
import { validateFilter } from './filter-parse';
import { createPageFetcher, type ListQuery } from './list-request';
import { pageThrough, type PagedList } from './paging';
import type { ResourceContext } from './resource-context';
import type { ListOptions } from './resources';

/** The same paged list, keeping only resources that `keep` accepts (stats stay the server's). */
export function filterPaged(paged: PagedList, keep: (r: ScimResource) => boolean): PagedList {
  return {
    get stats() {
      return paged.stats;
    },
    async *[Symbol.asyncIterator]() {
      for await (const r of paged) if (keep(r)) yield r;
    },
  };
}

/** The list query parameters of `opts`, without the filter. */
function queryOf(opts: ListOptions): ListQuery {
  return {
    ...(opts.attributes ? { attributes: opts.attributes } : {}),
    ...(opts.excludedAttributes ? { excludedAttributes: opts.excludedAttributes } : {}),
    ...(opts.sortBy !== undefined ? { sortBy: opts.sortBy } : {}),
    ...(opts.sortOrder !== undefined ? { sortOrder: opts.sortOrder } : {}),
    ...(opts.method !== undefined ? { method: opts.method } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

export function listResources(
  ctx: ResourceContext,
  endpoint: string,
  opts: ListOptions = {},
): PagedList {
  const { effective } = ctx.discovery;
  const filterText =
    opts.filter === undefined
      ? undefined
      : typeof opts.filter === 'string'
        ? validateFilter(opts.filter)
        : opts.filter.text;
  // Safety net: a server that ignores filters (probe) would return everything; filter locally too.
  const local =
    filterText !== undefined && !effective.filter
      ? compileFilter(parseFilter(filterText))
      : undefined;
  const fetcher = createPageFetcher(
    ctx.http,
    endpoint,
    { ...queryOf(opts), ...(filterText !== undefined ? { filter: filterText } : {}) },
    (r) => ctx.normalise(r),
  );
  const paged = pageThrough(fetcher, {
    mode: opts.paging ?? effective.paging,
    pageSize: opts.pageSize ?? effective.pageSize,
    what: `Reading ${endpoint}`,
    ...(opts.maxItems !== undefined ? { maxItems: opts.maxItems } : {}),
  });
  // Filtered locally after paging, so the read's integrity is judged on what the server sent.
  return local ? filterPaged(paged, (r) => local(r)) : paged;
}
