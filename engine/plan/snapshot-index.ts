/**
 * A server snapshot (the exporter's JSON Lines: one resource per line) indexed for planning. Only
 * what matching needs stays in memory — one entry per resource per key, plus the byte range of
 * every line — and a resource is read back from the file when a row matches it, so a plan against
 * a million users does not hold a million parsed resources.
 */
import { closeSync, openSync } from 'node:fs';
import { columnKey, type ColumnSpec } from '../../shared/columns/columns';
import { flattenCells } from '../columns/flatten';
import type { ScimResource } from '../../shared/scim/types';
import { AppError } from '../../shared/errors/errors';
import { createLineReader } from '../files/line-blocks';
import { readLines } from '../files/line-file';
import { createHashIndex } from './hash-index';

/** One key of the match precedence: an AND of columns, with each part's case handling. */
export type IndexKey = {
  /** As configured, e.g. `userName` or `externalId+userName`. */
  name: string;
  parts: { column: ColumnSpec; caseExact: boolean }[];
};

/** Normalises a value for matching only (the plan sends values as written). */
export type MatchNormaliser = (value: string, caseExact: boolean) => string;

export type SnapshotIndex = {
  file: string;
  /** Resources in the snapshot. */
  count: number;
  /** The resource on line `ordinal` (0-based among resources). */
  read(ordinal: number): ScimResource;
  /** Every resource's JSON line in file order, streamed (for sweeps and the orphan report). */
  scan(): AsyncGenerator<{ ordinal: number; line: string }>;
  /** Ordinals whose value for key `k` normalises to `value` (parts joined by U+0001). */
  find(k: number, value: string): readonly number[];
  /** Group display name (lower-cased, trimmed) → the group, from the users' `groups`. */
  groups: Map<string, { id: string; display: string }>;
  close(): void;
};

const SEP = '\u0001';

/** The key a group display name is found by: trimmed, NFC, lower-case. */
export function groupKey(display: string): string {
  return display.normalize('NFC').trim().toLowerCase();
}

function prop(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

/**
 * One column's cell of a resource, as flattenResource would give it, without decomposing the
 * whole resource for the common single-valued keys (`userName`, `externalId`, an extension's
 * `employeeNumber`): matching reads it once per resource and once per candidate.
 */
export function keyCell(resource: ScimResource, column: ColumnSpec): string {
  const p = column.path;
  if (p.kind === 'single') {
    let v = p.uri !== undefined ? prop(prop(resource, p.uri), p.attr) : prop(resource, p.attr);
    if (p.subAttr !== undefined) v = prop(v, p.subAttr);
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    if (v === undefined || v === null) return '';
  }
  return flattenCells(resource, [column])[0] ?? '';
}

/** The key value of a resource for one key, or undefined when a part is empty. */
export function keyValue(
  cells: readonly string[],
  normalise: MatchNormaliser,
  parts: IndexKey['parts'],
): string | undefined {
  const first = parts[0];
  if (parts.length === 1 && first) {
    const cell = cells[0] ?? '';
    const n = cell === '' ? '' : normalise(cell, first.caseExact);
    return n === '' ? undefined : n;
  }
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const cell = cells[i] ?? '';
    const part = parts[i];
    if (cell === '' || !part) return undefined;
    const n = normalise(cell, part.caseExact);
    if (n === '') return undefined;
    out.push(n);
  }
  return out.join(SEP);
}

/** Every key's columns in one list (each once), and where each key's parts are in it. */
function keyColumns(keys: readonly IndexKey[]): { columns: ColumnSpec[]; partSlots: number[][] } {
  const columns: ColumnSpec[] = [];
  const slot = new Map<string, number>();
  const partSlots = keys.map((k) =>
    k.parts.map((p) => {
      const id = columnKey(p.column.path);
      let i = slot.get(id);
      if (i === undefined) {
        i = columns.length;
        slot.set(id, i);
        columns.push(p.column);
      }
      return i;
    }),
  );
  return { columns, partSlots };
}

function notAnObject(file: string, lineNo: number): AppError {
  return new AppError('input', `${file}, line ${lineNo}: not a JSON object.`, {
    nextStep: 'Use a JSON Lines snapshot written by "scim-porter export --format jsonl".',
  });
}

/** One snapshot line as a resource, or an error naming the line. */
function parseResource(file: string, lineNo: number, line: string): ScimResource {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw notAnObject(file, lineNo);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw notAnObject(file, lineNo);
  }
  return parsed as ScimResource;
}

/** The groups a user's own `groups` names (id and display), added to the directory once each. */
function noteGroups(resource: ScimResource, groups: SnapshotIndex['groups']): void {
  const own = resource['groups'];
  if (!Array.isArray(own)) return;
  for (const g of own as unknown[]) {
    if (typeof g !== 'object' || g === null) continue;
    const rec = g as Record<string, unknown>;
    const id = rec['value'];
    const display = rec['display'];
    if (typeof id === 'string' && typeof display === 'string' && display.trim() !== '') {
      const k = groupKey(display);
      if (!groups.has(k)) groups.set(k, { id, display: display.trim() });
    }
  }
}

/** Byte offset and length of each resource line, in growing typed arrays. */
type LineTable = { offsets: Float64Array; lengths: Uint32Array; count: number };

function addLine(table: LineTable, start: number, bytes: number): void {
  if (table.count === table.offsets.length) {
    const o = new Float64Array(table.count * 2);
    o.set(table.offsets);
    table.offsets = o;
    const l = new Uint32Array(table.count * 2);
    l.set(table.lengths);
    table.lengths = l;
  }
  table.offsets[table.count] = start;
  table.lengths[table.count] = bytes;
  table.count += 1;
}

type Built = {
  table: LineTable;
  maps: ReturnType<typeof createHashIndex>[];
  groups: SnapshotIndex['groups'];
};

/** The one streaming pass: each line's place, each key's hashed value, the group directory. */
async function readIndex(
  file: string,
  keys: readonly IndexKey[],
  normalise: MatchNormaliser,
  opts: { signal?: AbortSignal; onProgress?: (resources: number) => void },
): Promise<Built> {
  // Per key: hashed value → ordinals (verified against the resource on lookup).
  const maps = keys.map(() => createHashIndex(1 << 14));
  const { columns, partSlots } = keyColumns(keys);
  const table: LineTable = {
    offsets: new Float64Array(1024),
    lengths: new Uint32Array(1024),
    count: 0,
  };
  const groups: SnapshotIndex['groups'] = new Map();
  let position = 0;
  let lineNo = 0;
  // Reused for every line: the key columns' cells and one key's parts.
  const cells: string[] = new Array<string>(columns.length).fill('');
  const own: string[] = [];
  for await (const line of readLines(file)) {
    lineNo += 1;
    const bytes = Buffer.byteLength(line, 'utf8');
    const start = position;
    position += bytes + 1;
    if (line.trim() === '') continue;
    const resource = parseResource(file, lineNo, line);
    const ordinal = table.count;
    addLine(table, start, bytes);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c];
      cells[c] = column ? keyCell(resource, column) : '';
    }
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const slots = partSlots[k] ?? [];
      if (!key) continue;
      own.length = slots.length;
      for (let p = 0; p < slots.length; p++) own[p] = cells[slots[p] ?? -1] ?? '';
      const value = keyValue(own, normalise, key.parts);
      if (value !== undefined) maps[k]?.add(value, ordinal);
    }
    noteGroups(resource, groups);
    if (table.count % 10_000 === 0) {
      opts.onProgress?.(table.count);
      if (opts.signal?.aborted) throw new AppError('cancelled', 'Planning was cancelled.');
    }
  }
  opts.onProgress?.(table.count);
  return { table, maps, groups };
}

/**
 * Resources by ordinal, parsed from their line. A row reads its match twice (to verify the key,
 * then to plan) and neighbouring rows share a manager, so the last few parsed are kept.
 */
function createResourceReader(fd: number, table: LineTable): (ordinal: number) => ScimResource {
  const text = createLineReader(fd, table);
  const RECENT = 8;
  const cachedOrdinal = new Float64Array(RECENT).fill(-1);
  const cached: (ScimResource | undefined)[] = new Array<ScimResource | undefined>(RECENT);
  let nextSlot = 0;
  return (ordinal) => {
    for (let i = 0; i < RECENT; i++) {
      const r = cached[i];
      if (cachedOrdinal[i] === ordinal && r) return r;
    }
    const r = JSON.parse(text(ordinal)) as ScimResource;
    cachedOrdinal[nextSlot] = ordinal;
    cached[nextSlot] = r;
    nextSlot = (nextSlot + 1) % RECENT;
    return r;
  };
}

/** Reads and indexes a snapshot file (streaming; one pass). */
export async function indexSnapshot(
  file: string,
  keys: readonly IndexKey[],
  normalise: MatchNormaliser,
  opts: { signal?: AbortSignal; onProgress?: (resources: number) => void } = {},
): Promise<SnapshotIndex> {
  const { table, maps, groups } = await readIndex(file, keys, normalise, opts);
  const fd = openSync(file, 'r');
  let closed = false;
  const read = createResourceReader(fd, table);
  return {
    file,
    count: table.count,
    read,
    async *scan() {
      let ordinal = 0;
      for await (const line of readLines(file)) {
        if (line.trim() === '') continue;
        yield { ordinal: ordinal++, line };
      }
    },
    find(k, value) {
      const key = keys[k];
      const candidates = maps[k]?.get(value) ?? [];
      if (!key) return [];
      // Hashes can collide: keep the resources whose key really is `value`.
      return candidates.filter((o) => {
        const r = read(o);
        const cells = key.parts.map((p) => keyCell(r, p.column));
        return keyValue(cells, normalise, key.parts) === value;
      });
    },
    groups,
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
