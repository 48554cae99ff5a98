import { z } from 'zod';
import { engineObject, IdSchema } from './common';

/** An operation's outcome as the run log shows it. */
export const RUN_LOG_OUTCOMES = ['ok', 'failed', 'unknown'] as const;
export type RunLogOutcome = (typeof RUN_LOG_OUTCOMES)[number];

/** One operation of a run, from its journal: what was sent for whom, and the server's answer. */
export type RunLogEntry = {
  /** Position in the journal (the log's order), 0-based. */
  index: number;
  /** Op id, unique within the run: `s12:create`, `grp:…:add:0`. */
  op: string;
  /** What the op does: `create`, `update`, `groups:add`, `manager`, … */
  kind: string;
  /** Whom it is about: the person's display (userName / email) or the group. */
  key: string;
  outcome: RunLogOutcome;
  /** Intents written for the op (more than one once it was retried by a resume). */
  attempts: number;
  /** When its intent was written, and when the answer came (ISO). */
  sentAt?: string;
  answeredAt?: string;
  httpStatus?: number;
  /** The SCIM id it created or changed. */
  id?: string;
  message?: string;
  scimType?: string;
  detail?: string;
  /** Attributes the server's answer did not carry. */
  dropped?: string[];
  /** Group members already in place (not changed by the op). */
  unchanged?: number;
};

/** A page of a run's log, filtered; the counts cover the whole run so the filters can show them. */
export type RunLogPage = {
  runId: string;
  /** Operations matching the filters, and in the whole run. */
  total: number;
  all: number;
  offset: number;
  entries: RunLogEntry[];
  /** Operations per kind and per outcome in the whole run. */
  kinds: { kind: string; count: number }[];
  outcomes: Record<RunLogOutcome, number>;
};

const RUN_LOG_PAGE_MAX = 500;

export const RunLogRequestSchema = z.strictObject({
  runId: IdSchema,
  offset: z.number().int().min(0).max(100_000_000).default(0),
  limit: z.number().int().min(1).max(RUN_LOG_PAGE_MAX).default(200),
  /** Matches the person / group, the SCIM id, the op id and the server's message. */
  text: z.string().max(500).optional(),
  kind: z.string().min(1).max(200).optional(),
  outcome: z.enum(RUN_LOG_OUTCOMES).optional(),
});
export type RunLogRequest = z.output<typeof RunLogRequestSchema>;
export const RunLogPageSchema = engineObject<RunLogPage>();
