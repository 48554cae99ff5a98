/**
 * Group memberships for the `groups` column of a user export: one pass over the Groups endpoint
 * (display names and member ids only) gives user id → group display names. Memory is one entry per
 * membership, independent of how many attributes users have.
 */
import type { ScimResource } from '../../shared/scim/types';
import type { ScimClient } from '../scim/client';
import { isRecord } from '../scim/read';

/** A membership as RFC 7643 §4.1.2 writes it on a User: the group's id and display name. */
export type GroupRef = { value: string; display: string };

export type GroupIndex = {
  /** The groups the member belongs to directly, sorted by display name. */
  groupsOf(memberId: string): GroupRef[];
  groups: number;
  memberships: number;
};

function displayNameOf(g: ScimResource): string {
  const name = g['displayName'];
  return typeof name === 'string' && name !== '' ? name : (g.id ?? '');
}

/** Reads every group (displayName and members only) and indexes memberships by member id. */
export async function buildGroupIndex(
  client: ScimClient,
  opts: { endpoint?: string; signal?: AbortSignal } = {},
): Promise<GroupIndex> {
  const byMember = new Map<string, GroupRef[]>();
  let groups = 0;
  let memberships = 0;
  const list = client.list(opts.endpoint ?? '/Groups', {
    attributes: ['displayName', 'members'],
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  for await (const g of list) {
    groups += 1;
    const ref: GroupRef = { value: g.id ?? '', display: displayNameOf(g) };
    const members = Array.isArray(g['members']) ? (g['members'] as unknown[]) : [];
    for (const m of members) {
      if (!isRecord(m)) continue;
      const value = m['value'];
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const id = String(value);
      const refs = byMember.get(id);
      if (refs) refs.push(ref);
      else byMember.set(id, [ref]);
      memberships += 1;
    }
  }
  for (const refs of byMember.values()) refs.sort((a, b) => a.display.localeCompare(b.display));
  return {
    groupsOf: (id) => byMember.get(id) ?? [],
    groups,
    memberships,
  };
}

/** The memberships a user resource carries itself (RFC 7643 §4.1.2 `groups`), if any. */
export function ownGroups(user: ScimResource): GroupRef[] | undefined {
  const own = user['groups'];
  if (!Array.isArray(own)) return undefined;
  const refs: GroupRef[] = [];
  for (const g of own) {
    if (!isRecord(g)) continue;
    const display = g['display'];
    const value = g['value'];
    const id = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    refs.push({ value: id, display: typeof display === 'string' && display !== '' ? display : id });
  }
  return refs.sort((a, b) => a.display.localeCompare(b.display));
}
