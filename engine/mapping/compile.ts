/**
 * Compiles a mapping spec against a CSV's headers and the server's schemas into a fast, pure
 * `mapRow`. Everything wrong with the mapping is reported at once, as one {@link MappingError}:
 * unknown CSV columns (with the closest header), unknown or read-only SCIM attributes, two
 * mappings to one target, match keys that are not targets, templates naming missing columns.
 */
import {
  columnKey,
  parseColumnHeader,
  withBuiltinSchemas,
  type ColumnSpec,
} from '../../shared/columns/columns';
import type { CsvRow, DesiredCell, MappedRow } from '../../shared/import/types';
import type { ScimSchema } from '../../shared/scim/types';
import { URN } from '../../shared/scim/urns';
import { MappingError, type MappingProblem } from '../../shared/mapping/errors';
import { compileGroupSplitter } from './groups';
import { indexHeaders, type HeaderIndex } from '../../shared/mapping/headers';
import { identityColumns } from '../../shared/mapping/identity';
import { createRowMapper, type CellPlan, type RowMapperPlan } from './row-mapper';
import { compileSource } from '../../shared/mapping/sources';
import {
  parseMappingSpec,
  type EmptyPolicy,
  type ManagerKey,
  type MappingSpec,
  type Source,
  type Transform,
} from '../../shared/mapping/spec';
import {
  resolveTarget,
  type ResolvedTarget,
  type TargetContext,
} from '../../shared/mapping/targets';
import { compileTransforms, listed, TransformFailure, type StringFn } from './transforms';
import { compileWords, type WordMap } from '../../shared/mapping/words';
import { type CoreResourceKind } from '../../shared/scim/resource-types';

/** Options for {@link compileMapping}. */
type CompileOptions = {
  /** The server's schemas (discovery); the built-in RFC 7643 ones fill the gaps. */
  schemas?: readonly ScimSchema[];
  /** The mapping's file name, named in a {@link MappingError}. */
  file?: string;
  /** The CSV file name, named in row problems (default: `file`). */
  csvFile?: string;
};

/** A mapping ready to run over the rows of one CSV. */
export type CompiledMapping = {
  /** The spec, validated, defaults filled in. */
  spec: MappingSpec;
  resourceType: CoreResourceKind;
  /** One per attribute mapping (then `active`, `manager.value`, identity columns), as parsed columns. */
  targets: ColumnSpec[];
  /** For each target, the CSV column(s) it comes from (for error reports); empty for constants. */
  sources: string[][];
  /** Match keys in precedence order, each an AND of target headers. */
  matchKeys: string[][];
  /** Present when the mapping sets group memberships. */
  groups?: { mode: 'add' | 'sync'; column: string };
  /** Present when the mapping sets the manager: the key kind and the `manager.value` target index. */
  manager?: { by: ManagerKey; target: number };
  /** CSV columns left out: optional mappings whose column is missing, identity headers skipped. */
  ignored: { column: string; reason: string }[];
  /** Lines before the header row that the reader skips. */
  skipLines: number;
  /** Maps one row. Pure; never throws for bad cells (they become `problems`). */
  mapRow(row: CsvRow): MappedRow;
};

/** The target path of the enterprise manager id. */
export const MANAGER_TARGET = `${URN.enterpriseUser}:manager.value`;

/** One mapping to a target, before compilation, wherever in the spec it came from. */
type Entry = {
  /** JSON path of the mapping in the spec: `attributes[3]`, `active`, `manager`. */
  at: string;
  target: string;
  /** Pre-resolved target (identity columns). */
  resolved?: ResolvedTarget;
  source: Source;
  transforms?: Transform[];
  empty: EmptyPolicy;
  optional: boolean;
  /** Status words for the `active` section. */
  words?: WordMap;
};

/** State shared by the compile steps. */
type Build = {
  spec: MappingSpec;
  ctx: TargetContext;
  headers: HeaderIndex;
  clean: StringFn;
  problems: MappingProblem[];
  ignored: { column: string; reason: string }[];
  targets: ColumnSpec[];
  sources: string[][];
  cells: CellPlan[];
  /** columnKey → JSON path of the mapping that set it. */
  taken: Map<string, string>;
  /** columnKeys of optional mappings dropped because their column is missing. */
  dropped: Set<string>;
  /** The target index of the `manager` section's `manager.value`, once added. */
  managerIndex?: number;
};

type GroupsPlan = NonNullable<RowMapperPlan['groups']>;

const trimCell: StringFn = (v) => v.trim();
const sameCell: StringFn = (v) => v;

/**
 * Compiles `spec` for a CSV with `headers`. Throws a {@link MappingError} listing every problem
 * (or the spec's validation problems, for a spec that is not valid).
 */
export function compileMapping(
  specInput: MappingSpec,
  headers: readonly string[],
  opts: CompileOptions = {},
): CompiledMapping {
  const spec = parseMappingSpec(specInput, opts.file);
  const b: Build = {
    spec,
    ctx: { resourceType: spec.resourceType, schemas: withBuiltinSchemas(opts.schemas) },
    headers: indexHeaders(headers),
    clean: spec.trim === false ? sameCell : trimCell,
    problems: [],
    ignored: [],
    targets: [],
    sources: [],
    cells: [],
    taken: new Map(),
    dropped: new Set(),
  };
  for (const entry of collectEntries(b)) addEntry(b, entry);
  const groups = compileGroups(b);
  const matchKeys = compileMatchKeys(b);
  if (b.problems.length > 0) throw new MappingError(b.problems, opts.file);

  const manager =
    spec.manager && b.managerIndex !== undefined
      ? { by: spec.manager.by, target: b.managerIndex }
      : undefined;
  const mapRow = createRowMapper({
    file: opts.csvFile ?? opts.file ?? '',
    cells: b.cells,
    ...(manager ? { manager: { index: manager.target, by: manager.by } } : {}),
    ...(groups ? { groups: groups.plan } : {}),
  });
  return {
    spec,
    resourceType: spec.resourceType,
    targets: b.targets,
    sources: b.sources,
    matchKeys,
    ...(groups ? { groups: groups.info } : {}),
    ...(manager ? { manager } : {}),
    ignored: b.ignored,
    skipLines: spec.skipLines ?? 0,
    mapRow,
  };
}

/** Every mapping to a target: attributes, `active`, `manager`, then identity columns. */
function collectEntries(b: Build): Entry[] {
  const { spec } = b;
  const defaultEmpty = spec.empty ?? 'keep';
  const entries: Entry[] = spec.attributes.map((a, i) => ({
    at: `attributes[${i}]`,
    target: a.target,
    source: a.source,
    ...(a.transforms ? { transforms: a.transforms } : {}),
    empty: a.empty ?? defaultEmpty,
    optional: a.optional ?? false,
  }));
  if (spec.active) {
    entries.push({
      at: 'active',
      target: 'active',
      source: { column: spec.active.column },
      empty: spec.active.empty ?? 'keep',
      optional: spec.active.optional ?? false,
      words: compileWords(spec.active.trueWords, spec.active.falseWords),
    });
  }
  if (spec.manager) {
    entries.push({
      at: 'manager',
      target: MANAGER_TARGET,
      source: { column: spec.manager.column },
      ...(spec.manager.transforms ? { transforms: spec.manager.transforms } : {}),
      empty: spec.manager.empty ?? 'keep',
      optional: spec.manager.optional ?? false,
    });
  }
  if (spec.identity) {
    const identity = identityColumns(b.headers.headers, b.ctx);
    b.ignored.push(...identity.ignored);
    const explicit = new Set<string>();
    for (const e of entries) {
      const r = resolveTarget(e.target, b.ctx);
      if (r.ok) explicit.add(columnKey(r.target.column.path));
    }
    for (const m of identity.mapped) {
      if (explicit.has(columnKey(m.target.column.path))) continue;
      entries.push({
        at: `identity(${m.header})`,
        target: m.header,
        resolved: m.target,
        source: { column: m.header },
        empty: defaultEmpty,
        optional: false,
      });
    }
  }
  return entries;
}

/** Compiles one entry into a target and its cell plan, or records its problems. */
function addEntry(b: Build, e: Entry): void {
  let ok = true;
  const resolved = e.resolved ?? resolveOrReport(b, e);
  if (!resolved) ok = false;
  const source = compileSource(e.source, b.headers, b.clean, e.optional);
  if (!source.ok) {
    if (e.optional && source.onlyMissing) {
      const why = source.problems[0]?.message ?? 'a column is missing';
      b.ignored.push({ column: sourceLabel(e.source), reason: `${e.at} is optional and ${why}` });
      if (resolved) b.dropped.add(columnKey(resolved.column.path));
      return;
    }
    for (const p of source.problems) {
      b.problems.push({ path: sourcePath(e, p.at), message: p.message });
    }
    ok = false;
  }
  if (resolved) {
    const key = columnKey(resolved.column.path);
    const previous = b.taken.get(key);
    if (previous !== undefined) {
      b.problems.push({
        path: isAttribute(e) ? `${e.at}.target` : e.at,
        message: `"${resolved.column.header}" is already mapped by ${previous}; a target can be mapped once`,
      });
      ok = false;
    } else {
      b.taken.set(key, e.at);
    }
  }
  let transform: StringFn = sameCell;
  try {
    transform = compileTransforms(e.transforms);
  } catch (err) {
    b.problems.push({
      path: `${e.at}.transforms`,
      message: err instanceof Error ? err.message : String(err),
    });
    ok = false;
  }
  if (!ok || !resolved || !source.ok) return;
  const finish = finishFor(e, resolved);
  const empty = emptyCell(b, e, finish);
  if (e.at === 'manager') b.managerIndex = b.targets.length;
  b.targets.push(resolved.column);
  b.sources.push(source.columns);
  b.cells.push({
    target: resolved.column.header,
    columns: source.columns,
    read: source.read,
    transform,
    ...(finish ? { finish } : {}),
    empty,
  });
}

/** Resolves an entry's target, recording the problem when it is not a valid target. */
function resolveOrReport(b: Build, e: Entry): ResolvedTarget | undefined {
  const r = resolveTarget(e.target, b.ctx);
  if (r.ok) return r.target;
  b.problems.push({ path: isAttribute(e) ? `${e.at}.target` : e.at, message: r.reason });
  return undefined;
}

/** True for an entry of `attributes` (not `active`, `manager` or an identity column). */
function isAttribute(e: Entry): boolean {
  return e.at.startsWith('attributes[');
}

/** The JSON path of a source problem (`at` is relative to the attribute's `source`). */
function sourcePath(e: Entry, at: string): string {
  if (isAttribute(e)) return `${e.at}.source.${at}`;
  return e.at === 'active' || e.at === 'manager' ? `${e.at}.column` : e.at;
}

/** A short label of a source's columns, for `ignored`. */
function sourceLabel(source: Source): string {
  if ('column' in source) return source.column;
  if ('columns' in source) return source.columns.join(', ');
  if ('template' in source) return source.template;
  return '';
}

/** Status words for `active`, yes/no words for any other boolean attribute. */
function finishFor(e: Entry, target: ResolvedTarget): StringFn | undefined {
  const words = e.words ?? (target.type === 'boolean' ? compileWords() : undefined);
  if (!words) return undefined;
  const status = e.words !== undefined;
  return (v) => {
    const b = words.get(v);
    if (b !== undefined) return b ? 'true' : 'false';
    throw new TransformFailure(
      status
        ? `"${v}" is not a known status (active: ${listed(words.trueWords)}; inactive: ${listed(words.falseWords)})`
        : `"${v}" is not a yes/no value (${listed(words.trueWords)} / ${listed(words.falseWords)})`,
      status
        ? 'Correct the status, or add the word to trueWords or falseWords of the "active" mapping.'
        : `Write true or false, or add a boolean transform that lists the words used.`,
      status ? 'unknown_status' : 'invalid_boolean',
    );
  };
}

/** The cell an empty value becomes; a default is checked like a value (yes/no words). */
function emptyCell(b: Build, e: Entry, finish: StringFn | undefined): DesiredCell {
  const policy = e.empty;
  if (policy === 'keep') return undefined;
  if (policy === 'clear') return null;
  if (policy.default === '') return undefined;
  if (!finish) return policy.default;
  try {
    return finish(policy.default);
  } catch (err) {
    b.problems.push({
      path: isAttribute(e) ? `${e.at}.empty.default` : `${e.at}.empty`,
      message: err instanceof Error ? err.message : String(err),
    });
    return undefined;
  }
}

/** The groups section (or the identity mapping's `groups` column). */
function compileGroups(
  b: Build,
): { info: { mode: 'add' | 'sync'; column: string }; plan: GroupsPlan } | undefined {
  const g =
    b.spec.groups ??
    (b.spec.identity && b.ctx.resourceType === 'User' ? identityGroups(b) : undefined);
  if (!g) return undefined;
  const index = b.headers.find(g.column);
  if (index === undefined && g.optional) {
    b.ignored.push({
      column: g.column,
      reason: `groups is optional and ${b.headers.missing(g.column)}`,
    });
    return undefined;
  }
  if (b.ctx.resourceType !== 'User') {
    b.problems.push({ path: 'groups', message: 'group memberships can be mapped for users only' });
    return undefined;
  }
  if (index === undefined) {
    b.problems.push({ path: 'groups.column', message: b.headers.missing(g.column) });
    return undefined;
  }
  const clean = b.clean;
  const column = b.headers.headers[index] ?? g.column;
  return {
    info: { mode: g.mode ?? 'add', column },
    plan: {
      read: (cells) => clean(cells[index] ?? ''),
      split: compileGroupSplitter(g.delimiter ?? ';', g.trim ?? true),
      empty: (g.empty ?? 'keep') === 'clear' ? [] : undefined,
    },
  };
}

/** The identity mapping's groups: the `groups` header, in `sync` mode. */
function identityGroups(b: Build): MappingSpec['groups'] {
  const header = b.headers.headers.find((h) => h.trim().toLowerCase() === 'groups');
  return header === undefined ? undefined : { column: header, mode: 'sync' };
}

/**
 * The match keys as target headers. Explicit keys must name targets; a key naming the target of an
 * optional mapping that was dropped is dropped with it (all dropped: the defaults apply). The
 * default keys are `externalId`, then `userName` (`displayName` for groups), those mapped.
 */
function compileMatchKeys(b: Build): string[][] {
  const byKey = new Map<string, string>();
  for (const t of b.targets) byKey.set(columnKey(t.path), t.header);
  const keyOf = (path: string): string | undefined => {
    try {
      return columnKey(parseColumnHeader(path, { schemas: b.ctx.schemas }).path);
    } catch {
      return undefined;
    }
  };
  const explicit = (b.spec.match?.keys ?? []).flatMap((key, i) => {
    const keys = key.map(keyOf);
    if (keys.some((k) => k !== undefined && b.dropped.has(k))) return [];
    return [
      key.map((path, j) => {
        const header = byKey.get(keys[j] ?? '');
        if (header !== undefined) return header;
        b.problems.push({
          path: `match.keys[${i}][${j}]`,
          message: `"${path}" is not a target of this mapping; map it, or remove it from the match keys`,
        });
        return path;
      }),
    ];
  });
  if (explicit.length > 0) return explicit;
  const defaults =
    b.ctx.resourceType === 'Group' ? ['externalId', 'displayName'] : ['externalId', 'userName'];
  return defaults.flatMap((k) => {
    const header = byKey.get(keyOf(k) ?? '');
    return header === undefined ? [] : [[header]];
  });
}
