/**
 * Import planning: reads a CSV, maps and validates every row, matches it against the server (a
 * fresh snapshot of a live connection, per-row look-ups, or a snapshot file for an offline
 * what-if), and writes the plan — what would happen to each person, attribute by attribute —
 * without writing anything to the server. A short pipeline over one module per stage:
 *
 *   plan-input (CSV, mapping, targets) ─► plan-keys ─► row-guards
 *     ─► read-server-state ─► snapshot-index
 *     ─► plan-rows (prepare: map and guard ─► match ─► decide-row ─► settle) ─► plan.jsonl rows
 *     ─► row-guards: no unlisted sweep when rows were left out
 *     ─► manager cycles found? plan the rows again with the cycle rows held back (planPass)
 *     ─► unlisted-sweep (orphan report; protected, deactivate, delete rows of unlisted accounts)
 *     ─► plan-summary-file (totals, protect list, safeguards) ─► summary and integrity lines
 */
import type { CsvDiagnostics, PlanRow } from '../../shared/import/types';
import { assertSameKey } from '../scim/read-verify';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  type PlanFileSummary,
  type PlanHeader,
} from '../../shared/plan/plan-format';
import { createPlanSummary, type PlanSummaryBuilder } from './summary';
import { normaliseForMatch } from './within-file-keys';
import type { ScimResource } from '../../shared/scim/types';
import { mapOrdered } from '../streams/ordered-map';
import { readOptionsOf } from '../csv/read-csv';
import type { DecideContext } from './decide-row';
import { createManagerRefs, type ManagerRefs } from './manager-refs';
import { createOrphanReport, type OrphanReport } from './orphan-report';
import { createPlanWriter, type PlanWriter } from './plan-file';
import {
  csvOptions,
  openPlanInput,
  type PlanInput,
  type PlanOptions,
  type PlanProgress,
} from './plan-input';
import { bindPlanKeys, type PlanKeys } from './plan-keys';
import { createRowStages, type RowStages } from './plan-rows';
import { summarizePlan } from './plan-summary-file';
import { readServerState, type ServerState } from './read-server-state';
import { createRowGuards, cycleRows, type RowGuards } from './row-guards';
import { AppError } from '../../shared/errors/errors';
import { indexSnapshot, type SnapshotIndex } from './snapshot-index';
import { compileScope, createProtectedList, type ProtectedList } from './sweep-scope';
import { sweepUnlisted } from './unlisted-sweep';

export type PlanResult = { file: string; summary: PlanFileSummary; diagnostics: CsvDiagnostics };

/** What the stages after the snapshot share. */
type Run = {
  opts: PlanOptions;
  input: PlanInput;
  state: ServerState;
  index: SnapshotIndex;
  ctx: DecideContext;
  protectedList: ProtectedList;
  managers: ManagerRefs;
  stages: RowStages;
  guards: RowGuards;
  builder: PlanSummaryBuilder;
  writer: PlanWriter;
  report: (p: PlanProgress) => void;
  verify: (resource: ScimResource) => Promise<ScimResource | undefined>;
  seq: number;
};

function planHeader(opts: PlanOptions, input: PlanInput, ctx: DecideContext): PlanHeader {
  const source = opts.source;
  return {
    kind: PLAN_FORMAT,
    version: PLAN_VERSION,
    createdAt: new Date().toISOString(),
    resourceType: input.rt.name,
    endpoint: input.rt.endpoint,
    mode: input.mode,
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
      encoding: input.csv.info.encoding,
      delimiter: input.csv.info.delimiter,
      ...readOptionsOf(csvOptions(opts, false)),
    },
    mapping: {
      ...(opts.mappingFile ? { file: opts.mappingFile } : {}),
      resourceType: input.rt.name,
    },
    patch: ctx.patch,
    etag: source.kind === 'server' ? source.conn.discovery.effective.etag : false,
  };
}

/** Re-reads a sweep candidate by id: it must still exist (undefined when it is gone). */
function verifier(opts: PlanOptions, endpoint: string): Run['verify'] {
  const source = opts.source;
  if (source.kind !== 'server') return (r) => Promise.resolve(r);
  return async (resource) => {
    if (!resource.id) return resource;
    const fresh = await source.conn.client.find(
      endpoint,
      resource.id,
      opts.signal ? { signal: opts.signal } : {},
    );
    return fresh && assertSameKey(endpoint, resource, fresh);
  };
}

function decideContext(
  opts: PlanOptions,
  input: PlanInput,
  keys: PlanKeys,
  groups: ServerState['groups'] & object,
  protectedList: ProtectedList,
  managers: ManagerRefs,
): DecideContext {
  const { compiled } = input;
  return {
    mode: input.mode,
    targets: compiled.targets,
    schemas: input.schemas,
    resourceType: input.rt,
    patch: opts.source.kind === 'server' ? opts.source.conn.discovery.effective.patch : true,
    groupsMode: compiled.groups?.mode,
    groups,
    file: opts.csvFile,
    keyTargets: keys.matchKeys.map((k) => k.targetIndex),
    sourceColumns: compiled.sources,
    protects: (r) => protectedList.protects(r),
    ...(keys.manager && keys.manager.targetIndex >= 0
      ? { manager: { targetIndex: keys.manager.targetIndex, resolve: (v) => managers.resolve(v) } }
      : {}),
  };
}

/** The CSV rows: prepared in file order, planned concurrently, written in order. */
async function planCsvRows(run: Run): Promise<void> {
  let rows = 0;
  const { stages, input } = run;
  async function* prepared() {
    for await (const csvRow of input.csv.rows()) {
      rows += 1;
      yield stages.prepare(csvRow, run.seq++);
      if (rows % 5000 === 0) run.report({ phase: 'rows', done: rows });
    }
  }
  const concurrency = Math.max(1, run.opts.concurrency ?? 8);
  for await (const row of mapOrdered(prepared(), concurrency, (p) => stages.plan(p))) {
    stages.settle(row);
    await write(run, row);
  }
  run.report({ phase: 'rows', done: rows });
  run.guards.assertCompleteList(input.mode, input.csv.diagnostics());
}

async function write(run: Run, row: PlanRow): Promise<void> {
  run.builder.add(row);
  await run.writer.row(row);
}

/** Accounts not in the CSV: the orphan report and the unlisted sweep; returns those in scope. */
async function planUnlisted(run: Run, orphans: OrphanReport): Promise<number> {
  const { opts, input, index } = run;
  if (run.state.partial && opts.source.kind === 'server') {
    // Not read in full: no orphan report; the population is the server's count.
    const probe = opts.source.conn.client.list(input.rt.endpoint, { pageSize: 1, maxItems: 1 });
    await probe[Symbol.asyncIterator]().next();
    return probe.stats.totalResultsFirst ?? index.count;
  }
  const population = { inScope: 0 };
  const swept = sweepUnlisted(
    {
      mode: input.mode,
      index,
      matched: run.stages.matched,
      scope: compileScope(opts.scope),
      scoped: opts.scope !== undefined && opts.scope.trim() !== '',
      protectedList: run.protectedList,
      orphans,
      verify: run.verify,
      patch: run.ctx.patch,
      schemas: input.schemas,
      file: opts.csvFile,
      concurrency: Math.max(1, opts.concurrency ?? 8),
      onProgress: (done, total) => {
        run.report({ phase: 'sweep', done, total });
      },
    },
    population,
  );
  for await (const planned of swept) await write(run, { ...planned, seq: run.seq++ });
  return population.inScope;
}

async function finishPlan(run: Run, started: number): Promise<PlanResult> {
  const { opts, input, state, index } = run;
  const orphans = createOrphanReport(
    opts.outFile.replace(/(\.jsonl)?$/i, '.orphans.csv'),
    input.schemas,
  );
  let inScope: number;
  try {
    inScope = await planUnlisted(run, orphans);
  } finally {
    await orphans.close();
  }
  const { missing, cycles } = run.managers.finish();
  const diagnostics = input.csv.diagnostics();
  const summary = summarizePlan({
    mode: input.mode,
    resourceType: input.rt.name,
    builder: run.builder,
    csvFile: opts.csvFile,
    diagnostics,
    server: {
      source: opts.source.kind,
      accounts: index.count,
      inScope,
      snapshot: state.snapshotFile,
    },
    partial: state.partial,
    orphans,
    managers: { unresolved: run.managers.unresolved(), missing, cycles: cycles.slice(0, 20) },
    protectedList: run.protectedList,
    ...(opts.safeguards ? { safeguards: opts.safeguards } : {}),
    warnings: [...input.warnings, ...state.warnings],
    durationMs: Date.now() - started,
  });
  await run.writer.finish(summary);
  return { file: opts.outFile, summary, diagnostics };
}

/** What one planning pass over the CSV needs, apart from its input and guards. */
type PassDeps = {
  opts: PlanOptions;
  keys: PlanKeys;
  state: ServerState;
  index: SnapshotIndex;
  report: (p: PlanProgress) => void;
};

/** The row guards of a plan (row-guards.ts), with the manager cycles when they are known. */
function openRowGuards(
  opts: PlanOptions,
  input: PlanInput,
  cycles?: readonly (readonly number[])[],
): RowGuards {
  return createRowGuards({
    file: opts.csvFile,
    compiled: input.compiled,
    headers: input.csv.info.headers,
    ...(opts.accept ? { accept: opts.accept } : {}),
    ...(cycles ? { cycles: cycleRows(cycles) } : {}),
  });
}

/** Sets up one pass over the CSV rows: the decide context, the stages and the plan writer. */
async function openRun(deps: PassDeps, input: PlanInput, guards: RowGuards): Promise<Run> {
  const { opts, keys, state, index, report } = deps;
  const protectedList = createProtectedList(opts.protect ?? []);
  const managers = createManagerRefs({
    file: opts.csvFile,
    index,
    keyIndex: keys.manager?.keyIndex ?? -1,
    caseExact: keys.indexKeys[keys.manager?.keyIndex ?? -1]?.parts[0]?.caseExact ?? false,
  });
  const groups = state.groups ?? index.groups;
  const ctx = decideContext(opts, input, keys, groups, protectedList, managers);
  const verify = verifier(opts, input.rt.endpoint);
  const writer = await createPlanWriter(opts.outFile, planHeader(opts, input, ctx));
  const stages = createRowStages({ input, keys, index, ctx, managers, guards, verify });
  const builder = createPlanSummary();
  return {
    opts,
    input,
    state,
    index,
    ctx,
    protectedList,
    managers,
    stages,
    guards,
    builder,
    writer,
    report,
    verify,
    seq: 0,
  };
}

/**
 * Plans the CSV rows once. Manager cycles are found while the rows are planned (each row notes
 * its own key and its manager's); when there are any and they are not accepted, the pass is
 * dropped and the caller plans again with the cycle rows held back — a second read of the file
 * only for a file that has a loop, instead of a cycle pass over every file.
 */
async function planPass(
  deps: PassDeps,
  input: PlanInput,
  guards: RowGuards,
  cyclesKnown: boolean,
): Promise<{ run: Run } | { cycles: number[][] }> {
  const run = await openRun(deps, input, guards);
  try {
    await planCsvRows(run);
    const recheck = !cyclesKnown && !deps.opts.accept?.managerCycles && deps.keys.manager;
    const cycles = recheck ? run.managers.cycles() : [];
    if (cycles.length > 0) {
      await run.writer.abort();
      return { cycles };
    }
    return { run };
  } catch (e) {
    await run.writer.abort();
    throw e;
  }
}

/** Makes a plan. Nothing is written to the server. */
export async function buildPlan(opts: PlanOptions): Promise<PlanResult> {
  const started = Date.now();
  const report = opts.onProgress ?? (() => undefined);
  let input = await openPlanInput(opts);
  const keys = bindPlanKeys(input.compiled, input.schemas);
  let guards = openRowGuards(opts, input);
  const state = await readServerState(opts, input, keys, guards, report);
  report({ phase: 'index', done: 0 });
  const index = await indexSnapshot(state.snapshotFile, keys.indexKeys, normaliseForMatch, {
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (done) => {
      report({ phase: 'index', done });
    },
  });
  try {
    if (!state.groups && input.compiled.groups) {
      state.warnings.push(
        'Offline what-if: groups are known only from the memberships in the snapshot, so a group with no members shows as "will be created".',
      );
    }
    const deps: PassDeps = { opts, keys, state, index, report };
    let pass = await planPass(deps, input, guards, false);
    if ('cycles' in pass) {
      input = await openPlanInput(opts);
      guards = openRowGuards(opts, input, pass.cycles);
      pass = await planPass(deps, input, guards, true);
    }
    if (!('run' in pass)) throw new AppError('internal', 'Manager cycles changed between passes.');
    try {
      return await finishPlan(pass.run, started);
    } catch (e) {
      await pass.run.writer.abort();
      throw e;
    }
  } finally {
    index.close();
  }
}
