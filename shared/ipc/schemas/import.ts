import { z } from 'zod';
import type { CsvDiagnostics, CsvRow, InputProblem } from '../../import/types';
import type { MappingProblem } from '../../mapping/errors';
import { MappingSpecSchema, type MappingSpec } from '../../mapping/spec';
import type { ColumnConfidence } from '../../mapping/suggest';
import type { ScimResource } from '../../scim/types';
import { CsvOptionsSchema, engineObject, FilePathSchema, IdSchema } from './common';
import { CORE_RESOURCE_KINDS } from '../../scim/resource-types';

const ResourceTypeSchema = z.enum(CORE_RESOURCE_KINDS);

/** Read a CSV through once (diagnostics), keep a sample, and suggest a mapping for it. */
export const ImportInspectRequestSchema = z.strictObject({
  path: FilePathSchema,
  csv: CsvOptionsSchema.optional(),
  /** Schemas for the suggestion come from this connection (built-in ones otherwise). */
  connectionId: IdSchema.optional(),
  presetId: z.string().max(100).optional(),
  resourceType: ResourceTypeSchema.optional(),
});

export type ImportInspection = {
  diagnostics: CsvDiagnostics;
  /** The first rows (at most 25), for the live preview. */
  sample: CsvRow[];
  /** Lines skipped before the header (detected, or the preset's). */
  skipLines: number;
  suggestion: {
    spec: MappingSpec;
    confidence: ColumnConfidence[];
    unmapped: string[];
    preset?: string;
  };
};
export const ImportInspectionSchema = engineObject<ImportInspection>();

/** While `import:inspect` reads a file: rows read so far (a few events a second). */
export const ImportProgressSchema = z.object({ path: z.string(), rows: z.number() });

export type PresetInfo = { id: string; name: string; description: string; skipLines: number };
export const PresetListSchema = z.array(engineObject<PresetInfo>());

/** One attribute the mapping editor's picker offers, described by the server's schemas. */
export type TargetAttribute = {
  path: string;
  type?: string;
  required: boolean;
  mutability: string;
  multiValued: boolean;
  description?: string;
  canonicalValues?: string[];
  /** The schema it belongs to: `core`, or the extension URN. */
  schema: string;
};
export const TargetsRequestSchema = z.strictObject({
  connectionId: IdSchema.optional(),
  resourceType: ResourceTypeSchema,
});
export const TargetListSchema = z.array(engineObject<TargetAttribute>());

/** Map sample rows with a draft mapping: the SCIM JSON each would become, and every problem. */
export const MappingPreviewRequestSchema = z.strictObject({
  spec: z.unknown(),
  headers: z.array(z.string().max(1000)).max(2000),
  rows: z
    .array(
      z.strictObject({
        row: z.number().int(),
        line: z.number().int(),
        cells: z.array(z.string().max(100_000)).max(2000),
      }),
    )
    .max(50),
  connectionId: IdSchema.optional(),
});
export type MappingPreview = {
  /** Problems of the mapping itself (empty when it compiles). */
  mappingProblems: MappingProblem[];
  /** Columns the mapping leaves out, and why. */
  ignored: { column: string; reason: string }[];
  rows: {
    row: number;
    resource?: ScimResource;
    groups?: string[];
    manager?: { by: string; value: string };
    problems: InputProblem[];
  }[];
};
export const MappingPreviewSchema = engineObject<MappingPreview>();

export const MappingLoadRequestSchema = z.strictObject({ path: FilePathSchema });
export const MappingLoadResponseSchema = z.object({ spec: engineObject<MappingSpec>() });
export const MappingSaveRequestSchema = z.strictObject({
  path: FilePathSchema,
  spec: MappingSpecSchema,
});
export const PathResponseSchema = z.object({ path: z.string() });
