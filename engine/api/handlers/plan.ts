import { basename, join } from 'node:path';
import { parseMappingSpec } from '../../../shared/mapping/spec';
import type { PlanProgress } from '../../plan/plan-input';
import { buildPlan } from '../../plan/planner';
import { readProtectedList } from '../../plan/sweep-scope';
import { validateFilter } from '../../scim/filter-parse';
import type { Handler } from '../types';

const PHASES: Record<PlanProgress['phase'], string> = {
  snapshot: 'Reading the server',
  index: 'Indexing the server’s accounts',
  rows: 'Planning rows',
  sweep: 'Checking accounts not in the file',
};

/** `plan:start`: builds a plan in the background (nothing is written to the server). */
export const startPlan: Handler<'plan:start'> = async (request, { engine }) => {
  // Everything the admin can get wrong is checked before the job starts, so it fails here.
  const mapping = parseMappingSpec(request.mapping, 'the mapping');
  if (request.scope !== undefined && request.scope.trim() !== '') validateFilter(request.scope);
  const csvFile = engine.files.check(request.csvPath, 'read');
  const protect = request.protectPath
    ? await readProtectedList(engine.files.check(request.protectPath, 'read'))
    : [];
  const profile = await engine.connections.find(request.connectionId);
  const label = `Plan: ${basename(request.csvPath)} → ${profile.name}`;
  const jobId = engine.jobs.start('plan', label, async (ctx) => {
    const conn = await engine.connections.open(profile.id);
    ctx.pacing(() => conn.http.pacing());
    try {
      const outFile = await engine.plans.newPlanFile();
      const result = await buildPlan({
        csvFile,
        mapping,
        mode: request.mode,
        ...(request.scope?.trim() ? { scope: request.scope.trim() } : {}),
        protect,
        lookup: request.lookup,
        outFile,
        ...(request.csv ? { csv: request.csv } : {}),
        ...(request.accept ? { accept: request.accept } : {}),
        source: {
          kind: 'server',
          conn,
          workDir: join(engine.dataDir, 'snapshots'),
          connectionName: profile.name,
        },
        signal: ctx.signal,
        onProgress: (p) => {
          ctx.progress({
            phase: PHASES[p.phase],
            done: p.done,
            ...(p.total !== undefined ? { total: p.total } : {}),
          });
        },
      });
      const info = await engine.plans.register(result.file);
      return { planId: info.planId, file: result.file, warnings: result.summary.warnings };
    } finally {
      await conn.close();
    }
  });
  return { jobId };
};

/** `plan:open`: a plan file chosen by the admin (e.g. an undo plan written by the CLI). */
export const openPlanFile: Handler<'plan:open'> = ({ path }, { engine }) =>
  engine.plans.register(engine.files.check(path, 'read'));

/** `plan:info`: counts and summary of an open plan. */
export const planInfo: Handler<'plan:info'> = ({ planId }, { engine }) => engine.plans.info(planId);

/** `plan:window`: one window of rows, filtered by action and text (the table asks per scroll). */
export const planWindow: Handler<'plan:window'> = async (request, { engine }) => {
  const reader = await engine.plans.reader(request.planId);
  const query = {
    offset: request.offset,
    limit: request.limit,
    ...(request.actions?.length ? { actions: request.actions } : {}),
    ...(request.search?.trim() ? { search: request.search.trim() } : {}),
  };
  // A text search reads the whole plan: do it without blocking the main process.
  await reader.prepare(query);
  return reader.window(query);
};

/** `plan:row`: one row in full (the per-row diff panel). */
export const planRow: Handler<'plan:row'> = async ({ planId, seq }, { engine }) => {
  const reader = await engine.plans.reader(planId);
  return reader.row(seq);
};
