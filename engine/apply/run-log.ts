/**
 * The in-app run log (issue 19): a run's journal as one entry per operation (its last intent and
 * answer), filtered by text, kind and outcome, served a page at a time — the renderer never holds
 * more than the rows on screen. The journal is streamed once into a compact index and cached by the
 * file's size and modification time, so paging through 100k+ operations re-reads nothing.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  RunLogEntry,
  RunLogOutcome,
  RunLogPage,
  RunLogRequest,
} from '../../shared/ipc/schemas/run-log';
import { JOURNAL_FILE, type JournalOutcome, type JournalRecord } from './journal';

/** One op as read: its latest intent and answer (materialised as an entry only when shown). */
type Slot = {
  index: number;
  op: string;
  kind: string;
  key: string;
  attempts: number;
  sentAt?: string;
  outcome?: JournalOutcome;
};

type Index = { stamp: string; slots: Slot[]; search: string[]; outcome: RunLogOutcome[] };

const cache = new Map<string, Index>();
const CACHED_RUNS = 4;

function entryOf(s: Slot): RunLogEntry {
  const o = s.outcome;
  return {
    index: s.index,
    op: s.op,
    kind: s.kind,
    key: s.key,
    outcome: o?.status ?? 'unknown',
    attempts: s.attempts,
    ...(s.sentAt !== undefined ? { sentAt: s.sentAt } : {}),
    ...(o ? { answeredAt: o.at } : {}),
    ...(o?.httpStatus !== undefined ? { httpStatus: o.httpStatus } : {}),
    ...(o?.id !== undefined ? { id: o.id } : {}),
    ...(o?.error?.message !== undefined ? { message: o.error.message } : {}),
    ...(o?.error?.scimType !== undefined ? { scimType: o.error.scimType } : {}),
    ...(o?.error?.detail !== undefined ? { detail: o.error.detail } : {}),
    ...(o?.dropped?.length ? { dropped: o.dropped } : {}),
    ...(o?.unchanged?.length ? { unchanged: o.unchanged.length } : {}),
  };
}

/** The journal's complete lines (a torn last line, still being written, is left out). */
async function* records(file: string): AsyncGenerator<JournalRecord[]> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  lines.pop();
  const CHUNK = 20_000;
  for (let i = 0; i < lines.length; i += CHUNK) {
    const out: JournalRecord[] = [];
    for (let k = i; k < Math.min(lines.length, i + CHUNK); k++) {
      const line = lines[k];
      if (line) out.push(JSON.parse(line) as JournalRecord);
    }
    yield out;
    // Let other requests in between chunks of a large journal.
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** Reads the journal into one slot per op, in the order ops first appear. */
async function buildIndex(file: string, stamp: string): Promise<Index> {
  const byOp = new Map<string, Slot>();
  const slots: Slot[] = [];
  for await (const chunk of records(file)) {
    for (const r of chunk) {
      let s = byOp.get(r.op);
      if (!s) {
        s = { index: slots.length, op: r.op, kind: '', key: '', attempts: 0 };
        byOp.set(r.op, s);
        slots.push(s);
      }
      if (r.t === 'intent') {
        s.kind = r.kind;
        s.key = r.key;
        s.sentAt = r.at;
        s.attempts += 1;
        // A new attempt is unknown until its own answer arrives.
        s.outcome = undefined;
      } else {
        s.outcome = r;
        if (!s.kind) s.kind = r.op.split(':').slice(1).join(':');
      }
    }
  }
  const search = slots.map((s) =>
    `${s.key}\u0000${s.op}\u0000${s.outcome?.id ?? ''}\u0000${s.outcome?.error?.message ?? ''}\u0000${s.outcome?.error?.detail ?? ''}`.toLowerCase(),
  );
  const outcome = slots.map((s) => s.outcome?.status ?? 'unknown');
  return { stamp, slots, search, outcome };
}

async function indexOf(dir: string): Promise<Index> {
  const file = join(dir, JOURNAL_FILE);
  const st = await stat(file).catch(() => undefined);
  const stamp = st ? `${st.size}:${st.mtimeMs}` : 'none';
  const hit = cache.get(dir);
  if (hit?.stamp === stamp) return hit;
  const index = st ? await buildIndex(file, stamp) : { stamp, slots: [], search: [], outcome: [] };
  cache.delete(dir);
  cache.set(dir, index);
  while (cache.size > CACHED_RUNS) cache.delete(cache.keys().next().value ?? '');
  return index;
}

/** One page of the run's log in `dir` (the run's folder), with counts for the filters. */
export async function readRunLog(dir: string, request: RunLogRequest): Promise<RunLogPage> {
  const { slots, search, outcome } = await indexOf(dir);
  const text = request.text?.trim().toLowerCase() ?? '';
  const kinds = new Map<string, number>();
  const outcomes: Record<RunLogOutcome, number> = { ok: 0, failed: 0, unknown: 0 };
  const page: RunLogEntry[] = [];
  let total = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    const o = outcome[i] ?? 'unknown';
    if (!s) continue;
    kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    outcomes[o] += 1;
    if (request.kind !== undefined && s.kind !== request.kind) continue;
    if (request.outcome !== undefined && o !== request.outcome) continue;
    if (text && !(search[i] ?? '').includes(text)) continue;
    if (total >= request.offset && page.length < request.limit) page.push(entryOf(s));
    total += 1;
  }
  return {
    runId: '',
    total,
    all: slots.length,
    offset: request.offset,
    entries: page,
    kinds: [...kinds.entries()]
      .map(([kind, count]) => ({ kind, count }))
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    outcomes,
  };
}
