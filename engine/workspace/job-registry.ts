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
import { realTicker, type Ticker } from '../files/ticker';
import type { DesktopPort, EventSink } from '../ports';
import { createRateWindow, type RateWindow } from './job-rate';

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

type JobRegistryOptions = {
  emit: EventSink;
  desktop: DesktopPort;
  /** Minimum interval between progress events per job (default 200 ms). */
  progressIntervalMs?: number;
  /** Drives the once-a-second progress of a job with a pacing source (default: setInterval). */
  ticker?: Ticker;
};

/** A job with a pacing source reports at least this often. */
const PACING_TICK_MS = 1000;

type Job = JobInfo & {
  subject?: string;
  abort: AbortController;
  paused: boolean;
  resumeWaiters: (() => void)[];
  /** Set as soon as the job starts. */
  done?: Promise<JobFinished>;
  lastEmit: number;
  pending?: ReturnType<typeof setTimeout>;
  /** Rate and time left for bodies that report only counts (plan, export). */
  rate: RateWindow;
  /** The body reports its own rate (apply). */
  bodyRate?: boolean;
  readPacing?: () => JobThrottle;
  stopTicker?: () => void;
};

/**
 * The body's progress, with a rate and time left from the window when the body has none (plan,
 * export); re-applied on every pacing tick, so a wait lowers the rate instead of freezing it.
 */
type BodyProgress = Omit<JobProgress, 'jobId' | 'kind' | 'paused'>;

function withRate(job: Job, p: BodyProgress, now: number): BodyProgress {
  if (job.bodyRate) return p;
  const r = job.rate.add({ atMs: now, done: p.done }, p.total);
  const rest = { ...p };
  delete rest.opsPerSecond;
  delete rest.etaSeconds;
  return {
    ...rest,
    ...(r.perSecond !== undefined ? { opsPerSecond: r.perSecond } : {}),
    ...(r.etaSeconds !== undefined ? { etaSeconds: r.etaSeconds } : {}),
  };
}

const NOTIFY: Record<JobKind, string> = {
  plan: 'Plan ready',
  apply: 'Run finished',
  export: 'Export finished',
  undo: 'Undo plan ready',
};

/** What every job shares: the registry's jobs, its options and its clocks. */
type Registry = {
  readonly jobs: Map<string, Job>;
  readonly options: JobRegistryOptions;
  /** Minimum interval between progress events per job. */
  readonly interval: number;
  readonly ticker: Ticker;
};

/**
 * Background jobs of the app (plan, apply, export, undo): one registry, progress throttled to a
 * few events a second, pause/resume/cancel, a taskbar/dock progress bar for the running job, and a
 * desktop notification when one finishes.
 */
export function createJobRegistry(options: JobRegistryOptions): JobRegistry {
  const reg: Registry = {
    jobs: new Map<string, Job>(),
    options,
    interval: options.progressIntervalMs ?? 200,
    ticker: options.ticker ?? realTicker,
  };
  const { jobs } = reg;
  return {
    start(kind, label, body, subject) {
      const job = newJob(kind, label, subject);
      jobs.set(job.jobId, job);
      job.done = runJob(reg, job, body);
      updateTaskbar(reg);
      return job.jobId;
    },
    control(jobId, action) {
      const job = jobs.get(jobId);
      if (job && !job.finished) controlJob(reg, job, action);
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

function newJob(kind: JobKind, label: string, subject: string | undefined): Job {
  return {
    jobId: randomUUID(),
    kind,
    label,
    startedAt: new Date().toISOString(),
    status: 'running',
    abort: new AbortController(),
    paused: false,
    resumeWaiters: [],
    lastEmit: 0,
    rate: createRateWindow(),
    ...(subject !== undefined ? { subject } : {}),
  };
}

/** Runs the body (after a turn, so the caller has the id first) and finishes the job. */
async function runJob(
  reg: Registry,
  job: Job,
  body: (ctx: JobContext) => Promise<JobOutcome>,
): Promise<JobFinished> {
  const { jobId, kind, abort } = job;
  const ctx = jobContext(reg, job);
  // Yield first so the caller has the id before any event mentions it.
  await new Promise<void>((resolve) => setImmediate(resolve));
  try {
    const outcome = await body(ctx);
    return finish(reg, job, {
      jobId,
      kind,
      status: abort.signal.aborted ? 'cancelled' : 'done',
      outcome,
    });
  } catch (e) {
    const error = toErrorPayload(e);
    const cancelled = abort.signal.aborted || error.code === 'cancelled';
    return finish(reg, job, { jobId, kind, status: cancelled ? 'cancelled' : 'failed', error });
  }
}

/** What the job's body gets: its signal, pause control, progress and pacing. */
function jobContext(reg: Registry, job: Job): JobContext {
  return {
    jobId: job.jobId,
    signal: job.abort.signal,
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
      reportProgress(reg, job, p);
    },
    pacing(read) {
      startPacing(reg, job, read);
    },
  };
}

/** Takes the body's progress; sends it now or once the throttle interval has passed. */
function reportProgress(reg: Registry, job: Job, p: Parameters<JobContext['progress']>[0]): void {
  job.bodyRate = p.opsPerSecond !== undefined;
  job.progress = { ...withRate(job, p, Date.now()), jobId: job.jobId, kind: job.kind };
  const wait = reg.interval - (Date.now() - job.lastEmit);
  if (wait <= 0) emitProgress(reg, job);
  else
    job.pending ??= setTimeout(() => {
      emitProgress(reg, job);
    }, wait);
}

/** From now on progress carries the pacing, and goes out at least once a tick. */
function startPacing(reg: Registry, job: Job, read: () => JobThrottle): void {
  const { jobId, kind } = job;
  job.readPacing = read;
  job.stopTicker?.();
  job.stopTicker = reg.ticker(PACING_TICK_MS, () => {
    if (job.finished) return;
    if (!job.progress) {
      // Before the job's first progress only a wait shows (e.g. a 429 while discovering).
      if (!read().waiting) return;
      job.progress = { jobId, kind, phase: 'Waiting for the server', done: 0 };
    }
    job.progress = { ...withRate(job, job.progress, Date.now()), jobId, kind };
    emitProgress(reg, job);
  });
}

function controlJob(reg: Registry, job: Job, action: 'pause' | 'resume' | 'cancel'): void {
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
  if (job.progress) emitProgress(reg, job);
}

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

/** The taskbar/dock bar: the last running job's share done, indeterminate without a total. */
function updateTaskbar(reg: Registry): void {
  const running = [...reg.jobs.values()].filter(
    (j) => j.status === 'running' || j.status === 'paused',
  );
  if (running.length === 0) {
    reg.options.desktop.setProgress(null);
    return;
  }
  const p = running[running.length - 1]?.progress;
  reg.options.desktop.setProgress(p?.total ? Math.min(1, p.done / p.total) : -1);
}

function emitProgress(reg: Registry, job: Job): void {
  job.lastEmit = Date.now();
  if (job.pending) clearTimeout(job.pending);
  job.pending = undefined;
  if (job.progress) {
    const throttle = job.readPacing?.();
    reg.options.emit('job:progress', {
      ...job.progress,
      ...(throttle ? { throttle } : {}),
      paused: job.paused,
    });
  }
  updateTaskbar(reg);
}

/** The desktop notification for a finished job: title and body. */
export function finishedNotice(
  kind: JobKind,
  label: string,
  finished: Pick<JobFinished, 'status' | 'error'>,
): { title: string; body: string } {
  const body =
    finished.status === 'done'
      ? label
      : finished.status === 'cancelled'
        ? `${label}: cancelled`
        : `${label}: ${finished.error?.message ?? 'failed'}`;
  return { title: finished.status === 'failed' ? 'SCIM Porter: failed' : NOTIFY[kind], body };
}

function finish(reg: Registry, job: Job, finished: JobFinished): JobFinished {
  job.stopTicker?.();
  job.stopTicker = undefined;
  // The last progress held back by the throttle goes out before the job's end.
  if (job.pending) emitProgress(reg, job);
  job.status = finished.status;
  job.finished = finished;
  reg.options.emit('job:finished', finished);
  updateTaskbar(reg);
  const notice = finishedNotice(job.kind, job.label, finished);
  reg.options.desktop.notify(notice.title, notice.body);
  return finished;
}
