/**
 * The plan on disk (format: shared/plan/plan-format.ts): written as it is computed, sealed with
 * digests, and read by apply, undo, the UI and the CLI.
 *
 * The reader indexes the file once (byte range and kind of every row, and the digests of what it
 * read), so the UI can ask for any window of rows, filtered by kind and by text, without the plan
 * ever crossing IPC whole, and apply can tell whether the file is still what was made.
 */
import { createHash, type Hash } from 'node:crypto';
import type { z } from 'zod';
import { closeSync, openSync } from 'node:fs';
import { PLAN_ACTIONS, type PlanAction, type PlanRow } from '../../shared/import/types';
import { AppError } from '../../shared/errors/errors';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  PlanFileSummarySchema,
  PlanHeaderSchema,
  PlanIntegritySchema,
  type PlanFileSummary,
  type PlanHeader,
  type PlanIntegrity,
} from '../../shared/plan/plan-format';
import { createLineReader } from '../files/line-blocks';
import { createLineFileWriter, readLines, type LineFileWriter } from '../files/line-file';
import { createPlanWindows, type PlanWindow, type PlanWindowQuery } from './plan-window';

/** Writes a plan; rows must come with `seq` 0, 1, 2, … */
export type PlanWriter = {
  row(row: PlanRow): Promise<void>;
  /** Writes the summary and integrity lines and moves the file to its name. */
  finish(summary: PlanFileSummary): Promise<PlanIntegrity>;
  abort(): Promise<void>;
};

function sha256(): Hash {
  return createHash('sha256');
}

/** Rows are hashed and handed to the file in chunks of about this many characters. */
const ROW_CHUNK_CHARS = 64 * 1024;

/** The JSON line of a row: `seq` and `action` first, then the row's other members in order. */
function planRowLine(row: PlanRow): string {
  let i = 0;
  let ordered = true;
  for (const key in row) {
    if ((i === 0 && key !== 'seq') || (i === 1 && key !== 'action')) ordered = false;
    if (++i === 2) break;
  }
  if (ordered && i === 2) return `${JSON.stringify(row)}\n`;
  const { seq, action, ...rest } = row;
  return `${JSON.stringify({ seq, action, ...rest })}\n`;
}

export async function createPlanWriter(path: string, header: PlanHeader): Promise<PlanWriter> {
  const out: LineFileWriter = createLineFileWriter(path);
  const headerLine = `${JSON.stringify(header)}\n`;
  const headerDigest = sha256().update(headerLine).digest('hex');
  const rowsDigest = sha256();
  let rows = 0;
  // Row lines not yet hashed and written: one digest update and one write per chunk, not per row
  // (the digest and the file are the same as line by line).
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingChars = 0;
    rowsDigest.update(text);
    await out.write(text);
  };
  await out.write(headerLine);
  return {
    // `seq` and `action` first: the reader indexes rows by these without parsing them.
    async row(row) {
      if (row.seq !== rows) {
        throw new AppError('internal', `Plan row ${row.seq} written as row ${rows}.`);
      }
      rows += 1;
      const line = planRowLine(row);
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= ROW_CHUNK_CHARS) await flush();
    },
    async finish(summary) {
      await flush();
      const summaryLine = `${JSON.stringify({ kind: 'summary', ...summary })}\n`;
      const integrity: PlanIntegrity = {
        algorithm: 'sha256',
        rows,
        header: headerDigest,
        rowsDigest: rowsDigest.digest('hex'),
        summary: sha256().update(summaryLine).digest('hex'),
        madeWith: header,
      };
      await out.write(summaryLine);
      await out.write(`${JSON.stringify({ kind: 'integrity', ...integrity })}\n`);
      await out.commit();
      return integrity;
    },
    abort: () => {
      pending = [];
      return out.abort();
    },
  };
}

/** The digests of a plan file as read (compare with its {@link PlanIntegrity}). */
export type PlanDigests = { header: string; rows: string; summary: string };

export type PlanReader = {
  file: string;
  header: PlanHeader;
  summary: PlanFileSummary;
  integrity: PlanIntegrity;
  /** Digests of the lines as read. */
  digests: PlanDigests;
  /** The first row whose `seq` is not its position (a row removed, added or moved), if any. */
  seqGap?: { position: number; seq: number };
  /** Rows in the plan. */
  count: number;
  /** Rows per kind, counted from the rows (not from the summary). */
  counts: Record<PlanAction, number>;
  row(seq: number): PlanRow;
  window(query: PlanWindowQuery): PlanWindow;
  /**
   * Builds the filtered view `window(query)` will use, reading the file in large chunks without
   * blocking the event loop (a text search over a million rows takes seconds). Optional: `window`
   * filters synchronously otherwise.
   */
  prepare(query: PlanWindowQuery): Promise<void>;
  /** Streams every row in order. */
  rows(): AsyncGenerator<PlanRow>;
  close(): void;
};

function notAPlan(file: string, why: string): AppError {
  return new AppError('input', `${file} is not a SCIM Porter plan: ${why}`, {
    nextStep: 'Choose a plan file written by "scim-porter plan" or the app, or plan the CSV again.',
  });
}

function parseLine(file: string, line: string, what: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw notAPlan(file, `its ${what} is not JSON.`);
  }
}

function zodWhere(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  const at = first?.path.length ? ` at ${first.path.map(String).join('.')}` : '';
  return `${first?.message ?? 'invalid'}${at}`;
}

function parseHeader(file: string, line: string): PlanHeader {
  const parsed = parseLine(file, line, 'first line');
  const h = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  if (h['kind'] !== PLAN_FORMAT) throw notAPlan(file, 'the first line is not a plan header.');
  if (h['version'] !== PLAN_VERSION) {
    throw notAPlan(
      file,
      `it is version ${String(h['version'])}; this app reads version ${PLAN_VERSION}, which names every deactivation and not-found account. Plan the CSV again.`,
    );
  }
  const checked = PlanHeaderSchema.safeParse(parsed);
  if (!checked.success)
    throw notAPlan(file, `its header is damaged (${zodWhere(checked.error.issues)}).`);
  return checked.data;
}

function parseTail<T>(file: string, line: string, what: string, schema: z.ZodType<T>): T {
  const checked = schema.safeParse(parseLine(file, line, what));
  if (!checked.success)
    throw notAPlan(file, `its ${what} is damaged (${zodWhere(checked.error.issues)}).`);
  return checked.data;
}

/** `{"seq":12,"action":"not-found"` — read without parsing the row. */
const ROW_START = /^\{"seq":(\d+),"action":"([a-z-]+)"/;

type Index = {
  offsets: Float64Array;
  lengths: Uint32Array;
  actions: Uint8Array;
  count: number;
};

function grow(index: Index): void {
  const size = index.count * 2;
  const o = new Float64Array(size);
  o.set(index.offsets);
  const l = new Uint32Array(size);
  l.set(index.lengths);
  const a = new Uint8Array(size);
  a.set(index.actions);
  Object.assign(index, { offsets: o, lengths: l, actions: a });
}

/** Opens and indexes a plan file (one streaming pass). */
export async function openPlan(file: string): Promise<PlanReader> {
  let header: PlanHeader | undefined;
  let summary: PlanFileSummary | undefined;
  let integrity: PlanIntegrity | undefined;
  let seqGap: PlanReader['seqGap'];
  const digests = { header: '', rows: sha256(), summary: '' };
  const index: Index = {
    offsets: new Float64Array(1024),
    lengths: new Uint32Array(1024),
    actions: new Uint8Array(1024),
    count: 0,
  };
  let position = 0;
  const counts = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  for await (const line of readLines(file)) {
    const bytes = Buffer.byteLength(line, 'utf8');
    const start = position;
    position += bytes + 1;
    if (line.trim() === '') continue;
    if (integrity) throw notAPlan(file, 'it has text after its integrity line.');
    if (!header) {
      header = parseHeader(file, line);
      digests.header = sha256().update(`${line}\n`).digest('hex');
      continue;
    }
    if (line.startsWith('{"kind":"summary"')) {
      if (summary) throw notAPlan(file, 'it has two summary lines.');
      summary = parseTail(file, line, 'summary line', PlanFileSummarySchema);
      digests.summary = sha256().update(`${line}\n`).digest('hex');
      continue;
    }
    if (line.startsWith('{"kind":"integrity"')) {
      if (!summary) throw notAPlan(file, 'its integrity line comes before its summary.');
      integrity = parseTail(file, line, 'integrity line', PlanIntegritySchema);
      continue;
    }
    if (summary) throw notAPlan(file, 'it has rows after its summary line.');
    const m = ROW_START.exec(line);
    const code = m?.[2] ? PLAN_ACTIONS.indexOf(m[2] as PlanAction) : -1;
    if (!m || code < 0) throw notAPlan(file, `row ${index.count + 1} is not a plan row.`);
    if (!seqGap && Number(m[1]) !== index.count)
      seqGap = { position: index.count, seq: Number(m[1]) };
    if (index.count === index.offsets.length) grow(index);
    index.offsets[index.count] = start;
    index.lengths[index.count] = bytes;
    index.actions[index.count] = code;
    digests.rows.update(`${line}\n`);
    counts[PLAN_ACTIONS[code] as PlanAction] += 1;
    index.count += 1;
  }
  if (!header) throw notAPlan(file, 'it is empty.');
  if (!summary)
    throw notAPlan(file, 'it has no summary line (it was not finished, or it was cut short).');
  if (!integrity)
    throw notAPlan(file, 'it has no integrity line (it was not finished, or it was cut short).');
  return openIndexed(file, {
    header,
    summary,
    integrity,
    digests: { header: digests.header, rows: digests.rows.digest('hex'), summary: digests.summary },
    ...(seqGap ? { seqGap } : {}),
    counts,
    index,
  });
}

function openIndexed(
  file: string,
  read: Pick<PlanReader, 'header' | 'summary' | 'integrity' | 'digests' | 'seqGap' | 'counts'> & {
    index: Index;
  },
): PlanReader {
  const { index, ...facts } = read;
  const { count, offsets, lengths } = index;
  const fd = openSync(file, 'r');
  let closed = false;
  const text = createLineReader(fd, { offsets, lengths });
  const row = (seq: number): PlanRow => {
    if (seq < 0 || seq >= count) throw new AppError('invalid_request', `No plan row ${seq}.`);
    // Rows are checked against PlanRowSchema once, when a run admits the plan
    // (apply/plan-integrity.ts); parsing each read again would cost seconds on large plans.
    return JSON.parse(text(seq)) as PlanRow;
  };
  const windows = createPlanWindows({
    file,
    count,
    offsets,
    lengths,
    actions: index.actions,
    text,
    row,
  });
  return {
    file,
    ...facts,
    count,
    row,
    prepare: windows.prepare,
    window: windows.window,
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
