import { listRuns } from '../../apply/run-store';
import { previewCleanup, runCleanup, type CleanupGuards } from '../../workspace/data-cleanup';
import type { ApiEngine, Handler } from '../types';

/** What holds files back right now: the runs on disk and the jobs still running. */
async function guards(engine: ApiEngine): Promise<CleanupGuards> {
  const running = engine.jobs
    .list()
    .filter((j) => j.status === 'running' || j.status === 'paused')
    .map((j) => Date.parse(j.startedAt))
    .filter((t) => Number.isFinite(t));
  return {
    runs: await listRuns(engine.dataDir),
    activeFor: (subject) => engine.jobs.activeFor(subject) !== undefined,
    runningSince: running.length > 0 ? Math.min(...running) : undefined,
  };
}

/** `data:cleanup-preview`: old plans and snapshots that can go, with sizes, and what stays. */
export const cleanupPreview: Handler<'data:cleanup-preview'> = async (request, { engine }) =>
  previewCleanup(engine.dataDir, request.olderThanDays, await guards(engine));

/** `data:cleanup`: deletes exactly the files of a preview (refused when the folder changed). */
export const cleanup: Handler<'data:cleanup'> = async (request, { engine }) =>
  runCleanup(engine.dataDir, request.previewId, await guards(engine));
