import { z } from 'zod';
import type { Environment } from '../../connections/environment';
import type { ErrorPayload } from '../../errors/payload';
import { engineObject, FilePathSchema, IdSchema } from './common';

/** Long work the engine runs in the background, reported through `job:progress` / `job:finished`. */
export const JOB_KINDS = ['plan', 'apply', 'export', 'undo'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Progress of one job; `phase` names the step in words the UI can show. */
export type JobProgress = {
  jobId: string;
  kind: JobKind;
  phase: string;
  done: number;
  total?: number;
  failed?: number;
  opsPerSecond?: number;
  etaSeconds?: number;
  /** Apply: per plan action, rows done / failed / planned. */
  byAction?: Record<string, { done: number; failed: number; total: number }>;
  /** Apply: the latest failed rows (at most 20, newest last). */
  recentErrors?: {
    row?: number;
    display: string;
    action: string;
    message: string;
    status?: number;
    scimType?: string;
  }[];
  paused?: boolean;
  /** Apply / export / plan: how the connection is being paced right now (issue 18 / 19). */
  throttle?: JobThrottle;
  /** Apply: the passes after the rows (groups, members, managers), done / failed / unknown / total. */
  byPass?: Record<string, { done: number; failed: number; unknown: number; total: number }>;
};

/**
 * What paces the job's requests right now. Sent with every progress event, and at least once a
 * second while the job waits, so the screen never shows a frozen counter during a pause.
 */
export type JobThrottle = {
  /** Requests per second actually sent over the last few seconds. */
  requestsPerSecond: number;
  /** The rate the limiter allows now (learned from the server or a cap); absent when unbounded. */
  allowedPerSecond?: number;
  /** Where `allowedPerSecond` comes from. */
  source?: 'learned' | 'headers' | 'cap';
  /** Requests answered 429 so far in this job. */
  rateLimited: number;
  /** Requests retried after a network failure or 5xx so far in this job. */
  retried: number;
  /** Set while no request can go: why, until when (epoch ms), and which attempt. */
  waiting?: { cause: 'rate-limit' | 'unreachable'; untilEpochMs: number; attempt?: number };
};

/** What a finished job left: a plan to preview, a run, or an exported file. */
export type JobOutcome = {
  planId?: string;
  runId?: string;
  file?: string;
  /** Apply: rows that failed / whose outcome is unknown; the run stopped after the canary. */
  failed?: number;
  unknown?: number;
  stoppedForCanary?: boolean;
  /** Export: resources written. */
  exported?: number;
  /** Undo: what the admin should know about the undo plan. */
  notes?: string[];
  warnings?: string[];
};

export type JobFinished = {
  jobId: string;
  kind: JobKind;
  status: 'done' | 'failed' | 'cancelled';
  outcome?: JobOutcome;
  error?: ErrorPayload;
};

export type JobInfo = {
  jobId: string;
  kind: JobKind;
  label: string;
  startedAt: string;
  status: 'running' | 'paused' | 'done' | 'failed' | 'cancelled';
  progress?: JobProgress;
  finished?: JobFinished;
};

export const JobStartedSchema = z.object({ jobId: z.string() });
export const JobListSchema = z.array(engineObject<JobInfo>());
export const JobProgressSchema = engineObject<JobProgress>();
export const JobFinishedSchema = engineObject<JobFinished>();

export const JobControlRequestSchema = z.strictObject({
  jobId: IdSchema,
  action: z.enum(['pause', 'resume', 'cancel']),
});

/** Run a plan against the connection it was made for. */
export const ApplyStartRequestSchema = z.strictObject({
  planId: IdSchema,
  connectionId: IdSchema,
  concurrency: z.number().int().min(1).max(64).optional(),
  canary: z.number().int().min(1).max(1_000_000).optional(),
  /** The count from the plan's safeguards, typed back by the admin. */
  overrideSafeguards: z.number().int().min(0).optional(),
  maxMembersPerRequest: z.number().int().min(1).max(10_000).optional(),
  /** The connection's name typed back; required when the connection is labelled production. */
  confirmName: z.string().max(200).optional(),
});

const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const ExportStartRequestSchema = z.strictObject({
  connectionId: IdSchema,
  resourceType: z.string().min(1).max(200),
  outPath: FilePathSchema,
  format: z.enum(EXPORT_FORMATS),
  attributes: z.array(z.string().min(1).max(1000)).max(2000).optional(),
  filter: z.string().max(4000).optional(),
  excel: z.boolean().optional(),
  includeGroups: z.boolean().optional(),
});

/** A run as the Runs screen shows it. */
export type RunView = {
  id: string;
  status:
    | 'running'
    | 'paused'
    | 'completed'
    | 'completed with failures'
    | 'failed'
    | 'cancelled'
    | 'interrupted';
  planFile: string;
  resourceType: string;
  mode: string;
  target: { connection?: string; baseUrl?: string; environment?: Environment };
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  counts: Record<string, { done: number; failed: number; pending: number; unknown?: number }>;
  /** The passes after the rows: groupsCreated, membersAdded, membersRemoved, managersSet. */
  passes?: Record<string, { done: number; failed: number; unknown: number; pending: number }>;
  /** The run can be continued (interrupted, paused, cancelled, or failed part-way). */
  resumable: boolean;
  /** The run changed something that undo can reverse. */
  undoable: boolean;
  /** A job of this app is running it now. */
  activeJobId?: string;
  error?: ErrorPayload;
  reportFile: string;
};
export const RunListSchema = z.array(engineObject<RunView>());
export const RunConnectionRequestSchema = z.strictObject({
  runId: IdSchema,
  connectionId: IdSchema,
});
/** Continue a run; like `apply:start`, a production connection needs its name typed back. */
export const RunResumeRequestSchema = z.strictObject({
  runId: IdSchema,
  connectionId: IdSchema,
  confirmName: z.string().max(200).optional(),
});
export const RunSaveRequestSchema = z.strictObject({ runId: IdSchema, path: FilePathSchema });
export const RunSavedSchema = z.object({ path: z.string(), rows: z.number().optional() });
