import type { OpenConnection } from '../connections/open-connection';
import {
  exportResources,
  type ExportOptions,
  type ExportPhase,
  type ExportSummary,
} from '../export/exporter';
import { validateFilter } from '../scim/filter-parse';
import type { UseCaseContext } from './context';

const EXPORT_PHASES: Record<ExportPhase, string> = {
  groups: 'Reading groups of',
  listing: 'Reading',
  writing: 'Writing',
};

type ExportRequest = Omit<ExportOptions, 'signal' | 'onProgress'>;

/** Checked before connecting: the filter must parse. */
export function checkExportRequest(request: Pick<ExportRequest, 'filter'>): void {
  const filter = request.filter?.trim();
  if (filter) validateFilter(filter);
}

/** Exports one resource type to CSV or JSON Lines, streaming. */
export async function exportToFile(
  conn: OpenConnection,
  request: ExportRequest,
  ctx: UseCaseContext = {},
): Promise<ExportSummary> {
  checkExportRequest(request);
  const filter = request.filter?.trim();
  const rest: ExportRequest = { ...request };
  delete rest.filter;
  return exportResources(conn, {
    ...rest,
    ...(filter ? { filter } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (p) => {
      ctx.progress?.({
        phase: `${EXPORT_PHASES[p.phase]} ${request.resourceType}`,
        done: p.exported,
        ...(p.total !== undefined ? { total: p.total } : {}),
      });
    },
  });
}
