/**
 * The snapshot record: what an export writes as JSON Lines and what planning and undo read back.
 * One resource per line with every attribute the server returned, exactly (including `id` and
 * `meta.version` for If-Match). A user's memberships are added as `groups` (RFC 7643 §4.1.2
 * shape, `{value, display}`) when the server's list left them out; when the server sent its own
 * `groups` they are kept as sent, with a missing `display` filled in from the group index.
 */
import type { ScimResource } from '../../shared/scim/types';
import { isRecord } from '../scim/read';
import type { GroupRef } from './group-index';

/** One resource as a snapshot line; `groups` (from the group index) completes memberships. */
export function toSnapshotRecord(resource: ScimResource, groups?: GroupRef[]): ScimResource {
  if (!groups) return resource;
  const own = resource['groups'];
  if (Array.isArray(own)) {
    const names = new Map(groups.map((g) => [g.value, g.display]));
    let changed = false;
    const completed = own.map((g: unknown) => {
      if (!isRecord(g) || typeof g['display'] === 'string') return g;
      const display = names.get(String(g['value']));
      if (display === undefined) return g;
      changed = true;
      return { ...g, display };
    });
    return changed ? { ...resource, groups: completed } : resource;
  }
  if (!groups.length) return resource;
  return { ...resource, groups };
}
