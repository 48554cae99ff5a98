import type { MappingProblem } from '../../../../shared/mapping/errors';
import type {
  AttributeMapping,
  EmptyPolicy,
  MappingSpec,
  Source,
  Transform,
} from '../../../../shared/mapping/spec';
import { parseTemplate } from '../../../../shared/mapping/template';

/** Pure helpers for the mapping editor: every edit returns a new spec. */

export type TransformKind =
  | 'trim'
  | 'lower'
  | 'upper'
  | 'title'
  | 'normalizeDiacritics'
  | 'collapseWhitespace'
  | 'replace'
  | 'regexReplace'
  | 'date'
  | 'split'
  | 'prefix'
  | 'suffix'
  | 'default';

/** The transforms the editor can add, in the order offered, with their labels. */
export const TRANSFORM_KINDS: readonly { op: TransformKind; label: string }[] = [
  { op: 'trim', label: 'Trim spaces' },
  { op: 'lower', label: 'Lower case' },
  { op: 'upper', label: 'Upper case' },
  { op: 'title', label: 'Title Case' },
  { op: 'normalizeDiacritics', label: 'Remove accents' },
  { op: 'collapseWhitespace', label: 'Collapse spaces' },
  { op: 'replace', label: 'Replace text' },
  { op: 'regexReplace', label: 'Replace (regular expression)' },
  { op: 'date', label: 'Date format' },
  { op: 'split', label: 'Part of the value' },
  { op: 'prefix', label: 'Add prefix' },
  { op: 'suffix', label: 'Add suffix' },
  { op: 'default', label: 'Default when empty' },
];

const LABELS: Record<string, string> = Object.fromEntries(
  TRANSFORM_KINDS.map((k) => [k.op, k.label]),
);

/** The label of a transform's kind (the op name for kinds the editor does not offer). */
export function transformLabel(t: Transform): string {
  return LABELS[t.op] ?? t.op;
}

/** A new transform of the kind, with parameters ready to fill in. */
export function newTransform(op: TransformKind): Transform {
  switch (op) {
    case 'replace':
      return { op, find: ' ', replacement: '' };
    case 'regexReplace':
      return { op, pattern: '\\s+', replacement: ' ' };
    case 'date':
      return { op, from: ['M/D/YYYY'], to: 'iso-date' };
    case 'split':
      return { op, delimiter: ' ', index: 0 };
    case 'prefix':
    case 'suffix':
    case 'default':
      return { op, value: '' };
    case 'trim':
    case 'lower':
    case 'upper':
    case 'title':
    case 'normalizeDiacritics':
    case 'collapseWhitespace':
      return { op };
  }
}

export type SourceKind = 'column' | 'columns' | 'template' | 'constant';

export function sourceKind(source: Source): SourceKind {
  if ('column' in source) return 'column';
  if ('columns' in source) return 'columns';
  if ('template' in source) return 'template';
  return 'constant';
}

/** The source converted to another kind, keeping what it can. */
export function convertSource(source: Source, kind: SourceKind, headers: string[]): Source {
  const columns = sourceColumns(source);
  const first = columns[0] ?? headers[0] ?? '';
  switch (kind) {
    case 'column':
      return { column: first };
    case 'columns':
      return { columns: columns.length > 0 ? columns : [first] };
    case 'template':
      return { template: columns.map((c) => `{${c}}`).join(' ') || `{${first}}` };
    case 'constant':
      return { constant: 'constant' in source ? source.constant : '' };
  }
}

/** Columns a template names (`{First Name}`, `{Middle Name?}`). */
function templateColumns(template: string): string[] {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return [];
  return parsed.parts.flatMap((p) => (typeof p === 'string' ? [] : [p.column]));
}

/** Columns a source reads. */
export function sourceColumns(source: Source): string[] {
  if ('column' in source) return [source.column];
  if ('columns' in source) return source.columns;
  if ('template' in source) return templateColumns(source.template);
  return [];
}

/** Headers the spec does not read at all. */
export function unmappedColumns(spec: MappingSpec, headers: readonly string[]): string[] {
  const used = new Set<string>();
  for (const a of spec.attributes) for (const c of sourceColumns(a.source)) used.add(c);
  if (spec.active) used.add(spec.active.column);
  if (spec.groups) used.add(spec.groups.column);
  if (spec.manager) used.add(spec.manager.column);
  return headers.filter((h) => !used.has(h));
}

export function replaceAttribute(
  spec: MappingSpec,
  index: number,
  fn: (a: AttributeMapping) => AttributeMapping,
): MappingSpec {
  return { ...spec, attributes: spec.attributes.map((a, i) => (i === index ? fn(a) : a)) };
}

export function removeAttribute(spec: MappingSpec, index: number): MappingSpec {
  return { ...spec, attributes: spec.attributes.filter((_, i) => i !== index) };
}

export function addAttribute(spec: MappingSpec, column: string, target = ''): MappingSpec {
  return { ...spec, attributes: [...spec.attributes, { target, source: { column } }] };
}

/** A copy of the object without the key. */
export function omitKey<T extends object, K extends keyof T>(obj: T, key: K): Omit<T, K> {
  const copy = { ...obj };
  Reflect.deleteProperty(copy, key);
  return copy;
}

/** An attribute with the transform list changed (the key dropped when empty). */
export function withTransforms(a: AttributeMapping, transforms: Transform[]): AttributeMapping {
  return transforms.length > 0 ? { ...a, transforms } : omitKey(a, 'transforms');
}

/** An attribute with the empty policy changed (`undefined` follows the spec's default). */
export function withEmpty(a: AttributeMapping, empty: EmptyPolicy | undefined): AttributeMapping {
  return empty === undefined ? omitKey(a, 'empty') : { ...a, empty };
}

export type ProblemGroups = {
  /** Problems per attribute index. */
  byAttribute: Map<number, MappingProblem[]>;
  active: MappingProblem[];
  groups: MappingProblem[];
  manager: MappingProblem[];
  match: MappingProblem[];
  other: MappingProblem[];
};

/** Routes each mapping problem to the part of the editor its JSON path names. */
export function groupProblems(problems: readonly MappingProblem[]): ProblemGroups {
  const out: ProblemGroups = {
    byAttribute: new Map(),
    active: [],
    groups: [],
    manager: [],
    match: [],
    other: [],
  };
  for (const p of problems) {
    const attr = /^attributes\[(\d+)\]/.exec(p.path);
    if (attr) {
      const index = Number(attr[1]);
      out.byAttribute.set(index, [...(out.byAttribute.get(index) ?? []), p]);
    } else if (p.path.startsWith('active')) out.active.push(p);
    else if (p.path.startsWith('groups')) out.groups.push(p);
    else if (p.path.startsWith('manager')) out.manager.push(p);
    else if (p.path.startsWith('match')) out.match.push(p);
    else out.other.push(p);
  }
  return out;
}

/** Words typed as a comma-separated list. */
export function parseWords(text: string): string[] {
  return text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/** Match keys typed one per line, paths of one key joined with `+`. */
export function parseMatchKeys(text: string): string[][] {
  return text
    .split('\n')
    .map((line) =>
      line
        .split('+')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    )
    .filter((key) => key.length > 0);
}

export function formatMatchKeys(keys: readonly (readonly string[])[]): string {
  return keys.map((k) => k.join(' + ')).join('\n');
}

export const DELIMITER_NAMES: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

export const LINE_ENDING_NAMES: Record<string, string> = {
  crlf: 'Windows (CRLF)',
  lf: 'Unix (LF)',
  cr: 'old Mac (CR)',
  mixed: 'mixed',
  none: 'none (a single line)',
};
