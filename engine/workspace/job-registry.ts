import { randomUUID } from 'node:crypto';
import { toErrorPayload } from '../../shared/errors/errors';
import type {
  JobFinished,
  JobInfo,
  JobKind,
  JobOutcome,
  JobProgress,
  JobThrottle,
} from '../../shared/ipc/schemas/jobs';
import { realTicker, type Ticker } from './ticker';
import type { DesktopPort, EventSink } from '../ports';

/** What a job's body receives: cancel signal, pause control, and a progress reporter. */
export type JobContext = {
  jobId: string;
  signal: AbortSignal;
  control: { paused(): boolean; whenResumed(): Promise<void> };
  progress(p: Omit<JobProgress, 'jobId' | 'kind' | 'paused' | 'throttle'>): void;
  /**
   * Where the job's connection tells how it is paced (`conn.http.pacing()`): from then on every
   * progress event carries it as `throttle`, and one goes out at least once a second, so a
   * pause for the server's rate limit never looks like a frozen counter.
   */
  pacing(read: () => JobThrottle): void;
};

export type JobRegistry = {
  /** Starts `body` in the background and returns its id at once. */
  start(
    kind: JobKind,
    label: string,
    body: (ctx: JobContext) => Promise<JobOutcome>,
    /** What the job works on (a plan file, a run id), to find it again. */
    subject?: string,
  ): string;
  /** The running job working on `subject`, if any. */
  activeFor(subject: string): string | undefined;
  control(jobId: string, action: 'pause' | 'resume' | 'cancel'): void;
  list(): JobInfo[];
  /** Resolves when the job has finished (tests and shutdown). */
  settled(jobId: string): Promise<JobFinished | undefined>;
  /** Cancels every running job and waits for them (app quit). */
  stopAll(): Promise<void>;
};

export type JobRegistryOptions = {
  emit: EventSink;
  desktop: DesktopPort;
  /** Minimum interval between progress events per job (default 200 ms). */
  progressIntervalMs?: number;
  /** Drives the once-a-second progress of a job with a pacing source (default: setInterval). */
  ticker?: Ticker;
};

/** A job with a pacing source reports at least this often. */
export const PACING_TICK_MS = 1000;

type Job = JobInfo & {
  subject?: string;
  abort: AbortController;
  paused: boolean;
  resumeWaiters: (() => void)[];
  /** Set as soon as the job starts. */
  done?: Promise<JobFinished>;
  lastEmit: number;
  pending?: ReturnType<typeof setTimeout>;
  readPacing?: () => JobThrottle;
  stopTicker?: () => void;
};

const NOTIFY: Record<JobKind, string> = {
  plan: 'Plan ready',
  apply: 'Run finished',
  export: 'Export finished',
  undo: 'Undo plan ready',
};

/**
 * Background jobs of the app (plan, apply, export, undo): one registry, progress throttled to a
 * few events a second, pause/resume/cancel, a taskbar/dock progress bar for the running job, and a
 * desktop notification when one finishes.
 */
export function createJobRegistry(options: JobRegistryOptions): JobRegistry {
  const jobs = new Map<string, Job>();
  const interval = options.progressIntervalMs ?? 200;
  const ticker = options.ticker ?? realTicker;

  function publicView(job: Job): JobInfo {
    return {
      jobId: job.jobId,
      kind: job.kind,
      label: job.label,
      startedAt: job.startedAt,
      status: job.status,
      ...(job.progress ? { progress: job.progress } : {}),
      ...(job.finished ? { finished: job.finished } : {}),
    };
  }

  function updateTaskbar(): void {
    const running = [...jobs.values()].filter(
      (j) => j.status === 'running' || j.status === 'paused',
    );
    if (running.length === 0) {
      options.desktop.setProgress(null);
      return;
    }
    const p = running[running.length - 1]?.progress;
    options.desktop.setProgress(p?.total ? Math.min(1, p.done / p.total) : -1);
  }

  function emitProgress(job: Job): void {
    job.lastEmit = Date.now();
    if (job.pending) clearTimeout(job.pending);
    job.pending = undefined;
    if (job.progress) {
      const throttle = job.readPacing?.();
      options.emit('job:progress', {
        ...job.progress,
        ...(throttle ? { throttle } : {}),
        paused: job.paused,
      });
    }
    updateTaskbar();
  }

  function finish(job: Job, finished: JobFinished): JobFinished {
    job.stopTicker?.();
    job.stopTicker = undefined;
    if (job.pending) clearTimeout(job.pending);
    job.pending = undefined;
    job.status = finished.status;
    job.finished = finished;
    options.emit('job:finished', finished);
    updateTaskbar();
    const body =
      finished.status === 'done'
        ? job.label
        : finished.status === 'cancelled'
          ? `${job.label}: cancelled`
          : `${job.label}: ${finished.error?.message ?? 'failed'}`;
    options.desktop.notify(
      finished.status === 'failed' ? 'SCIM Porter: failed' : NOTIFY[job.kind],
      body,
    );
    return finished;
  }

  return {
    start(kind, label, body, subject) {
      const jobId = randomUUID();
      const abort = new AbortController();
      const job: Job = {
        jobId,
        kind,
        label,
        startedAt: new Date().toISOString(),
        status: 'running',
        abort,
        paused: false,
        resumeWaiters: [],
        lastEmit: 0,
        ...(subject !== undefined ? { subject } : {}),
      };
      const ctx: JobContext = {
        jobId,
        signal: abort.signal,
        control: {
          paused: () => job.paused,
          whenResumed: () =>
            job.paused
              ? new Promise<void>((resolve) => {
                  job.resumeWaiters.push(resolve);
                })
              : Promise.resolve(),
        },
        progress(p) {
          job.progress = { ...p, jobId, kind };
          const wait = interval - (Date.now() - job.lastEmit);
          if (wait <= 0) emitProgress(job);
          else
            job.pending ??= setTimeout(() => {
              emitProgress(job);
            }, wait);
        },
        pacing(read) {
          job.readPacing = read;
          job.stopTicker?.();
          job.stopTicker = ticker(PACING_TICK_MS, () => {
            if (job.finished) return;
            if (!job.progress) {
              // Before the job's first progress only a wait shows (e.g. a 429 while discovering).
              if (!read().waiting) return;
              job.progress = { jobId, kind, phase: 'Waiting for the server', done: 0 };
            }
            emitProgress(job);
          });
        },
      };
      jobs.set(jobId, job);
      job.done = (async (): Promise<JobFinished> => {
        // Yield first so the caller has the id before any event mentions it.
        await new Promise<void>((resolve) => setImmediate(resolve));
        try {
          const outcome = await body(ctx);
          return finish(job, {
            jobId,
            kind,
            status: abort.signal.aborted ? 'cancelled' : 'done',
            outcome,
          });
        } catch (e) {
          const error = toErrorPayload(e);
          const cancelled = abort.signal.aborted || error.code === 'cancelled';
          return finish(job, { jobId, kind, status: cancelled ? 'cancelled' : 'failed', error });
        }
      })();
      updateTaskbar();
      return jobId;
    },
    control(jobId, action) {
      const job = jobs.get(jobId);
      if (!job || job.finished) return;
      if (action === 'cancel') {
        // A paused job must wake up to see the cancel.
        job.paused = false;
        for (const w of job.resumeWaiters.splice(0)) w();
        job.abort.abort();
      } else if (action === 'pause') {
        job.paused = true;
        job.status = 'paused';
      } else {
        job.paused = false;
        job.status = 'running';
        for (const w of job.resumeWaiters.splice(0)) w();
      }
      if (job.progress) emitProgress(job);
    },
    list: () => [...jobs.values()].map(publicView),
    activeFor(subject) {
      for (const j of jobs.values()) if (j.subject === subject && !j.finished) return j.jobId;
      return undefined;
    },
    settled: (jobId) => jobs.get(jobId)?.done ?? Promise.resolve(undefined),
    async stopAll() {
      const running = [...jobs.values()].filter((j) => !j.finished);
      for (const j of running) this.control(j.jobId, 'cancel');
      await Promise.allSettled(running.flatMap((j) => (j.done ? [j.done] : [])));
    },
  };
}
