/**
 * Resource shapes, so a CSV export flattens each shape once instead of each resource.
 *
 * Where a resource's values land in the CSV (flattenResource, columns/flatten.ts) depends on its
 * structure — keys, value kinds, which strings are empty, booleans, and the `type`/`primary` of
 * multi-valued elements — never on the other values themselves, which are copied into cells as
 * they are (joined values escaped by `joinMultiValue`). So a resource splits into:
 *
 * - its **shape**: the structure above, as the path of its walk through a trie of steps (keys,
 *   value kinds, kept `type`/`primary` values), so a known shape costs map look-ups, no text;
 * - its **leaves**: the text of every other non-empty string and number, in walk order.
 *
 * A shape is flattened once, as a **probe**: the first resource of the shape with each leaf
 * replaced by a marker. The cells the probe gives, once the export knows its columns, are the
 * shape's **template**: literal text with markers where leaves go (a marker carries a `;`, so a
 * joined — escaped — leaf shows as `\;` and is told apart from a single one). Filling a template
 * with a resource's leaves gives exactly the cells flattenResource gives that resource.
 *
 * Not shaped (the caller flattens them the usual way): values JSON cannot hold (undefined,
 * non-finite numbers), a `type`/`primary` text holding a marker character, large resources
 * (more than {@link MAX_LEAVES} leaves or {@link MAX_STEPS} steps, such as a group with many
 * members), and new shapes once the index is full.
 */
import { joinMultiValue, type ColumnSpec } from '../../shared/columns/columns';
import { flattenResource } from '../columns/flatten';

type Json = Record<string, unknown>;

/** Leaves a shaped resource may have; larger resources are flattened one by one. */
const MAX_LEAVES = 256;
/** Steps (keys and values) a shaped resource may have. */
const MAX_STEPS = 2048;
/** Nodes the shape index grows to at most; past it, only resources of known shapes are shaped. */
const MAX_NODES = 500_000;

const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKER = /\uE000(\d+)(\\?;)\uE001/g;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `type` and `primary` of a multi-valued element decide placement: kept in the shape. */
function isPlacementKey(k: string): boolean {
  return (
    (k.length === 4 && k.toLowerCase() === 'type') ||
    (k.length === 7 && k.toLowerCase() === 'primary')
  );
}

/** The structural steps of a walk besides keys and kept values. */
const STEP = {
  open: 0,
  close: 1,
  openList: 2,
  closeList: 3,
  empty: 4,
  text: 5,
  number: 6,
  true: 7,
  false: 8,
  null: 9,
} as const;
type Step = (typeof STEP)[keyof typeof STEP];

/**
 * A node of the shape trie: a walk's steps lead from the root to one node per shape. Keys, kept
 * texts and kept numbers have their own maps, so no two step sequences share a path.
 */
type ShapeNode = {
  steps: (ShapeNode | undefined)[];
  keys?: Map<string, ShapeNode>;
  keptText?: Map<string, ShapeNode>;
  keptNumber?: Map<number, ShapeNode>;
  shape: number;
};

function newNode(): ShapeNode {
  return { steps: [], shape: -1 };
}

/** A resource as its shape and its row: `[shape, groups cell, ...leaves]`. */
export type ShapedRow = { shape: number; isNew: boolean; row: unknown[] };

/** Assigns shapes to resources (see the file comment). */
export type ShapeIndex = {
  /** The shape and row of a resource; undefined when it is not shaped. */
  shape(resource: Readonly<Json>): ShapedRow | undefined;
};

/** The shape trie and the walk of one resource through it. */
class ShapeTrie implements ShapeIndex {
  private readonly root = newNode();
  private nodes = 1;
  private shapes = 0;
  private node = this.root;
  private row: unknown[] = [];
  private steps = 0;

  constructor(private readonly maxShapes: number) {}

  shape(resource: Readonly<Json>): ShapedRow | undefined {
    this.node = this.root;
    this.row = [0, ''];
    this.steps = 0;
    if (!this.object(resource, false)) return undefined;
    const node = this.node;
    let isNew = false;
    if (node.shape < 0) {
      if (this.shapes >= this.maxShapes) return undefined;
      node.shape = this.shapes++;
      isNew = true;
    }
    this.row[0] = node.shape;
    return { shape: node.shape, isNew, row: this.row };
  }

  /** A new node, while the index may grow (else undefined: the resource is not shaped). */
  private grow(): ShapeNode | undefined {
    if (this.shapes >= this.maxShapes || this.nodes >= MAX_NODES || this.steps > MAX_STEPS) {
      return undefined;
    }
    this.nodes += 1;
    return newNode();
  }

  // Each step moves `node` to its child, created while the index may grow; false: not shaped.
  private step(s: Step): boolean {
    this.steps += 1;
    let next = this.node.steps[s];
    if (!next) {
      next = this.grow();
      if (!next) return false;
      this.node.steps[s] = next;
    }
    this.node = next;
    return true;
  }

  private mapStep<K>(
    map: Map<K, ShapeNode> | undefined,
    k: K,
    set: Map<K, ShapeNode> | (() => Map<K, ShapeNode>),
  ): boolean {
    this.steps += 1;
    let next = map?.get(k);
    if (!next) {
      next = this.grow();
      if (!next) return false;
      (typeof set === 'function' ? set() : set).set(k, next);
    }
    this.node = next;
    return true;
  }

  private key(k: string): boolean {
    const n = this.node;
    return this.mapStep(n.keys, k, n.keys ?? (() => (n.keys = new Map())));
  }

  private keptText(v: string): boolean {
    const n = this.node;
    return this.mapStep(n.keptText, v, n.keptText ?? (() => (n.keptText = new Map())));
  }

  private keptNumber(v: number): boolean {
    const n = this.node;
    return this.mapStep(n.keptNumber, v, n.keptNumber ?? (() => (n.keptNumber = new Map())));
  }

  private value(v: unknown, kept: boolean): boolean {
    switch (typeof v) {
      case 'string':
        if (v === '') return this.step(STEP.empty);
        if (!kept) {
          this.row.push(v);
          return this.step(STEP.text);
        }
        return !v.includes(MARK_OPEN) && !v.includes(MARK_CLOSE) && this.keptText(v);
      case 'number':
        if (!Number.isFinite(v)) return false;
        if (kept) return this.keptNumber(v);
        this.row.push(String(v));
        return this.step(STEP.number);
      case 'boolean':
        return this.step(v ? STEP.true : STEP.false);
      case 'object':
        if (v === null) return this.step(STEP.null);
        return Array.isArray(v) ? this.list(v) : this.object(v as Json, false);
      case 'bigint':
      case 'function':
      case 'symbol':
      case 'undefined':
        return false;
    }
  }

  private list(items: readonly unknown[]): boolean {
    if (!this.step(STEP.openList)) return false;
    for (const item of items) {
      if (!(isRecord(item) ? this.object(item, true) : this.value(item, false))) return false;
    }
    return this.step(STEP.closeList);
  }

  private object(obj: Json, element: boolean): boolean {
    if (!this.step(STEP.open)) return false;
    for (const k of Object.keys(obj)) {
      if (!this.key(k) || !this.value(obj[k], element && isPlacementKey(k))) return false;
    }
    return this.row.length - 2 <= MAX_LEAVES && this.step(STEP.close);
  }
}

/** Creates a shape index holding at most `maxShapes` shapes. */
export function createShapeIndex(maxShapes: number): ShapeIndex {
  return new ShapeTrie(maxShapes);
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
