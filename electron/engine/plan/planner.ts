/**
 * Import planning: reads a CSV, maps and validates every row, matches it against the server (a
 * fresh snapshot of a live connection, or a snapshot file for an offline what-if), and writes the
 * plan — what would change, attribute by attribute — without writing anything to the server.
 *
 *   CSV ─► mapping ─► validation ─► match (key precedence) ─► row plan ─► plan.jsonl
 *                                         └─► sweeps and the orphan report from the snapshot
 */
import { dirname } from 'node:path';
import { stat } from 'node:fs/promises';
import { withBuiltinSchemas, parseColumnHeader } from '../../../shared/export/columns';
import type {
  CsvDiagnostics,
  DesiredCell,
  InputProblem,
  MappedRow,
  PlanRow,
} from '../../../shared/import/types';
import { compileMapping } from '../../../shared/mapping/compile';
import type { MappingSpec } from '../../../shared/mapping/spec';
import { checkTargetsWritable, validateDesired } from '../../../shared/plan/validate-row';
import { createKeyTracker, normaliseForMatch } from '../../../shared/plan/within-file-keys';
import { createPlanSummary, type PlanSummary } from '../../../shared/plan/summary';
import { AppError } from '../../../shared/errors/errors';
import type { ScimResource, ScimSchema } from '../../../shared/scim/types';
import { URN } from '../../../shared/scim/urns';
import type { OpenConnection } from '../connections/open-connection';
import { mapOrdered } from '../export/ordered-map';
import { openCsv, readOptionsOf, type CsvReadOptions } from '../import/csv/read-csv';
import { bindKeys, caseExactOf, matchRow, type BoundKey } from './match-keys';
import { createPlanWriter, type PlanHeader, type PlanMode } from './plan-file';
import { deactivation, displayOf, planUpsert, type RowPlanContext } from './row-plan';
import {
  checkSafeguards,
  DEFAULT_SAFEGUARDS,
  type SafeguardSettings,
  type SafeguardStatus,
} from './safeguards';
import { takeGroupDirectory, takeServerSnapshot, type GroupDirectory } from './server-state';
import { keysSupportLookups, lookUpRows } from './row-lookups';
import { indexSnapshot, type SnapshotIndex } from './snapshot-index';
import { compileScope, createProtectedList } from './sweep-scope';
import { createManagerRefs } from './manager-refs';
import { createRowGuards, type PlanAcceptance } from './row-guards';
import { createOrphanReport, type OrphanLine } from './orphan-report';
import { sweepUnlisted } from './unlisted-sweep';

export type PlanSource =
  | { kind: 'server'; conn: OpenConnection; workDir: string; connectionName?: string }
  | { kind: 'snapshot'; file: string };

export type PlanOptions = {
  csvFile: string;
  mapping: MappingSpec;
  mappingFile?: string;
  mode?: PlanMode;
  /** Sweeps of unlisted accounts only touch accounts this filter selects. */
  scope?: string;
  /** Never touched: ids, userNames, externalIds or emails. */
  protect?: readonly string[];
  outFile: string;
  source: PlanSource;
  safeguards?: SafeguardSettings;
  csv?: CsvReadOptions;
  /** What the admin accepts explicitly; rows with Excel damage or in a manager cycle are held back otherwise. */
  accept?: PlanAcceptance;
  /**
   * How the server is read: `snapshot` (default) exports every account once — needed for the
   * orphan report and unlisted sweeps; `per-row` queries each row's keys with `eq` filters, for a
   * small CSV against a large server (no orphan report).
   */
  lookup?: 'snapshot' | 'per-row';
  /** Direct GETs in flight when re-verifying sweep candidates (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: PlanProgress) => void;
};

export type PlanProgress = {
  phase: 'snapshot' | 'index' | 'rows' | 'sweep';
  done: number;
  total?: number;
};

/** What the plan file's last line holds, and what `scim-porter plan --json` prints. */
export type PlanFileSummary = PlanSummary & {
  mode: PlanMode;
  resourceType: string;
  csv: {
    file: string;
    rows: number;
    damagedRows: number;
    encoding: string;
    delimiter: string;
    problems: InputProblem[];
    problemsOmitted: number;
  };
  server: { source: 'server' | 'snapshot'; accounts: number; inScope: number; snapshot: string };
  orphans: { count: number; file: string; sample: OrphanLine[] };
  safeguards: SafeguardStatus;
  /** Cycles as CSV row numbers (row 3 reports to row 9, who reports to row 3). */
  managers: { unresolved: number; missing: InputProblem[]; cycles: number[][] };
  warnings: string[];
  durationMs: number;
};

export type PlanResult = { file: string; summary: PlanFileSummary; diagnostics: CsvDiagnostics };

const MANAGER_PATH: Record<string, string> = {
  employeeNumber: `${URN.enterpriseUser}:employeeNumber`,
  userName: 'userName',
  externalId: 'externalId',
  email: 'emails[type eq "work"].value',
};

function resourceTypeInfo(
  source: PlanSource,
  kind: string,
): {
  endpoint: string;
  name: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
} {
  if (source.kind === 'server') {
    const info = source.conn.client.resourceType(kind);
    if (!info) {
      throw new AppError('config', `The server has no ${kind} resource type.`, {
        nextStep: 'Choose a mapping for a resource type the server offers.',
      });
    }
    return info;
  }
  return kind === 'Group'
    ? { endpoint: '/Groups', name: 'Group', schema: URN.group, schemaExtensions: [] }
    : {
        endpoint: '/Users',
        name: 'User',
        schema: URN.user,
        schemaExtensions: [{ schema: URN.enterpriseUser, required: false }],
      };
}

async function assertFolder(file: string): Promise<void> {
  const folder = dirname(file);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AppError('config', `Cannot write ${file}: the folder ${folder} does not exist.`, {
      nextStep: 'Create the folder or choose another output file.',
    });
  }
}

function problem(
  loc: { file: string; line: number; row: number },
  code: string,
  severity: 'error' | 'warning',
  message: string,
  nextStep: string,
  extra: { column?: string; value?: string } = {},
): InputProblem {
  return { ...loc, ...extra, code, severity, message, nextStep };
}

/** Makes a plan. Nothing is written to the server. */
export async function buildPlan(opts: PlanOptions): Promise<PlanResult> {
  const started = Date.now();
  const mode: PlanMode = opts.mode ?? 'upsert';
  const warnings: string[] = [];
  const report = opts.onProgress ?? (() => undefined);
  await assertFolder(opts.outFile);

  const csvOptions: CsvReadOptions = {
    ...readOptionsOf(opts.mapping),
    ...opts.csv,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const csv = await openCsv(opts.csvFile, csvOptions);
  const source = opts.source;
  const schemas: readonly ScimSchema[] = withBuiltinSchemas(
    source.kind === 'server' ? source.conn.discovery.schemas : [],
  );
  const compiled = compileMapping(opts.mapping, csv.info.headers, {
    schemas,
    ...(opts.mappingFile ? { file: opts.mappingFile } : {}),
    csvFile: opts.csvFile,
  });
  const rt = resourceTypeInfo(source, compiled.resourceType);
  const targets = compiled.targets;
  const targetProblems = checkTargetsWritable(targets, schemas);
  const fatal = targetProblems.filter((p) => p.severity === 'error');
  if (fatal.length) {
    throw new AppError('config', fatal.map((p) => p.message).join(' '), {
      nextStep: fatal[0]?.nextStep ?? 'Change the mapping.',
    });
  }
  for (const p of targetProblems) warnings.push(p.message);

  // Keys: the match precedence, then the manager lookup.
  const matchKeys: BoundKey[] = bindKeys(compiled.matchKeys, targets, schemas);
  const managerBy = opts.mapping.manager?.by;
  const managerTargetIndex = compiled.manager?.target ?? -1;
  const managerKeyPath = managerBy ? MANAGER_PATH[managerBy] : undefined;
  const indexKeys = matchKeys.map(({ name, parts }) => ({ name, parts }));
  let managerKeyIndex = -1;
  if (managerKeyPath) {
    const column = parseColumnHeader(managerKeyPath, { schemas });
    // Reuse a match key on the same attribute (employeeNumber is usually both).
    managerKeyIndex = indexKeys.findIndex(
      (k) => k.parts.length === 1 && k.parts[0]?.column.header === column.header,
    );
  }
  const guards = await createRowGuards({
    file: opts.csvFile,
    compiled,
    headers: csv.info.headers,
    ...(opts.accept ? { accept: opts.accept } : {}),
    ...(managerKeyPath ? { managerKeyHeader: managerKeyPath } : {}),
    reread: () => openCsv(opts.csvFile, csvOptions),
  });
  if (managerKeyPath && managerKeyIndex < 0) {
    const column = parseColumnHeader(managerKeyPath, { schemas });
    managerKeyIndex = indexKeys.length;
    indexKeys.push({
      name: managerKeyPath,
      parts: [{ column, caseExact: caseExactOf(column, schemas) }],
    });
  }
  // Server state.
  let snapshotFile: string;
  let groups: GroupDirectory;
  const perRow = opts.lookup === 'per-row';
  if (perRow) {
    if (source.kind !== 'server') {
      throw new AppError('config', 'Per-row look-ups need a connection, not a snapshot file.');
    }
    if (mode.endsWith('-unlisted')) {
      throw new AppError('config', 'A sweep of unlisted accounts needs the whole server read.', {
        nextStep: 'Use the default snapshot look-up for this mode.',
      });
    }
    if (source.conn.discovery.probes.filterEq.observed !== 'yes') {
      throw new AppError(
        'config',
        'Per-row look-ups need a server whose "eq" filter was seen working; this one was not.',
        { nextStep: 'Use the default snapshot look-up: the server is read once in full.' },
      );
    }
    if (!keysSupportLookups(matchKeys)) {
      throw new AppError('config', 'A match key cannot be looked up with a SCIM filter.', {
        nextStep: 'Use the default snapshot look-up.',
      });
    }
  }
  if (source.kind === 'server' && perRow) {
    report({ phase: 'snapshot', done: 0 });
    const lookupRows = await openCsv(opts.csvFile, csvOptions);
    const lookupKeys = [...matchKeys];
    const managerColumnKey = managerKeyPath !== undefined ? managerKeyIndex : -1;
    async function* desired(): AsyncGenerator<readonly DesiredCell[]> {
      for await (const row of lookupRows.rows()) {
        const mapped = guards.check(row, compiled.mapRow(row));
        yield mapped.cells;
        // The manager, by its key, as a one-key row.
        if (mapped.manager && managerColumnKey >= matchKeys.length) {
          yield [mapped.manager.value];
        }
      }
    }
    if (managerKeyPath !== undefined && managerKeyIndex >= matchKeys.length) {
      const part = indexKeys[managerKeyIndex]?.parts[0];
      if (part) lookupKeys.push({ name: managerKeyPath, parts: [part], targetIndex: [0] });
    }
    const found = await lookUpRows(source.conn, rt.endpoint, desired(), lookupKeys, {
      workDir: source.workDir,
      concurrency: Math.max(1, opts.concurrency ?? 8),
      memberships: compiled.groups !== undefined,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    snapshotFile = found.file;
    const directory = await takeGroupDirectory(source.conn, opts.signal);
    groups = directory;
    warnings.push(
      `Per-row look-ups: ${found.lookups} filtered queries found ${found.found} accounts. The server was not read in full, so there is no report of accounts missing from the file.`,
    );
  } else if (source.kind === 'server') {
    report({ phase: 'snapshot', done: 0 });
    const snap = await takeServerSnapshot(source.conn, rt.name, source.workDir, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done, total) => {
        report({ phase: 'snapshot', done, ...(total !== undefined ? { total } : {}) });
      },
    });
    snapshotFile = snap.file;
    groups = snap.groups;
    if (snap.export.possiblyMissing > 0) {
      const msg = `The server changed while it was read: ${snap.export.possiblyMissing} accounts may be missing from the comparison.`;
      if (mode.endsWith('-unlisted')) {
        throw new AppError('config', `${msg} A sweep of unlisted accounts needs a complete read.`, {
          nextStep: 'Plan again when the server is quiet.',
        });
      }
      warnings.push(
        `${msg} Rows that match them would be planned as creates; the apply step reconciles such duplicates.`,
      );
    }
  } else {
    snapshotFile = source.file;
    groups = new Map();
  }

  report({ phase: 'index', done: 0 });
  const index: SnapshotIndex = await indexSnapshot(snapshotFile, indexKeys, normaliseForMatch, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (done) => {
      report({ phase: 'index', done });
    },
  });
  if (source.kind === 'snapshot') {
    groups = index.groups;
    if (compiled.groups) {
      warnings.push(
        'Offline what-if: groups are known only from the memberships in the snapshot, so a group with no members shows as "will be created".',
      );
    }
  }

  const ctx: RowPlanContext = {
    mode,
    targets,
    schemas,
    resourceType: rt,
    patch: source.kind === 'server' ? source.conn.discovery.effective.patch : true,
    groupsMode: compiled.groups?.mode,
    groups,
  };
  const header: PlanHeader = {
    kind: 'scim-porter-plan',
    version: 1,
    createdAt: new Date().toISOString(),
    resourceType: rt.name,
    endpoint: rt.endpoint,
    mode,
    source:
      source.kind === 'server'
        ? {
            kind: 'server',
            baseUrl: source.conn.discovery.baseUrl,
            ...(source.connectionName ? { connection: source.connectionName } : {}),
          }
        : { kind: 'snapshot', file: source.file },
    csv: {
      file: opts.csvFile,
      encoding: csv.info.encoding,
      delimiter: csv.info.delimiter,
      ...readOptionsOf(csvOptions),
    },
    mapping: {
      ...(opts.mappingFile ? { file: opts.mappingFile } : {}),
      resourceType: rt.name,
    },
    patch: ctx.patch,
    etag: source.kind === 'server' ? source.conn.discovery.effective.etag : false,
  };
  const writer = await createPlanWriter(opts.outFile, header);
  const orphansFile = opts.outFile.replace(/(\.jsonl)?$/i, '.orphans.csv');
  const summary = createPlanSummary();
  const matched = new Uint8Array(index.count);
  const protectedList = createProtectedList(opts.protect ?? []);
  const scope = compileScope(opts.scope);
  const tracker = createKeyTracker(
    compiled.matchKeys.map((k) => [...k]),
    (path) => caseExactOf(parseColumnHeader(path, { schemas }), schemas),
  );
  const fileName = opts.csvFile;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const verifyOnline = source.kind === 'server';

  // Managers: by the key the CSV uses, resolved against the server, else within the CSV.
  const managers = createManagerRefs({
    file: fileName,
    index,
    keyIndex: managerKeyIndex,
    caseExact: indexKeys[managerKeyIndex]?.parts[0]?.caseExact ?? false,
  });
  const ownKeyTarget =
    managerKeyPath !== undefined
      ? targets.findIndex((t) => t.header.toLowerCase() === managerKeyPath.toLowerCase())
      : -1;

  /** Re-reads a sweep candidate by id: it must still exist (and still be in scope). */
  async function verify(resource: ScimResource): Promise<ScimResource | undefined> {
    if (!verifyOnline || !resource.id) return resource;
    try {
      return await source.conn.client.get(
        rt.endpoint,
        resource.id,
        opts.signal ? { signal: opts.signal } : {},
      );
    } catch (e) {
      if (e instanceof AppError && e.facts.status === 404) return undefined;
      throw e;
    }
  }

  type Prepared = { mapped: MappedRow; cells: DesiredCell[]; problems: InputProblem[] };

  function prepare(mapped: MappedRow): Prepared {
    const loc = { file: fileName, line: mapped.line, row: mapped.row };
    const problems = [...mapped.problems];
    const cells = [...mapped.cells];
    // Within-file duplicates of a match key.
    const values = new Map<string, string>();
    compiled.matchKeys.forEach((key) => {
      for (const path of key) {
        const i = targets.findIndex((t) => t.header.toLowerCase() === path.toLowerCase());
        const v = cells[i];
        if (typeof v === 'string' && v.trim() !== '') values.set(path, v);
      }
    });
    const earlier = tracker.track(mapped.row, values);
    if (earlier.length) {
      problems.push(
        problem(
          loc,
          'duplicate_key',
          'error',
          `${fileName}, row ${mapped.row}: the same match key as row ${earlier.join(', ')}; the row is skipped so one account is not changed twice.`,
          'Remove the duplicate row or correct its key, then plan again.',
        ),
      );
    }
    if (ownKeyTarget >= 0) {
      const own = cells[ownKeyTarget];
      if (typeof own === 'string' && own.trim() !== '') {
        managers.noteRow(mapped.row, own, mapped.manager?.value);
      }
    }
    return { mapped, cells, problems };
  }

  async function planRow(p: Prepared, seq: number): Promise<PlanRow> {
    const { mapped, cells, problems } = p;
    const loc = { file: fileName, line: mapped.line, row: mapped.row };
    const m = matchRow(cells, matchKeys, index, normaliseForMatch);
    if (m.kind === 'one') matched[m.ordinal] = 1;
    if (m.kind === 'many') for (const o of m.ordinals) matched[o] = 1;
    const sweep = mode !== 'upsert';
    const errors = () => problems.filter((x) => x.severity === 'error');
    const invalid = (display: string): PlanRow => ({
      seq,
      action: 'invalid',
      row: mapped.row,
      line: mapped.line,
      display,
      match: { reason: m.reason },
      problems,
    });
    const guess = (): string => {
      for (const k of matchKeys) {
        const v = k.targetIndex.map((i) => cells[i]).find((c) => typeof c === 'string' && c !== '');
        if (typeof v === 'string') return v;
      }
      return `row ${mapped.row}`;
    };
    if (m.kind === 'many') {
      if (errors().length === 0) {
        problems.push(
          problem(
            loc,
            'ambiguous_match',
            'error',
            `${fileName}, row ${mapped.row}: ${m.reason}`,
            'Make the key unique on the server, or add a key that tells the accounts apart (e.g. externalId).',
            { value: m.value },
          ),
        );
      }
      return {
        seq,
        action: errors().length > 1 ? 'invalid' : 'conflict',
        row: mapped.row,
        line: mapped.line,
        display: m.value,
        match: { key: m.key, value: m.value, reason: m.reason },
        candidates: m.ordinals.map((o) => index.read(o).id ?? `#${o}`),
        problems,
      };
    }
    const server = m.kind === 'one' ? index.read(m.ordinal) : undefined;
    const matchInfo = {
      ...(m.kind === 'one' ? { key: m.key, value: m.value } : {}),
      reason: m.reason,
    };
    // Protected accounts are never touched.
    const guard = server ? protectedList.protects(server) : undefined;
    if (server && guard !== undefined) {
      problems.push(
        problem(
          loc,
          'protected',
          'warning',
          `${displayOf(server)} is on the protected list ("${guard}"); it is left as it is.`,
          'Remove it from the protected list to change it.',
        ),
      );
      return {
        seq,
        action: 'unchanged',
        row: mapped.row,
        line: mapped.line,
        display: displayOf(server),
        match: matchInfo,
        ...(server.id ? { id: server.id } : {}),
        problems,
      };
    }

    if (sweep) {
      if (mode.endsWith('-unlisted')) {
        // Listed rows are the accounts to keep.
        return {
          seq,
          action: 'unchanged',
          row: mapped.row,
          line: mapped.line,
          display: server ? displayOf(server) : guess(),
          match: matchInfo,
          ...(server?.id ? { id: server.id } : {}),
          ...(problems.length ? { problems } : {}),
        };
      }
      if (!server) {
        problems.push(
          problem(
            loc,
            'not_found',
            'warning',
            `${fileName}, row ${mapped.row}: no account matches; there is nothing to ${mode === 'delete-listed' ? 'delete' : 'deactivate'}.`,
            'Check the key in this row.',
          ),
        );
        return { ...invalid(guess()), action: 'unchanged' };
      }
      if (errors().length) return invalid(displayOf(server));
      const fresh = await verify(server);
      if (!fresh) {
        problems.push(
          problem(
            loc,
            'gone',
            'warning',
            `${displayOf(server)} no longer exists on the server.`,
            'Nothing to do.',
          ),
        );
        return {
          seq,
          action: 'unchanged',
          row: mapped.row,
          line: mapped.line,
          display: displayOf(server),
          match: matchInfo,
          problems,
        };
      }
      const base = {
        seq,
        row: mapped.row,
        line: mapped.line,
        display: displayOf(fresh),
        match: matchInfo,
        ...(fresh.id ? { id: fresh.id } : {}),
        ...(fresh.meta?.version ? { version: fresh.meta.version } : {}),
        ...(problems.length ? { problems } : {}),
      };
      if (mode === 'delete-listed') return { ...base, action: 'delete' };
      const d = deactivation(fresh, ctx.patch);
      return d ? { ...base, action: 'deactivate', ...d } : { ...base, action: 'unchanged' };
    }

    // Upsert: validate against the schemas (create needs the required attributes).
    problems.push(
      ...validateDesired(targets, cells, {
        schemas,
        resourceType: rt,
        forCreate: !server,
        file: fileName,
        row: mapped.row,
        line: mapped.line,
        sourceColumns: compiled.sources,
      }),
    );
    if (errors().length) return invalid(server ? displayOf(server) : guess());
    let managerRef: PlanRow['managerRef'];
    if (mapped.manager && managerTargetIndex >= 0) {
      const found = managers.resolve(mapped.manager.value);
      if ('id' in found) {
        cells[managerTargetIndex] = found.id;
      } else {
        // Not on the server (yet): resolved when the run has created it, or reported missing.
        cells[managerTargetIndex] = undefined;
        managerRef = mapped.manager;
        managers.defer(mapped.row, mapped.line, mapped.manager.value);
        if (found.matches > 1) {
          problems.push(
            problem(
              loc,
              'manager_ambiguous',
              'warning',
              `${fileName}, row ${mapped.row}: the manager "${mapped.manager.value}" matches ${found.matches} accounts; the manager is left as it is.`,
              'Make the manager key unique.',
            ),
          );
        }
      }
    }
    return planUpsert(
      ctx,
      seq,
      mapped,
      cells,
      { ...(server ? { server } : {}), ...matchInfo },
      problems,
      managerRef,
    );
  }

  let seq = 0;
  let rows = 0;
  try {
    async function* prepared(): AsyncGenerator<{ p: Prepared; seq: number }> {
      for await (const csvRow of csv.rows()) {
        const mapped = guards.check(csvRow, compiled.mapRow(csvRow));
        rows += 1;
        yield { p: prepare(mapped), seq: seq++ };
        if (rows % 5000 === 0) report({ phase: 'rows', done: rows });
      }
    }
    for await (const row of mapOrdered(prepared(), concurrency, ({ p, seq: s }) => planRow(p, s))) {
      summary.add(row);
      await writer.row(row);
    }
    report({ phase: 'rows', done: rows });
    guards.assertCompleteList(mode, csv.diagnostics());

    // Accounts not in the CSV: the orphan report, and the sweep of unlisted accounts.
    const orphans = createOrphanReport(orphansFile, schemas);
    const population = { inScope: 0 };
    let inScope: number;
    if (perRow && source.kind === 'server') {
      // Not read in full: no orphan report; the population is the server's count.
      const probe = source.conn.client.list(rt.endpoint, { pageSize: 1, maxItems: 1 });
      await probe[Symbol.asyncIterator]().next();
      inScope = probe.stats.totalResultsFirst ?? index.count;
    } else {
      const swept = sweepUnlisted(
        {
          mode,
          index,
          matched,
          scope,
          scoped: opts.scope !== undefined && opts.scope.trim() !== '',
          protectedList,
          orphans,
          verify,
          patch: ctx.patch,
          concurrency,
          onProgress: (done, total) => {
            report({ phase: 'sweep', done, total });
          },
        },
        population,
      );
      for await (const planned of swept) {
        const row: PlanRow = { ...planned, seq: seq++ };
        summary.add(row);
        await writer.row(row);
      }
      inScope = population.inScope;
    }
    await orphans.close();

    // Managers that are neither on the server nor in the CSV, and cycles.
    const { missing, cycles } = managers.finish();

    const result = summary.result();
    const counts = result.counts as Record<string, number>;
    const safeguards = checkSafeguards(
      { deactivate: counts['deactivate'] ?? 0, delete: counts['delete'] ?? 0 },
      inScope,
      opts.safeguards ?? DEFAULT_SAFEGUARDS,
    );
    const diagnostics = csv.diagnostics();
    const fileSummary: PlanFileSummary = {
      ...result,
      mode,
      resourceType: rt.name,
      csv: {
        file: opts.csvFile,
        rows: diagnostics.rows,
        damagedRows: diagnostics.damagedRows,
        encoding: diagnostics.encoding,
        delimiter: diagnostics.delimiter,
        problems: diagnostics.problems.slice(0, 200),
        problemsOmitted:
          diagnostics.problemsOmitted + Math.max(0, diagnostics.problems.length - 200),
      },
      server: { source: source.kind, accounts: index.count, inScope, snapshot: snapshotFile },
      orphans: { count: orphans.count(), file: orphansFile, sample: orphans.sample() },
      safeguards,
      managers: { unresolved: managers.unresolved(), missing, cycles: cycles.slice(0, 20) },
      warnings,
      durationMs: Date.now() - started,
    };
    await writer.finish(fileSummary);
    return { file: opts.outFile, summary: fileSummary, diagnostics };
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    index.close();
  }
}
