import { z } from 'zod';
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../import/types';
import {
  PLAN_MODES,
  PlanFileSummarySchema,
  PlanRowSchema,
  type PlanFileSummary,
  type PlanMode,
} from '../../plan/plan-format';
import { CsvOptionsSchema, FilePathSchema, IdSchema } from './common';

/** Build a plan in the background; progress comes as `job:progress`, the plan id with `job:finished`. */
export const PlanStartRequestSchema = z.strictObject({
  connectionId: IdSchema,
  csvPath: FilePathSchema,
  csv: CsvOptionsSchema.optional(),
  /** The mapping spec (validated by the engine's mapping parser, which names every problem). */
  mapping: z.unknown(),
  mode: z.enum(PLAN_MODES).default('upsert'),
  scope: z.string().max(4000).optional(),
  protectPath: FilePathSchema.optional(),
  lookup: z.enum(['snapshot', 'per-row']).default('snapshot'),
  /** Rows with Excel damage or in a manager cycle are held back unless accepted here. */
  accept: z
    .strictObject({ excelDamage: z.boolean().optional(), managerCycles: z.boolean().optional() })
    .optional(),
});

/** A plan the engine holds open, as the preview needs it. */
export type PlanInfo = {
  planId: string;
  file: string;
  resourceType: string;
  mode: PlanMode;
  target: { baseUrl?: string; connection?: string };
  /** Rows per kind, counted from the rows. */
  counts: Record<PlanAction, number>;
  rows: number;
  /** The planner's summary (safeguards, memberships, attributes, protect list, orphans…). */
  summary: PlanFileSummary;
  /** Set when the file is no longer the plan that was made: what changed, in words. */
  edited?: string;
};
export const PlanInfoSchema = z.object({
  planId: z.string(),
  file: z.string(),
  resourceType: z.string(),
  mode: z.enum(PLAN_MODES),
  target: z.object({ baseUrl: z.string().optional(), connection: z.string().optional() }),
  counts: z.object(
    Object.fromEntries(PLAN_ACTIONS.map((a) => [a, z.number()])) as Record<PlanAction, z.ZodNumber>,
  ),
  rows: z.number(),
  summary: PlanFileSummarySchema,
  edited: z.string().optional(),
}) satisfies z.ZodType<PlanInfo>;

export const PlanOpenRequestSchema = z.strictObject({ path: FilePathSchema });
export const PlanIdRequestSchema = z.strictObject({ planId: IdSchema });

/** A window of rows for the virtualised table: never the whole plan. */
export const PlanWindowRequestSchema = z.strictObject({
  planId: IdSchema,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(500),
  actions: z.array(z.enum(PLAN_ACTIONS)).max(PLAN_ACTIONS.length).optional(),
  search: z.string().max(500).optional(),
});
type PlanWindowRows = { total: number; offset: number; rows: PlanRow[] };
export const PlanWindowResponseSchema = z.object({
  total: z.number(),
  offset: z.number(),
  rows: z.array(PlanRowSchema),
}) satisfies z.ZodType<PlanWindowRows>;

export const PlanRowRequestSchema = z.strictObject({
  planId: IdSchema,
  seq: z.number().int().min(0),
});
export const PlanRowResponseSchema = PlanRowSchema;
