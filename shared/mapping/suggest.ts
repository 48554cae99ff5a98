/**
 * Auto-suggest: a first mapping for a CSV from its headers and a few sample rows, with a score and
 * a reason per column, for the admin to review. In order:
 *
 * 1. a SCIM Porter export (headers are SCIM attribute paths) gets the identity mapping;
 * 2. a known file kind (Okta, Entra, Google Workspace, a typical HR export; see `presets.ts`), or
 *    the preset given, supplies the mapping for its columns;
 * 3. every other column is matched by header synonyms (any case, spacing, accents), near-miss
 *    spellings, and its values (emails, status words, honorifics), each target used once;
 * 4. userName falls back to the work email; match keys are externalId, employeeNumber, userName,
 *    then the work email, those mapped.
 *
 * Password columns are never mapped.
 */
import { honestConfidence } from './honest-confidence';
import { columnKey, parseColumnHeader, withBuiltinSchemas } from '../columns/columns';
import type { ScimSchema } from '../scim/types';
import { URN } from '../scim/urns';
import { indexHeaders, type HeaderIndex } from './headers';
import { identityColumns } from './identity';
import { detectPreset, getPreset, type PresetId } from './presets';
import { pruneSpec } from './prune';
import { profileColumn, type ColumnProfile } from './samples';
import type { ActiveMapping, AttributeMapping, ManagerKey, MappingSpec, Source } from './spec';
import { headerCandidates, type HeaderCandidate } from './suggest-header';
import type { HeaderRole } from './synonyms';
import { knownTargets, resolveTarget, type TargetContext } from './targets';
import { DEFAULT_FALSE_WORDS, DEFAULT_TRUE_WORDS } from './words';
import { type CoreResourceKind } from '../scim/resource-types';

/** Options for {@link suggestMapping}. */
type SuggestOptions = {
  /** The server's schemas; the built-in ones fill the gaps. */
  schemas?: readonly ScimSchema[];
  /** The resource type rows become (default: User, or Group for an export of groups). */
  resourceType?: CoreResourceKind;
  /** A spec to start from instead of detecting a preset (fitted to the headers). */
  preset?: MappingSpec;
};

/** How sure auto-suggest is about one column, and why. */
export type ColumnConfidence = {
  column: string;
  /** The target (`userName`, `active`, `groups`, `urn:…:manager.value`); absent when unmapped. */
  target?: string;
  /** 0–1. */
  score: number;
  why: string;
};

/** What {@link suggestMapping} returns. */
export type MappingSuggestion = {
  spec: MappingSpec;
  /** One entry per column and target (a column can feed two targets), and per unmapped column. */
  confidence: ColumnConfidence[];
  /** Columns the spec does not use. */
  unmapped: string[];
  /** The preset recognised (or the identity mapping's `scim-porter-export`). */
  preset?: PresetId;
};

const ENT = URN.enterpriseUser;
const WORK_EMAIL = 'emails[type eq "work"].value';
const EMPLOYEE_NUMBER = `${ENT}:employeeNumber`;
const MANAGER_VALUE = `${ENT}:manager.value`;

/** Suggests a mapping for a CSV; see the file comment. */
export function suggestMapping(
  headers: readonly string[],
  sampleRows: readonly (readonly string[])[],
  opts: SuggestOptions = {},
): MappingSuggestion {
  const schemas = withBuiltinSchemas(opts.schemas);
  const resourceType = opts.resourceType ?? guessResourceType(headers, schemas);
  const ctx: TargetContext = { resourceType, schemas };
  const index = indexHeaders(headers);

  if (!opts.preset && looksLikeScimExport(headers, ctx)) return identitySuggestion(headers, ctx);
  const detected = !opts.preset && resourceType === 'User' ? detectPreset(headers) : undefined;
  const base = opts.preset ?? detected?.preset.spec;
  if (base?.identity) return identitySuggestion(headers, ctx);

  const s = new SuggestionBuilder(headers, sampleRows, ctx, index);
  if (base) s.adopt(pruneSpec({ ...base, resourceType }, index, schemas), base.name ?? 'preset');
  s.heuristics();
  s.userNameFallback();
  return {
    ...s.finish(),
    ...(detected ? { preset: detected.preset.id } : {}),
  };
}

/** Group when the headers are SCIM paths of a group export, else User. */
function guessResourceType(
  headers: readonly string[],
  schemas: readonly ScimSchema[],
): CoreResourceKind {
  const lower = headers.map((h) => h.trim().toLowerCase());
  if (lower.includes('username')) return 'User';
  return lower.includes('members') &&
    looksLikeScimExport(headers, { resourceType: 'Group', schemas })
    ? 'Group'
    : 'User';
}

/**
 * True when at least 80% of the headers (and at least two) are SCIM column paths of the resource
 * type, `id` or `groups`/`members`, and the key attribute (`userName` / `displayName`) is one.
 */
function looksLikeScimExport(headers: readonly string[], ctx: TargetContext): boolean {
  if (headers.length < 2) return false;
  const key = ctx.resourceType === 'Group' ? 'displayname' : 'username';
  const lower = headers.map((h) => h.trim().toLowerCase());
  if (!lower.includes(key)) return false;
  const special = ctx.resourceType === 'Group' ? 'members' : 'groups';
  const paths = headers.filter((h, i) => {
    const l = lower[i];
    return l === 'id' || l === special || resolveTarget(h, ctx).ok;
  }).length;
  return paths / headers.length >= 0.8;
}

/** The identity mapping for a SCIM Porter export. */
function identitySuggestion(headers: readonly string[], ctx: TargetContext): MappingSuggestion {
  const presetSpec = getPreset('scim-porter-export')?.spec;
  const spec: MappingSpec = {
    ...(presetSpec ?? { version: 1, identity: true, attributes: [] }),
    resourceType: ctx.resourceType,
    attributes: [],
  };
  const identity = identityColumns(headers, ctx);
  if (ctx.resourceType === 'Group' || identity.groupsHeader === undefined) delete spec.groups;
  else spec.groups = { column: identity.groupsHeader, mode: 'sync' };
  const confidence: ColumnConfidence[] = identity.mapped.map((m) => ({
    column: m.header,
    target: m.target.column.header,
    score: 1,
    why: 'the header is a SCIM attribute path (a SCIM Porter export)',
  }));
  if (identity.groupsHeader !== undefined && spec.groups) {
    confidence.push({
      column: identity.groupsHeader,
      target: 'groups',
      score: 1,
      why: 'group memberships; groups not listed are removed (sync)',
    });
  }
  for (const i of identity.ignored) confidence.push({ column: i.column, score: 0, why: i.reason });
  return {
    spec,
    confidence,
    unmapped: identity.ignored.map((i) => i.column),
    preset: 'scim-porter-export',
  };
}

/** Accumulates a suggestion: what is taken, the spec parts, and the confidence entries. */
class SuggestionBuilder {
  private readonly attributes: { at: number; mapping: AttributeMapping }[] = [];
  private active?: ActiveMapping;
  private groups?: MappingSpec['groups'];
  private manager?: MappingSpec['manager'];
  private match?: MappingSpec['match'];
  private presetName?: string;
  /** The preset's settings beyond mappings (skipLines, trim, empty, description). */
  private settings: Partial<MappingSpec> = {};
  private readonly confidence: ColumnConfidence[] = [];
  /** Target keys (columnKey) already mapped. */
  private readonly targets = new Set<string>();
  /** Header indexes already used as a source (or deliberately skipped). */
  private readonly used = new Set<number>();
  private readonly profiles: ColumnProfile[];

  constructor(
    private readonly headers: readonly string[],
    sampleRows: readonly (readonly string[])[],
    private readonly ctx: TargetContext,
    private readonly index: HeaderIndex,
  ) {
    this.profiles = headers.map((_h, i) => profileColumn(sampleRows, i));
  }

  /** Takes over a (pruned) preset: its mappings, sections and match keys. */
  adopt(spec: MappingSpec, name: string): void {
    this.presetName = name;
    const { description, skipLines, trim, empty } = spec;
    this.settings = { description, skipLines, trim, empty };
    const why = `the ${name} preset maps it`;
    for (const a of spec.attributes) {
      const columns = sourceColumns(a.source);
      const first = columns.map((c) => this.index.find(c)).find((i) => i !== undefined);
      this.addAttribute(first ?? this.headers.length, a, columns, 0.95, why);
    }
    if (spec.active) {
      this.active = spec.active;
      this.mark(spec.active.column, 'active', 0.95, why);
      this.targets.add(keyOf('active') ?? '');
    }
    if (spec.groups) {
      this.groups = spec.groups;
      this.mark(spec.groups.column, 'groups', 0.95, why);
    }
    if (spec.manager) {
      this.manager = spec.manager;
      this.mark(spec.manager.column, MANAGER_VALUE, 0.95, `${why} (by ${spec.manager.by})`);
      this.targets.add(keyOf(MANAGER_VALUE) ?? '');
    }
    if (spec.match) this.match = spec.match;
  }

  /** Maps the columns no preset used, best-scoring candidates first. */
  heuristics(): void {
    const canonical = new Map(knownTargets(this.ctx).map((t) => [t.toLowerCase(), t]));
    const pairs: { i: number; c: HeaderCandidate }[] = [];
    this.headers.forEach((h, i) => {
      if (this.used.has(i)) return;
      for (const c of headerCandidates(h, this.profile(i), this.ctx, canonical))
        pairs.push({ i, c });
    });
    pairs.sort((a, b) => b.c.score - a.c.score || a.i - b.i);
    for (const { i, c } of pairs) {
      if (!this.used.has(i)) this.apply(i, c.role, c.score, c.why);
    }
    // Columns whose every candidate was taken: say by which column.
    for (const { i, c } of pairs) {
      const header = this.headers[i] ?? '';
      const target = roleTarget(c.role);
      if (this.used.has(i) || target === undefined) continue;
      if (this.confidence.some((e) => e.column === header)) continue;
      const owner = this.confidence.find(
        (e) => e.target !== undefined && sameTarget(e.target, target),
      );
      this.confidence.push({
        column: header,
        score: 0,
        why: `${c.why} (${target}), but ${owner ? `"${owner.column}" already maps it` : 'it is already mapped'}`,
      });
    }
  }

  /** Without a userName column, the work email is the userName. */
  userNameFallback(): void {
    if (this.ctx.resourceType !== 'User' || this.targets.has(keyOf('userName') ?? '')) return;
    const email = this.attributes.find((a) => sameTarget(a.mapping.target, WORK_EMAIL));
    if (!email) return;
    const columns = sourceColumns(email.mapping.source);
    this.addAttribute(
      email.at,
      { target: 'userName', source: email.mapping.source },
      columns,
      0.6,
      'there is no username column, so the work email is the userName',
    );
  }

  /** The spec, the confidence list and the unmapped columns. */
  finish(): Omit<MappingSuggestion, 'preset'> {
    const attributes = [...this.attributes].sort((a, b) => a.at - b.at).map((a) => a.mapping);
    const spec: MappingSpec = {
      version: 1,
      ...(this.presetName ? { name: `${this.presetName} (fitted)` } : {}),
      ...definedOnly(this.settings),
      resourceType: this.ctx.resourceType,
      attributes,
      ...(this.active ? { active: this.active } : {}),
      ...(this.groups ? { groups: this.groups } : {}),
      ...(this.manager ? { manager: this.manager } : {}),
    };
    const keys = this.match?.keys ?? this.defaultKeys();
    if (keys.length > 0) spec.match = { keys };
    const unmapped = this.headers.filter((_h, i) => !this.mapsColumn(i));
    for (const column of unmapped) {
      if (!this.confidence.some((c) => c.column === column)) {
        this.confidence.push({ column, score: 0, why: 'no SCIM attribute recognised' });
      }
    }
    return { spec, confidence: this.confidence, unmapped };
  }

  private profile(i: number): ColumnProfile {
    return this.profiles[i] ?? profileColumn([], 0);
  }

  /** True when column `i` feeds the spec. */
  private mapsColumn(i: number): boolean {
    const h = this.headers[i] ?? '';
    return this.confidence.some((c) => c.column === h && c.target !== undefined);
  }

  /** Applies one candidate to column `i` if its target is still free. */
  private apply(i: number, role: HeaderRole, score: number, why: string): void {
    const header = this.headers[i] ?? '';
    switch (role.kind) {
      case 'attribute':
        if (this.targets.has(keyOf(role.target) ?? '')) return;
        {
          const honest = honestConfidence(role.target, this.profile(i), score, why);
          this.addAttribute(
            i,
            { target: role.target, source: { column: header } },
            [header],
            honest.score,
            honest.why,
          );
        }
        return;
      case 'active':
        if (this.active || this.ctx.resourceType !== 'User') return;
        this.active = activeMapping(header, role.inverted, this.profile(i));
        this.targets.add(keyOf('active') ?? '');
        this.used.add(i);
        this.confidence.push({
          column: header,
          target: 'active',
          ...activeScore(score, why, role.inverted, this.profile(i)),
        });
        return;
      case 'groups':
        if (this.groups || this.ctx.resourceType !== 'User') return;
        this.groups = { column: header, delimiter: this.profile(i).separator ?? ';', mode: 'add' };
        this.used.add(i);
        this.confidence.push({
          column: header,
          target: 'groups',
          score,
          why: `${why}; memberships are only added (mode add)`,
        });
        return;
      case 'manager': {
        if (this.manager || this.ctx.resourceType !== 'User') return;
        const by = this.managerBy(header, this.profile(i));
        if (!by) {
          this.used.add(i);
          this.confidence.push({
            column: header,
            score: 0.2,
            why: `${why}, but its values look like names, which cannot be resolved; map a manager id or email column instead`,
          });
          return;
        }
        this.manager = { column: header, by };
        this.targets.add(keyOf(MANAGER_VALUE) ?? '');
        this.used.add(i);
        this.confidence.push({
          column: header,
          target: MANAGER_VALUE,
          score,
          why: `${why}; the manager is found by ${by}`,
        });
        return;
      }
      case 'skip':
        this.used.add(i);
        this.confidence.push({ column: header, score, why: role.why });
        return;
    }
  }

  private addAttribute(
    at: number,
    mapping: AttributeMapping,
    columns: readonly string[],
    score: number,
    why: string,
  ): void {
    this.attributes.push({ at, mapping });
    this.targets.add(keyOf(mapping.target) ?? mapping.target);
    for (const c of columns) {
      const i = this.index.find(c);
      if (i !== undefined) this.used.add(i);
      this.confidence.push({ column: c, target: mapping.target, score, why });
    }
  }

  /** Records a section's column as used. */
  private mark(column: string, target: string, score: number, why: string): void {
    const i = this.index.find(column);
    if (i !== undefined) this.used.add(i);
    this.confidence.push({ column: this.headers[i ?? -1] ?? column, target, score, why });
  }

  /** What a manager column holds, judged from its header and values; undefined for names. */
  private managerBy(header: string, p: ColumnProfile): ManagerKey | undefined {
    const h = header.toLowerCase();
    if (/upn|login|user ?name|principal/.test(h)) return 'userName';
    if (/e-?mail|mail/.test(h) || p.email >= 0.8) return 'email';
    if (p.count > 0 && p.idLike < 0.8 && !/\b(id|no|nr|number|num|#)\b|id$/i.test(header)) {
      return undefined;
    }
    if (/external/.test(h)) return 'externalId';
    return 'employeeNumber';
  }

  /** externalId, employeeNumber, userName, then the work email (when not the userName's column). */
  private defaultKeys(): string[][] {
    const mapped = (t: string) => this.attributes.find((a) => sameTarget(a.mapping.target, t));
    const keys: string[][] = [];
    const primary =
      this.ctx.resourceType === 'Group'
        ? ['externalId', 'displayName']
        : ['externalId', EMPLOYEE_NUMBER, 'userName'];
    for (const t of primary) {
      const a = mapped(t);
      if (a) keys.push([a.mapping.target]);
    }
    const email = mapped(WORK_EMAIL);
    const userName = mapped('userName');
    if (
      this.ctx.resourceType === 'User' &&
      email &&
      JSON.stringify(email.mapping.source) !== JSON.stringify(userName?.mapping.source)
    ) {
      keys.push([email.mapping.target]);
    }
    return keys;
  }
}

/** The members of `o` that are not undefined. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The target a role fills, for messages. */
function roleTarget(role: HeaderRole): string | undefined {
  switch (role.kind) {
    case 'attribute':
      return role.target;
    case 'active':
      return 'active';
    case 'groups':
      return 'groups';
    case 'manager':
      return MANAGER_VALUE;
    case 'skip':
      return undefined;
  }
}

/** The columns a source reads. */
function sourceColumns(source: Source): string[] {
  if ('column' in source) return [source.column];
  if ('columns' in source) return source.columns;
  if ('template' in source) {
    return [...source.template.matchAll(/\{([^{}]+)\}/g)].map((m) =>
      (m[1] ?? '').replace(/\?$/, '').trim(),
    );
  }
  return [];
}

/** The columnKey of a target path. */
function keyOf(path: string): string | undefined {
  try {
    return columnKey(parseColumnHeader(path).path);
  } catch {
    return undefined;
  }
}

function sameTarget(a: string, b: string): boolean {
  if (a === b) return true;
  const ka = keyOf(a);
  return ka !== undefined && ka === keyOf(b);
}

/** The active section for a status column; inverted columns swap the yes/no words. */
function activeMapping(column: string, inverted: boolean, p: ColumnProfile): ActiveMapping {
  if (inverted) {
    return { column, trueWords: ['no', 'n', 'false', '0'], falseWords: ['yes', 'y', 'true', '1'] };
  }
  if (p.extraActive.length > 0) {
    return {
      column,
      trueWords: [...DEFAULT_TRUE_WORDS, ...p.extraActive],
      falseWords: [...DEFAULT_FALSE_WORDS],
    };
  }
  return { column };
}

/** The score and reason of an active column, lower when sample values are unknown words. */
function activeScore(
  score: number,
  why: string,
  inverted: boolean,
  p: ColumnProfile,
): { score: number; why: string } {
  const base = inverted ? `${why}; yes means inactive` : why;
  if (inverted || p.unknownStatus.length === 0) return { score, why: base };
  const words = p.unknownStatus.map((w) => `"${w}"`).join(', ');
  return {
    score: Math.round(score * 80) / 100,
    why:
      p.unknownStatus.length === 1
        ? `${base}; ${words} is not a known status word: add it to trueWords or falseWords`
        : `${base}; ${words} are not known status words: add them to trueWords or falseWords`,
  };
}
