import { basename } from 'node:path';
import { exportResources } from '../../export/exporter';
import { validateFilter } from '../../scim/filter-parse';
import type { Handler } from '../types';

const EXPORT_PHASES = { groups: 'Reading groups', listing: 'Reading', writing: 'Writing' } as const;

/** `export:start`: exports one resource type to CSV or JSON Lines in the background. */
export const startExport: Handler<'export:start'> = async (request, { engine }) => {
  if (request.filter?.trim()) validateFilter(request.filter.trim());
  const outFile = engine.files.check(request.outPath, 'write');
  const profile = await engine.connections.find(request.connectionId);
  const jobId = engine.jobs.start(
    'export',
    `Export of ${request.resourceType} from ${profile.name} to ${basename(request.outPath)}`,
    async (ctx) => {
      const conn = await engine.connections.open(profile.id);
      ctx.pacing(() => conn.http.pacing());
      try {
        const summary = await exportResources(conn, {
          resourceType: request.resourceType,
          format: request.format,
          outFile,
          ...(request.attributes?.length ? { attributes: request.attributes } : {}),
          ...(request.filter?.trim() ? { filter: request.filter.trim() } : {}),
          ...(request.excel !== undefined ? { excel: request.excel } : {}),
          ...(request.includeGroups !== undefined ? { includeGroups: request.includeGroups } : {}),
          signal: ctx.signal,
          onProgress: (p) => {
            ctx.progress({
              phase: `${EXPORT_PHASES[p.phase]} ${request.resourceType}`,
              done: p.exported,
              ...(p.total !== undefined ? { total: p.total } : {}),
            });
          },
        });
        return { file: summary.outFile, exported: summary.exported, warnings: summary.warnings };
      } finally {
        await conn.close();
      }
    },
  );
  return { jobId };
};

/** `jobs:list`: running and finished jobs of this session (the UI re-attaches after a reload). */
export const listJobs: Handler<'jobs:list'> = (_request, { engine }) =>
  Promise.resolve(engine.jobs.list());

/** `jobs:control`: pause, resume or cancel a job (cancel stops between batches). */
export const controlJob: Handler<'jobs:control'> = ({ jobId, action }, { engine }) => {
  engine.jobs.control(jobId, action);
  return Promise.resolve({});
};
