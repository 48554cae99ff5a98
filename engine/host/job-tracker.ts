import type { ErrorPayload } from '../../shared/errors/payload';
import type { Channel, EventName } from '../../shared/ipc/channels';
import type { contract } from '../../shared/ipc/contract';
import {
  JobFinishedSchema,
  JobProgressSchema,
  type JobFinished,
  type JobKind,
  type JobStartedSchema,
} from '../../shared/ipc/schemas/jobs';
import type { Result } from '../../shared/util/result';

/** The channels whose answer is a new job's id (derived from the contract, so none is missed). */
type JobStartingChannel = {
  [C in Channel]: (typeof contract)[C]['response'] extends typeof JobStartedSchema ? C : never;
}[Channel];

/** The kind of job each of those channels starts (as the handlers in api/handlers/ name them). */
const KIND_OF: Record<JobStartingChannel, JobKind> = {
  'plan:start': 'plan',
  'apply:start': 'apply',
  'export:start': 'export',
  'runs:resume': 'apply',
  'runs:undo': 'undo',
};

function isJobStarting(channel: string): channel is JobStartingChannel {
  return Object.hasOwn(KIND_OF, channel);
}

type JobTracker = {
  /** Notes a job started by an answered invoke. */
  observeResult(channel: string, result: Result<unknown>): void;
  /** Notes a job from its progress, and forgets it once it has finished. */
  observeEvent(event: EventName, payload: unknown): void;
  /** The jobs that were running when the engine process stopped, as failed `job:finished`s. */
  interrupt(error: ErrorPayload): JobFinished[];
};

/**
 * Which jobs are running in the engine process, seen from main through the answers and events
 * it forwards. If the engine process stops, those jobs never send `job:finished`; the host sends
 * it for them so no screen keeps waiting for a job that is gone.
 */
export function createJobTracker(): JobTracker {
  const running = new Map<string, JobKind>();
  return {
    observeResult(channel, result) {
      if (!result.ok || !isJobStarting(channel)) return;
      const value = result.value as { jobId?: unknown } | undefined;
      if (typeof value?.jobId === 'string') running.set(value.jobId, KIND_OF[channel]);
    },
    observeEvent(event, payload) {
      if (event === 'job:progress') {
        const p = JobProgressSchema.safeParse(payload);
        if (p.success && typeof p.data.jobId === 'string') running.set(p.data.jobId, p.data.kind);
      } else if (event === 'job:finished') {
        const f = JobFinishedSchema.safeParse(payload);
        if (f.success) running.delete(f.data.jobId);
      }
    },
    interrupt(error) {
      const finished = [...running].map(([jobId, kind]): JobFinished => ({
        jobId,
        kind,
        status: 'failed',
        error,
      }));
      running.clear();
      return finished;
    },
  };
}
