import { z } from 'zod';
import {
  ConnectionProfileSchema,
  ConnectionSettingsSchema,
  type ConnectionSummary,
} from '../connections/profile';
import { DISCOVERY_WARNING_CODES, type DiscoveryResult } from '../scim/discovery-types';
import type { Channel, EventName } from './channels';
import {
  DialogResponseSchema,
  OpenDialogRequestSchema,
  SaveDialogRequestSchema,
  ShowInFolderRequestSchema,
} from './schemas/files';
import {
  ImportInspectionSchema,
  ImportProgressSchema,
  ImportInspectRequestSchema,
  MappingLoadRequestSchema,
  MappingLoadResponseSchema,
  MappingPreviewRequestSchema,
  MappingPreviewSchema,
  MappingSaveRequestSchema,
  PathResponseSchema,
  PresetListSchema,
  TargetListSchema,
  TargetsRequestSchema,
} from './schemas/import';
import {
  CleanupPreviewRequestSchema,
  CleanupPreviewSchema,
  CleanupRequestSchema,
  CleanupResultSchema,
} from './schemas/data';
import { RunLogPageSchema, RunLogRequestSchema } from './schemas/run-log';
import { CanaryEvidenceRequestSchema, CanaryEvidenceSchema } from './schemas/canary';
import {
  ApplyStartRequestSchema,
  ExportStartRequestSchema,
  JobControlRequestSchema,
  JobFinishedSchema,
  JobListSchema,
  JobProgressSchema,
  JobStartedSchema,
  RunConnectionRequestSchema,
  RunListSchema,
  RunResumeRequestSchema,
  RunSavedSchema,
  RunSaveRequestSchema,
} from './schemas/jobs';
import {
  PlanIdRequestSchema,
  PlanInfoSchema,
  PlanOpenRequestSchema,
  PlanRowRequestSchema,
  PlanRowResponseSchema,
  PlanStartRequestSchema,
  PlanWindowRequestSchema,
  PlanWindowResponseSchema,
} from './schemas/plan';

/**
 * The one table of the IPC surface: request and response schema per channel, payload schema per
 * event. Main validates every request with it (engine/api/router.ts); tests also parse
 * responses with it to catch drift. Types for the renderer are derived from it.
 */

const Empty = z.strictObject({});

/** Where secrets are kept in this session, and whether that is actually safe. */
const SecretStorageInfoSchema = z.object({
  backend: z.string(),
  secure: z.boolean(),
  warning: z.string().optional(),
});

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  secretStorage: SecretStorageInfoSchema,
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** A profile as the UI sees it: never the secret, only whether one is stored. */
const ConnectionSummarySchema = ConnectionProfileSchema.extend({ hasSecret: z.boolean() });

/** Secrets go in, never out. `null` clears the stored secret; absent keeps it. */
const ConnectionSaveRequestSchema = z.strictObject({
  id: z.string().min(1).optional(),
  settings: ConnectionSettingsSchema,
  secret: z.string().max(16_384).nullable().optional(),
});

const ConnectionIdRequestSchema = z.strictObject({ id: z.string().min(1) });

/**
 * Test a saved profile (`id`), an unsaved draft (`settings` + the secret typed), or unsaved edits
 * of a saved profile (`id` + `settings`; without `secret` the stored one is used).
 */
// One object with a refinement rather than a union, so a bad draft reports `settings.baseUrl`
// instead of an opaque "no union member matched".
const ConnectionTestRequestSchema = z
  .strictObject({
    id: z.string().min(1).optional(),
    settings: ConnectionSettingsSchema.optional(),
    secret: z.string().max(16_384).optional(),
  })
  .refine((r) => r.id !== undefined || r.settings !== undefined, {
    error: 'give the id of a saved connection or the settings to test',
    path: ['id'],
  });

const ProbeOutcomeSchema = z.object({
  advertised: z.boolean().optional(),
  observed: z.enum(['yes', 'no', 'unknown']),
  note: z.string().optional(),
});

const SchemaAttributeSchema: z.ZodType<DiscoveryResult['schemas'][number]['attributes'][number]> =
  z.lazy(() =>
    z.object({
      name: z.string(),
      type: z.enum([
        'string',
        'boolean',
        'decimal',
        'integer',
        'dateTime',
        'reference',
        'complex',
        'binary',
      ]),
      multiValued: z.boolean(),
      description: z.string().optional(),
      required: z.boolean(),
      caseExact: z.boolean(),
      mutability: z.enum(['readOnly', 'readWrite', 'immutable', 'writeOnly']),
      returned: z.enum(['always', 'never', 'default', 'request']),
      uniqueness: z.enum(['none', 'server', 'global']),
      canonicalValues: z.array(z.string()).optional(),
      referenceTypes: z.array(z.string()).optional(),
      subAttributes: z.array(SchemaAttributeSchema).optional(),
    }),
  );

/** RFC 7643 §5–§7 as normalised by discovery, plus probes and what the engine will use. */
const DiscoveryResultSchema = z.object({
  baseUrl: z.string(),
  serviceProviderConfig: z.object({
    patch: z.object({ supported: z.boolean() }),
    bulk: z.object({
      supported: z.boolean(),
      maxOperations: z.number(),
      maxPayloadSize: z.number(),
    }),
    filter: z.object({ supported: z.boolean(), maxResults: z.number() }),
    changePassword: z.object({ supported: z.boolean() }),
    sort: z.object({ supported: z.boolean() }),
    etag: z.object({ supported: z.boolean() }),
    pagination: z.object({
      cursor: z.boolean(),
      index: z.boolean(),
      defaultPaginationMethod: z.enum(['cursor', 'index']).optional(),
      defaultPageSize: z.number().optional(),
      maxPageSize: z.number().optional(),
      cursorTimeout: z.number().optional(),
    }),
    authenticationSchemes: z.array(
      z.object({
        type: z.string(),
        name: z.string(),
        description: z.string().optional(),
        primary: z.boolean().optional(),
      }),
    ),
  }),
  resourceTypes: z.array(
    z.object({
      id: z.string().optional(),
      name: z.string(),
      endpoint: z.string(),
      description: z.string().optional(),
      schema: z.string(),
      schemaExtensions: z.array(z.object({ schema: z.string(), required: z.boolean() })),
    }),
  ),
  schemas: z.array(
    z.object({
      id: z.string(),
      name: z.string().optional(),
      description: z.string().optional(),
      attributes: z.array(SchemaAttributeSchema),
    }),
  ),
  schemaSource: z.enum(['server', 'builtin', 'mixed']),
  probes: z.object({
    filterEq: ProbeOutcomeSchema,
    indexPaging: ProbeOutcomeSchema,
    cursorPaging: ProbeOutcomeSchema,
    etag: ProbeOutcomeSchema,
    patch: ProbeOutcomeSchema,
    bulk: ProbeOutcomeSchema,
  }),
  effective: z.object({
    paging: z.enum(['cursor', 'index', 'none', 'refused']),
    pageSize: z.number(),
    bulk: z.object({ enabled: z.boolean(), maxOperations: z.number(), maxPayloadSize: z.number() }),
    patch: z.boolean(),
    etag: z.boolean(),
    filter: z.boolean(),
    sort: z.boolean(),
  }),
  warnings: z.array(z.object({ code: z.enum(DISCOVERY_WARNING_CODES), message: z.string() })),
  durationMs: z.number(),
}) satisfies z.ZodType<DiscoveryResult>;

/** Something the user should know that did not come from a request (e.g. storage fell back). */
const AppNoticeSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});

/** A command chosen in the application menu (or its keyboard shortcut), for the renderer to do. */
export const MENU_COMMANDS = [
  'go-connections',
  'go-import',
  'go-export',
  'go-sweep',
  'go-runs',
  'open-csv',
] as const;
const AppMenuCommandSchema = z.object({ command: z.enum(MENU_COMMANDS) });

/** Request/response schema per channel. Keys must equal CHANNELS (checked below and in a test). */
export const contract = {
  'app:info': { request: Empty, response: AppInfoSchema },
  'connections:list': { request: Empty, response: z.array(ConnectionSummarySchema) },
  'connections:save': { request: ConnectionSaveRequestSchema, response: ConnectionSummarySchema },
  'connections:remove': {
    request: ConnectionIdRequestSchema,
    response: z.object({ id: z.string() }),
  },
  'connections:test': { request: ConnectionTestRequestSchema, response: DiscoveryResultSchema },
  'dialog:open': { request: OpenDialogRequestSchema, response: DialogResponseSchema },
  'dialog:save': { request: SaveDialogRequestSchema, response: DialogResponseSchema },
  'shell:show-in-folder': { request: ShowInFolderRequestSchema, response: Empty },
  'import:inspect': { request: ImportInspectRequestSchema, response: ImportInspectionSchema },
  'mapping:presets': { request: Empty, response: PresetListSchema },
  'mapping:targets': { request: TargetsRequestSchema, response: TargetListSchema },
  'mapping:preview': { request: MappingPreviewRequestSchema, response: MappingPreviewSchema },
  'mapping:load': { request: MappingLoadRequestSchema, response: MappingLoadResponseSchema },
  'mapping:save': { request: MappingSaveRequestSchema, response: PathResponseSchema },
  'plan:start': { request: PlanStartRequestSchema, response: JobStartedSchema },
  'plan:open': { request: PlanOpenRequestSchema, response: PlanInfoSchema },
  'plan:info': { request: PlanIdRequestSchema, response: PlanInfoSchema },
  'plan:window': { request: PlanWindowRequestSchema, response: PlanWindowResponseSchema },
  'plan:row': { request: PlanRowRequestSchema, response: PlanRowResponseSchema },
  'apply:start': { request: ApplyStartRequestSchema, response: JobStartedSchema },
  'export:start': { request: ExportStartRequestSchema, response: JobStartedSchema },
  'jobs:list': { request: Empty, response: JobListSchema },
  'jobs:control': { request: JobControlRequestSchema, response: Empty },
  'runs:list': { request: Empty, response: RunListSchema },
  'runs:resume': { request: RunResumeRequestSchema, response: JobStartedSchema },
  'runs:undo': { request: RunConnectionRequestSchema, response: JobStartedSchema },
  'runs:save-report': { request: RunSaveRequestSchema, response: RunSavedSchema },
  'runs:save-failed': { request: RunSaveRequestSchema, response: RunSavedSchema },
  'runs:log': { request: RunLogRequestSchema, response: RunLogPageSchema },
  'runs:canary': { request: CanaryEvidenceRequestSchema, response: CanaryEvidenceSchema },
  'data:cleanup-preview': { request: CleanupPreviewRequestSchema, response: CleanupPreviewSchema },
  'data:cleanup': { request: CleanupRequestSchema, response: CleanupResultSchema },
} as const;

/** Payload schema per event. Keys must equal EVENTS. */
export const events = {
  'app:notice': AppNoticeSchema,
  'app:menu': AppMenuCommandSchema,
  'job:progress': JobProgressSchema,
  'job:finished': JobFinishedSchema,
  'import:progress': ImportProgressSchema,
} as const;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * Compile-time proof that the contract and channels.ts name the same channels and events, and
 * that the wire summary matches the engine's ConnectionSummary type. Any drift fails `tsc`.
 */
type ContractMatchesChannels = [
  Same<keyof typeof contract, Channel>,
  Same<keyof typeof events, EventName>,
  Same<z.output<typeof ConnectionSummarySchema>, ConnectionSummary>,
] extends [true, true, true]
  ? true
  : never;
/** Instantiated so a mismatch is an error here rather than a silent `never`. */
export const CONTRACT_MATCHES_CHANNELS: ContractMatchesChannels = true;

/** What the renderer passes (before defaults are applied). */
export type RequestOf<C extends Channel> = z.input<(typeof contract)[C]['request']>;
/** What the handler receives (after validation and defaults). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof contract)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof contract)[C]['response']>;
export type EventOf<E extends EventName> = z.output<(typeof events)[E]>;
