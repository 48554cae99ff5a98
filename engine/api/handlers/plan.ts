import { basename, join } from 'node:path';
import { parseMappingSpec } from '../../../shared/mapping/spec';
import { readProtectedList } from '../../plan/sweep-scope';
import { checkPlanRequest, makePlan } from '../../use-cases/plan';
import { asJob } from '../as-job';
import type { Handler } from '../types';

/** `plan:start`: builds a plan in the background (nothing is written to the server). */
export const startPlan: Handler<'plan:start'> = async (request, { engine }) => {
  // Everything the admin can get wrong is checked before the job starts, so it fails here.
  const mapping = parseMappingSpec(request.mapping, 'the mapping');
  checkPlanRequest(request);
  const csvFile = engine.files.check(request.csvPath, 'read');
  const protect = request.protectPath
    ? await readProtectedList(engine.files.check(request.protectPath, 'read'))
    : [];
  const jobId = await asJob(
    engine,
    {
      kind: 'plan',
      connectionId: request.connectionId,
      label: (name) => `Plan: ${basename(request.csvPath)} → ${name}`,
    },
    async (conn, ctx, profile) => {
      const result = await makePlan(
        {
          csvFile,
          mapping,
          mode: request.mode,
          ...(request.scope !== undefined ? { scope: request.scope } : {}),
          protect,
          lookup: request.lookup,
          outFile: await engine.plans.newPlanFile(),
          ...(request.csv ? { csv: request.csv } : {}),
          ...(request.accept ? { accept: request.accept } : {}),
          source: {
            kind: 'server',
            conn,
            workDir: join(engine.dataDir, 'snapshots'),
            connectionName: profile.name,
          },
        },
        ctx,
      );
      const info = await engine.plans.register(result.file);
      return { planId: info.planId, file: result.file, warnings: result.summary.warnings };
    },
  );
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
