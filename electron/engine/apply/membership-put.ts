/**
 * Membership changes for servers without PATCH: the planned adds and removes of each group are
 * folded into one PUT of the group's whole member list, read just before (with If-Match when the
 * server has ETags), since a PUT cannot add or remove one member.
 */
import type { PatchOperation, ScimResource } from '../../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import type { WriteOp } from '../scim/ops';

const REMOVE_PATH = /^members\[value eq "((?:[^"\\]|\\.)*)"\]$/;

function membersOf(r: ScimResource): { value: string }[] {
  const m = r['members'];
  if (!Array.isArray(m)) return [];
  return (m as unknown[]).flatMap((x) =>
    typeof x === 'object' && x !== null && typeof (x as { value?: unknown }).value === 'string'
      ? [{ value: (x as { value: string }).value }]
      : [],
  );
}

/** Folds group PATCH ops (member adds/removes) into one PUT per group. */
export async function membershipPuts(
  conn: OpenConnection,
  patches: readonly WriteOp[],
  opts: { etag: boolean; signal?: AbortSignal },
): Promise<WriteOp[]> {
  const byGroup = new Map<string, { endpoint: string; add: Set<string>; remove: Set<string> }>();
  for (const op of patches) {
    if (op.method !== 'PATCH' || !op.id) continue;
    let g = byGroup.get(op.id);
    if (!g) {
      g = { endpoint: op.endpoint, add: new Set(), remove: new Set() };
      byGroup.set(op.id, g);
    }
    const operations = (op.data as { Operations?: PatchOperation[] } | undefined)?.Operations ?? [];
    for (const o of operations) {
      if (o.op === 'add' && o.path === 'members' && Array.isArray(o.value)) {
        for (const v of o.value as { value?: unknown }[]) {
          if (typeof v.value === 'string') g.add.add(v.value);
        }
      } else if (o.op === 'remove' && typeof o.path === 'string') {
        const m = REMOVE_PATH.exec(o.path);
        if (m?.[1] !== undefined) g.remove.add(m[1].replace(/\\(.)/g, '$1'));
      }
    }
  }
  const puts: WriteOp[] = [];
  for (const [id, g] of byGroup) {
    const current = await conn.client.get(
      g.endpoint,
      id,
      opts.signal ? { signal: opts.signal } : {},
    );
    const members = membersOf(current).filter((m) => !g.remove.has(m.value));
    const have = new Set(members.map((m) => m.value));
    for (const value of g.add) if (!have.has(value)) members.push({ value });
    const body: ScimResource = { ...current, members };
    delete body.meta;
    puts.push({
      opId: `grp:${id}:put`,
      method: 'PUT',
      endpoint: g.endpoint,
      id,
      data: body,
      ...(opts.etag && current.meta?.version ? { version: current.meta.version } : {}),
    });
  }
  return puts;
}
