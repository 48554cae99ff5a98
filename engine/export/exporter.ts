/**
 * Export of Users, Groups or any discovered resource type to CSV or JSON Lines.
 *
 * Resources stream from the server (concurrent index pages or pipelined cursor pages, see
 * fast-list.ts), a batch per page, as snapshot records. A JSON Lines export writes each record as
 * a line — the snapshot format planning and undo read. A CSV export learns its columns while
 * streaming and spools compact rows, then writes the header and renders the rows in a second,
 * local pass (csv-export.ts), so the header holds every column that occurs and memory stays flat
 * whatever the number of resources.
 */
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import { createColumnCollector } from '../columns/column-discovery';
import { AppError } from '../../shared/errors/errors';
import type { ScimResource } from '../../shared/scim/types';
import type { OpenConnection } from '../connections/open-connection';
import { createPageFetcher, type ListQuery } from '../scim/list-request';
import { understatedWarning, type ReadIntegrity } from '../scim/read-integrity';
import {
  buildExportQuery,
  chooseExportPaging,
  resolveTarget,
  type ExportPagingChoice,
  type ExportTarget,
} from './export-query';
import { createCsvExport } from './csv-export';
import { fastList, type Batch, type FastList, type FastListStats } from './fast-list';
import { throwIfAborted } from './listing/list-context';
import { buildGroupIndex, type GroupIndex, type GroupRef } from '../snapshot/group-index';
import { createLineFileWriter, type LineFileWriter } from '../files/line-file';
import { mapOrdered } from '../streams/ordered-map';
import { toSnapshotRecord } from '../snapshot/snapshot';

export type ExportFormat = 'csv' | 'jsonl';

/** Pages (or per-resource GETs) the exporter keeps in flight by default. */
const DEFAULT_EXPORT_CONCURRENCY = 8;

export type ExportOptions = {
  /** `Users`, `Groups`, or any discovered resource type by name or endpoint. */
  resourceType: string;
  format: ExportFormat;
  outFile: string;
  /** Column-style selection (`userName`, `emails[type eq "work"].value`, a URN attribute, `groups`). */
  attributes?: string[];
  filter?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  /** CSV: start with a UTF-8 byte-order mark so Excel detects the encoding. */
  excel?: boolean;
  /** CSV: neutralise cells that a spreadsheet would run as formulas (default true). */
  escapeFormulas?: boolean;
  /** Users: a `groups` column / attribute with memberships (default true when Groups exist). */
  includeGroups?: boolean;
  /** GET every resource after listing it, for servers whose lists omit attributes. */
  fullFidelity?: boolean;
  /** Re-read the list when the server changed during the export (default 'auto'). */
  verify?: 'auto' | 'always' | 'never';
  /** Pages (or GETs) in flight; default the connection's concurrency limit. */
  concurrency?: number;
  pageSize?: number;
  /** Index or cursor paging; `auto` (default) prefers concurrent index paging when it works. */
  paging?: ExportPagingChoice;
  /** CSV exports: also keep the JSON Lines snapshot here. */
  snapshotFile?: string;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
};

export type ExportPhase = 'groups' | 'listing' | 'writing';

export type ExportProgress = {
  phase: ExportPhase;
  /** Resources read from the server so far (listing) or rows written (writing). */
  exported: number;
  /** Expected total, when the server says. */
  total?: number;
  pages: number;
};

export type ExportSummary = {
  endpoint: string;
  resourceType: string;
  format: ExportFormat;
  outFile: string;
  snapshotFile?: string;
  exported: number;
  pages: number;
  paging: 'index' | 'cursor';
  concurrentPages: number;
  duplicatesDropped: number;
  /** Items the server counted but the export did not see (after verification). */
  possiblyMissing: number;
  /** Whether the read was complete, and if not the real cause (scim/read-integrity.ts). */
  integrity?: ReadIntegrity;
  verification?: { ran: boolean; found: number };
  requests: number;
  retries: number;
  throttled: number;
  /** CSV: columns written, and values a CSV cell could not hold (use JSON Lines for those). */
  columns?: number;
  unrepresentable: number;
  groups?: { groups: number; memberships: number };
  bytes: number;
  durationMs: number;
  warnings: string[];
};

async function assertWritableFolder(file: string): Promise<void> {
  const folder = dirname(file);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AppError('config', `Cannot write ${file}: the folder ${folder} does not exist.`, {
      nextStep: 'Create the folder or choose another output file.',
    });
  }
}

/** Exports one resource type; resolves with the summary once the file is complete. */
export async function exportResources(
  conn: OpenConnection,
  opts: ExportOptions,
): Promise<ExportSummary> {
  const started = Date.now();
  const { client } = conn;
  const target = resolveTarget(client, opts.resourceType);
  await assertWritableFolder(opts.outFile);
  if (opts.snapshotFile) await assertWritableFolder(opts.snapshotFile);
  const { query, localFilter, warnings } = buildExportQuery(client, {
    ...(opts.attributes ? { attributes: opts.attributes } : {}),
    ...(opts.filter !== undefined ? { filter: opts.filter } : {}),
    ...(opts.sortBy !== undefined ? { sortBy: opts.sortBy } : {}),
    ...(opts.sortOrder ? { sortOrder: opts.sortOrder } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const report = opts.onProgress ?? (() => undefined);
  const groupIndex = await loadGroupIndex(conn, target, opts, report);
  const { listed, stream } = listResources(conn, target, query, localFilter, opts, report);

  const sink =
    opts.format === 'csv'
      ? startCsv(conn, target, opts, report)
      : jsonLinesSink(createLineFileWriter(opts.outFile));
  let exported: number;
  let outcome: ExportWritten;
  try {
    exported = await spoolResources(stream, (r) => sink.add(r), groupIndex, opts.signal);
    outcome = await sink.finish();
  } catch (e) {
    await sink.abort();
    throw e;
  }
  if (outcome.unrepresentable > 0) {
    warnings.push(
      `${outcome.unrepresentable} values have no CSV column (e.g. a second work email); export as JSON Lines to keep every value.`,
    );
  }
  warnings.push(...integrityWarnings(listed.stats));
  return summarise(conn, target, opts, listed.stats, {
    exported,
    ...outcome,
    ...(groupIndex ? { groupIndex } : {}),
    durationMs: Date.now() - started,
    warnings,
  });
}

/** What an export wrote: its CSV columns (if any), the values no cell could hold, its bytes. */
type ExportWritten = { columns?: number; unrepresentable: number; bytes: number };

/** Where the records go: the CSV export (csv-export.ts), or a JSON Lines file as they come. */
type ExportSink = {
  add(record: ScimResource): Promise<void>;
  finish(): Promise<ExportWritten>;
  abort(): Promise<void>;
};

/** JSON Lines: each snapshot record as one line, the file moved into place once complete. */
function jsonLinesSink(file: LineFileWriter): ExportSink {
  return {
    add: (record) => file.write(JSON.stringify(record) + '\n'),
    finish: async () => {
      await file.commit();
      return { unrepresentable: 0, bytes: file.bytes() };
    },
    abort: () => file.abort(),
  };
}

/** The CSV side of the export: columns learnt while listing, rows rendered after it. */
function startCsv(
  conn: OpenConnection,
  target: ExportTarget,
  opts: ExportOptions,
  report: (p: ExportProgress) => void,
): ExportSink {
  const collector = createColumnCollector({
    resourceKind: target.kind,
    schemas: conn.discovery.schemas,
    ...(opts.attributes?.length ? { include: opts.attributes } : {}),
  });
  let listed = 0;
  const csv = createCsvExport({
    outFile: opts.outFile,
    collector,
    ...(opts.excel !== undefined ? { excel: opts.excel } : {}),
    ...(opts.escapeFormulas !== undefined ? { escapeFormulas: opts.escapeFormulas } : {}),
    ...(opts.snapshotFile ? { snapshotFile: opts.snapshotFile } : {}),
    onRows: (written) => {
      report({ phase: 'writing', exported: written, total: listed, pages: 0 });
    },
  });
  return {
    add: (record) => {
      listed += 1;
      return csv.add(record);
    },
    finish: () => csv.finish(),
    abort: () => csv.abort(),
  };
}

/** Memberships for users, from one pass over Groups (users' own `groups` is often omitted). */
async function loadGroupIndex(
  conn: OpenConnection,
  target: ExportTarget,
  opts: ExportOptions,
  report: (p: ExportProgress) => void,
): Promise<GroupIndex | undefined> {
  const groupsTarget = conn.client.resourceType('Group');
  const wantsGroups =
    target.kind.toLowerCase() === 'user' &&
    opts.includeGroups !== false &&
    groupsTarget !== undefined &&
    (!opts.attributes?.length || opts.attributes.includes('groups'));
  if (!wantsGroups) return undefined;
  report({ phase: 'groups', exported: 0, pages: 0 });
  return buildGroupIndex(conn.client, {
    endpoint: groupsTarget.endpoint,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** The listed resources (fast list, then the local filter and full-fidelity GETs if asked). */
function listResources(
  conn: OpenConnection,
  target: ExportTarget,
  query: ListQuery,
  localFilter: string | undefined,
  opts: ExportOptions,
  report: (p: ExportProgress) => void,
): { listed: FastList; stream: AsyncIterable<Batch> } {
  const { client, http, discovery } = conn;
  // Pages in flight; the transport still caps actual requests at the connection's (adaptive) limit.
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_EXPORT_CONCURRENCY);
  const fetcher = createPageFetcher(http, target.endpoint, query, (r) => client.normalise(r));
  const listed = fastList(fetcher, {
    mode: chooseExportPaging(discovery, opts.paging),
    pageSize: opts.pageSize ?? discovery.effective.pageSize,
    concurrency,
    verify: opts.verify ?? 'auto',
    ...(opts.signal ? { signal: opts.signal } : {}),
    onPage: (p) => {
      report({
        phase: 'listing',
        exported: p.items,
        pages: p.pages,
        ...(p.totalResults !== undefined ? { total: p.totalResults } : {}),
      });
    },
  });
  let stream: AsyncIterable<Batch> = listed.pages();
  if (localFilter !== undefined) {
    const matches = compileFilter(parseFilter(localFilter));
    stream = filterBatches(stream, (r) => matches(r));
  }
  if (opts.fullFidelity) {
    const read = mapOrdered(oneByOne(stream), concurrency, async (r) =>
      r.id ? client.get(target.endpoint, r.id, opts.signal ? { signal: opts.signal } : {}) : r,
    );
    stream = singles(read);
  }
  return { listed, stream };
}

/** Hands each resource, as its snapshot record (with its memberships), to `write`; returns how many. */
async function spoolResources(
  stream: AsyncIterable<Batch>,
  write: (record: ScimResource) => Promise<void>,
  groupIndex: GroupIndex | undefined,
  signal: AbortSignal | undefined,
): Promise<number> {
  let exported = 0;
  for await (const batch of stream) {
    for (const resource of batch) {
      if (signal?.aborted) throwIfAborted(signal);
      let groups: GroupRef[] | undefined;
      if (groupIndex && resource.id) groups = groupIndex.groupsOf(resource.id);
      await write(toSnapshotRecord(resource, groups));
      exported += 1;
    }
  }
  return exported;
}

/** What the export itself produced, besides the list's and the transport's figures. */
type ExportOutcome = {
  exported: number;
  unrepresentable: number;
  columns?: number;
  groupIndex?: GroupIndex;
  bytes: number;
  durationMs: number;
  warnings: string[];
};

function summarise(
  conn: OpenConnection,
  target: ExportTarget,
  opts: ExportOptions,
  s: FastListStats,
  o: ExportOutcome,
): ExportSummary {
  const t = conn.http.stats();
  const csv = opts.format === 'csv';
  return {
    endpoint: target.endpoint,
    resourceType: target.kind,
    format: opts.format,
    outFile: opts.outFile,
    ...(csv && opts.snapshotFile ? { snapshotFile: opts.snapshotFile } : {}),
    exported: o.exported,
    pages: s.pages,
    paging: s.mode,
    concurrentPages: s.concurrentPages,
    duplicatesDropped: s.duplicatesDropped,
    possiblyMissing: s.possiblyMissing,
    ...(s.integrity ? { integrity: s.integrity } : {}),
    ...(s.verification ? { verification: s.verification } : {}),
    requests: t.requests,
    retries: t.retries,
    throttled: t.throttled,
    ...(o.columns !== undefined ? { columns: o.columns } : {}),
    unrepresentable: o.unrepresentable,
    ...(o.groupIndex
      ? { groups: { groups: o.groupIndex.groups, memberships: o.groupIndex.memberships } }
      : {}),
    bytes: o.bytes,
    durationMs: o.durationMs,
    warnings: o.warnings,
  };
}

/** The export's warnings about the read itself: what may be missing and why. */
function integrityWarnings(s: FastListStats): string[] {
  const v = s.integrity;
  if (v && !v.complete) {
    const again =
      v.cause === 'changed'
        ? 'Run the export again (or with --verify always) for a complete copy.'
        : 'The file is not a complete copy of the server.';
    return [`${v.sentence} ${again}`];
  }
  if (s.possiblyMissing > 0) {
    return [
      `${s.possiblyMissing} resources may be missing: the server changed during the export. Run the export again (or with --verify always) for a complete copy.`,
    ];
  }
  const over = v ? understatedWarning(v) : undefined;
  return over ? [over] : [];
}

async function* filterBatches(
  source: AsyncIterable<Batch>,
  keep: (r: ScimResource) => boolean,
): AsyncGenerator<Batch> {
  for await (const batch of source) {
    const kept = batch.filter(keep);
    if (kept.length > 0) yield kept;
  }
}

async function* oneByOne(source: AsyncIterable<Batch>): AsyncGenerator<ScimResource> {
  for await (const batch of source) yield* batch;
}

async function* singles(source: AsyncIterable<ScimResource>): AsyncGenerator<Batch> {
  for await (const r of source) yield [r];
}
