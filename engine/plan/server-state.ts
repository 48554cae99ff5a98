/**
 * The server state a plan is computed against: a snapshot (JSON Lines, one resource per line) and
 * the group directory (display name → id). Taken fresh from a live connection with the exporter,
 * or read from a snapshot file for an offline what-if.
 */
import { join } from 'node:path';
import type { OpenConnection } from '../connections/open-connection';
import { exportResources, type ExportSummary } from '../export/exporter';
import { groupKey } from './snapshot-index';
import { ensurePrivateDir } from '../files/private-files';

export type GroupDirectory = Map<string, { id: string; display: string }>;

type LiveSnapshot = {
  file: string;
  export: ExportSummary;
  /** Every group on the server, including empty ones. */
  groups: GroupDirectory;
};

/** Exports the resource type to a snapshot file in `workDir` and lists every group. */
export async function takeServerSnapshot(
  conn: OpenConnection,
  resourceType: string,
  workDir: string,
  opts: { signal?: AbortSignal; onProgress?: (read: number, total?: number) => void } = {},
): Promise<LiveSnapshot> {
  await ensurePrivateDir(workDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(workDir, `${resourceType.toLowerCase()}-${stamp}.jsonl`);
  const summary = await exportResources(conn, {
    resourceType,
    format: 'jsonl',
    outFile: file,
    includeGroups: true,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (p) => {
      if (p.phase === 'listing') opts.onProgress?.(p.exported, p.total);
    },
  });
  const groups = await takeGroupDirectory(conn, opts.signal);
  return { file, export: summary, groups };
}

/** Every group on the server by display name (including empty ones). */
export async function takeGroupDirectory(
  conn: OpenConnection,
  signal?: AbortSignal,
): Promise<GroupDirectory> {
  const groups: GroupDirectory = new Map();
  const groupType = conn.client.resourceType('Group');
  if (!groupType) return groups;
  const list = conn.client.list(groupType.endpoint, {
    attributes: ['displayName'],
    ...(signal ? { signal } : {}),
  });
  for await (const g of list) {
    const display = g['displayName'];
    if (typeof g.id === 'string' && typeof display === 'string' && display.trim() !== '') {
      const key = groupKey(display);
      if (!groups.has(key)) groups.set(key, { id: g.id, display: display.trim() });
    }
  }
  return groups;
}
