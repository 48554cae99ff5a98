/**
 * The server state a plan compares with, read one of three ways: a fresh snapshot of a live
 * connection (the default), per-row `eq` look-ups of the rows' keys (a small CSV against a large
 * server), or a snapshot file for an offline what-if. Per-row look-ups are refused where they
 * would be unsafe (see row-lookups.ts).
 */
import type { DesiredCell } from '../../shared/import/types';
import { AppError } from '../../shared/errors/errors';
import { isUnlistedMode } from '../../shared/plan/plan-format';
import { openCsv } from '../csv/read-csv';
import { incompleteReadError, understatedWarning } from '../scim/read-integrity';
import type { BoundKey } from './match-keys';
import { csvOptions, type PlanInput, type PlanOptions, type PlanProgress } from './plan-input';
import type { PlanKeys } from './plan-keys';
import type { RowGuards } from './row-guards';
import { keysSupportLookups, lookUpRows } from './row-lookups';
import { takeGroupDirectory, takeServerSnapshot, type GroupDirectory } from './server-state';

export type ServerState = {
  /** The snapshot (JSON Lines) to index. */
  snapshotFile: string;
  /** Groups by name; undefined for a snapshot file (taken from its memberships instead). */
  groups?: GroupDirectory;
  /** The server was not read in full (per-row look-ups). */
  partial: boolean;
  warnings: string[];
};

type Report = (p: PlanProgress) => void;

function checkPerRow(opts: PlanOptions, input: PlanInput, keys: PlanKeys): void {
  const source = opts.source;
  if (source.kind !== 'server') {
    throw new AppError('config', 'Per-row look-ups need a connection, not a snapshot file.');
  }
  if (isUnlistedMode(input.mode)) {
    throw new AppError('config', 'A sweep of unlisted accounts needs the whole server read.', {
      nextStep: 'Use the default snapshot look-up for this mode.',
    });
  }
  const probe = source.conn.discovery.probes.filterEq;
  if (probe.observed !== 'yes') {
    throw new AppError(
      'config',
      `Per-row look-ups need a server whose "eq" filter was seen working; this one was not${probe.note ? ` (${probe.note})` : ''}.`,
      { nextStep: 'Use the default snapshot look-up: the server is read once in full.' },
    );
  }
  if (!keysSupportLookups(keys.matchKeys)) {
    throw new AppError('config', 'A match key cannot be looked up with a SCIM filter.', {
      nextStep: 'Use the default snapshot look-up.',
    });
  }
}

async function readPerRow(
  opts: PlanOptions,
  input: PlanInput,
  keys: PlanKeys,
  guards: RowGuards,
): Promise<ServerState> {
  if (opts.source.kind !== 'server') throw new AppError('internal', 'Per-row without a server.');
  const { conn, workDir } = opts.source;
  const rows = await openCsv(opts.csvFile, csvOptions(opts, false));
  const lookupKeys: BoundKey[] = [...keys.matchKeys];
  const extraManagerKey = keys.manager && keys.manager.keyIndex >= keys.matchKeys.length;
  const managerPart = keys.manager ? keys.indexKeys[keys.manager.keyIndex]?.parts[0] : undefined;
  if (extraManagerKey && keys.manager && managerPart) {
    lookupKeys.push({ name: keys.manager.path, parts: [managerPart], targetIndex: [0] });
  }
  async function* desired(): AsyncGenerator<readonly DesiredCell[]> {
    for await (const row of rows.rows()) {
      // Guarded as the rows will be planned: keys trimmed of invisible edges are looked up trimmed.
      const mapped = guards.check(row, input.compiled.mapRow(row));
      yield mapped.cells;
      // The manager, by its key, as a one-key row.
      if (mapped.manager && extraManagerKey) yield [mapped.manager.value];
    }
  }
  const found = await lookUpRows(conn, input.rt.endpoint, desired(), lookupKeys, {
    workDir,
    concurrency: Math.max(1, opts.concurrency ?? 8),
    memberships: input.compiled.groups !== undefined,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return {
    snapshotFile: found.file,
    groups: await takeGroupDirectory(conn, opts.signal),
    partial: true,
    warnings: [
      `Per-row look-ups: ${found.lookups} filtered queries found ${found.found} accounts. The server was not read in full, so there is no report of accounts missing from the file.`,
    ],
  };
}

async function readSnapshot(
  opts: PlanOptions,
  input: PlanInput,
  report: Report,
): Promise<ServerState> {
  if (opts.source.kind !== 'server') throw new AppError('internal', 'Snapshot without a server.');
  const snap = await takeServerSnapshot(opts.source.conn, input.rt.name, opts.source.workDir, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (done, total) => {
      report({ phase: 'snapshot', done, ...(total !== undefined ? { total } : {}) });
    },
  });
  const warnings: string[] = [];
  const v = snap.export.integrity;
  if (v && !v.complete) {
    // Planning, sweeps (and undo, through the same reads) never act on a read that may be partial.
    const perRow =
      !isUnlistedMode(input.mode) && opts.source.conn.discovery.probes.filterEq.observed === 'yes';
    throw incompleteReadError(v, 'Planning', perRow);
  }
  if (snap.export.possiblyMissing > 0) {
    throw new AppError(
      'incomplete_read',
      `The server changed while it was read: ${snap.export.possiblyMissing} accounts may be missing from the comparison. Planning stopped: it needs a complete read.`,
      { nextStep: 'Plan again when the server is quiet.' },
    );
  }
  const over = v ? understatedWarning(v) : undefined;
  if (over) warnings.push(over);
  return { snapshotFile: snap.file, groups: snap.groups, partial: false, warnings };
}

/** Reads the server state the plan compares with (see the file comment). */
export async function readServerState(
  opts: PlanOptions,
  input: PlanInput,
  keys: PlanKeys,
  guards: RowGuards,
  report: Report,
): Promise<ServerState> {
  if (opts.lookup === 'per-row') {
    checkPerRow(opts, input, keys);
    report({ phase: 'snapshot', done: 0 });
    return readPerRow(opts, input, keys, guards);
  }
  if (opts.source.kind === 'snapshot') {
    return { snapshotFile: opts.source.file, partial: false, warnings: [] };
  }
  report({ phase: 'snapshot', done: 0 });
  return readSnapshot(opts, input, report);
}
