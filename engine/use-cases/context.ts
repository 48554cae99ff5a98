import type { JobProgress } from '../../shared/ipc/schemas/jobs';

/** One progress report of a use case, in words a screen or a terminal line can show. */
export type ProgressUpdate = Omit<JobProgress, 'jobId' | 'kind' | 'paused'>;

/**
 * What a use case receives from whoever runs it: the app's job registry (engine/api/as-job.ts)
 * or a CLI command. Both pass the same thing, so both get the same behaviour.
 */
export type UseCaseContext = {
  /** Cancel (the app's Cancel button, Ctrl+C in the CLI). */
  signal?: AbortSignal;
  /** Pause and resume between batches (the app). */
  control?: { paused(): boolean; whenResumed(): Promise<void> };
  progress?: (update: ProgressUpdate) => void;
};
