/**
 * List and search (RFC 7644 §3.4.2, §3.4.3): filter, sort, and either index paging
 * (`startIndex`/`count`, §3.4.2.4) or cursor paging (RFC 9865). Unsorted cursor pages cost
 * O(log n + page): the cursor holds the creation order of the last item served.
 */
import type { Filter } from 'scim2-parse-filter';
import type { ScimResource } from '../shared/scim/types';
import { URN } from '../shared/scim/urns';
import { leafDefinition, resolvePath, valuesAt, isRecord } from './attribute-resolver';
import type { CursorCodec, CursorPosition } from './cursor';
import { DEFAULT_SANDBOX_FEATURES, pageCap, type SandboxFeatures } from './features';
import { parseFilter } from './filter-eval';
import { recordHolder } from './render';
import { badRequest } from './sandbox-error';
import type { SandboxResourceType } from './schemas';
import type { SandboxStore, StoredRecord } from './store';

/** Query parameters / search-body members, as received (strings from a URL, values from JSON). */
export type ListParams = {
  filter?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  startIndex?: unknown;
  count?: unknown;
  /** Present (possibly empty) when the client asked for cursor paging. */
  cursor?: unknown;
};

type ListContext = {
  store: SandboxStore;
  features: SandboxFeatures;
  codec: CursorCodec;
  now: () => number;
  /** Renders one record for the response (location, projection, ETag policy). */
  present: (r: StoredRecord) => ScimResource;
};

function intParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(n)) {
    throw badRequest('invalidValue', `"${name}" must be an integer; got ${JSON.stringify(value)}.`);
  }
  return n;
}

function sortKey(store: SandboxStore, r: StoredRecord, sortBy: string): unknown {
  const path = resolvePath(r.type, sortBy);
  if (path === undefined) {
    return undefined;
  }
  const view = recordHolder(store, r, path);
  let values = valuesAt(view, path);
  if (path.def.multiValued && path.def.type === 'complex' && path.sub === undefined) {
    // RFC 7644 §3.4.2.3: multi-valued attributes sort by their primary value, if any.
    const holder = path.container === undefined ? view : view[path.container];
    const items = isRecord(holder) ? holder[path.def.name] : undefined;
    const primary: unknown = Array.isArray(items)
      ? (items as unknown[]).find((i) => isRecord(i) && i.primary === true)
      : undefined;
    if (isRecord(primary)) {
      values = [primary.value];
    }
  }
  const first = values[0];
  return typeof first === 'string' && !leafDefinition(path).caseExact ? first.toLowerCase() : first;
}

function compareKeys(a: unknown, b: unknown): number {
  // Unassigned values sort last in ascending order (RFC 7644 §3.4.2.3).
  if (a === undefined || a === null) {
    return b === undefined || b === null ? 0 : 1;
  }
  if (b === undefined || b === null) {
    return -1;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const sortCache = new WeakMap<
  SandboxStore,
  { key: string; rev: number; records: StoredRecord[] }
>();

function collect(
  ctx: ListContext,
  types: SandboxResourceType[],
  filter: Filter | undefined,
  sortBy: string | undefined,
  descending: boolean,
): readonly StoredRecord[] {
  const single = types.length === 1 && types[0] !== undefined ? types[0] : undefined;
  const gather = (): readonly StoredRecord[] => {
    if (single !== undefined) {
      return ctx.store.query(single, filter);
    }
    // Root search (RFC 7644 §3.4.3): a filter naming attributes a type lacks matches none of it.
    return types.flatMap((t) => {
      try {
        return [...ctx.store.query(t, filter)];
      } catch {
        return [];
      }
    });
  };
  if (sortBy === undefined) {
    return gather();
  }
  const key = JSON.stringify([types, filter ?? null, sortBy, descending]);
  const cached = sortCache.get(ctx.store);
  if (cached !== undefined && cached.key === key && cached.rev === ctx.store.revision()) {
    return cached.records;
  }
  for (const t of types) {
    if (resolvePath(t, sortBy) === undefined && single !== undefined) {
      throw badRequest('invalidValue', `sortBy "${sortBy}" is not an attribute of a ${t}.`);
    }
  }
  const keyed = gather().map((r) => ({ r, k: sortKey(ctx.store, r, sortBy) }));
  keyed.sort((x, y) => {
    const c = compareKeys(x.k, y.k);
    return (descending ? -c : c) || x.r.seq - y.r.seq;
  });
  const records = keyed.map((e) => e.r);
  sortCache.set(ctx.store, { key, rev: ctx.store.revision(), records });
  return records;
}

function firstAfterSeq(records: readonly StoredRecord[], seq: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((records[mid]?.seq ?? 0) <= seq) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Answers a list/search request with a ListResponse body. */
export function listResources(
  ctx: ListContext,
  types: SandboxResourceType[],
  params: ListParams,
): Record<string, unknown> {
  const { features } = ctx;
  const filterText =
    typeof params.filter === 'string' && params.filter.trim() !== '' ? params.filter : undefined;
  if (params.filter !== undefined && params.filter !== '' && typeof params.filter !== 'string') {
    throw badRequest('invalidFilter', '"filter" must be a string.');
  }
  if (filterText !== undefined && !features.filter) {
    throw badRequest('invalidFilter', 'This server does not support filtering.');
  }
  const sortBy =
    typeof params.sortBy === 'string' && params.sortBy !== '' ? params.sortBy : undefined;
  if (sortBy !== undefined && !features.sort) {
    throw badRequest(
      'invalidValue',
      'This server does not support sorting (sort.supported is false).',
    );
  }
  const order = typeof params.sortOrder === 'string' ? params.sortOrder.toLowerCase() : 'ascending';
  if (order !== 'ascending' && order !== 'descending') {
    throw badRequest('invalidValue', `sortOrder must be "ascending" or "descending".`);
  }
  const startIndex = intParam(params.startIndex, 'startIndex');
  const countParam = intParam(params.count, 'count');
  const cursorParam = params.cursor;
  const wantsCursor = cursorParam !== undefined && cursorParam !== null;
  if (wantsCursor && startIndex !== undefined) {
    throw badRequest('invalidValue', 'Use either "cursor" or "startIndex", not both (RFC 9865).');
  }
  if (wantsCursor && !features.cursorPaging) {
    throw badRequest('invalidValue', 'This server does not support cursor paging.');
  }
  if (startIndex !== undefined && !features.indexPaging) {
    throw badRequest('invalidValue', 'This server does not support index paging (use "cursor").');
  }
  const mode =
    wantsCursor || (startIndex === undefined && !features.indexPaging && features.cursorPaging)
      ? 'cursor'
      : 'index';
  // RFC 7644 §3.4.2.4: negative counts mean 0; larger ones are capped at the server maximum.
  const count = Math.min(Math.max(0, countParam ?? features.defaultPageSize), pageCap(features));
  const filter = filterText === undefined ? undefined : parseFilter(filterText);
  const results = collect(ctx, types, filter, sortBy, order === 'descending');
  const base = { schemas: [URN.listResponse], totalResults: results.length };

  if (mode === 'index') {
    const start = Math.max(1, startIndex ?? 1);
    const page = results.slice(start - 1, start - 1 + count);
    return {
      ...base,
      itemsPerPage: page.length,
      startIndex: start,
      Resources: page.map(ctx.present),
    };
  }

  const query = JSON.stringify([types, filterText ?? '', sortBy ?? '', order]);
  const bySeq = sortBy === undefined && types.length === 1;
  let from = 0;
  if (typeof cursorParam === 'string' && cursorParam !== '') {
    const timeoutMs =
      (features.cursorTimeout ?? DEFAULT_SANDBOX_FEATURES.cursorTimeout ?? 3600) * 1000;
    const state = ctx.codec.decode(cursorParam, query, ctx.now(), timeoutMs);
    from = state.kind === 'seq' ? firstAfterSeq(results, state.value) : state.value;
  } else if (cursorParam !== undefined && cursorParam !== '' && cursorParam !== true) {
    throw badRequest('invalidCursor', '"cursor" must be a string.');
  }
  const page = results.slice(from, from + count);
  const last = page.at(-1);
  let nextCursor: string | undefined;
  if (from + page.length < results.length && last !== undefined) {
    const position: CursorPosition = bySeq
      ? { kind: 'seq', value: last.seq }
      : { kind: 'offset', value: from + page.length };
    nextCursor = ctx.codec.encode({ ...position, issuedAt: ctx.now(), query });
  }
  return {
    ...base,
    itemsPerPage: page.length,
    ...(nextCursor !== undefined ? { nextCursor } : {}),
    Resources: page.map(ctx.present),
  };
}
