import { basename } from 'node:path';
import { checkExportRequest, exportToFile } from '../../use-cases/export';
import { asJob } from '../as-job';
import type { Handler } from '../types';

/** `export:start`: exports one resource type to CSV or JSON Lines in the background. */
export const startExport: Handler<'export:start'> = async (request, { engine }) => {
  checkExportRequest(request);
  const outFile = engine.files.check(request.outPath, 'write');
  const jobId = await asJob(
    engine,
    {
      kind: 'export',
      connectionId: request.connectionId,
      label: (name) =>
        `Export of ${request.resourceType} from ${name} to ${basename(request.outPath)}`,
    },
    async (conn, ctx) => {
      const summary = await exportToFile(
        conn,
        {
          resourceType: request.resourceType,
          format: request.format,
          outFile,
          ...(request.attributes?.length ? { attributes: request.attributes } : {}),
          ...(request.filter !== undefined ? { filter: request.filter } : {}),
          ...(request.excel !== undefined ? { excel: request.excel } : {}),
          ...(request.includeGroups !== undefined ? { includeGroups: request.includeGroups } : {}),
        },
        ctx,
      );
      return { file: summary.outFile, exported: summary.exported, warnings: summary.warnings };
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
