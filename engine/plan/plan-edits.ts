/**
 * Turns the changed targets of one row into edits (see `edits.ts`), as few as the column model
 * allows and in shapes most servers accept:
 *
 * - simple attribute: `replace displayName` / `remove displayName`;
 * - core sub-attribute: `replace name.givenName` / `remove name.givenName`;
 * - extension sub-attribute: `replace urn:…:User:manager` with `{ "value": "…" }` (one operation for
 *   all changed sub-attributes of the attribute; RFC 7644 §3.5.2.3 merges sub-attributes, and a URN
 *   path followed by `.sub` is where servers' path parsers most often fail, as URNs contain dots);
 * - clearing `attr.value` removes `attr` as a whole (a manager without its id means nothing) unless
 *   another column gives `attr` a value; other sub-attributes are removed one by one;
 * - a selected value the server has: `replace emails[type eq "Work"].value` (the filter uses the
 *   server's spelling of the type, as some servers compare it exactly); clearing `.value` removes
 *   the value, `remove emails[type eq "Work"]` (once per spelling of the type the server has),
 *   unless another column of it keeps a value;
 * - a selected value the server lacks: one `add emails` with every new value of the attribute,
 *   built from all of the value's columns; a new value that will be the attribute's only one gets
 *   `primary: true` (emails, phone numbers, …: RFC 7643 §2.4 lets at most one be primary, and
 *   several services want a primary email);
 * - joined column: `replace roles` with the attribute's full new list, keeping the server's values
 *   that stay (with all their sub-attributes) and the values other columns show; `remove roles` when
 *   nothing is left.
 *
 * Joined replacements come first, so later edits of selected values apply to the new list; then
 * edits through `[primary eq true]` (see `editOrder`), then the rest in target order, then the
 * `add`s. A row that makes a typed value primary and also sets an untyped primary value asks for two
 * primaries, which RFC 7643 §2.4 forbids: servers keep one of them.
 */
import { attributeKey, splitMultiValue, type ValueSelector } from '../../shared/columns/columns';
import { getAttr, isRecord, isTypedStyle, scalarText } from '../columns/flatten';
import { sameAttrName } from '../../shared/scim/attribute-path';
import { typedValue, valueKey } from './cell-values';
import type { Edit, EditTarget } from './edits';
import {
  containerOf,
  elementRoles,
  elementType,
  findKey,
  selectedIndex,
  spelled,
  valuesOf,
  type JsonObject,
} from '../resources/resource-access';
import type { AttributePath, CompiledTargets, SelectorPlan, TargetInfo } from './target-info';

/** What {@link planEdits} needs. */
type EditInput = {
  readonly compiled: CompiledTargets;
  /** Desired cells as `effectiveDesired` reads them, index-aligned with the targets. */
  readonly desired: readonly (string | null | undefined)[];
  /** Indexes of the targets whose cell differs from the server's, ascending. */
  readonly changed: readonly number[];
  readonly server: Readonly<JsonObject>;
};

/** Values to append to one multi-valued attribute. */
type PendingAdd = {
  target: EditTarget;
  ref: { uri?: string; attr: string };
  elements: JsonObject[];
  serverHasValues: boolean;
};

/** The edits that make the server resource show the desired cells (see the file comment). */
export function planEdits(input: EditInput): Edit[] {
  const { compiled } = input;
  const joined: Edit[] = [];
  const others: Edit[] = [];
  const adds = new Map<string, PendingAdd>();
  const joinedCounts = new Map<string, number>();
  const done = new Set<string>();
  for (const index of editOrder(input)) {
    const info = compiled.infos[index];
    const path = info?.path;
    if (!info || !path) continue;
    if (info.group !== undefined) {
      if (done.has(info.group)) continue;
      done.add(info.group);
    }
    const members = info.group !== undefined ? (compiled.groups.get(info.group) ?? []) : [];
    switch (path.kind) {
      case 'single':
        if (path.subAttr === undefined) others.push(simpleEdit(input, info, path));
        else others.push(...complexEdits(input, members, path));
        break;
      case 'joined': {
        const { edit, count } = joinedEdit(input, members, path);
        joined.push(edit);
        joinedCounts.set(attributeKey(path), count);
        break;
      }
      case 'valueFilter':
        others.push(...selectedValueEdits(input, members, path, adds));
        break;
    }
  }
  for (const [key, add] of adds) {
    const [only] = add.elements;
    const alone =
      add.elements.length === 1 && !add.serverHasValues && (joinedCounts.get(key) ?? 0) === 0;
    if (only && alone && isTypedStyle(add.ref) && findKey(only, 'primary') === undefined) {
      only['primary'] = true;
    }
    others.push({ op: 'add', target: add.target, value: add.elements });
  }
  return [...joined, ...others];
}

/**
 * The changed targets in the order their edits are made: `[primary eq true]` columns first, so that
 * their filter still matches only the untyped primary value when a later edit (`emails[type eq
 * "work"].primary` = true) makes a typed value primary too; then the rest in target order.
 */
function editOrder(input: EditInput): number[] {
  const isPrimarySelector = (index: number): boolean => {
    const path = input.compiled.infos[index]?.path;
    return path?.kind === 'valueFilter' && path.selector.by === 'primary';
  };
  return [
    ...input.changed.filter(isPrimarySelector),
    ...input.changed.filter((i) => !isPrimarySelector(i)),
  ];
}

/** The desired cell of target `index` (undefined when out of range). */
function desiredAt(input: EditInput, index: number): string | null | undefined {
  return input.desired[index];
}

/** The typed value of a desired cell. */
function typed(info: TargetInfo, text: string): unknown {
  return typedValue(text, info.type);
}

/** Where an attribute is, spelled as the server spells it when it has it. */
function locate(
  server: Readonly<JsonObject>,
  path: AttributePath,
): { container: JsonObject | undefined; uri: string | undefined; attr: string } {
  const container = containerOf(server, path.uri);
  return {
    container,
    uri: path.uri === undefined ? undefined : spelled(server, path.uri),
    attr: spelled(container, path.attr),
  };
}

/** `replace attr` / `remove attr` for a simple attribute (core or extension). */
function simpleEdit(input: EditInput, info: TargetInfo, path: AttributePath): Edit {
  const { uri, attr } = locate(input.server, path);
  const target: EditTarget = uri === undefined ? { attr } : { uri, attr };
  const want = desiredAt(input, info.index);
  return typeof want === 'string'
    ? { op: 'replace', target, value: typed(info, want) }
    : { op: 'remove', target };
}

/** Edits for the changed sub-attribute columns of one single-valued complex attribute. */
function complexEdits(input: EditInput, members: readonly number[], path: AttributePath): Edit[] {
  const { container, uri, attr } = locate(input.server, path);
  const current = container ? getAttr(container, attr) : undefined;
  const object = isRecord(current) ? current : undefined;
  const base: EditTarget = uri === undefined ? { attr } : { uri, attr };
  const changedSet = new Set(input.changed);
  const infos = members
    .map((i) => input.compiled.infos[i])
    .filter((i): i is TargetInfo => i?.path?.subAttr !== undefined);
  const subOf = (info: TargetInfo): string => spelled(object, info.path?.subAttr ?? '');
  const changedInfos = infos.filter((i) => changedSet.has(i.index));
  const sets = changedInfos.filter((i) => typeof desiredAt(input, i.index) === 'string');
  const clears = changedInfos.filter((i) => desiredAt(input, i.index) === null);
  const keepsValue = infos.some((i) => typeof desiredAt(input, i.index) === 'string');
  const edits: Edit[] = [];
  if (uri !== undefined && sets.length > 0) {
    const value: JsonObject = {};
    for (const info of sets) value[subOf(info)] = typed(info, desiredAt(input, info.index) ?? '');
    edits.push({ op: 'replace', target: base, value });
  } else {
    for (const info of sets) {
      const value = typed(info, desiredAt(input, info.index) ?? '');
      edits.push({ op: 'replace', target: { ...base, sub: subOf(info) }, value });
    }
  }
  if (!keepsValue && clears.some((i) => sameAttrName(i.path?.subAttr ?? '', 'value'))) {
    edits.push({ op: 'remove', target: base });
  } else {
    for (const info of clears) edits.push({ op: 'remove', target: { ...base, sub: subOf(info) } });
  }
  return edits;
}

/** Edits for the columns of one selected value (`attr[type eq "…"].*` / `attr[primary eq true].*`). */
function selectedValueEdits(
  input: EditInput,
  members: readonly number[],
  path: Extract<AttributePath, { kind: 'valueFilter' }>,
  adds: Map<string, PendingAdd>,
): Edit[] {
  const { container, uri, attr } = locate(input.server, path);
  const items = valuesOf(container, attr);
  const base = uri === undefined ? { attr } : { uri, attr };
  const infos = members
    .map((i) => input.compiled.infos[i])
    .filter((i): i is TargetInfo => i?.path?.kind === 'valueFilter');
  const subOf = (info: TargetInfo, element: JsonObject | undefined): string =>
    spelled(element, info.path?.kind === 'valueFilter' ? info.path.subAttr : '');
  const index = selectedIndex(items, path.selector);
  const element = items[index];
  if (index < 0 || !isRecord(element)) {
    const created: JsonObject =
      path.selector.by === 'type' ? { type: path.selector.type } : { primary: true };
    for (const info of infos) {
      const want = desiredAt(input, info.index);
      if (typeof want === 'string') created[subOf(info, created)] = typed(info, want);
    }
    const key = attributeKey(path);
    const pending: PendingAdd = adds.get(key) ?? {
      target: base,
      ref: path.uri === undefined ? { attr: path.attr } : { uri: path.uri, attr: path.attr },
      elements: [],
      serverHasValues: items.some((v) => isRecord(v) || scalarText(v) !== undefined),
    };
    pending.elements.push(created);
    adds.set(key, pending);
    return [];
  }
  const filter: ValueSelector =
    path.selector.by === 'type'
      ? { by: 'type', type: elementType(element) ?? path.selector.type }
      : { by: 'primary' };
  const changedSet = new Set(input.changed);
  const changedInfos = infos.filter((i) => changedSet.has(i.index));
  const keepsValue = infos.some((i) => typeof desiredAt(input, i.index) === 'string');
  const clearsValue = changedInfos.some(
    (i) => desiredAt(input, i.index) === null && sameAttrName(subOf(i, undefined), 'value'),
  );
  if (clearsValue && !keepsValue) {
    // Every value of the type goes, however the server spells it: otherwise a second `Work`
    // value would take the place of the removed `work` one.
    const filters: ValueSelector[] =
      path.selector.by === 'type' ? typeSpellings(items, path.selector.type) : [filter];
    return filters.map((f): Edit => ({ op: 'remove', target: { ...base, filter: f } }));
  }
  return changedInfos.map((info): Edit => {
    const want = desiredAt(input, info.index);
    const target: EditTarget = { ...base, filter, sub: subOf(info, element) };
    return typeof want === 'string'
      ? { op: 'replace', target, value: typed(info, want) }
      : { op: 'remove', target };
  });
}

/** The distinct spellings of `type` (compared case-insensitively) among the values, as filters. */
function typeSpellings(items: readonly unknown[], type: string): ValueSelector[] {
  const wanted = type.toLowerCase();
  const spellings = new Set<string>();
  for (const item of items) {
    const t = isRecord(item) ? elementType(item) : undefined;
    if (t?.toLowerCase() === wanted) spellings.add(t);
  }
  return [...spellings].map((t) => ({ by: 'type', type: t }));
}

/** The `replace` (or `remove`) of a multi-valued attribute for its changed joined columns. */
function joinedEdit(
  input: EditInput,
  members: readonly number[],
  path: AttributePath,
): { edit: Edit; count: number } {
  const { container, uri, attr } = locate(input.server, path);
  const target: EditTarget = uri === undefined ? { attr } : { uri, attr };
  const plan = input.compiled.selectors.get(attributeKey(path));
  const changedSet = new Set(input.changed);
  // A copy: the edit must not share objects with the server resource.
  let items: unknown[] = structuredClone(valuesOf(container, attr));
  for (const index of members) {
    const info = input.compiled.infos[index];
    if (!info || !changedSet.has(index)) continue;
    items = rebuildJoined(items, info, desiredAt(input, index) ?? null, plan);
  }
  const edit: Edit =
    items.length > 0 ? { op: 'replace', target, value: items } : { op: 'remove', target };
  return { edit, count: items.length };
}

/**
 * The values of a multi-valued attribute after setting one joined column to `desired`: values the
 * column does not show are kept; shown values stay (first occurrence, with all their sub-attributes)
 * when desired and go otherwise; desired values the server lacks are appended.
 */
function rebuildJoined(
  items: readonly unknown[],
  info: TargetInfo,
  desired: string | null,
  plan: SelectorPlan | undefined,
): unknown[] {
  const sub = info.path?.subAttr;
  const wanted = new Map<string, string>();
  for (const text of desired === null ? [] : splitMultiValue(desired)) {
    const key = valueKey(text, info.type);
    if (!wanted.has(key)) wanted.set(key, text);
  }
  const roles = elementRoles(items, plan);
  const used = new Set<string>();
  const out: unknown[] = [];
  items.forEach((item, i) => {
    const shown = roles[i] === 'joined' ? shownValue(item, sub) : undefined;
    if (shown === undefined) {
      out.push(item);
      return;
    }
    const key = valueKey(shown, info.type);
    if (wanted.has(key) && !used.has(key)) {
      used.add(key);
      out.push(item);
    }
  });
  const complex =
    sub !== undefined ||
    info.attribute?.type === 'complex' ||
    (info.attribute === undefined && items.some(isRecord));
  for (const [key, text] of wanted) {
    if (used.has(key)) continue;
    const value = typed(info, text);
    out.push(complex ? { [sub ?? 'value']: value } : value);
  }
  return out;
}

/** The text a joined column shows for one value: a simple item itself, else its `sub` (`value`). */
function shownValue(item: unknown, sub: string | undefined): string | undefined {
  const text = isRecord(item)
    ? scalarText(getAttr(item, sub ?? 'value'))
    : sub === undefined
      ? scalarText(item)
      : undefined;
  return text === '' ? undefined : text;
}
