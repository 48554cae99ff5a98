/**
 * Managers named by a key in the CSV (employee number, userName, externalId or email): resolved to
 * the manager's SCIM id from the snapshot, or left for the run to resolve when the manager is a
 * row of the same file that will be created first. Reports managers found nowhere, and cycles
 * (A reports to B, B reports to A).
 *
 * Memory: one row per CSV row in typed arrays (the hash of its own key and of its manager's key,
 * 16 bytes) rather than strings, so a million-row file costs ~16 MB here. Cycles are reported by
 * row number.
 */
import type { InputProblem } from '../../shared/import/types';
import { normaliseForMatch } from './within-file-keys';
import { createHashIndex, hash53 } from './hash-index';
import type { SnapshotIndex } from './snapshot-index';

const MISSING_SAMPLE = 50;
/** Manager values kept as text for messages (later deferred rows are reported without it). */
const TEXT_KEPT = 1000;
/** Manager keys whose resolution is kept. */
const RESOLVED_KEPT = 4096;

export type ManagerRefs = {
  /** Records a row's own key and its manager's key (for cycles and "is the manager in the file"). */
  noteRow(row: number, ownKey: string, managerKey: string | undefined): void;
  /** The manager's SCIM id from the snapshot, or how many accounts matched (0, or ≥2). */
  resolve(value: string): { id: string } | { matches: number };
  /** A row whose manager could not be resolved now. */
  defer(row: number, line: number, value: string): void;
  unresolved(): number;
  /** The cycles among the rows noted so far (as row numbers, each from its smallest row). */
  cycles(): number[][];
  /** Managers found neither on the server nor in the file, and the cycles (as row numbers). */
  finish(): { missing: InputProblem[]; cycles: number[][] };
};

function growF64(a: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
function growU32(a: Uint32Array<ArrayBuffer>, need: number): Uint32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * The cycles of a graph of `count` nodes where each node has at most one successor (`next`, −1
 * for none): each cycle once, as row numbers (`rowOf`) in reporting order starting at its smallest
 * row, sorted by that row. Linear in the nodes: each is walked once.
 */
function cyclesOf(
  count: number,
  next: (n: number) => number,
  rowOf: (n: number) => number,
): number[][] {
  const state = new Uint8Array(count); // 0 unseen, 1 on the walk, 2 done
  const cycles: number[][] = [];
  for (let start = 0; start < count; start++) {
    if (state[start]) continue;
    const walk: number[] = [];
    let n = start;
    while (n >= 0 && !state[n]) {
      state[n] = 1;
      walk.push(n);
      n = next(n);
    }
    if (n >= 0 && state[n] === 1) {
      const cycle = walk.slice(walk.indexOf(n)).map(rowOf);
      let min = 0;
      for (let i = 1; i < cycle.length; i++) if ((cycle[i] ?? 0) < (cycle[min] ?? 0)) min = i;
      cycles.push([...cycle.slice(min), ...cycle.slice(0, min)]);
    }
    for (const m of walk) state[m] = 2;
  }
  return cycles.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
}

type Resolution = { id: string } | { matches: number };

/**
 * Manager keys to ids. The snapshot does not change during a plan, so a key resolves the same way
 * each time: the answers for the last few thousand keys are kept (neighbouring rows share managers).
 */
function createResolver(opts: {
  index?: SnapshotIndex;
  keyIndex: number;
  caseExact: boolean;
}): (value: string) => Resolution {
  const resolved = new Map<string, Resolution>();
  return (value) => {
    const index = opts.index;
    if (opts.keyIndex < 0 || !index) return { matches: 0 };
    const normalised = normaliseForMatch(value, opts.caseExact);
    const known = resolved.get(normalised);
    if (known) return known;
    const found = index.find(opts.keyIndex, normalised);
    const id = found.length === 1 ? index.read(found[0] ?? 0).id : undefined;
    const answer = id !== undefined ? { id } : { matches: found.length };
    if (resolved.size >= RESOLVED_KEPT) resolved.clear();
    resolved.set(normalised, answer);
    return answer;
  };
}

export function createManagerRefs(opts: {
  file: string;
  /** Absent for a pass that only looks for cycles (row-guards.ts): nothing resolves. */
  index?: SnapshotIndex;
  /** The snapshot index key that holds the manager attribute, or −1. */
  keyIndex: number;
  caseExact: boolean;
}): ManagerRefs {
  const key = (v: string): number => hash53(normaliseForMatch(v, false));
  // Per noted row n: its CSV row number, own key hash, manager key hash (0: none).
  let rows = new Uint32Array(1024);
  let own = new Float64Array(1024);
  let boss = new Float64Array(1024);
  let noted = 0;
  const byOwn = createHashIndex(1024);
  // Deferred rows: row, line, manager hash; text for the first few.
  let dRow = new Uint32Array(256);
  let dLine = new Uint32Array(256);
  let dHash = new Float64Array(256);
  let deferred = 0;
  const text = new Map<number, string>();
  /** A noted row's manager's row (the last row with that key wins), or −1. */
  const next = (n: number): number => {
    const h = boss[n] ?? 0;
    if (h === 0) return -1;
    const hits = byOwn.getHash(h);
    return hits.length ? (hits[hits.length - 1] ?? -1) : -1;
  };
  const findCycles = (): number[][] => cyclesOf(noted, next, (n) => rows[n] ?? 0);
  return {
    cycles: findCycles,
    noteRow(row, ownKey, managerKey) {
      rows = growU32(rows, noted + 1);
      own = growF64(own, noted + 1);
      boss = growF64(boss, noted + 1);
      rows[noted] = row;
      own[noted] = key(ownKey);
      boss[noted] = managerKey ? key(managerKey) : 0;
      byOwn.addHash(own[noted] ?? 1, noted);
      noted += 1;
    },
    resolve: createResolver(opts),
    defer(row, line, value) {
      dRow = growU32(dRow, deferred + 1);
      dLine = growU32(dLine, deferred + 1);
      dHash = growF64(dHash, deferred + 1);
      dRow[deferred] = row;
      dLine[deferred] = line;
      dHash[deferred] = key(value);
      if (text.size < TEXT_KEPT) text.set(deferred, value);
      deferred += 1;
    },
    unresolved: () => deferred,
    finish() {
      const missing: InputProblem[] = [];
      for (let d = 0; d < deferred && missing.length < MISSING_SAMPLE; d++) {
        if (byOwn.getHash(dHash[d] ?? 1).length > 0) continue;
        const row = dRow[d] ?? 0;
        const value = text.get(d);
        missing.push({
          file: opts.file,
          line: dLine[d] ?? 0,
          row,
          ...(value !== undefined ? { value } : {}),
          code: 'manager_missing',
          severity: 'warning',
          message: `${opts.file}, row ${row}: the manager${value !== undefined ? ` "${value}"` : ''} is neither on the server nor in the file; the manager is left as it is.`,
          nextStep: 'Add the manager to the file or correct the manager column.',
        });
      }
      return { missing, cycles: findCycles() };
    },
  };
}
