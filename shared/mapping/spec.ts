/**
 * The mapping spec: a versioned JSON document saying how the columns of an HR CSV become SCIM
 * attributes (issue "Import planning", must-have 2). Targets are column paths of the export's
 * round-trip column model (`shared/columns/columns.ts`), so an export maps back 1:1.
 *
 * ```json
 * {
 *   "version": 1,
 *   "resourceType": "User",
 *   "attributes": [
 *     { "target": "userName", "source": { "column": "Work Email" }, "transforms": ["lower"] },
 *     { "target": "name.givenName", "source": { "columns": ["Preferred Name", "First Name"] } },
 *     { "target": "displayName", "source": { "template": "{First Name} {Last Name}" } },
 *     { "target": "title", "source": { "column": "Job Title" }, "empty": "clear" }
 *   ],
 *   "active": { "column": "Employment Status" },
 *   "groups": { "column": "Groups", "delimiter": ";", "mode": "add" },
 *   "manager": { "column": "Manager Employee ID", "by": "employeeNumber" },
 *   "match": { "keys": [["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"], ["userName"]] }
 * }
 * ```
 *
 * {@link parseMappingSpec} validates a document (every problem at once, by JSON path) and fills in
 * defaults; {@link serializeMappingSpec} writes one back.
 */
import { z } from 'zod';
import { dateFormatError } from './dates';
import { jsonPath, MappingError } from './errors';
import { regexProblem } from './regex';
import { parseTemplate } from './template';
import { overlappingWords } from './words';
import { CORE_RESOURCE_KINDS, type CoreResourceKind } from '../scim/resource-types';

/** The format version this code reads and writes. */
const MAPPING_SPEC_VERSION = 1;

/**
 * What an empty value (after transforms) means for the attribute:
 * - `keep`: leave whatever the server has (the default);
 * - `clear`: remove the attribute's value on the server;
 * - `{ default }`: use this text instead.
 */
export type EmptyPolicy = 'keep' | 'clear' | { default: string };

/** Where an attribute's value comes from. */
export type Source =
  /** One CSV column, by header. */
  | { column: string }
  /** Several columns: the first whose cell is not empty (coalesce). */
  | { columns: string[] }
  /** Text with `{Column}` placeholders; see `template.ts`. */
  | { template: string }
  /** The same text for every row. */
  | { constant: string };

/** Transforms without parameters. */
export type SimpleTransform =
  /** Remove white space at both ends. */
  | { op: 'trim' }
  /** Lower case. */
  | { op: 'lower' }
  /** Upper case. */
  | { op: 'upper' }
  /** Each word capitalised, the rest lower case (`o'BRIEN` → `O'Brien`). */
  | { op: 'title' }
  /** Accents removed (NFKD), `ß`→`ss`, `Ø`→`O`, `Æ`→`AE` and the like. */
  | { op: 'normalizeDiacritics' }
  /** Runs of white space as one space, trimmed. */
  | { op: 'collapseWhitespace' };

/**
 * One step applied to the value (a string) in order. In a spec file a transform without
 * parameters may be written as its name alone: `"trim"` is `{ "op": "trim" }`. A transform that
 * cannot handle a cell (a date that does not parse, a word not in a lookup table with
 * `otherwise: "error"`) makes that row invalid with a `transform_failed` problem; the run goes on.
 */
export type Transform =
  | SimpleTransform
  /** The `index`th part (0-based; negative counts from the end) of the value cut at `delimiter`; empty when there is none. */
  | { op: 'split'; delimiter: string; index: number }
  /**
   * The value cut at `delimiter`, parts trimmed, empty parts dropped, joined as a multi-valued cell
   * (`;` with `\;` escapes), for joined targets such as `roles.value`: `Sales, Admin` → `Sales;Admin`.
   */
  | { op: 'join'; delimiter: string }
  /** JavaScript regular-expression replace; `replacement` may use `$1`. Cells over 1000 characters fail. */
  | { op: 'regexReplace'; pattern: string; flags?: string; replacement: string }
  /** Every occurrence of the literal text `find` replaced. */
  | { op: 'replace'; find: string; replacement: string }
  /** `value` when the value is empty. */
  | { op: 'default'; value: string }
  /** Always `value`, whatever the cell says. */
  | { op: 'constant'; value: string }
  /**
   * The table's entry for the value. An empty value stays empty (unless the table has a `""` key).
   * `otherwise`: what a value not in the table becomes: `keep` it (default), `empty`, or `error`.
   */
  | {
      op: 'lookup';
      table: Record<string, string>;
      caseInsensitive?: boolean;
      otherwise?: 'keep' | 'empty' | 'error';
    }
  /**
   * A date in one of the `from` formats (tried in order; see `dates.ts`: `M/D/YYYY`, `D.M.YYYY`,
   * `YYYY-MM-DD`, `DD-MMM-YYYY`, `excelSerial`, …) written as `YYYY-MM-DD` or
   * `YYYY-MM-DDTHH:mm:ssZ`.
   */
  | { op: 'date'; from: string[]; to: 'iso-date' | 'iso-datetime' }
  /**
   * A number written with `decimal` as the decimal mark (the other mark, spaces and `'` are
   * thousands separators), as plain decimal text: `1.234,50` with `,` → `1234.5`.
   */
  | { op: 'number'; decimal: '.' | ',' }
  /** `true`/`false` from yes/no words (defaults: `words.ts`); an unknown word fails the row. */
  | { op: 'boolean'; true?: string[]; false?: string[] }
  /** `value` + the value, when the value is not empty. */
  | { op: 'prefix'; value: string }
  /** The value + `value`, when the value is not empty. */
  | { op: 'suffix'; value: string };

/** One SCIM attribute and where its value comes from. */
export type AttributeMapping = {
  /** A column path as in the export: `userName`, `emails[type eq "work"].value`, `urn:…:User:employeeNumber`. */
  target: string;
  source: Source;
  /** Applied in order to the source value. */
  transforms?: Transform[];
  /** What an empty value means; defaults to the spec's `empty`, else `keep`. */
  empty?: EmptyPolicy;
  /** When the source column(s) are missing from the CSV, drop this mapping instead of failing. */
  optional?: boolean;
};

/** The `active` attribute from a status column. */
export type ActiveMapping = {
  /** The status column. */
  column: string;
  /** Words meaning active (case-insensitive); given, they replace the defaults (`words.ts`). */
  trueWords?: string[];
  /** Words meaning inactive; given, they replace the defaults. */
  falseWords?: string[];
  /** What an empty status cell means (default `keep`). */
  empty?: EmptyPolicy;
  /** When the column is missing from the CSV, drop this mapping instead of failing. */
  optional?: boolean;
};

/** Group memberships from a column of group display names. */
export type GroupsMapping = {
  column: string;
  /**
   * What separates group names (default `;`). With `;`, the export's escapes (`\;`, `\\`) are
   * understood, so an exported `groups` column reads back unchanged.
   */
  delimiter?: ';' | ',' | '|';
  /**
   * `add` (default): only add the memberships listed. `sync`: also remove the user from groups
   * not listed.
   */
  mode?: 'add' | 'sync';
  /** Trim white space around each name (default true). */
  trim?: boolean;
  /**
   * An empty cell: `keep` (default) leaves memberships alone; `clear` means "in no group", which
   * in `sync` mode removes every membership.
   */
  empty?: 'keep' | 'clear';
  /** When the column is missing from the CSV, drop this mapping instead of failing. */
  optional?: boolean;
};

/** The key a manager column holds, to be resolved to the manager's SCIM id by the planner. */
export type ManagerKey = 'employeeNumber' | 'userName' | 'externalId' | 'email';

/** The manager (enterprise extension `manager.value`) from a column naming the manager. */
export type ManagerMapping = {
  column: string;
  /** What the column holds. */
  by: ManagerKey;
  /** Applied to the key before it is looked up. */
  transforms?: Transform[];
  /** What an empty cell means for `manager.value` (default `keep`). */
  empty?: 'keep' | 'clear';
  /** When the column is missing from the CSV, drop this mapping instead of failing. */
  optional?: boolean;
};

/** How rows find their existing server resource. */
export type MatchSpec = {
  /**
   * Keys in order of precedence; each is an AND of target paths, e.g.
   * `[["externalId"], ["userName"], ["emails[type eq \"work\"].value"]]`. Every path must be a
   * target of the mapping. Default: `externalId`, then `userName` (`displayName` for groups),
   * those that are mapped.
   */
  keys: string[][];
};

/** A mapping spec, version 1, with defaults filled in. */
export type MappingSpec = {
  /** Format version: 1. */
  version: 1;
  /** A name for the mapping, shown in the UI. */
  name?: string;
  /** What the mapping is for. */
  description?: string;
  /** The resource type rows become (default `User`). */
  resourceType: CoreResourceKind;
  /**
   * Map every CSV header that is a SCIM column path to itself (a SCIM Porter export), besides
   * `attributes`. `id`, `meta.*`, `password` and read-only attributes are skipped; a `groups`
   * column becomes the groups mapping, in `sync` mode unless `groups` says otherwise.
   */
  identity?: boolean;
  /**
   * Lines before the header row that the CSV reader must skip (the Microsoft Entra template's
   * `version:v1.0` line). Default 0.
   */
  skipLines?: number;
  /**
   * Whether the first line after `skipLines` is the header row. Unset: it is, and the reader
   * refuses a file whose first line looks like data or like a title. `false`: the file has no
   * header row; its columns are called `Column 1`, `Column 2`, …. `true`: it is, no questions asked.
   */
  header?: boolean;
  /** Trim white space around every cell before any transform (default true). */
  trim?: boolean;
  /** The empty policy of attributes that do not set one (default `keep`). */
  empty?: EmptyPolicy;
  /** Attribute mappings. */
  attributes: AttributeMapping[];
  active?: ActiveMapping;
  groups?: GroupsMapping;
  manager?: ManagerMapping;
  match?: MatchSpec;
};

// ---------------------------------------------------------------------------------------------
// Zod schema

const nonEmpty = z.string().min(1, 'must not be empty');

const EmptyPolicySchema = z.union(
  [z.enum(['keep', 'clear']), z.strictObject({ default: z.string() })],
  { error: 'must be "keep", "clear" or {"default": "…"}' },
);

const TemplateSchema = z.string().superRefine((t, ctx) => {
  const parsed = parseTemplate(t);
  if (!parsed.ok)
    ctx.addIssue({ code: 'custom', message: `the template is not valid: ${parsed.reason}` });
});

const SourceSchema = z.union(
  [
    z.strictObject({ column: nonEmpty }),
    z.strictObject({ columns: z.array(nonEmpty).min(1, 'must name at least one column') }),
    z.strictObject({ template: TemplateSchema }),
    z.strictObject({ constant: z.string() }),
  ],
  { error: 'must be one of {"column": …}, {"columns": […]}, {"template": …} or {"constant": …}' },
);

const WordListSchema = z.array(nonEmpty).min(1, 'must list at least one word');

const SIMPLE_OPS = [
  'trim',
  'lower',
  'upper',
  'title',
  'normalizeDiacritics',
  'collapseWhitespace',
] as const;

const RegexReplaceSchema = z
  .strictObject({
    op: z.literal('regexReplace'),
    pattern: nonEmpty,
    flags: z.string().optional(),
    replacement: z.string(),
  })
  .superRefine((t, ctx) => {
    const problem = regexProblem(t.pattern, t.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
  });

const DateFormatSchema = z.string().superRefine((f, ctx) => {
  const problem = dateFormatError(f);
  if (problem) ctx.addIssue({ code: 'custom', message: `"${f}" is not a date format: ${problem}` });
});

const BooleanTransformSchema = z
  .strictObject({
    op: z.literal('boolean'),
    true: WordListSchema.optional(),
    false: WordListSchema.optional(),
  })
  .superRefine((t, ctx) => {
    checkOverlap(t.true, t.false, ctx);
  });

const TransformObjectSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.enum(SIMPLE_OPS) }),
  z.strictObject({ op: z.literal('split'), delimiter: nonEmpty, index: z.number().int() }),
  z.strictObject({ op: z.literal('join'), delimiter: nonEmpty }),
  RegexReplaceSchema,
  z.strictObject({ op: z.literal('replace'), find: nonEmpty, replacement: z.string() }),
  z.strictObject({ op: z.literal('default'), value: z.string() }),
  z.strictObject({ op: z.literal('constant'), value: z.string() }),
  z.strictObject({
    op: z.literal('lookup'),
    table: z.record(z.string(), z.string()),
    caseInsensitive: z.boolean().optional(),
    otherwise: z.enum(['keep', 'empty', 'error']).optional(),
  }),
  z.strictObject({
    op: z.literal('date'),
    from: z
      .union([DateFormatSchema, z.array(DateFormatSchema).min(1, 'must list at least one format')])
      .transform((f) => (Array.isArray(f) ? f : [f])),
    to: z.enum(['iso-date', 'iso-datetime']),
  }),
  z.strictObject({ op: z.literal('number'), decimal: z.enum(['.', ',']) }),
  BooleanTransformSchema,
  z.strictObject({ op: z.literal('prefix'), value: z.string() }),
  z.strictObject({ op: z.literal('suffix'), value: z.string() }),
]);

/** A transform, or the name of one without parameters (`"trim"`). */
const TransformSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { op: v } : v),
  TransformObjectSchema,
);

const AttributeSchema = z.strictObject({
  target: nonEmpty,
  source: SourceSchema,
  transforms: z.array(TransformSchema).optional(),
  empty: EmptyPolicySchema.optional(),
  optional: z.boolean().optional(),
});

const ActiveSchema = z
  .strictObject({
    column: nonEmpty,
    trueWords: WordListSchema.optional(),
    falseWords: WordListSchema.optional(),
    empty: EmptyPolicySchema.optional(),
    optional: z.boolean().optional(),
  })
  .superRefine((a, ctx) => {
    checkOverlap(a.trueWords, a.falseWords, ctx);
  });

const GroupsSchema = z.strictObject({
  column: nonEmpty,
  delimiter: z.enum([';', ',', '|']).optional(),
  mode: z.enum(['add', 'sync']).optional(),
  trim: z.boolean().optional(),
  empty: z.enum(['keep', 'clear']).optional(),
  optional: z.boolean().optional(),
});

const ManagerSchema = z.strictObject({
  column: nonEmpty,
  by: z.enum(['employeeNumber', 'userName', 'externalId', 'email']),
  transforms: z.array(TransformSchema).optional(),
  empty: z.enum(['keep', 'clear']).optional(),
  optional: z.boolean().optional(),
});

const MatchSchema = z.strictObject({
  keys: z.array(z.array(nonEmpty).min(1, 'a key must name at least one target')),
});

/** The zod schema of a mapping spec document (input: JSON; output: {@link MappingSpec}). */
export const MappingSpecSchema = z.strictObject({
  version: z.literal(MAPPING_SPEC_VERSION, {
    error: `must be ${MAPPING_SPEC_VERSION} (the mapping format this SCIM Porter reads)`,
  }),
  name: z.string().optional(),
  description: z.string().optional(),
  resourceType: z.enum(CORE_RESOURCE_KINDS).default('User'),
  identity: z.boolean().optional(),
  skipLines: z.number().int().min(0).max(100).optional(),
  header: z.boolean().optional(),
  trim: z.boolean().optional(),
  empty: EmptyPolicySchema.optional(),
  attributes: z.array(AttributeSchema).default([]),
  active: ActiveSchema.optional(),
  groups: GroupsSchema.optional(),
  manager: ManagerSchema.optional(),
  match: MatchSchema.optional(),
}) satisfies z.ZodType<MappingSpec>;

/** Adds an issue when a word is in both lists. */
function checkOverlap(
  trueWords: readonly string[] | undefined,
  falseWords: readonly string[] | undefined,
  ctx: z.RefinementCtx,
): void {
  if (!trueWords || !falseWords) return;
  const both = overlappingWords(trueWords, falseWords);
  if (both.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `${both.map((w) => `"${w}"`).join(', ')} cannot mean both true and false`,
    });
  }
}

/** The message of one zod issue, in words for an admin editing JSON. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_union' && issue.discriminator === 'op' && 'options' in issue) {
    return `"op" must be one of ${(issue.options ?? []).map(String).join(', ')}`;
  }
  return issue.message;
}

/**
 * Validates a parsed JSON document as a mapping spec and fills in defaults (`resourceType` User,
 * `attributes` []). Throws a {@link MappingError} naming the JSON path of every problem.
 */
export function parseMappingSpec(json: unknown, file?: string): MappingSpec {
  const result = MappingSpecSchema.safeParse(json);
  if (!result.success) {
    throw new MappingError(
      result.error.issues.map((i) => ({ path: jsonPath(i.path), message: issueMessage(i) })),
      file,
    );
  }
  return result.data;
}

/** Parses the text of a spec file (JSON), then {@link parseMappingSpec}. */
export function parseMappingSpecText(text: string, file?: string): MappingSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new MappingError([{ path: '(spec)', message: `it is not valid JSON (${reason})` }], file);
  }
  return parseMappingSpec(json, file);
}

/** Top-level keys in the order a written spec lists them. */
const KEY_ORDER: readonly (keyof MappingSpec)[] = [
  'version',
  'name',
  'description',
  'resourceType',
  'identity',
  'skipLines',
  'header',
  'trim',
  'empty',
  'attributes',
  'active',
  'groups',
  'manager',
  'match',
];

const SIMPLE_OP_SET: ReadonlySet<string> = new Set(SIMPLE_OPS);

/** A transform as written: simple ones by name alone (`"trim"`). */
function writtenTransform(t: Transform): Transform | string {
  return SIMPLE_OP_SET.has(t.op) ? t.op : t;
}

/**
 * The spec as JSON text (2-space indented, keys in a fixed order, parameterless transforms by
 * name, trailing newline), readable by {@link parseMappingSpec}.
 */
export function serializeMappingSpec(spec: MappingSpec): string {
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) {
    if (spec[key] !== undefined) out[key] = spec[key];
  }
  out.attributes = spec.attributes.map((a) =>
    a.transforms ? { ...a, transforms: a.transforms.map(writtenTransform) } : a,
  );
  if (spec.manager?.transforms) {
    out.manager = { ...spec.manager, transforms: spec.manager.transforms.map(writtenTransform) };
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}
