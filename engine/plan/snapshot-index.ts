/**
 * A server snapshot (the exporter's JSON Lines: one resource per line) indexed for planning. Only
 * what matching needs stays in memory — one entry per resource per key, plus the byte range of
 * every line — and a resource is read back from the file when a row matches it, so a plan against
 * a million users does not hold a million parsed resources.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { columnKey, type ColumnSpec } from '../../shared/columns/columns';
import { flattenCells } from '../columns/flatten';
import type { ScimResource } from '../../shared/scim/types';
import { AppError } from '../../shared/errors/errors';
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

/** Reads and indexes a snapshot file (streaming; one pass). */
export async function indexSnapshot(
  file: string,
  keys: readonly IndexKey[],
  normalise: MatchNormaliser,
  opts: { signal?: AbortSignal; onProgress?: (resources: number) => void } = {},
): Promise<SnapshotIndex> {
  // Per key: hashed value → ordinals (verified against the resource on lookup).
  const maps = keys.map(() => createHashIndex(1 << 14));
  // Every key's columns in one set (each once), so each resource is flattened once.
  const allColumns: ColumnSpec[] = [];
  const slot = new Map<string, number>();
  const partSlots = keys.map((k) =>
    k.parts.map((p) => {
      const id = columnKey(p.column.path);
      let i = slot.get(id);
      if (i === undefined) {
        i = allColumns.length;
        slot.set(id, i);
        allColumns.push(p.column);
      }
      return i;
    }),
  );
  let offsets = new Float64Array(1024);
  let lengths = new Uint32Array(1024);
  const groups = new Map<string, { id: string; display: string }>();
  let count = 0;
  let position = 0;
  let lineNo = 0;

  for await (const line of readLines(file)) {
    lineNo += 1;
    const bytes = Buffer.byteLength(line, 'utf8');
    const start = position;
    position += bytes + 1;
    if (line.trim() === '') continue;
    let resource: ScimResource;
    try {
      resource = JSON.parse(line) as ScimResource;
    } catch {
      throw new AppError('input', `${file}, line ${lineNo}: not a JSON object.`, {
        nextStep: 'Use a JSON Lines snapshot written by "scim-porter export --format jsonl".',
      });
    }
    if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
      throw new AppError('input', `${file}, line ${lineNo}: not a JSON object.`, {
        nextStep: 'Use a JSON Lines snapshot written by "scim-porter export --format jsonl".',
      });
    }
    if (count === offsets.length) {
      const o = new Float64Array(count * 2);
      o.set(offsets);
      offsets = o;
      const l = new Uint32Array(count * 2);
      l.set(lengths);
      lengths = l;
    }
    offsets[count] = start;
    lengths[count] = bytes;
    const cells = allColumns.map((c) => keyCell(resource, c));
    keys.forEach((key, k) => {
      const own = (partSlots[k] ?? []).map((i) => cells[i] ?? '');
      const value = keyValue(own, normalise, key.parts);
      if (value === undefined) return;
      maps[k]?.add(value, count);
    });
    const own = resource['groups'];
    if (Array.isArray(own)) {
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
    count += 1;
    if (count % 10_000 === 0) {
      opts.onProgress?.(count);
      if (opts.signal?.aborted) throw new AppError('cancelled', 'Planning was cancelled.');
    }
  }
  opts.onProgress?.(count);

  const fd = openSync(file, 'r');
  let closed = false;
  // Rows usually come in an order close to the snapshot's (both sorted by hire or creation), so
  // lines are read through a small cache of 64 KiB blocks rather than one system call each.
  const BLOCK = 64 * 1024;
  const blocks = new Map<number, Buffer>();
  // The last two ordinals read: rows alternate between their match (in file order) and their
  // manager (elsewhere, but shared by neighbours), so "near either" spots both sequences.
  let recent0 = -1_000_000;
  let recent1 = -1_000_000;
  const blockAt = (n: number): Buffer => {
    let b = blocks.get(n);
    if (b) {
      blocks.delete(n);
      blocks.set(n, b);
      return b;
    }
    b = Buffer.allocUnsafe(BLOCK);
    const got = readSync(fd, b, 0, BLOCK, n * BLOCK);
    b = b.subarray(0, got);
    blocks.set(n, b);
    if (blocks.size > 16) blocks.delete(blocks.keys().next().value as number);
    return b;
  };
  // The last few resources parsed, by ordinal: a row reads its match twice (to verify the key,
  // then to plan) and neighbouring rows share a manager, so most reads are parsed once.
  const RECENT = 8;
  const cachedOrdinal = new Float64Array(RECENT).fill(-1);
  const cached: (ScimResource | undefined)[] = new Array<ScimResource | undefined>(RECENT);
  let nextSlot = 0;
  const read = (ordinal: number): ScimResource => {
    for (let i = 0; i < RECENT; i++) {
      const r = cached[i];
      if (cachedOrdinal[i] === ordinal && r) return r;
    }
    const r = readAt(ordinal);
    cachedOrdinal[nextSlot] = ordinal;
    cached[nextSlot] = r;
    nextSlot = (nextSlot + 1) % RECENT;
    return r;
  };
  const readAt = (ordinal: number): ScimResource => {
    const length = lengths[ordinal] ?? 0;
    const start = offsets[ordinal] ?? 0;
    const n = Math.floor(start / BLOCK);
    let text: string;
    // Blocks pay off for reads in file order; a far jump (a manager across the file) reads just
    // its line.
    const near =
      blocks.has(n) || Math.abs(ordinal - recent0) <= 64 || Math.abs(ordinal - recent1) <= 64;
    recent1 = recent0;
    recent0 = ordinal;
    if (near && start + length <= (n + 1) * BLOCK) {
      const from = start - n * BLOCK;
      text = blockAt(n).toString('utf8', from, from + length);
    } else {
      const buffer = Buffer.allocUnsafe(length);
      readSync(fd, buffer, 0, length, start);
      text = buffer.toString('utf8');
    }
    return JSON.parse(text) as ScimResource;
  };
  return {
    file,
    count,
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
