/**
 * The first stage of planning: the options, the CSV opened (its header read), the mapping
 * compiled against the server's schemas, the resource type resolved, and the targets checked
 * (a read-only target is an error for the whole plan; non-canonical types are warnings).
 */
import { dirname } from 'node:path';
import { stat } from 'node:fs/promises';
import { withBuiltinSchemas } from '../../shared/columns/columns';
import { AppError } from '../../shared/errors/errors';
import { compileMapping, type CompiledMapping } from '../mapping/compile';
import type { MappingSpec } from '../../shared/mapping/spec';
import type { PlanMode } from '../../shared/plan/plan-format';
import { checkTargetsWritable } from './validate-row';
import type { ScimSchema } from '../../shared/scim/types';
import { builtinResourceType, type CoreResourceKind } from '../../shared/scim/resource-types';
import type { OpenConnection } from '../connections/open-connection';
import { openCsv, readOptionsOf, type CsvReadOptions, type CsvSource } from '../csv/read-csv';
import type { PlanAcceptance } from './row-guards';
import type { SafeguardSettings } from './safeguards';

export type PlanSource =
  | { kind: 'server'; conn: OpenConnection; workDir: string; connectionName?: string }
  | { kind: 'snapshot'; file: string };

export type PlanOptions = {
  csvFile: string;
  mapping: MappingSpec;
  mappingFile?: string;
  mode?: PlanMode;
  /** Sweeps of unlisted accounts only touch accounts this filter selects. */
  scope?: string;
  /** Never touched: ids, userNames, externalIds or emails. */
  protect?: readonly string[];
  outFile: string;
  source: PlanSource;
  /** Stricter (or, in tests, other) safeguard limits than the defaults. */
  safeguards?: Partial<SafeguardSettings>;
  csv?: CsvReadOptions;
  /** What the admin accepts explicitly; rows with Excel damage or in a manager cycle are held back otherwise. */
  accept?: PlanAcceptance;
  /**
   * How the server is read: `snapshot` (default) exports every account once — needed for the
   * orphan report and unlisted sweeps; `per-row` queries each row's keys with `eq` filters, for a
   * small CSV against a large server (no orphan report).
   */
  lookup?: 'snapshot' | 'per-row';
  /** Direct GETs in flight when re-verifying sweep candidates (default 8). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: PlanProgress) => void;
};

export type PlanProgress = {
  phase: 'snapshot' | 'index' | 'rows' | 'sweep';
  done: number;
  total?: number;
};

/** The resource type planned, as the server (or the built-in schemas) describe it. */
export type PlanResourceInfo = {
  endpoint: string;
  name: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
};

export type PlanInput = {
  mode: PlanMode;
  csv: CsvSource;
  compiled: CompiledMapping;
  schemas: readonly ScimSchema[];
  rt: PlanResourceInfo;
  warnings: string[];
};

function resourceTypeInfo(source: PlanSource, kind: CoreResourceKind): PlanResourceInfo {
  if (source.kind === 'server') {
    const info = source.conn.client.resourceType(kind);
    if (!info) {
      throw new AppError('config', `The server has no ${kind} resource type.`, {
        nextStep: 'Choose a mapping for a resource type the server offers.',
      });
    }
    return info;
  }
  return builtinResourceType(kind);
}

async function assertFolder(file: string): Promise<void> {
  const folder = dirname(file);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AppError('config', `Cannot write ${file}: the folder ${folder} does not exist.`, {
      nextStep: 'Create the folder or choose another output file.',
    });
  }
}

/** The CSV reader options of a plan (the mapping's skipped lines and header row first). */
export function csvOptions(opts: PlanOptions, withSignal: boolean): CsvReadOptions {
  return {
    ...readOptionsOf(opts.mapping),
    ...opts.csv,
    ...(withSignal && opts.signal ? { signal: opts.signal } : {}),
  };
}

/** Opens the CSV, compiles the mapping and checks its targets (see the file comment). */
export async function openPlanInput(opts: PlanOptions): Promise<PlanInput> {
  await assertFolder(opts.outFile);
  const csv = await openCsv(opts.csvFile, csvOptions(opts, true));
  const source = opts.source;
  const schemas = withBuiltinSchemas(source.kind === 'server' ? source.conn.discovery.schemas : []);
  const compiled = compileMapping(opts.mapping, csv.info.headers, {
    schemas,
    ...(opts.mappingFile ? { file: opts.mappingFile } : {}),
    csvFile: opts.csvFile,
  });
  const rt = resourceTypeInfo(source, compiled.resourceType);
  const targetProblems = checkTargetsWritable(compiled.targets, schemas);
  const fatal = targetProblems.filter((p) => p.severity === 'error');
  if (fatal.length) {
    throw new AppError('config', fatal.map((p) => p.message).join(' '), {
      nextStep: fatal[0]?.nextStep ?? 'Change the mapping.',
    });
  }
  return {
    mode: opts.mode ?? 'upsert',
    csv,
    compiled,
    schemas,
    rt,
    warnings: targetProblems.map((p) => p.message),
  };
}
