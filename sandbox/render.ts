/**
 * Builds the representation a client sees from a stored record: `schemas`, `id`, `meta`
 * (RFC 7643 §3.1), computed read-only values (User `groups`, member `display` and `$ref`), and
 * without `returned: never` attributes (password).
 */
import type { ScimResource } from '../shared/scim/types';
import { isRecord, type ResolvedPath } from './attribute-resolver';
import type { StoredRecord } from './store-indexes';
import { schemasOf } from './validate';
import { type CoreResourceKind } from '../shared/scim/resource-types';

/** What rendering needs from the store. */
type RenderSource = {
  record(type: CoreResourceKind, id: string): StoredRecord | undefined;
  groupsOf(memberId: string): { id: string; displayName: string }[];
};

const ENDPOINT = { User: 'Users', Group: 'Groups' } as const;

function displayOf(r: StoredRecord): string | undefined {
  const d = r.data.displayName ?? r.data.userName;
  return typeof d === 'string' ? d : undefined;
}

/**
 * Renders a record. `baseUrl` (e.g. `http://127.0.0.1:1234/scim/v2`) makes `meta.location` and
 * `$ref` absolute; without it they are omitted.
 */
export function renderResource(
  source: RenderSource,
  r: StoredRecord,
  baseUrl: string | undefined,
): ScimResource {
  // `password` is returned "never" (RFC 7643 §4.1.1).
  const data = { ...r.data };
  delete data.password;
  const out: ScimResource = { schemas: schemasOf(r.type, r.data), id: r.id, ...data };
  if (r.type === 'Group' && Array.isArray(data.members)) {
    out.members = (data.members as unknown[]).filter(isRecord).map((m) => {
      const kind = m.type === 'Group' ? 'Group' : 'User';
      const target = typeof m.value === 'string' ? source.record(kind, m.value) : undefined;
      const display = target === undefined ? undefined : displayOf(target);
      return {
        ...m,
        ...(baseUrl !== undefined
          ? { $ref: `${baseUrl}/${ENDPOINT[kind]}/${String(m.value)}` }
          : {}),
        ...(display !== undefined ? { display } : {}),
      };
    });
  }
  if (r.type === 'User') {
    const groups = source.groupsOf(r.id);
    if (groups.length > 0) {
      out.groups = groups.map((g) => ({
        value: g.id,
        ...(baseUrl !== undefined ? { $ref: `${baseUrl}/Groups/${g.id}` } : {}),
        display: g.displayName,
        type: 'direct',
      }));
    }
  }
  out.meta = {
    resourceType: r.type,
    created: r.created,
    lastModified: r.lastModified,
    ...(baseUrl !== undefined ? { location: `${baseUrl}/${ENDPOINT[r.type]}/${r.id}` } : {}),
    version: `W/"${r.rev}"`,
  };
  return out;
}

/**
 * Where a path's values live on a stored record (see `Holder` in filter-eval): the stored data,
 * or a small object for the attributes computed at render time. Full scans over 100k users call
 * this per record, so it allocates only for `id`, `meta` and `groups`.
 */
export function recordHolder(
  source: RenderSource,
  r: StoredRecord,
  path: ResolvedPath,
): Record<string, unknown> {
  if (path.container === undefined) {
    switch (path.def.name) {
      case 'id':
        return { id: r.id };
      case 'meta':
        return {
          meta: {
            resourceType: r.type,
            created: r.created,
            lastModified: r.lastModified,
            version: `W/"${r.rev}"`,
          },
        };
      case 'groups':
        return {
          groups:
            r.type === 'User'
              ? source
                  .groupsOf(r.id)
                  .map((g) => ({ value: g.id, display: g.displayName, type: 'direct' }))
              : [],
        };
      default:
        break;
    }
  }
  return r.data;
}
