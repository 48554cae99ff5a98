/**
 * The run journal: an append-only JSON Lines file, `<dataDir>/runs/<runId>/journal.jsonl`, that
 * makes applying a plan crash-safe.
 *
 *   {"t":"intent","op":"r12:create","seq":12,"kind":"create","key":"ann@example.com","at":"…"}
 *   {"t":"outcome","op":"r12:create","status":"ok","id":"2819c2…","version":"W/\"1\"","at":"…"}
 *
 * Protocol: the intents of a batch are written and fsync'ed (one fsync per batch) *before* any of
 * their requests is sent; each outcome is appended after its answer. After a crash an intent
 * without an outcome is "unknown": the request may or may not have reached the server, so the
 * executor must look the resource up by its key before retrying.
 *
 * A crash mid-write can leave a torn last line. A record only counts once its trailing newline is
 * on disk (fsync covers the whole write, newline included), so the reader ignores an unterminated
 * final line and reports it, and {@link openJournal} cuts it off before appending. Dropping a torn
 * intent is safe (its fsync never returned, so its request was never sent); dropping a torn outcome
 * turns the op into "unknown", which is the conservative answer.
 *
 * Records hold no secrets: no request headers or bodies, only ids, keys and server error text.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/errors/errors';
import { readLines } from '../files/line-file';

export const JOURNAL_FILE = 'journal.jsonl';

/** Written and flushed before the request for `op` is sent. */
export type JournalIntent = {
  t: 'intent';
  /** Op id, unique within the run: `r12:create`, `r12:groups:add:3`. */
  op: string;
  /** Plan row (`PlanRow.seq`) the op belongs to. */
  seq: number;
  /** What the op does: `create`, `update`, `deactivate`, `delete`, `groups:add`, … */
  kind: string;
  /** How to find the resource again (userName, displayName or id), for looking up unknowns. */
  key: string;
  /** ISO timestamp. */
  at: string;
};

export type OutcomeStatus = 'ok' | 'failed' | 'unknown';

/** Appended once the answer for `op` is known (or known to be unknowable). */
export type JournalOutcome = {
  t: 'outcome';
  op: string;
  status: OutcomeStatus;
  /** SCIM id of the resource the op created or changed. */
  id?: string;
  /** Its ETag (`meta.version`) after the op. */
  version?: string;
  httpStatus?: number;
  error?: { message: string; scimType?: string; detail?: string };
  /**
   * Group member changes: members the op did not change because the group already had (add) or
   * lacked (remove) them when it was read just before — undo leaves those alone.
   */
  unchanged?: string[];
  /** Attributes the server's answer to a create/update does not carry (dropped or changed). */
  dropped?: string[];
  at: string;
};

export type JournalRecord = JournalIntent | JournalOutcome;

/** What callers pass: the record without its tag; `at` defaults to now. */
export type IntentEntry = Omit<JournalIntent, 't' | 'at'> & { at?: string };
export type OutcomeEntry = Omit<JournalOutcome, 't' | 'at'> & { at?: string };

/** An unterminated last line: cut off by {@link openJournal}, skipped by {@link readJournal}. */
export type TornLine = {
  /** 1-based line number in the file. */
  line: number;
  /** Byte offset where the torn line starts (the file's length once it is cut off). */
  offset: number;
  /** Bytes in the torn line. */
  bytes: number;
};

// ---------------------------------------------------------------------------------------------
// Durable append-only line log (shared with prior-state.ts)
// ---------------------------------------------------------------------------------------------

/** An append-only file of JSON lines where each batch is on disk when its promise resolves. */
type DurableLog = {
  readonly file: string;
  /**
   * Appends the values as JSON lines in one write, then fsyncs once; resolves when they are on
   * disk. Calls are serialised; calls made while a write is under way share the next write.
   */
  appendMany(values: readonly object[]): Promise<void>;
  /** A torn last line found (and cut off) when the file was opened. */
  readonly repaired: TornLine | undefined;
  /** Waits for pending appends and closes the file. Idempotent. */
  close(): Promise<void>;
};

/**
 * Opens (creating if needed) an append-only JSON Lines file. A torn, unterminated last line left
 * by a crash is truncated first, so the next record starts on a line of its own.
 */
export async function openDurableLog(file: string): Promise<DurableLog> {
  const existed = await stat(file).then(
    () => true,
    () => false,
  );
  const handle = await open(file, 'a+', 0o600);
  let repaired: TornLine | undefined;
  try {
    repaired = await cutTornTail(handle);
    // A new file's name must survive a crash too: flush its folder (POSIX only; best effort).
    if (!existed) await syncDir(dirname(file));
  } catch (e) {
    await handle.close();
    throw e;
  }
  let queue: Promise<void> = Promise.resolve();
  // Group commit: batches that arrive while a write is under way wait together for the next one
  // and share its fsync (several Bulk batches in flight journal at about the same time). Each
  // caller still resolves only once its own lines are on disk.
  let waiting: { texts: string[]; done: Promise<void> } | undefined;
  let closed = false;
  return {
    file,
    repaired,
    appendMany(values) {
      if (closed) return Promise.reject(new Error(`${file} is closed.`));
      if (values.length === 0) return queue;
      // Serialise into the queue so lines of concurrent batches never interleave.
      const text = values.map((v) => `${JSON.stringify(v)}\n`).join('');
      if (waiting) {
        waiting.texts.push(text);
        return waiting.done;
      }
      const texts = [text];
      const run = queue.then(async () => {
        // From here on, new batches wait for the write after this one.
        if (waiting?.texts === texts) waiting = undefined;
        await handle.appendFile(texts.length === 1 ? text : texts.join(''), 'utf8');
        await handle.sync();
      });
      waiting = { texts, done: run };
      // A failed write must not block later ones; the callers whose lines it held see the error.
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      await handle.close();
    },
  };
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some file systems refuse to fsync a folder; the file's data is still synced.
  }
}

/** Truncates an unterminated last line; returns what was cut off. */
async function cutTornTail(handle: FileHandle): Promise<TornLine | undefined> {
  const { size } = await handle.stat();
  if (size === 0) return undefined;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === 10) return undefined;
  // Scan backwards for the last newline, a block at a time.
  const block = Buffer.alloc(64 * 1024);
  let end = size;
  let cut = 0;
  while (end > 0) {
    const start = Math.max(0, end - block.length);
    const { bytesRead } = await handle.read(block, 0, end - start, start);
    const nl = block.subarray(0, bytesRead).lastIndexOf(10);
    if (nl >= 0) {
      cut = start + nl + 1;
      break;
    }
    end = start;
  }
  const line = cut === 0 ? 1 : (await countNewlines(handle, cut)) + 1;
  await handle.truncate(cut);
  await handle.sync();
  return { line, offset: cut, bytes: size - cut };
}

async function countNewlines(handle: FileHandle, upTo: number): Promise<number> {
  const block = Buffer.alloc(1024 * 1024);
  let count = 0;
  for (let pos = 0; pos < upTo;) {
    const { bytesRead } = await handle.read(block, 0, Math.min(block.length, upTo - pos), pos);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (block[i] === 10) count += 1;
    pos += bytesRead;
  }
  return count;
}

/**
 * Streams the parsed lines of a JSON Lines log written by {@link openDurableLog}. A missing file
 * reads as empty. An unterminated last line is skipped and passed to `onTorn`; an unparseable
 * line anywhere else means the file was damaged otherwise and is an error.
 */
export async function* readDurableLog(
  file: string,
  onTorn?: (torn: TornLine) => void,
): AsyncGenerator {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (size === 0) return;
  const endsWithNewline = await lastByteIsNewline(file, size);
  let line = 0;
  let offset = 0;
  // Hold each line back one step, so the last one can be judged by whether it was terminated.
  let held: { text: string; line: number; offset: number } | undefined;
  const parse = (h: { text: string; line: number }): unknown => {
    try {
      return JSON.parse(h.text) as unknown;
    } catch (e) {
      throw new AppError('input', `${file}, line ${h.line}: not valid JSON.`, {
        nextStep:
          'The run files were damaged outside SCIM Porter; restore them from a backup or start a new run.',
        raw: (e as Error).message,
      });
    }
  };
  for await (const text of readLines(file)) {
    line += 1;
    if (held && held.text.trim() !== '') yield parse(held);
    held = { text, line, offset };
    offset += Buffer.byteLength(text, 'utf8') + 1;
  }
  if (!held || held.text.trim() === '') return;
  if (endsWithNewline) {
    yield parse(held);
    return;
  }
  onTorn?.({ line: held.line, offset: held.offset, bytes: size - held.offset });
}

async function lastByteIsNewline(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const b = Buffer.alloc(1);
    await handle.read(b, 0, 1, size - 1);
    return b[0] === 10;
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Journal
// ---------------------------------------------------------------------------------------------

export type Journal = {
  readonly file: string;
  /** A torn last line left by a crash, cut off when the journal was opened. */
  readonly repaired: TornLine | undefined;
  /** Writes the intents of a batch and fsyncs once; send the requests only after it resolves. */
  appendIntents(entries: readonly IntentEntry[]): Promise<void>;
  /** Writes outcomes (fsynced too, so a finished op is never redone after a crash). */
  appendOutcomes(entries: readonly OutcomeEntry[]): Promise<void>;
  close(): Promise<void>;
};

/**
 * Crash-test seam: `SCIM_PORTER_KILL_AT=intent:<regex>` or `outcome:<regex>` makes the process
 * SIGKILL itself right after the first journal write holding a record of that type whose op id
 * matches — a kill at an exact journal transition, without timing. Unset in normal use.
 */
function killSwitch(): ((t: 'intent' | 'outcome', ops: readonly string[]) => void) | undefined {
  const spec = process.env['SCIM_PORTER_KILL_AT'];
  const m = spec ? /^(intent|outcome):(.+)$/.exec(spec) : null;
  if (!m?.[1] || !m[2]) return undefined;
  const type = m[1];
  const pattern = new RegExp(m[2]);
  return (t, ops) => {
    if (t === type && ops.some((op) => pattern.test(op))) process.kill(process.pid, 'SIGKILL');
  };
}

/** Opens the journal of the run in `runDir` for appending (creating it if needed). */
export async function openJournal(runDir: string): Promise<Journal> {
  const log = await openDurableLog(join(runDir, JOURNAL_FILE));
  const now = (): string => new Date().toISOString();
  const kill = killSwitch();
  const written = async (
    t: 'intent' | 'outcome',
    records: readonly JournalRecord[],
  ): Promise<void> => {
    await log.appendMany(records);
    kill?.(
      t,
      records.map((r) => r.op),
    );
  };
  return {
    file: log.file,
    repaired: log.repaired,
    // One clock reading per batch: its records are written (and made durable) together.
    appendIntents: (entries) => {
      const at = now();
      return written(
        'intent',
        entries.map((e): JournalIntent => ({
          t: 'intent',
          op: e.op,
          seq: e.seq,
          kind: e.kind,
          key: e.key,
          at: e.at ?? at,
        })),
      );
    },
    appendOutcomes: (entries) => {
      const at = now();
      return written(
        'outcome',
        entries.map((e): JournalOutcome => ({ t: 'outcome', ...e, at: e.at ?? at })),
      );
    },
    close: () => log.close(),
  };
}

/**
 * Streams the records of a journal file (a missing file has none). An unterminated last line is
 * skipped and reported through `onTorn`; lines that are not journal records are an error.
 */
export async function* readJournal(
  file: string,
  onTorn?: (torn: TornLine) => void,
): AsyncGenerator<JournalRecord> {
  let n = 0;
  for await (const value of readDurableLog(file, onTorn)) {
    n += 1;
    if (!isJournalRecord(value)) {
      throw new AppError('input', `${file}: record ${n} is not a journal record.`, {
        nextStep: 'Choose the journal.jsonl of a SCIM Porter run.',
      });
    }
    yield value;
  }
}

/** Reads a whole journal: its records and the torn last line, if any. */
export async function loadJournal(
  file: string,
): Promise<{ records: JournalRecord[]; torn: TornLine | undefined }> {
  const records: JournalRecord[] = [];
  let torn: TornLine | undefined;
  for await (const r of readJournal(file, (t) => (torn = t))) records.push(r);
  return { records, torn };
}

function isJournalRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (typeof r['op'] !== 'string' || typeof r['at'] !== 'string') return false;
  if (r['t'] === 'intent') {
    return typeof r['seq'] === 'number' && typeof r['kind'] === 'string';
  }
  if (r['t'] === 'outcome') {
    return r['status'] === 'ok' || r['status'] === 'failed' || r['status'] === 'unknown';
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// State derivation
// ---------------------------------------------------------------------------------------------

/** The latest intent and outcome of one op. */
export type OpState = {
  intent?: JournalIntent;
  outcome?: JournalOutcome;
  /** Intents written for the op (more than one once it was retried on resume). */
  attempts: number;
};

export type JournalState = Map<string, OpState>;

/**
 * Folds records into the state of each op, in file order. An intent written after an outcome (a
 * retry on resume) clears that outcome: the op is in flight again until its new outcome arrives.
 */
export function journalState(records: Iterable<JournalRecord>): JournalState {
  const state: JournalState = new Map();
  for (const r of records) {
    let s = state.get(r.op);
    if (!s) {
      s = { attempts: 0 };
      state.set(r.op, s);
    }
    if (r.t === 'intent') {
      s.intent = r;
      s.outcome = undefined;
      s.attempts += 1;
    } else {
      s.outcome = r;
    }
  }
  return state;
}

type JournalSets = {
  /** Outcome `ok`. */
  done: Set<string>;
  /** Outcome `failed`: the server answered no; retrying needs a change first. */
  failed: Set<string>;
  /** Intent without outcome, or outcome `unknown`: look the resource up before retrying. */
  unknown: Set<string>;
  /** Ops of the plan (`plannedOps`) with nothing in the journal: not started. */
  pending: Set<string>;
};

/** Sorts ops into done / failed / unknown, and the planned ops not in the journal into pending. */
export function journalSets(state: JournalState, plannedOps: Iterable<string> = []): JournalSets {
  const sets: JournalSets = {
    done: new Set(),
    failed: new Set(),
    unknown: new Set(),
    pending: new Set(),
  };
  for (const [op, s] of state) {
    const status = s.outcome?.status ?? 'unknown';
    if (status === 'ok') sets.done.add(op);
    else if (status === 'failed') sets.failed.add(op);
    else sets.unknown.add(op);
  }
  for (const op of plannedOps) if (!state.has(op)) sets.pending.add(op);
  return sets;
}
