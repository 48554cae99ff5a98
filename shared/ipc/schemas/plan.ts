import { z } from 'zod';
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../import/types';
import { CsvOptionsSchema, engineObject, FilePathSchema, IdSchema } from './common';

export const PLAN_MODE_VALUES = [
  'upsert',
  'deactivate-listed',
  'delete-listed',
  'deactivate-unlisted',
  'delete-unlisted',
] as const;
export const PLAN_ACTION_VALUES = PLAN_ACTIONS;

/** Build a plan in the background; progress comes as `job:progress`, the plan id with `job:finished`. */
export const PlanStartRequestSchema = z.strictObject({
  connectionId: IdSchema,
  csvPath: FilePathSchema,
  csv: CsvOptionsSchema.optional(),
  /** The mapping spec (validated by the engine's mapping parser, which names every problem). */
  mapping: z.unknown(),
  mode: z.enum(PLAN_MODE_VALUES).default('upsert'),
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
  mode: string;
  target: { baseUrl?: string; connection?: string };
  /** Rows per action. */
  counts: Record<PlanAction, number>;
  rows: number;
  /** The planner's summary (safeguards, memberships, attributes, conflicts, orphans…). */
  summary: Record<string, unknown>;
};
export const PlanInfoSchema = engineObject<PlanInfo>();

export const PlanOpenRequestSchema = z.strictObject({ path: FilePathSchema });
export const PlanIdRequestSchema = z.strictObject({ planId: IdSchema });

/** A window of rows for the virtualised table: never the whole plan. */
export const PlanWindowRequestSchema = z.strictObject({
  planId: IdSchema,
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(500),
  actions: z.array(z.enum(PLAN_ACTION_VALUES)).max(7).optional(),
  search: z.string().max(500).optional(),
});
export type PlanWindowRows = { total: number; offset: number; rows: PlanRow[] };
export const PlanWindowResponseSchema = engineObject<PlanWindowRows>();

export const PlanRowRequestSchema = z.strictObject({
  planId: IdSchema,
  seq: z.number().int().min(0),
});
export const PlanRowResponseSchema = engineObject<PlanRow>();
