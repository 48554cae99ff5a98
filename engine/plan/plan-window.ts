/**
 * Windows of a plan's rows for the UI, filtered by kind and by text, without the plan ever being
 * held in memory: the reader's index (byte range and kind of every row) is all it needs. A few
 * filtered views are cached, as scrolling through one filter asks for many windows of it.
 */
import { open } from 'node:fs/promises';
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';

/** A window of rows for the UI. */
export type PlanWindowQuery = {
  offset: number;
  limit: number;
  /** Only these kinds (all when absent or empty). */
  actions?: readonly PlanAction[];
  /** Case-insensitive text anywhere in the row (display name, values, problems). */
  search?: string;
};

export type PlanWindow = {
  /** Rows matching the query in total (for the scroll bar). */
  total: number;
  offset: number;
  rows: PlanRow[];
};

/** What the windows are computed from (the reader's index). */
type PlanRowIndex = {
  file: string;
  count: number;
  offsets: Float64Array;
  lengths: Uint32Array;
  /** Index into PLAN_ACTIONS per row. */
  actions: Uint8Array;
  text(seq: number): string;
  row(seq: number): PlanRow;
};

type PlanWindows = {
  window: (query: PlanWindowQuery) => PlanWindow;
  prepare: (query: PlanWindowQuery) => Promise<void>;
};

const CHUNK_BYTES = 4 * 1024 * 1024;
const CACHED_VIEWS = 4;

/** Filtered windows over an indexed plan (see the file comment). */
export function createPlanWindows(index: PlanRowIndex): PlanWindows {
  const { count, offsets, lengths, actions } = index;
  const views = new Map<string, Uint32Array>();
  const remember = (key: string, hits: number[]): Uint32Array => {
    const view = Uint32Array.from(hits);
    views.delete(key);
    views.set(key, view);
    while (views.size > CACHED_VIEWS) views.delete(views.keys().next().value as string);
    return view;
  };
  const filterOf = (q: PlanWindowQuery) => {
    const wanted = q.actions?.length
      ? new Set(q.actions.map((a) => PLAN_ACTIONS.indexOf(a)))
      : null;
    const needle = q.search?.trim().toLowerCase() ?? '';
    const key = `${[...(wanted ?? [])].sort().join(',')}|${needle}`;
    return { wanted, needle, key, none: !wanted && needle === '' };
  };
  const matching = (q: PlanWindowQuery): Uint32Array | undefined => {
    const { wanted, needle, key, none } = filterOf(q);
    if (none) return undefined;
    const known = views.get(key);
    if (known) return known;
    const hits: number[] = [];
    for (let seq = 0; seq < count; seq++) {
      if (wanted && !wanted.has(actions[seq] ?? -1)) continue;
      if (needle !== '' && !index.text(seq).toLowerCase().includes(needle)) continue;
      hits.push(seq);
    }
    return remember(key, hits);
  };
  /** Builds a text-filtered view reading the file in large chunks, without blocking the loop. */
  const prepare = async (q: PlanWindowQuery): Promise<void> => {
    const { wanted, needle, key, none } = filterOf(q);
    // Without text, the filter runs over the in-memory kind index: fast enough inline.
    if (none || views.has(key) || needle === '') return;
    const hits: number[] = [];
    const handle = await open(index.file, 'r');
    try {
      let seq = 0;
      while (seq < count) {
        const start = offsets[seq] ?? 0;
        let end = seq;
        let bytes = 0;
        while (end < count && bytes < CHUNK_BYTES) {
          bytes = (offsets[end] ?? 0) + (lengths[end] ?? 0) - start;
          end += 1;
        }
        const buffer = Buffer.allocUnsafe(bytes);
        await handle.read(buffer, 0, bytes, start);
        for (let i = seq; i < end; i++) {
          if (wanted && !wanted.has(actions[i] ?? -1)) continue;
          const from = (offsets[i] ?? 0) - start;
          const line = buffer.toString('utf8', from, from + (lengths[i] ?? 0));
          if (line.toLowerCase().includes(needle)) hits.push(i);
        }
        seq = end;
      }
    } finally {
      await handle.close();
    }
    remember(key, hits);
  };
  return {
    prepare,
    window(q) {
      const view = matching(q);
      const total = view ? view.length : count;
      const offset = Math.max(0, Math.min(q.offset, total));
      const end = Math.min(total, offset + Math.max(0, q.limit));
      const rows: PlanRow[] = [];
      for (let i = offset; i < end; i++) rows.push(index.row(view ? (view[i] ?? 0) : i));
      return { total, offset, rows };
    },
  };
}
