import { z } from 'zod';
import { engineObject, IdSchema } from './common';
import type { RunLogOutcome } from './run-log';

/** At most this many changed accounts are read back from the server after a canary. */
export const CANARY_EVIDENCE_MAX = 50;

/** One attribute of a changed account: what the plan sent, and what the server holds now. */
export type CanaryAttribute = {
  /** The column header (`title`, `emails[type eq "work"].value`). */
  path: string;
  /** What the plan asked for (`null`: no value). */
  planned: string | null;
  /** What the server answered when read back after the canary (`null`: no value). */
  now: string | null;
};

/** The account as the server holds it after the canary, read back with one GET. */
export type CanaryAfter =
  | { state: 'present'; active?: boolean; displayName?: string; attributes: CanaryAttribute[] }
  /** The server has no such account (deleted, or never created). */
  | { state: 'gone' }
  /** The read-back did not work; the sentence says why. */
  | { state: 'unread'; message: string };

/** One account the canary changed (or tried to). */
export type CanaryAccount = {
  /** Op id in the run's journal; the run log opens it (`s12:create`). */
  op: string;
  /** `create`, `update`, `reactivate`, `deactivate`, `delete`. */
  kind: string;
  /** userName (users) or displayName (groups), as the plan names it. */
  display: string;
  outcome: RunLogOutcome;
  /** The SCIM id read back. */
  id?: string;
  after: CanaryAfter;
};

/** What a canary changed: the first {@link CANARY_EVIDENCE_MAX} accounts of `total`. */
export type CanaryEvidence = {
  runId: string;
  /** Accounts the run changed (or tried to); `accounts` holds the first of them. */
  total: number;
  accounts: CanaryAccount[];
};

export const CanaryEvidenceRequestSchema = z.strictObject({
  runId: IdSchema,
  /** The connection to read the accounts back from (the run's target). */
  connectionId: IdSchema,
});
export const CanaryEvidenceSchema = engineObject<CanaryEvidence>();
