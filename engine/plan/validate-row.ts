/**
 * Checks a mapped row against the schemas before it is planned, and the mapping's targets once per
 * plan. Every problem names the file, line, row, CSV column and value, says what is wrong in one
 * sentence and what to do next.
 *
 * Per row (`validateDesired`):
 * - `required_missing` (error): a new resource lacks a required attribute — `userName` for Users,
 *   `displayName` for Groups, and whatever the schemas (and required extensions) mark required;
 * - `required_cleared` (error): an update would clear (or blank) a required simple attribute;
 * - `not_boolean`, `not_integer`, `not_decimal`, `not_datetime` (errors): the text is not of the
 *   attribute's type (for a joined cell: the first item that is not);
 * - `invalid_email` (error): an `emails` value that is not an address;
 * - `not_canonical` (warning): a value outside the attribute's canonical values (servers vary).
 *
 * Once per plan (`checkTargetsWritable`): `read_only_target` (error) for targets the server owns,
 * and `not_canonical_type` (warning) for value filters on a non-canonical `type`
 * (`emails[type eq "alumni"]`). What a change may write (immutable and read-only attributes) is
 * checked per row by `write-rules.ts`.
 */
import { findSubAttribute, splitMultiValue, type ColumnSpec } from '../../shared/columns/columns';
import type { DesiredCell, InputProblem } from '../../shared/import/types';
import { sameAttrName } from '../../shared/scim/attribute-path';
import type { ScimSchema } from '../../shared/scim/types';
import { dateTimeKey, parseBooleanCell, parseIntegerCell, parseNumberCell } from './cell-values';
import {
  resourceKind,
  resourceNoun,
  schemaById,
  type PlanResourceType,
} from '../resources/resource-type';
import { compileTargets, type TargetInfo } from './target-info';
import { PROBLEM_VALUE_CHARS, shorten } from '../../shared/util/shorten';
import type { ValueProblemCode } from '../../shared/problems/codes';

/** Options for {@link validateDesired}. */
export type ValidateOptions = {
  /** The server's schemas; the built-in RFC 7643 ones fill the gaps. */
  readonly schemas?: readonly ScimSchema[];
  readonly resourceType: PlanResourceType;
  /** The row will create a resource (required attributes must be present). */
  readonly forCreate: boolean;
  readonly file: string;
  readonly row: number;
  readonly line: number;
  /** The CSV columns each target is built from, index-aligned with the targets. */
  readonly sourceColumns?: readonly (readonly string[])[];
};

/** Longest value quoted in a message. */
const QUOTE_LIMIT = 60;

/** The problems of one mapped row (see the file comment). */
export function validateDesired(
  targets: readonly ColumnSpec[],
  cells: readonly DesiredCell[],
  opts: ValidateOptions,
): InputProblem[] {
  const compiled = compileTargets(targets, opts.schemas);
  const problems: InputProblem[] = [];
  for (const info of compiled.infos) {
    if (!info.path || info.mutability === 'readOnly') continue;
    const cell = cells[info.index];
    if (typeof cell !== 'string' || cell === '') continue;
    if (info.path.kind !== 'joined') {
      const problem = valueProblem(info, cell, opts);
      if (problem) problems.push(problem);
      continue;
    }
    for (const value of splitMultiValue(cell)) {
      const problem = valueProblem(info, value, opts);
      if (problem) {
        problems.push(problem);
        break;
      }
    }
  }
  problems.push(...requiredProblems(compiled.infos, cells, compiled.schemas, opts));
  return problems;
}

/** Type checks: how a value fails its attribute's type (code, what the type takes, next step). */
const TYPE_CHECKS: Partial<
  Record<
    TargetInfo['type'],
    { fails(value: string): boolean; code: ValueProblemCode; takes: string; next: string }
  >
> = {
  boolean: {
    fails: (v) => parseBooleanCell(v) === undefined,
    code: 'not_boolean',
    takes: 'takes true or false',
    next: 'Write true or false, or add a boolean transform to this column in the mapping (it turns yes/no, 1/0 and similar words into true and false).',
  },
  integer: {
    fails: (v) => parseIntegerCell(v) === undefined,
    code: 'not_integer',
    takes: 'takes a whole number',
    next: 'Write a whole number such as 42, without spaces, thousands separators or decimals.',
  },
  decimal: {
    fails: (v) => parseNumberCell(v) === undefined,
    code: 'not_decimal',
    takes: 'takes a number',
    next: 'Write a number such as 1234.5, or add a number transform to this column in the mapping to read numbers written with a decimal comma or thousands separators.',
  },
  dateTime: {
    fails: (v) => dateTimeKey(v) === undefined,
    code: 'not_datetime',
    takes: 'takes a date and time in ISO 8601 form, such as 2024-01-31T09:00:00Z',
    next: 'Add a date transform to this column in the mapping, with the format the file uses (e.g. D.M.YYYY) and "to": "iso-datetime".',
  },
};

/**
 * The first problem with one value of a target, if any. This runs for every cell of every row, so
 * a message (and the quoted value in it) is built only for a value that has a problem.
 */
function valueProblem(
  info: TargetInfo,
  value: string,
  opts: ValidateOptions,
): InputProblem | undefined {
  const type = TYPE_CHECKS[info.type];
  if (type?.fails(value)) {
    const message = `${leadOf(opts, info, value)}; ${info.label} ${type.takes}.`;
    return rowProblem(opts, info, value, type.code, 'error', message, type.next);
  }
  if (isEmailColumn(info) && !isEmailAddress(value)) {
    return rowProblem(
      opts,
      info,
      value,
      'invalid_email',
      'error',
      `${leadOf(opts, info, value)}, which is not an email address.`,
      'Correct the address in the file (one @, no spaces, and a domain such as example.com), or leave the cell empty.',
    );
  }
  const canonical = info.canonicalValues;
  if (canonical && !canonical.some((c) => c.toLowerCase() === value.toLowerCase())) {
    return rowProblem(
      opts,
      info,
      value,
      'not_canonical',
      'warning',
      `${leadOf(opts, info, value)}; ${info.label} is usually one of ${canonical.join(', ')}.`,
      'Check that the server accepts this value, or add a lookup transform to the mapping that turns it into one of the usual values.',
    );
  }
  return undefined;
}

/** `Row 12 has "x" in column "Email"`: how a value's problem message starts. */
function leadOf(opts: ValidateOptions, info: TargetInfo, value: string): string {
  return `Row ${opts.row} has ${quote(value)} ${inColumn(opts, info)}`;
}

/** {@link isEmailColumn} per target, worked out once (this runs for every cell). */
const emailColumns = new WeakMap<TargetInfo, boolean>();

/** True for the `value` of a core `emails` attribute. */
function isEmailColumn(info: TargetInfo): boolean {
  let known = emailColumns.get(info);
  if (known === undefined) {
    known = namesEmailValue(info);
    emailColumns.set(info, known);
  }
  return known;
}

function namesEmailValue(info: TargetInfo): boolean {
  const path = info.path;
  return (
    path !== undefined &&
    path.uri === undefined &&
    sameAttrName(path.attr, 'emails') &&
    path.subAttr !== undefined &&
    sameAttrName(path.subAttr, 'value')
  );
}

/**
 * A simple RFC 5322-style address check: one `@`, no white space or control characters, a local
 * part without the specials `()<>[]\,;:"` and without leading, trailing or doubled dots, and a domain
 * of dot-separated labels (letters of any script, digits, inner hyphens: IDN is fine) or
 * `localhost`.
 */
export function isEmailAddress(text: string): boolean {
  // Plain ASCII (nearly every address) is checked without the Unicode-aware expressions; the
  // rules are the same: white space and control characters are 0x00–0x20 and 0x7F there, and
  // letters, marks and digits are A–Z, a–z and 0–9.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      break;
    }
    if (c <= 0x20 || c === 0x7f) return false;
  }
  if (!ascii && /[\s\p{Cc}]/u.test(text)) return false;
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (/[()<>[\]\\,;:"]/.test(local)) return false;
  if (domain.toLowerCase() === 'localhost') return true;
  const labels = domain.split('.');
  const label = ascii ? ASCII_LABEL : LABEL;
  return labels.length >= 2 && labels.every((l) => label.test(l));
}

/** A domain label: letters of any script, marks and digits, with inner hyphens. */
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;
/** {@link LABEL} for ASCII text. */
const ASCII_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** An attribute that must have a value. */
type Required = { uri?: string; attr: string; label: string };

/** `required_missing` on create, `required_cleared` on update. */
function requiredProblems(
  infos: readonly TargetInfo[],
  cells: readonly DesiredCell[],
  schemas: readonly ScimSchema[],
  opts: ValidateOptions,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const noun = resourceNoun(opts.resourceType);
  for (const req of requiredAttributes(schemas, opts.resourceType)) {
    const on = targetsOn(infos, req);
    if (opts.forCreate) {
      const present = on.some((i) => {
        const cell = cells[i.index];
        return typeof cell === 'string' && cell.trim() !== '';
      });
      if (present) continue;
      const first = on[0];
      const columns = first ? sourcesOf(opts, first) : [];
      problems.push({
        file: opts.file,
        line: opts.line,
        row: opts.row,
        ...(columns.length ? { column: columns.join(', ') } : {}),
        ...(first && typeof cells[first.index] === 'string'
          ? { value: shorten(cells[first.index] ?? '', PROBLEM_VALUE_CHARS) }
          : {}),
        code: 'required_missing',
        severity: 'error',
        message: `Row ${opts.row} has no value for ${req.label}, which every new ${noun} needs.`,
        nextStep: first
          ? `Fill in ${columnsPhrase(columns, first.spec.header)} for this row, or map another column to ${req.label}.`
          : `Map a CSV column to ${req.label}.`,
      });
      continue;
    }
    for (const info of on) {
      if (info.path?.kind !== 'single' || info.path.subAttr !== undefined) continue;
      const cell = cells[info.index];
      if (cell === undefined || (typeof cell === 'string' && cell.trim() !== '')) continue;
      problems.push(
        rowProblem(
          opts,
          info,
          cell ?? '',
          'required_cleared',
          'error',
          `Row ${opts.row} would clear ${req.label}, which every ${noun} needs.`,
          `Fill in ${columnsPhrase(sourcesOf(opts, info), info.spec.header)} for this row, or set the mapping's empty policy to keep the server's value.`,
        ),
      );
    }
  }
  return problems;
}

const requiredCache = new WeakMap<readonly ScimSchema[], Map<string, readonly Required[]>>();
/** The same, by the resource type object a plan passes for every row. */
const requiredByType = new WeakMap<
  readonly ScimSchema[],
  WeakMap<PlanResourceType, readonly Required[]>
>();
/** The targets on each required attribute, per target list. */
const onCache = new WeakMap<readonly TargetInfo[], Map<Required, readonly TargetInfo[]>>();

/** The targets that set a required attribute (cached: this runs for every row). */
function targetsOn(infos: readonly TargetInfo[], req: Required): readonly TargetInfo[] {
  let byReq = onCache.get(infos);
  if (!byReq) {
    byReq = new Map();
    onCache.set(infos, byReq);
  }
  let on = byReq.get(req);
  if (!on) {
    on = infos.filter((i) => i.path && isSameAttribute(i.path, req));
    byReq.set(req, on);
  }
  return on;
}

/**
 * Required attributes of the type: the kind's name attribute, then the schemas' required ones
 * (cached per schema list and type, as this runs for every row).
 */
function requiredAttributes(
  schemas: readonly ScimSchema[],
  type: PlanResourceType,
): readonly Required[] {
  let byObject = requiredByType.get(schemas);
  if (!byObject) {
    byObject = new WeakMap();
    requiredByType.set(schemas, byObject);
  }
  const known = byObject.get(type);
  if (known) return known;
  const list = requiredByKey(schemas, type);
  byObject.set(type, list);
  return list;
}

/** {@link requiredAttributes} cached by the type's schema URNs. */
function requiredByKey(
  schemas: readonly ScimSchema[],
  type: PlanResourceType,
): readonly Required[] {
  const key = [
    type.schema,
    ...type.schemaExtensions.map((e) => `${e.schema}|${e.required === true}`),
  ]
    .join('\n')
    .toLowerCase();
  let byType = requiredCache.get(schemas);
  if (!byType) {
    byType = new Map();
    requiredCache.set(schemas, byType);
  }
  const cached = byType.get(key);
  if (cached) return cached;
  const list = collectRequired(schemas, type);
  byType.set(key, list);
  return list;
}

/** See {@link requiredAttributes}. */
function collectRequired(schemas: readonly ScimSchema[], type: PlanResourceType): Required[] {
  const list: Required[] = [];
  const add = (uri: string | undefined, attr: string): void => {
    const r: Required =
      uri === undefined ? { attr, label: attr } : { uri, attr, label: `${uri}:${attr}` };
    if (!list.some((x) => isSameAttribute(x, r))) list.push(r);
  };
  const kind = resourceKind(type);
  if (kind === 'User') add(undefined, 'userName');
  if (kind === 'Group') add(undefined, 'displayName');
  const sources: { uri: string | undefined; schema: ScimSchema | undefined }[] = [
    { uri: undefined, schema: schemaById(schemas, type.schema) },
    ...type.schemaExtensions
      .filter((e) => e.required === true)
      .map((e) => ({ uri: e.schema, schema: schemaById(schemas, e.schema) })),
  ];
  for (const { uri, schema } of sources) {
    for (const a of schema?.attributes ?? []) {
      const owned = uri === undefined && ['id', 'meta', 'schemas'].includes(a.name.toLowerCase());
      if (a.required && a.mutability !== 'readOnly' && !owned) add(uri, a.name);
    }
  }
  return list;
}

/** True when a column path and a required attribute name the same attribute. */
function isSameAttribute(
  a: { uri?: string | undefined; attr: string },
  b: { uri?: string | undefined; attr: string },
): boolean {
  return (
    (a.uri ?? '').toLowerCase() === (b.uri ?? '').toLowerCase() && sameAttrName(a.attr, b.attr)
  );
}

/** Where a mapping check reports: the mapping (or CSV) file and the targets' source columns. */
type TargetCheckOptions = {
  /** Defaults to `mapping`. */
  readonly file?: string;
  readonly sourceColumns?: readonly (readonly string[])[];
};

/**
 * Problems with the mapping's targets, reported once per plan (line 1): `read_only_target` errors
 * for targets the server owns (`id`, `meta.*`, a User's `groups` attribute as a plain attribute,
 * `manager.displayName`, …; the `groups` membership column is fine), and `not_canonical_type`
 * warnings for value filters on a type outside the schema's canonical values.
 */
export function checkTargetsWritable(
  targets: readonly ColumnSpec[],
  schemas?: readonly ScimSchema[],
  at: TargetCheckOptions = {},
): InputProblem[] {
  const compiled = compileTargets(targets, schemas);
  const problems: InputProblem[] = [];
  const seenTypes = new Set<string>();
  for (const info of compiled.infos) {
    const path = info.path;
    if (!path) continue;
    const columns = at.sourceColumns?.[info.index] ?? [];
    const base = {
      file: at.file ?? 'mapping',
      line: 1,
      ...(columns.length ? { column: columns.join(', ') } : {}),
    };
    if (info.mutability === 'readOnly') {
      problems.push({
        ...base,
        code: 'read_only_target',
        severity: 'error',
        message: `The mapping sets ${info.spec.header}, which is read-only on the server.`,
        nextStep: `Remove the mapping for ${info.spec.header}; the server sets it itself.`,
      });
      continue;
    }
    if (path.kind !== 'valueFilter' || path.selector.by !== 'type') continue;
    const canonical = findSubAttribute(info.attribute, 'type')?.canonicalValues ?? [];
    const type = path.selector.type;
    const key = `${(path.uri ?? '').toLowerCase()}|${path.attr.toLowerCase()}|${type.toLowerCase()}`;
    if (canonical.length === 0 || seenTypes.has(key)) continue;
    seenTypes.add(key);
    if (canonical.some((c) => c.toLowerCase() === type.toLowerCase())) continue;
    problems.push({
      ...base,
      code: 'not_canonical_type',
      severity: 'warning',
      message: `The target ${info.spec.header} uses the type "${type}", which is not one of ${canonical.join(', ')}.`,
      nextStep: 'Check that the server accepts this type, or use one of the listed types.',
    });
  }
  return problems;
}

/** A problem about one cell of a row. */
function rowProblem(
  opts: ValidateOptions,
  info: TargetInfo,
  value: string,
  code: ValueProblemCode,
  severity: InputProblem['severity'],
  message: string,
  nextStep: string,
): InputProblem {
  const columns = sourcesOf(opts, info);
  return {
    file: opts.file,
    line: opts.line,
    row: opts.row,
    ...(columns.length ? { column: columns.join(', ') } : {}),
    ...(value !== '' ? { value: shorten(value, PROBLEM_VALUE_CHARS) } : {}),
    code,
    severity,
    message,
    nextStep,
  };
}

/** The CSV columns a target is built from (none for a constant). */
function sourcesOf(
  opts: { sourceColumns?: readonly (readonly string[])[] },
  info: TargetInfo,
): readonly string[] {
  return opts.sourceColumns?.[info.index] ?? [];
}

/** `in column "Email"`, `in columns "First", "Last"`, or `for userName` without a CSV column. */
function inColumn(opts: ValidateOptions, info: TargetInfo): string {
  const columns = sourcesOf(opts, info);
  if (columns.length === 0) return `for ${info.spec.header}`;
  return `in ${columnsPhrase(columns, info.spec.header)}`;
}

/** `column "Email"`, `columns "First", "Last"`, or the target header when no CSV column feeds it. */
function columnsPhrase(columns: readonly string[], header: string): string {
  if (columns.length === 0) return `the value for ${header}`;
  const names = columns.map((c) => `"${c}"`).join(', ');
  return columns.length === 1 ? `column ${names}` : `columns ${names}`;
}

/** A value quoted for a message, shortened. */
export function quote(value: string): string {
  return `"${shorten(value, QUOTE_LIMIT)}"`;
}
