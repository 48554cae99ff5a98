/**
 * Resource shapes, so a CSV export flattens each shape once instead of each resource.
 *
 * Where a resource's values land in the CSV (flattenResource, columns/flatten.ts) depends on its
 * structure — keys, value kinds, which strings are empty, booleans, and the `type`/`primary` of
 * multi-valued elements — never on the other values themselves, which are copied into cells as
 * they are (joined values escaped by `joinMultiValue`). So a resource splits into:
 *
 * - its **shape key**: the structure above, as text (prefix-free, so two shapes never share one);
 * - its **leaves**: the text of every other non-empty string and number, in walk order.
 *
 * A shape is flattened once, as a **probe**: the first resource of the shape with each leaf
 * replaced by a marker. The cells the probe gives, once the export knows its columns, are the
 * shape's **template**: literal text with markers where leaves go (a marker carries a `;`, so a
 * joined — escaped — leaf shows as `\;` and is told apart from a single one). Filling a template
 * with a resource's leaves gives exactly the cells flattenResource gives that resource.
 *
 * Not shaped (the caller flattens them the usual way): values JSON cannot hold (undefined,
 * non-finite numbers), a `type`/`primary` text holding a marker character, and large resources
 * (more than {@link MAX_LEAVES} leaves, such as a group with many members).
 */
import { joinMultiValue, type ColumnSpec } from '../../shared/columns/columns';
import { flattenResource } from '../columns/flatten';

type Json = Record<string, unknown>;

/** A resource as shape key and leaf texts. */
export type Shaped = { key: string; leaves: string[] };

/** Leaves a shaped resource may have; larger resources are flattened one by one. */
const MAX_LEAVES = 256;

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER = /\uE000(\d+)(\\?;)\uE001/g;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `type` and `primary` of a multi-valued element decide placement: kept in the shape key. */
function isPlacementKey(k: string): boolean {
  return (
    (k.length === 4 && k.toLowerCase() === 'type') ||
    (k.length === 7 && k.toLowerCase() === 'primary')
  );
}

type WalkState = { key: string; leaves: string[] };

function walkValue(v: unknown, kept: boolean, w: WalkState): boolean {
  switch (typeof v) {
    case 'string':
      if (v === '') w.key += 'e';
      else if (!kept) {
        w.key += 's';
        w.leaves.push(v);
      } else if (v.includes(MARK_OPEN) || v.includes(MARK_CLOSE)) return false;
      else w.key += `S${v.length}:${v}`;
      return true;
    case 'number':
      if (!Number.isFinite(v)) return false;
      if (kept) w.key += `N${String(v)}|`;
      else {
        w.key += 'n';
        w.leaves.push(String(v));
      }
      return true;
    case 'boolean':
      w.key += v ? 't' : 'f';
      return true;
    case 'object':
      if (v === null) {
        w.key += 'z';
        return true;
      }
      return Array.isArray(v) ? walkArray(v, w) : walkObject(v as Json, false, w);
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      return false;
  }
}

function walkArray(items: readonly unknown[], w: WalkState): boolean {
  w.key += '[';
  for (const item of items) {
    if (!(isRecord(item) ? walkObject(item, true, w) : walkValue(item, false, w))) return false;
  }
  w.key += ']';
  return true;
}

function walkObject(obj: Json, element: boolean, w: WalkState): boolean {
  w.key += '{';
  for (const k of Object.keys(obj)) {
    w.key += `${k.length}:${k}`;
    if (!walkValue(obj[k], element && isPlacementKey(k), w)) return false;
  }
  w.key += '}';
  return w.leaves.length <= MAX_LEAVES;
}

/** The shape key and leaves of a resource, or undefined when it is not shaped (see the file comment). */
export function shapeOf(resource: Readonly<Json>): Shaped | undefined {
  const w: WalkState = { key: '', leaves: [] };
  return walkObject(resource, false, w) ? w : undefined;
}

function marker(i: number): string {
  return `${MARK_OPEN}${i};${MARK_CLOSE}`;
}

/** Sets a member as JSON.parse does (an own `__proto__` member stays a member). */
function define(out: Json, k: string, v: unknown): void {
  if (k === '__proto__') {
    Object.defineProperty(out, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else out[k] = v;
}

function probeValue(v: unknown, kept: boolean, n: { i: number }): unknown {
  if (typeof v === 'string') return v === '' || kept ? v : marker(n.i++);
  if (typeof v === 'number') return kept ? v : marker(n.i++);
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    return v.map((item: unknown) =>
      isRecord(item) ? probeObject(item, true, n) : probeValue(item, false, n),
    );
  }
  return probeObject(v as Json, false, n);
}

function probeObject(obj: Json, element: boolean, n: { i: number }): Json {
  const out: Json = {};
  for (const k of Object.keys(obj))
    define(out, k, probeValue(obj[k], element && isPlacementKey(k), n));
  return out;
}

/** The probe of a shaped resource: the resource with leaf `i` replaced by marker `i`. */
export function probeOf(resource: Readonly<Json>): Json {
  return probeObject(resource, false, { i: 0 });
}

/** A leaf in a cell: its index, and whether it was joined (escaped as `joinMultiValue` does). */
type LeafRef = { leaf: number; joined: boolean };

/** A cell of a shape: fixed text, or text and leaves in order. */
type CellTemplate = string | readonly (string | LeafRef)[];

/** The cells of a shape for a column set, and the values they cannot hold. */
export type ShapeTemplate = { cells: readonly CellTemplate[]; unrepresentable: number };

function parseCell(text: string): CellTemplate {
  if (!text.includes(MARK_OPEN)) return assertClean(text);
  const parts: (string | LeafRef)[] = [];
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    if (m.index > last) parts.push(assertClean(text.slice(last, m.index)));
    parts.push({ leaf: Number(m[1]), joined: m[2] !== ';' });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(assertClean(text.slice(last)));
  return parts;
}

/** Literal text never holds a marker character: else flattening changed a value it should copy. */
function assertClean(text: string): string {
  if (text.includes(MARK_OPEN) || text.includes(MARK_CLOSE)) {
    throw new Error('CSV export: a cell template holds a broken leaf marker.');
  }
  return text;
}

/** The template of a shape (from its probe) for `columns`; the `groups` cell is the caller's. */
export function shapeTemplate(
  probe: Readonly<Json>,
  columns: readonly ColumnSpec[],
): ShapeTemplate {
  const flat = flattenResource(probe, columns, { groups: [] });
  return { cells: flat.cells.map(parseCell), unrepresentable: flat.unrepresentable };
}

/** A cell's text for a resource whose leaves start at `leaves[offset]`. */
export function fillCell(t: CellTemplate, leaves: readonly unknown[], offset: number): string {
  if (typeof t === 'string') return t;
  let text = '';
  for (const part of t) {
    if (typeof part === 'string') text += part;
    else {
      const leaf = leaves[offset + part.leaf];
      if (typeof leaf !== 'string')
        throw new Error('CSV export: a row lacks a leaf its shape has.');
      text += part.joined ? joinMultiValue([leaf]) : leaf;
    }
  }
  return text;
}
