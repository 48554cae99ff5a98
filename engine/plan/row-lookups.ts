/**
 * Per-row look-ups: for a small CSV against a large server, each row's match keys are queried with
 * `eq` filters instead of reading the whole server. The accounts found are written as a partial
 * snapshot that the planner indexes like a full one (so matching, conflicts and diffs behave the
 * same). Used only where it is safe: the server's `eq` filter was seen working (a server that
 * ignores filters would make "not found ⇒ create" plan duplicates), and not for sweeps of unlisted
 * accounts, which need every account.
 */
import { join } from 'node:path';
import type { ColumnSpec } from '../../shared/columns/columns';
import type { DesiredCell } from '../../shared/import/types';
import { and, eq, valuePath, type ScimFilter } from '../../shared/scim/filter';
import type { ScimResource } from '../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import { buildGroupIndex, type GroupIndex } from '../snapshot/group-index';
import { createLineFileWriter } from '../files/line-file';
import { mapOrdered } from '../streams/ordered-map';
import { toSnapshotRecord } from '../snapshot/snapshot';
import { verifyLookupHits } from './lookup-verify';
import type { BoundKey } from './match-keys';
import { ensurePrivateDir } from '../files/private-files';

/** The filter that finds accounts whose column equals `value`, or undefined when none can. */
function filterFor(column: ColumnSpec, value: string): ScimFilter | undefined {
  const p = column.path;
  if (p.kind === 'single') {
    const attr = p.uri !== undefined ? `${p.uri}:${p.attr}` : p.attr;
    return eq(p.subAttr !== undefined ? `${attr}.${p.subAttr}` : attr, value);
  }
  if (p.kind === 'valueFilter' && p.uri === undefined) {
    const selector = p.selector.by === 'type' ? eq('type', p.selector.type) : eq('primary', true);
    return valuePath(p.attr, and(selector, eq(p.subAttr, value)));
  }
  return undefined;
}

/** True when every key part can be looked up with a filter. */
export function keysSupportLookups(keys: readonly BoundKey[]): boolean {
  return keys.every((k) => k.parts.every((p) => filterFor(p.column, 'x') !== undefined));
}

type LookupResult = { file: string; lookups: number; found: number };

/**
 * Queries every row's keys (all of them, so a second account on a lower-precedence key still
 * shows as a conflict) and writes the accounts found, with their memberships when asked.
 */
export async function lookUpRows(
  conn: OpenConnection,
  endpoint: string,
  rows: AsyncIterable<readonly DesiredCell[]>,
  keys: readonly BoundKey[],
  opts: { workDir: string; concurrency: number; memberships: boolean; signal?: AbortSignal },
): Promise<LookupResult> {
  await ensurePrivateDir(opts.workDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(opts.workDir, `lookups-${stamp}.jsonl`);
  const out = createLineFileWriter(file);
  const seen = new Set<string>();
  let lookups = 0;
  let groupIndex: GroupIndex | undefined;
  const groupType = conn.client.resourceType('Group');
  if (opts.memberships && groupType) {
    groupIndex = await buildGroupIndex(conn.client, {
      endpoint: groupType.endpoint,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }
  async function* queries(): AsyncGenerator<ScimFilter> {
    for await (const cells of rows) {
      for (const key of keys) {
        const parts: ScimFilter[] = [];
        for (let i = 0; i < key.parts.length; i++) {
          const cell = cells[key.targetIndex[i] ?? -1];
          const column = key.parts[i]?.column;
          if (typeof cell !== 'string' || cell.trim() === '' || !column) break;
          const f = filterFor(column, cell.trim());
          if (f) parts.push(f);
        }
        if (parts.length === key.parts.length) yield and(...parts);
      }
    }
  }
  try {
    const found = mapOrdered(queries(), opts.concurrency, async (filter) => {
      const list = conn.client.list(endpoint, {
        filter,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const hits: ScimResource[] = [];
      for await (const r of list) hits.push(r);
      return verifyLookupHits(filter, hits);
    });
    for await (const hits of found) {
      lookups += 1;
      for (const r of hits) {
        if (!r.id || seen.has(r.id)) continue;
        seen.add(r.id);
        const groups = groupIndex?.groupsOf(r.id);
        await out.write(`${JSON.stringify(toSnapshotRecord(r, groups))}\n`);
      }
    }
    await out.commit();
  } catch (e) {
    await out.abort();
    throw e;
  }
  return { file, lookups, found: seen.size };
}
