/**
 * The plan on disk: JSON Lines, written as it is computed and read by the executor, the UI and the
 * CLI.
 *
 *   line 1        {"kind":"scim-porter-plan","version":1, …header}
 *   lines 2…n+1   one PlanRow each, `seq` 0…n−1
 *   last line     {"kind":"summary", …PlanSummary}
 *
 * The reader indexes the file once (byte range and action of every row), so the UI can ask for
 * any window of rows, filtered by action and by text, without the plan ever crossing IPC whole.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../../shared/import/types';
import { AppError } from '../../../shared/errors/errors';
import { createLineFileWriter, readLines, type LineFileWriter } from '../export/line-file';

export const PLAN_FORMAT = 'scim-porter-plan';
export const PLAN_VERSION = 1;

/** What the plan was made from, and how it is to be run. */
export type PlanHeader = {
  kind: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  createdAt: string;
  /** `User` or `Group`, and its endpoint. */
  resourceType: string;
  endpoint: string;
  mode: PlanMode;
  /** Where the server state came from: a live connection (its base URL) or a snapshot file. */
  source:
    { kind: 'server'; baseUrl: string; connection?: string } | { kind: 'snapshot'; file: string };
  csv: { file: string; encoding: string; delimiter: string; skipLines?: number; header?: boolean };
  mapping: { file?: string; resourceType: string };
  /** Whether updates are PATCH operations or full PUT bodies. */
  patch: boolean;
  etag: boolean;
};

export type PlanMode =
  'upsert' | 'deactivate-listed' | 'delete-listed' | 'deactivate-unlisted' | 'delete-unlisted';

export const PLAN_MODES: readonly PlanMode[] = [
  'upsert',
  'deactivate-listed',
  'delete-listed',
  'deactivate-unlisted',
  'delete-unlisted',
];

/** Writes a plan; rows must come with `seq` 0, 1, 2, … */
export type PlanWriter = {
  row(row: PlanRow): Promise<void>;
  /** Writes the summary line and moves the file to its name. */
  finish(summary: object): Promise<void>;
  abort(): Promise<void>;
};

export async function createPlanWriter(path: string, header: PlanHeader): Promise<PlanWriter> {
  const out: LineFileWriter = createLineFileWriter(path);
  await out.write(`${JSON.stringify(header)}\n`);
  return {
    // `seq` and `action` first: the reader indexes rows by these without parsing them.
    row: (row) => {
      const { seq, action, ...rest } = row;
      return out.write(`${JSON.stringify({ seq, action, ...rest })}\n`);
    },
    async finish(summary) {
      await out.write(`${JSON.stringify({ kind: 'summary', ...summary })}\n`);
      await out.commit();
    },
    abort: () => out.abort(),
  };
}

const ACTIONS = PLAN_ACTIONS;

/** A window of rows for the UI. */
export type PlanWindowQuery = {
  offset: number;
  limit: number;
  /** Only these actions (all when absent or empty). */
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

export type PlanReader = {
  header: PlanHeader;
  summary: Record<string, unknown>;
  /** Rows in the plan. */
  count: number;
  /** Rows per action. */
  counts: Record<PlanAction, number>;
  row(seq: number): PlanRow;
  window(query: PlanWindowQuery): PlanWindow;
  /**
   * Builds the filtered view `window(query)` will use, reading the file in large chunks without
   * blocking the event loop (a text search over a million rows takes seconds; the app's main
   * process must stay responsive meanwhile). Optional: `window` filters synchronously otherwise.
   */
  prepare(query: PlanWindowQuery): Promise<void>;
  /** Streams every row in order. */
  rows(): AsyncGenerator<PlanRow>;
  close(): void;
};

function notAPlan(file: string, why: string): AppError {
  return new AppError('input', `${file} is not a SCIM Porter plan: ${why}`, {
    nextStep: 'Choose a plan file written by "scim-porter plan" or the app.',
  });
}

/** Opens and indexes a plan file (one streaming pass). */
export async function openPlan(file: string): Promise<PlanReader> {
  let header: PlanHeader | undefined;
  let summary: Record<string, unknown> | undefined;
  let offsets = new Float64Array(1024);
  let lengths = new Uint32Array(1024);
  let actions = new Uint8Array(1024);
  let count = 0;
  let position = 0;
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  for await (const line of readLines(file)) {
    const bytes = Buffer.byteLength(line, 'utf8');
    const start = position;
    position += bytes + 1;
    if (line.trim() === '') continue;
    if (!header) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw notAPlan(file, 'the first line is not JSON.');
      }
      const h = parsed as Partial<PlanHeader>;
      if (h.kind !== PLAN_FORMAT) throw notAPlan(file, 'the first line is not a plan header.');
      if (h.version !== PLAN_VERSION) {
        throw notAPlan(file, `it is version ${String(h.version)}; this app reads ${PLAN_VERSION}.`);
      }
      header = h as PlanHeader;
      continue;
    }
    if (line.startsWith('{"kind":"summary"')) {
      summary = JSON.parse(line) as Record<string, unknown>;
      continue;
    }
    // The action is the second property of every row line; read it without parsing the row.
    const m = /^\{"seq":\d+,"action":"([a-z]+)"/.exec(line);
    const action = m?.[1] as PlanAction | undefined;
    const code = action ? ACTIONS.indexOf(action) : -1;
    if (code < 0) throw notAPlan(file, `row ${count + 1} is not a plan row.`);
    if (count === offsets.length) {
      const o = new Float64Array(count * 2);
      o.set(offsets);
      offsets = o;
      const l = new Uint32Array(count * 2);
      l.set(lengths);
      lengths = l;
      const a = new Uint8Array(count * 2);
      a.set(actions);
      actions = a;
    }
    offsets[count] = start;
    lengths[count] = bytes;
    actions[count] = code;
    counts[ACTIONS[code] as PlanAction] += 1;
    count += 1;
  }
  if (!header) throw notAPlan(file, 'it is empty.');
  if (!summary) throw notAPlan(file, 'it has no summary line (it was not finished).');

  const fd = openSync(file, 'r');
  let closed = false;
  const text = (seq: number): string => {
    const length = lengths[seq] ?? 0;
    const buffer = Buffer.allocUnsafe(length);
    readSync(fd, buffer, 0, length, offsets[seq] ?? 0);
    return buffer.toString('utf8');
  };
  const row = (seq: number): PlanRow => {
    if (seq < 0 || seq >= count) throw new AppError('invalid_request', `No plan row ${seq}.`);
    return JSON.parse(text(seq)) as PlanRow;
  };
  // Filtered views are cached (a few, most recent last): scrolling through one filter asks for
  // many windows of it, and a search typed quickly prepares several.
  const views = new Map<string, Uint32Array>();
  const remember = (key: string, hits: number[]): Uint32Array => {
    const view = Uint32Array.from(hits);
    views.delete(key);
    views.set(key, view);
    while (views.size > 4) views.delete(views.keys().next().value as string);
    return view;
  };
  const filterOf = (q: PlanWindowQuery) => {
    const wanted = q.actions?.length ? new Set(q.actions.map((a) => ACTIONS.indexOf(a))) : null;
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
      if (needle !== '' && !text(seq).toLowerCase().includes(needle)) continue;
      hits.push(seq);
    }
    return remember(key, hits);
  };
  const CHUNK_BYTES = 4 * 1024 * 1024;
  const prepare = async (q: PlanWindowQuery): Promise<void> => {
    const { wanted, needle, key, none } = filterOf(q);
    // Without text, the filter runs over the in-memory action index: fast enough inline.
    if (none || views.has(key) || needle === '') return;
    const hits: number[] = [];
    const handle = await open(file, 'r');
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
    header,
    summary,
    count,
    counts,
    row,
    prepare,
    window(q) {
      const view = matching(q);
      const total = view ? view.length : count;
      const offset = Math.max(0, Math.min(q.offset, total));
      const end = Math.min(total, offset + Math.max(0, q.limit));
      const rows: PlanRow[] = [];
      for (let i = offset; i < end; i++) rows.push(row(view ? (view[i] ?? 0) : i));
      return { total, offset, rows };
    },
    async *rows() {
      for (let seq = 0; seq < count; seq++) {
        yield row(seq);
        // Let other work run between rows of a long plan.
        if (seq % 1000 === 999) await new Promise<void>((r) => setImmediate(r));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
