/**
 * The round-trip CSV column model. Every CSV header is a SCIM attribute path (RFC 7644 §3.10 and
 * the PATCH path form of §3.5.2), so an exported file maps back onto SCIM without hand mapping:
 *
 * - `single`: one value — `userName`, `active`, `name.givenName`, and extension attributes by full
 *   URN, `urn:…:enterprise:2.0:User:employeeNumber`, `urn:…:enterprise:2.0:User:manager.value`;
 * - `valueFilter`: one value of a multi-valued attribute — `emails[type eq "work"].value` (the
 *   first `work` email), `emails[primary eq true].value` (the primary email that has no `type`);
 * - `joined`: every (remaining) value, `;`-separated — `roles.value`, a multi-valued simple
 *   attribute such as `urn:…:tags`;
 * - `groups`: a user's group display names, `;`-separated; `members`: a group's member ids.
 *
 * In a joined cell a literal `;` is written `\;` and a literal `\` is written `\\`.
 *
 * Attribute names compare case-insensitively (RFC 7643 §2.1). The core User and Group schema URNs
 * are optional prefixes: `urn:ietf:params:scim:schemas:core:2.0:User:userName` is `userName`.
 */
import { AppError } from '../errors/errors';
import { parsePatchPath } from '../scim/attribute-path';
import { eq, valuePath } from '../scim/filter';
import { BUILTIN_SCHEMAS } from '../scim/schemas';
import type { SchemaAttribute, ScimSchema } from '../scim/types';
import { URN } from '../scim/urns';

/** Which value of a multi-valued complex attribute a `valueFilter` column holds. */
export type ValueSelector =
  | { readonly by: 'type'; readonly type: string }
  /** The `primary` value that has no `type` (typed values have their own columns). */
  | { readonly by: 'primary' };

/** Where an attribute lives: `uri` is set for extension attributes only. */
type AttributeRef = {
  /** Extension schema URN, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
  readonly uri?: string;
  readonly attr: string;
};

/** What a column holds; see the table at the top of this file. */
export type ParsedColumnPath =
  | (AttributeRef & { readonly kind: 'single'; readonly subAttr?: string })
  | (AttributeRef & { readonly kind: 'joined'; readonly subAttr?: string })
  | (AttributeRef & {
      readonly kind: 'valueFilter';
      readonly selector: ValueSelector;
      readonly subAttr: string;
    })
  | { readonly kind: 'groups' }
  | { readonly kind: 'members' };

/** One CSV column: its header text and what it holds. */
export type ColumnSpec = { header: string; path: ParsedColumnPath };

/** Options for {@link parseColumnHeader}. */
type ParseColumnOptions = {
  /**
   * Schemas used to tell multi-valued attributes (`roles.value` → joined) from single-valued ones
   * (`name.givenName`); the built-in RFC 7643 schemas fill in any URN not given.
   */
  schemas?: readonly ScimSchema[];
};

/** A header or `--attributes` entry that cannot name a CSV column. */
export class ColumnHeaderError extends AppError {
  readonly header: string;
  constructor(header: string, reason: string) {
    super('config', `The column "${header}" is not a valid SCIM attribute path: ${reason}.`, {
      nextStep:
        'Use a path such as userName, name.givenName, emails[type eq "work"].value, roles.value, groups or urn:…:User:employeeNumber.',
    });
    this.name = 'ColumnHeaderError';
    this.header = header;
  }
}

/** The core schema URNs accepted (and dropped) as a prefix of a core attribute. */
const CORE_URNS: readonly string[] = [URN.user.toLowerCase(), URN.group.toLowerCase()];

/** True when `uri` is the core User or Group schema URN. */
export function isCoreUrn(uri: string): boolean {
  return CORE_URNS.includes(uri.toLowerCase());
}

/**
 * Parses a CSV header into a column. Throws {@link ColumnHeaderError} naming the header when it is
 * not an attribute path, uses an unsupported value filter, or names a complex attribute as a whole.
 */
export function parseColumnHeader(header: string, opts: ParseColumnOptions = {}): ColumnSpec {
  const text = header.trim();
  const schemas = withBuiltinSchemas(opts.schemas);
  const selection = parseColumnSelection(
    text,
    schemas.map((s) => s.id),
  );
  if (selection.kind !== 'attribute') return { header: text, path: { kind: selection.kind } };
  if (selection.attr === undefined) {
    throw new ColumnHeaderError(text, 'it names a schema, not an attribute');
  }
  return { header: text, path: classify(text, { ...selection, attr: selection.attr }, schemas) };
}

/** A parsed `--attributes` entry or header, before deciding which kind of column it is. */
export type ColumnSelection =
  | { readonly kind: 'groups' | 'members' }
  | {
      readonly kind: 'attribute';
      readonly uri?: string;
      /** Absent when the text is a schema URN alone (selects the whole schema). */
      readonly attr?: string;
      readonly selector?: ValueSelector;
      readonly subAttr?: string;
    };

/**
 * Parses the syntax shared by headers and `--attributes` entries: `groups`, `members`, a schema
 * URN, or `[urn:]attr[.sub]` / `[urn:]attr[filter][.sub]`. `schemaIds` are URNs recognised as a
 * whole schema (the built-in ones always are). Throws {@link ColumnHeaderError}.
 */
export function parseColumnSelection(
  text: string,
  schemaIds: readonly string[] = [],
): ColumnSelection {
  if (text === '') throw new ColumnHeaderError(text, 'the header is empty');
  const special = text.toLowerCase();
  if (special === 'groups' || special === 'members') return { kind: special };
  if (isSchemaUrn(text, schemaIds)) {
    return isCoreUrn(text) ? { kind: 'attribute' } : { kind: 'attribute', uri: text };
  }
  const parsed = parsePatchPath(text);
  if (!parsed.ok) throw new ColumnHeaderError(text, parsed.reason);
  const { uri, attr, subAttr, valueFilter } = parsed.path;
  const selector = valueFilter === undefined ? undefined : parseValueSelector(text, valueFilter);
  return {
    kind: 'attribute',
    ...(uri !== undefined && !isCoreUrn(uri) ? { uri } : {}),
    attr,
    ...(selector ? { selector } : {}),
    ...(subAttr !== undefined ? { subAttr } : {}),
  };
}

/**
 * True when `text` is a schema URN alone (a built-in one or one of `schemaIds`), which the
 * attribute-path grammar would otherwise read as attribute `User` of schema `urn:…:2.0`.
 */
function isSchemaUrn(text: string, schemaIds: readonly string[] = []): boolean {
  const lower = text.toLowerCase();
  return [...BUILTIN_SCHEMAS.map((s) => s.id), ...schemaIds].some(
    (id) => id.toLowerCase() === lower,
  );
}

const TYPE_FILTER = /^type\s+eq\s+("(?:[^"\\]|\\.)*")$/i;
const PRIMARY_FILTER = /^primary\s+eq\s+true$/i;

/** Parses the value filter of a column: only `type eq "…"` and `primary eq true` name one value. */
function parseValueSelector(header: string, filter: string): ValueSelector {
  if (PRIMARY_FILTER.test(filter)) return { by: 'primary' };
  const literal = TYPE_FILTER.exec(filter)?.[1];
  const type = literal === undefined ? undefined : parseJsonString(literal);
  if (type === undefined) {
    throw new ColumnHeaderError(
      header,
      `the value filter [${filter}] is not supported; a column uses [type eq "…"] or [primary eq true]`,
    );
  }
  if (type === '') throw new ColumnHeaderError(header, 'the value filter has an empty type');
  return { by: 'type', type };
}

/** Decodes a JSON string literal (the filter ABNF's string form), or undefined when invalid. */
function parseJsonString(literal: string): string | undefined {
  try {
    const value: unknown = JSON.parse(literal);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Decides the column kind of an attribute selection from the schema (multi-valued → joined). */
function classify(
  header: string,
  sel: { uri?: string; attr: string; selector?: ValueSelector; subAttr?: string },
  schemas: readonly ScimSchema[],
): ParsedColumnPath {
  const ref = sel.uri !== undefined ? { uri: sel.uri, attr: sel.attr } : { attr: sel.attr };
  const def = findAttribute(schemas, sel.uri, sel.attr);
  if (sel.selector) {
    if (sel.subAttr === undefined) {
      throw new ColumnHeaderError(
        header,
        'a value filter must be followed by a sub-attribute, e.g. emails[type eq "work"].value',
      );
    }
    if (def && !def.multiValued) {
      throw new ColumnHeaderError(header, `"${sel.attr}" is not multi-valued`);
    }
    return { kind: 'valueFilter', ...ref, selector: sel.selector, subAttr: sel.subAttr };
  }
  if (def?.type === 'complex' && sel.subAttr === undefined) {
    if (!def.multiValued) {
      const subs = (def.subAttributes ?? []).map((s) => `${sel.attr}.${s.name}`).join(', ');
      throw new ColumnHeaderError(header, `"${sel.attr}" is complex; name a part of it (${subs})`);
    }
    return { kind: 'joined', ...ref, subAttr: 'value' };
  }
  const kind = def?.multiValued ? 'joined' : 'single';
  return { kind, ...ref, ...(sel.subAttr !== undefined ? { subAttr: sel.subAttr } : {}) };
}

/**
 * The header text of a column: `attr`, `attr.sub`, `urn:…:attr.sub`, `attr[type eq "t"].sub`,
 * `attr[primary eq true].sub`, `groups` or `members`. Type values are JSON-quoted, as in filters.
 */
export function formatColumnHeader(path: ParsedColumnPath): string {
  switch (path.kind) {
    case 'groups':
    case 'members':
      return path.kind;
    case 'single':
    case 'joined':
      return qualified(path) + (path.subAttr !== undefined ? `.${path.subAttr}` : '');
    case 'valueFilter': {
      const filter =
        path.selector.by === 'type' ? eq('type', path.selector.type) : eq('primary', true);
      return `${valuePath(qualified(path), filter).text}.${path.subAttr}`;
    }
  }
}

/** `uri:attr` for an extension attribute, `attr` for a core one. */
function qualified(ref: AttributeRef): string {
  return ref.uri !== undefined ? `${ref.uri}:${ref.attr}` : ref.attr;
}

/** A column as a {@link ColumnSpec} with its canonical header. */
export function columnSpec(path: ParsedColumnPath): ColumnSpec {
  return { header: formatColumnHeader(path), path };
}

/**
 * A case-insensitive identity for a column (names and `type` values lower-cased), so `Emails[type
 * eq "Work"].Value` and `emails[type eq "work"].value` are the same column. `single` and `joined`
 * share identities: the data, not the header, says whether an attribute holds one value or many.
 */
export function columnKey(path: ParsedColumnPath): string {
  switch (path.kind) {
    case 'groups':
    case 'members':
      return `#${path.kind}`;
    case 'single':
    case 'joined':
    case 'valueFilter':
      return `a|${attributeKey(path)}|${selectorKey(path)}|${(path.subAttr ?? '').toLowerCase()}`;
  }
}

/** A case-insensitive identity for an attribute: `uri|attr`, lower-cased. */
export function attributeKey(ref: AttributeRef): string {
  return `${(ref.uri ?? '').toLowerCase()}|${ref.attr.toLowerCase()}`;
}

/** The selector part of {@link columnKey}. */
function selectorKey(path: ParsedColumnPath): string {
  if (path.kind !== 'valueFilter') return '';
  return path.selector.by === 'type' ? `t:${path.selector.type.toLowerCase()}` : 'p';
}

/**
 * The dotted attribute path of a column without its value filter, lower-cased: `active`,
 * `emails.primary`, `urn:…:user:manager.value`. Used to look up value types.
 */
export function plainPathKey(path: ParsedColumnPath): string {
  if (path.kind === 'groups' || path.kind === 'members') return path.kind;
  return (qualified(path) + (path.subAttr !== undefined ? `.${path.subAttr}` : '')).toLowerCase();
}

/** Joins the values of a multi-valued cell with `;`, escaping `\` as `\\` and `;` as `\;`. */
export function joinMultiValue(values: readonly string[]): string {
  return values.map((v) => v.replaceAll('\\', '\\\\').replaceAll(';', '\\;')).join(';');
}

/**
 * Splits a multi-valued cell written by {@link joinMultiValue}. `\;` and `\\` are unescaped; a `\`
 * before any other character (or at the end) is kept as typed. Empty items are dropped.
 */
export function splitMultiValue(cell: string): string[] {
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charAt(i);
    const next = cell.charAt(i + 1);
    if (c === '\\' && (next === ';' || next === '\\')) {
      current += next;
      i++;
    } else if (c === ';') {
      values.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  values.push(current);
  return values.filter((v) => v !== '');
}

/** The given schemas followed by every built-in schema whose URN they do not define. */
export function withBuiltinSchemas(schemas: readonly ScimSchema[] = []): readonly ScimSchema[] {
  const given = new Set(schemas.map((s) => s.id.toLowerCase()));
  return [...schemas, ...BUILTIN_SCHEMAS.filter((s) => !given.has(s.id.toLowerCase()))];
}

/**
 * The definition of an attribute: in the schema with URN `uri` for an extension attribute, else in
 * the first core schema (one without `:extension:` in its URN, then any) that defines the name.
 */
export function findAttribute(
  schemas: readonly ScimSchema[],
  uri: string | undefined,
  attr: string,
): SchemaAttribute | undefined {
  const name = attr.toLowerCase();
  const byName = (s: ScimSchema): SchemaAttribute | undefined =>
    s.attributes.find((a) => a.name.toLowerCase() === name);
  if (uri !== undefined) {
    const wanted = uri.toLowerCase();
    const schema = schemas.find((s) => s.id.toLowerCase() === wanted);
    return schema ? byName(schema) : undefined;
  }
  const core = schemas.filter((s) => !/:extension:/i.test(s.id));
  for (const s of [...core, ...schemas]) {
    const found = byName(s);
    if (found) return found;
  }
  return undefined;
}

/** The definition of `attr.sub`, if the schemas know it. */
export function findSubAttribute(
  def: SchemaAttribute | undefined,
  sub: string,
): SchemaAttribute | undefined {
  const name = sub.toLowerCase();
  return def?.subAttributes?.find((s) => s.name.toLowerCase() === name);
}
