import { create } from 'zustand';
import type { JobFinished, JobProgress } from '../../../../shared/ipc/schemas/jobs';
import { client } from '../../api/client';
import { addSample, sampleOf, type RunSample } from '../plan/run-view-model';

type JobsState = {
  progress: Record<string, JobProgress>;
  /** Per job, a sample at each progress event (the run screen's rate and chart). */
  samples: Record<string, RunSample[]>;
  finished: Record<string, JobFinished>;
  /** Subscribes to the engine's job events (once, from the app frame). */
  listen: () => () => void;
  control: (jobId: string, action: 'pause' | 'resume' | 'cancel') => Promise<void>;
};

type Waiter = (f: JobFinished) => void;
const waiters = new Map<string, Waiter[]>();

/** Resolves when the job finishes (at once if it already has). */
export function whenFinished(jobId: string): Promise<JobFinished> {
  const done = useJobsStore.getState().finished[jobId];
  if (done) return Promise.resolve(done);
  return new Promise((resolve) => {
    waiters.set(jobId, [...(waiters.get(jobId) ?? []), resolve]);
  });
}

/** Progress and outcome of the engine's background jobs, fed by `job:progress`/`job:finished`. */
export const useJobsStore = create<JobsState>()((set) => ({
  progress: {},
  samples: {},
  finished: {},
  listen() {
    const offProgress = client.on('job:progress', (p) => {
      set((s) => ({
        progress: { ...s.progress, [p.jobId]: p },
        samples: {
          ...s.samples,
          [p.jobId]: addSample(s.samples[p.jobId] ?? [], sampleOf(p, Date.now())),
        },
      }));
    });
    const offFinished = client.on('job:finished', (f) => {
      set((s) => ({ finished: { ...s.finished, [f.jobId]: f } }));
      for (const w of waiters.get(f.jobId) ?? []) w(f);
      waiters.delete(f.jobId);
    });
    return () => {
      offProgress();
      offFinished();
    };
  },
  async control(jobId, action) {
    await client.invoke('jobs:control', { jobId, action });
  },
}));
