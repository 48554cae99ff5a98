/**
 * The plan file format (version 2): JSON Lines, one typed model for the engine that writes and
 * applies it, the CLI that prints it and the app that previews it.
 *
 *   line 1        {"kind":"scim-porter-plan","version":2, …PlanHeader}
 *   lines 2…n+1   one PlanRow each (`shared/import/types.ts`), `seq` 0…n−1, `seq` and `action` first
 *   line n+2      {"kind":"summary", …PlanFileSummary}
 *   line n+3      {"kind":"integrity", …PlanIntegrity}: what the plan was made with, to refuse edits
 *
 * ```json
 * {"kind":"scim-porter-plan","version":2,"createdAt":"2026-11-29T09:30:00.000Z","resourceType":"User",
 *  "endpoint":"/Users","mode":"upsert","source":{"kind":"server","baseUrl":"https://idp.example/scim/v2"},
 *  "csv":{"file":"/data/hr.csv","encoding":"utf-8","delimiter":","},"mapping":{"resourceType":"User"},
 *  "patch":true,"etag":true}
 * {"seq":0,"action":"deactivate","row":1,"line":2,"display":"ada@example.com","id":"2819c223",
 *  "changes":[{"path":"active","old":"true","new":"false"},{"path":"title","old":"Analyst","new":"Lead"}],
 *  "operations":[{"op":"replace","path":"active","value":false},{"op":"replace","path":"title","value":"Lead"}]}
 * {"kind":"summary","rows":1,"counts":{"create":0,"update":0,"reactivate":0,"deactivate":1,…},…}
 * {"kind":"integrity","algorithm":"sha256","rows":1,"header":"9f2c…","rowsDigest":"41ab…","summary":"77d0…","madeWith":{…header}}
 * ```
 *
 * The zod schemas below are bound to the documented types with `satisfies`, so they cannot drift.
 */
import { z } from 'zod';
import type { GroupedProblems } from '../problems/group';
import { GroupedProblemsSchema } from '../problems/group-schema';
import type { InputProblem, PlanRow } from '../import/types';
import { PLAN_ACTIONS } from '../import/types';
import { PROBLEM_CODES } from '../problems/codes';

/** The first line's `kind`. */
export const PLAN_FORMAT = 'scim-porter-plan';
/** The format version this code writes and reads (version 1 plans could hide deactivations). */
export const PLAN_VERSION = 2;

/**
 * What a plan does with the file:
 * - `upsert`: create and update the accounts the rows describe;
 * - `deactivate-listed` / `delete-listed`: the accounts the rows list;
 * - `deactivate-unlisted` / `delete-unlisted`: the accounts the rows do NOT list (the rows are a
 *   keep list), within the scope filter.
 */
export const PLAN_MODES = [
  'upsert',
  'deactivate-listed',
  'delete-listed',
  'deactivate-unlisted',
  'delete-unlisted',
] as const;
export type PlanMode = (typeof PLAN_MODES)[number];

/** True for the sweeps whose rows are a keep list. */
export function isUnlistedMode(mode: PlanMode): boolean {
  return mode === 'deactivate-unlisted' || mode === 'delete-unlisted';
}

/** What the plan was made from, and how it is to be run. */
export type PlanHeader = {
  kind: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  /** ISO 8601 time the plan was made. */
  createdAt: string;
  /** `User` or `Group`, and its endpoint. */
  resourceType: string;
  endpoint: string;
  mode: PlanMode;
  /** Where the server state came from: a live connection (its base URL) or a snapshot file. */
  source:
    { kind: 'server'; baseUrl: string; connection?: string } | { kind: 'snapshot'; file: string };
  /** How the CSV was read: `header: false` when it has no header row (see read-csv.ts). */
  csv: { file: string; encoding: string; delimiter: string; skipLines?: number; header?: boolean };
  mapping: { file?: string; resourceType: string };
  /** Whether updates are PATCH operations or full PUT bodies. */
  patch: boolean;
  etag: boolean;
  /** Undo plans: the run they reverse. */
  undoOf?: string;
};

/** A row kept in the summary as an example. */
export type PlanSummaryEntry = {
  seq: number;
  action: PlanRow['action'];
  row?: number;
  line?: number;
  display: string;
  /** Why the row matched nothing, or matched more than one account. */
  reason?: string;
  /** Conflicts: the ids of the candidate accounts. */
  candidates?: string[];
  problems?: InputProblem[];
};

/** The first rows of one kind and how many there are. */
export type PlanSummarySample = {
  total: number;
  /** The first rows (at most 50), in plan order. */
  first: PlanSummaryEntry[];
};

/** What the rows add up to (engine/plan/summary.ts accumulates it in bounded memory). */
export type PlanSummary = {
  /** Plan rows seen. */
  rows: number;
  /** Rows per kind (every kind present, 0 when none). */
  counts: Record<PlanRow['action'], number>;
  /** Attribute changes over all rows. */
  changes: number;
  memberships: {
    add: number;
    remove: number;
    /** Distinct groups added to that do not exist yet (will be created). */
    groupsToCreate: number;
    /** Their names, the first 50. */
    groupsToCreateSample: string[];
  };
  /** The attributes (target headers) changed on most existing accounts, most first, at most 10. */
  attributes: { path: string; rows: number }[];
  /** Existing accounts the rows compared (update, reactivate, deactivate, unchanged rows). */
  compared: number;
  conflicts: PlanSummarySample;
  invalid: PlanSummarySample;
  /** Problems attached to rows, by severity and by code. */
  problems: { errors: number; warnings: number; byCode: Record<string, number> };
  /** The same problems grouped by cause (absent in plans made before grouping existed). */
  problemGroups?: GroupedProblems;
};

/** The safeguards: what mass changes a plan makes, and whether that blocks it. */
export type SafeguardKind = 'deactivate' | 'delete' | 'reactivate' | 'attribute';

/** A limit: at most `maxCount` accounts, and at most `maxPercent` of the population. */
export type SafeguardLimit = { maxCount: number; maxPercent: number };

export type SafeguardCheck = {
  kind: SafeguardKind;
  /** `attribute` checks: the attribute (target header) that changes on many accounts. */
  attribute?: string;
  /** Accounts the plan changes this way. */
  count: number;
  /**
   * What the percentage is of: accounts in scope on the server (access checks) or existing
   * accounts compared (attribute checks); absent when unknown (undo plans).
   */
  population?: number;
  /** `count` as a percentage of `population`, one decimal. */
  percent?: number;
  limit: SafeguardLimit;
  exceeded: boolean;
  /** Exceeding it blocks the plan until the count is typed back (access checks do; attribute checks warn). */
  blocks: boolean;
  /** Why it is exceeded, as a sentence; absent when within limits. */
  reason?: string;
};

export type SafeguardStatus = {
  checks: SafeguardCheck[];
  /** True when a blocking limit is exceeded: running needs the override. */
  blocked: boolean;
  /** The number the admin types back to run it anyway: the accounts of the exceeded checks (0 when not blocked). */
  overrideCount: number;
};

/** The protect list's effect (spared accounts are `protected` rows). */
export type ProtectFacts = {
  /** Distinct entries in the list. */
  entries: number;
  /** Accounts the list spared (the `protected` rows). */
  spared: number;
  /** Entries that match no account on the server (the first 50), and how many. */
  unmatched: string[];
  unmatchedCount: number;
  /** False when the server was not read in full (per-row look-ups): unmatched entries are unknown. */
  checked: boolean;
};

/** One server account not in the CSV, as the orphan report lists it. */
export type OrphanLine = {
  id: string;
  display: string;
  active: string;
  /** Why it is in the report: not in the CSV, and what the plan does with it. */
  status:
    | 'planned-deactivate'
    | 'planned-delete'
    | 'out-of-scope'
    | 'protected'
    | 'not-listed'
    | 'already-inactive'
    | 'gone';
};

/** The summary line: the rows' totals plus what the plan was made from. */
export type PlanFileSummary = PlanSummary & {
  mode: PlanMode;
  resourceType: string;
  /** The CSV as read (absent in undo plans). */
  csv?: {
    file: string;
    rows: number;
    damagedRows: number;
    encoding: string;
    delimiter: string;
    problems: InputProblem[];
    problemsOmitted: number;
  };
  /** The server state compared with (absent in undo plans). */
  server?: { source: 'server' | 'snapshot'; accounts: number; inScope: number; snapshot: string };
  /** Server accounts the CSV does not list (absent in undo plans). */
  orphans?: { count: number; file: string; sample: OrphanLine[] };
  /** Cycles as CSV row numbers (row 3 reports to row 9, who reports to row 3). */
  managers?: { unresolved: number; missing: InputProblem[]; cycles: number[][] };
  protect: ProtectFacts;
  safeguards: SafeguardStatus;
  warnings: string[];
  /** Undo plans: what the admin should know. */
  notes?: string[];
  durationMs: number;
};

/**
 * The last line: digests (SHA-256, hex) of the header line, of the row lines (each with its
 * newline, in order) and of the summary line as written, the row count, and a copy of the header,
 * so an edited or cut plan is refused with a sentence saying what changed.
 */
export type PlanIntegrity = {
  algorithm: 'sha256';
  rows: number;
  header: string;
  rowsDigest: string;
  summary: string;
  madeWith: PlanHeader;
};

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

export const InputProblemSchema = z.object({
  file: z.string(),
  line: z.number(),
  row: z.number().optional(),
  column: z.string().optional(),
  value: z.string().optional(),
  code: z.enum(PROBLEM_CODES),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  nextStep: z.string(),
}) satisfies z.ZodType<InputProblem>;

const ResourceSchema = z.looseObject({ schemas: z.array(z.string()) });
const PatchOperationSchema = z.object({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.string().optional(),
  value: z.unknown().optional(),
});
const GroupChangeSchema = z.object({ display: z.string(), id: z.string().optional() });

export const PlanRowSchema = z.object({
  seq: z.number().int().min(0),
  action: z.enum(PLAN_ACTIONS),
  row: z.number().optional(),
  line: z.number().optional(),
  display: z.string(),
  match: z
    .object({ key: z.string().optional(), value: z.string().optional(), reason: z.string() })
    .optional(),
  id: z.string().optional(),
  version: z.string().optional(),
  changes: z
    .array(z.object({ path: z.string(), old: z.string().nullable(), new: z.string().nullable() }))
    .optional(),
  operations: z.array(PatchOperationSchema).optional(),
  replace: ResourceSchema.optional(),
  create: ResourceSchema.optional(),
  groups: z
    .object({ add: z.array(GroupChangeSchema), remove: z.array(GroupChangeSchema) })
    .optional(),
  managerRef: z.object({ by: z.string(), value: z.string() }).optional(),
  candidates: z.array(z.string()).optional(),
  problems: z.array(InputProblemSchema).optional(),
}) satisfies z.ZodType<PlanRow>;

export const PlanHeaderSchema = z.object({
  kind: z.literal(PLAN_FORMAT),
  version: z.literal(PLAN_VERSION),
  createdAt: z.string(),
  resourceType: z.string(),
  endpoint: z.string(),
  mode: z.enum(PLAN_MODES),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('server'), baseUrl: z.string(), connection: z.string().optional() }),
    z.object({ kind: z.literal('snapshot'), file: z.string() }),
  ]),
  csv: z.object({
    file: z.string(),
    encoding: z.string(),
    delimiter: z.string(),
    skipLines: z.number().optional(),
    header: z.boolean().optional(),
  }),
  mapping: z.object({ file: z.string().optional(), resourceType: z.string() }),
  patch: z.boolean(),
  etag: z.boolean(),
  undoOf: z.string().optional(),
}) satisfies z.ZodType<PlanHeader>;

const EntrySchema = z.object({
  seq: z.number(),
  action: z.enum(PLAN_ACTIONS),
  row: z.number().optional(),
  line: z.number().optional(),
  display: z.string(),
  reason: z.string().optional(),
  candidates: z.array(z.string()).optional(),
  problems: z.array(InputProblemSchema).optional(),
}) satisfies z.ZodType<PlanSummaryEntry>;
const SampleSchema = z.object({ total: z.number(), first: z.array(EntrySchema) });
const CountsSchema = z.object(
  Object.fromEntries(PLAN_ACTIONS.map((a) => [a, z.number()])) as Record<
    PlanRow['action'],
    z.ZodNumber
  >,
);

const SafeguardStatusSchema = z.object({
  checks: z.array(
    z.object({
      kind: z.enum(['deactivate', 'delete', 'reactivate', 'attribute']),
      attribute: z.string().optional(),
      count: z.number(),
      population: z.number().optional(),
      percent: z.number().optional(),
      limit: z.object({ maxCount: z.number(), maxPercent: z.number() }),
      exceeded: z.boolean(),
      blocks: z.boolean(),
      reason: z.string().optional(),
    }),
  ),
  blocked: z.boolean(),
  overrideCount: z.number(),
}) satisfies z.ZodType<SafeguardStatus>;

const OrphanLineSchema = z.object({
  id: z.string(),
  display: z.string(),
  active: z.string(),
  status: z.enum([
    'planned-deactivate',
    'planned-delete',
    'out-of-scope',
    'protected',
    'not-listed',
    'already-inactive',
    'gone',
  ]),
}) satisfies z.ZodType<OrphanLine>;

export const PlanFileSummarySchema = z.object({
  rows: z.number(),
  counts: CountsSchema,
  changes: z.number(),
  memberships: z.object({
    add: z.number(),
    remove: z.number(),
    groupsToCreate: z.number(),
    groupsToCreateSample: z.array(z.string()),
  }),
  attributes: z.array(z.object({ path: z.string(), rows: z.number() })),
  compared: z.number(),
  conflicts: SampleSchema,
  invalid: SampleSchema,
  problems: z.object({
    errors: z.number(),
    warnings: z.number(),
    byCode: z.record(z.string(), z.number()),
  }),
  problemGroups: GroupedProblemsSchema.optional(),
  mode: z.enum(PLAN_MODES),
  resourceType: z.string(),
  csv: z
    .object({
      file: z.string(),
      rows: z.number(),
      damagedRows: z.number(),
      encoding: z.string(),
      delimiter: z.string(),
      problems: z.array(InputProblemSchema),
      problemsOmitted: z.number(),
    })
    .optional(),
  server: z
    .object({
      source: z.enum(['server', 'snapshot']),
      accounts: z.number(),
      inScope: z.number(),
      snapshot: z.string(),
    })
    .optional(),
  orphans: z
    .object({ count: z.number(), file: z.string(), sample: z.array(OrphanLineSchema) })
    .optional(),
  managers: z
    .object({
      unresolved: z.number(),
      missing: z.array(InputProblemSchema),
      cycles: z.array(z.array(z.number())),
    })
    .optional(),
  protect: z.object({
    entries: z.number(),
    spared: z.number(),
    unmatched: z.array(z.string()),
    unmatchedCount: z.number(),
    checked: z.boolean(),
  }),
  safeguards: SafeguardStatusSchema,
  warnings: z.array(z.string()),
  notes: z.array(z.string()).optional(),
  durationMs: z.number(),
}) satisfies z.ZodType<PlanFileSummary>;

export const PlanIntegritySchema = z.object({
  algorithm: z.literal('sha256'),
  rows: z.number().int().min(0),
  header: z.string(),
  rowsDigest: z.string(),
  summary: z.string(),
  madeWith: PlanHeaderSchema,
}) satisfies z.ZodType<PlanIntegrity>;
