/**
 * Turns an admin's export request (resource type, column-style attribute selection, filter, sort)
 * into what is sent to the server, with a warning for each thing the server cannot do.
 */
import { AppError } from '../../shared/errors/errors';
import { autoExportPaging } from '../../shared/scim/paging-plan';
import type { ResourceTypeInfo } from '../../shared/scim/types';
import type { ScimClient } from '../scim/client';
import { validateFilter } from '../scim/filter-parse';
import type { ListQuery } from '../scim/list-request';

export type ExportTarget = {
  /** e.g. `/Users`. */
  endpoint: string;
  /** Resource type name (`User`, `Group`, …), or the endpoint's last segment when undiscovered. */
  kind: string;
  info?: ResourceTypeInfo;
};

/** Finds the resource type by endpoint or name: `users`, `Users`, `/Users`, `User`. */
export function resolveTarget(client: ScimClient, wanted: string): ExportTarget {
  const info =
    client.resourceType(wanted) ??
    client.resourceType(wanted.replace(/s$/i, '')) ??
    client.resourceType(`${wanted}s`);
  if (info) return { endpoint: info.endpoint, kind: info.name, info };
  const known = client.discovery.resourceTypes.map((rt) => rt.endpoint).join(', ');
  throw new AppError('config', `The server has no resource type "${wanted}".`, {
    nextStep: known ? `Choose one of: ${known}.` : 'Check the resource type name.',
  });
}

/**
 * The server attribute for a column-style selection: `emails[type eq "work"].value` → `emails`,
 * `name.givenName` stays, a URN attribute stays. `groups` stays too (users carry it read-only).
 */
function serverAttributeFor(selection: string): string {
  const bracket = selection.indexOf('[');
  return bracket >= 0 ? selection.slice(0, bracket) : selection;
}

type ExportQuery = {
  query: ListQuery;
  /** Filter to apply on this machine because the server ignores filters (probe). */
  localFilter?: string;
  warnings: string[];
};

/** Builds the list query for an export. */
export function buildExportQuery(
  client: ScimClient,
  opts: {
    attributes?: readonly string[];
    filter?: string;
    sortBy?: string;
    sortOrder?: 'ascending' | 'descending';
    signal?: AbortSignal;
  },
): ExportQuery {
  const warnings: string[] = [];
  const { effective } = client.discovery;
  const query: ListQuery = {};
  if (opts.attributes?.length) {
    const wanted = new Set(opts.attributes.map(serverAttributeFor));
    query.attributes = [...wanted];
  }
  let localFilter: string | undefined;
  if (opts.filter !== undefined && opts.filter.trim() !== '') {
    const text = validateFilter(opts.filter);
    if (effective.filter) query.filter = text;
    else {
      localFilter = text;
      warnings.push(
        'The server ignores filters (found by probing), so every resource is read and the filter is applied on this computer.',
      );
    }
  }
  if (opts.sortBy) {
    if (effective.sort) {
      query.sortBy = opts.sortBy;
      if (opts.sortOrder) query.sortOrder = opts.sortOrder;
    } else warnings.push('The server does not support sorting; the export is in server order.');
  }
  if (opts.signal) query.signal = opts.signal;
  return { query, ...(localFilter !== undefined ? { localFilter } : {}), warnings };
}

/** How the export pages: `auto` picks, or the admin forces one the server supports. */
export type ExportPagingChoice = 'auto' | 'index' | 'cursor';

/**
 * The paging for an export. Index paging with a known totalResults can fetch pages concurrently,
 * so `auto` takes it whenever the probe saw it work — drift is still caught (overlapping pages,
 * totalResults re-read, verification pass). Otherwise the connection's effective paging
 * (cursor when it is the only one, or when index paging was not seen working).
 */
export function chooseExportPaging(
  discovery: ScimClient['discovery'],
  wanted: ExportPagingChoice = 'auto',
): 'index' | 'cursor' | 'none' | 'refused' {
  const { effective, probes } = discovery;
  if (effective.paging === 'none') return 'none';
  const cursorWorks =
    probes.cursorPaging.observed === 'yes' ||
    (probes.cursorPaging.observed === 'unknown' && effective.paging === 'cursor');
  if (wanted === 'cursor') {
    if (!cursorWorks) {
      throw new AppError('config', 'The server does not support cursor paging.', {
        nextStep: 'Leave paging on auto, or choose index paging.',
      });
    }
    return 'cursor';
  }
  if (wanted === 'index') {
    if (probes.indexPaging.observed === 'no') {
      throw new AppError('config', 'The server does not page by startIndex/count.', {
        nextStep: 'Leave paging on auto, or choose cursor paging.',
      });
    }
    return 'index';
  }
  return autoExportPaging(discovery);
}
