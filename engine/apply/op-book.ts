/**
 * The one owner of a run's operation state (issue 14): every write a run makes — row writes, group
 * creates, membership chunks, manager links — is an operation with a stable id whose intent is
 * journalled before it is sent and whose outcome after. The book is built from the journal (all
 * earlier processes of the run) and kept current as this process writes, so every pass asks the
 * same place: is this op done, what id did it create, what version did it leave, what bulkIds are
 * resolved.
 */
import { join } from 'node:path';
import {
  JOURNAL_FILE,
  journalState,
  loadJournal,
  openJournal,
  type IntentEntry,
  type Journal,
  type JournalOutcome,
  type JournalState,
  type OpState,
  type OutcomeEntry,
} from './journal';

export type OpStatus = 'ok' | 'failed' | 'unknown' | 'pending';

/** `s12:create` → `s12`; `grp:g:team_20_a:create` → `g:team_20_a` (the op's bulkId). */
const CREATE_OP = /^(?:(s\d+)|grp:(g:.+)):create$/;

export type OpBook = {
  /** ok / failed / unknown (intent without outcome, or outcome unknown) / pending (never sent). */
  status(op: string): OpStatus;
  /** The op's last outcome, if it has one that is not `unknown`. */
  outcome(op: string): JournalOutcome | undefined;
  state(op: string): OpState | undefined;
  /** Whether the op has a final outcome (ok or failed): nothing more to do for it. */
  settled(op: string): boolean;
  /** bulkId → id of every create that succeeded, in this or any earlier process of the run. */
  ids(): ReadonlyMap<string, string>;
  /** Ops whose outcome is unknown (sent, answer lost), in journal order. */
  unknown(): string[];
  /** Journals intents (one fsync); send only after it resolves. */
  intend(entries: readonly IntentEntry[]): Promise<void>;
  /** Journals outcomes (one fsync). */
  record(entries: readonly OutcomeEntry[]): Promise<void>;
  close(): Promise<void>;
};

/** Opens the book of the run in `dir`: replays its journal, then appends to it. */
export async function openOpBook(dir: string): Promise<OpBook> {
  const { records } = await loadJournal(join(dir, JOURNAL_FILE));
  const state: JournalState = journalState(records);
  const journal: Journal = await openJournal(dir);
  const ids = new Map<string, string>();
  const learn = (o: JournalOutcome): void => {
    const m = CREATE_OP.exec(o.op);
    const bulkId = m?.[1] ?? m?.[2];
    if (o.status === 'ok' && o.id && bulkId) ids.set(bulkId, o.id);
  };
  for (const s of state.values()) if (s.outcome) learn(s.outcome);
  const status = (op: string): OpStatus => {
    const s = state.get(op);
    if (!s?.intent && !s?.outcome) return 'pending';
    return s.outcome?.status ?? 'unknown';
  };
  return {
    status,
    outcome: (op) => {
      const o = state.get(op)?.outcome;
      return o && o.status !== 'unknown' ? o : undefined;
    },
    state: (op) => state.get(op),
    settled: (op) => {
      const st = status(op);
      return st === 'ok' || st === 'failed';
    },
    ids: () => ids,
    unknown: () => [...state.keys()].filter((op) => status(op) === 'unknown'),
    async intend(entries) {
      if (entries.length === 0) return;
      await journal.appendIntents(entries);
      const at = new Date().toISOString();
      for (const e of entries) {
        const s0 = state.get(e.op);
        state.set(e.op, {
          intent: { t: 'intent', op: e.op, seq: e.seq, kind: e.kind, key: e.key, at },
          attempts: (s0?.attempts ?? 0) + 1,
        });
      }
    },
    async record(entries) {
      if (entries.length === 0) return;
      await journal.appendOutcomes(entries);
      const at = new Date().toISOString();
      for (const e of entries) {
        const o: JournalOutcome = { t: 'outcome', ...e, at: e.at ?? at };
        const s0 = state.get(e.op) ?? { attempts: 0 };
        s0.outcome = o;
        state.set(e.op, s0);
        learn(o);
      }
    },
    close: () => journal.close(),
  };
}
