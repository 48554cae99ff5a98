/**
 * The open run log: its filters and the pages of entries fetched so far (200 entries each). The
 * table asks for the pages its visible rows need; nothing else of a 100k-op journal is held here.
 */
import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type {
  RunLogEntry,
  RunLogOutcome,
  RunLogPage,
} from '../../../../shared/ipc/schemas/run-log';
import { client } from '../../api/client';

const PAGE = 200;

type RunLogQuery = {
  text: string;
  kind: string | undefined;
  outcome: RunLogOutcome | undefined;
};
const NO_QUERY: RunLogQuery = { text: '', kind: undefined, outcome: undefined };

type LogState = {
  runId?: string;
  query: RunLogQuery;
  /** Changes with every new query; answers for an older one are dropped. */
  queryKey: number;
  total?: number;
  all?: number;
  kinds: RunLogPage['kinds'];
  outcomes?: RunLogPage['outcomes'];
  pages: Record<number, RunLogEntry[]>;
  loading: Record<number, boolean>;
  error?: ErrorPayload;
  selected?: number;
  /** Opens a run's log; with `text`, searched for it (an op id opens that one operation). */
  open: (runId: string, text?: string) => void;
  close: () => void;
  setQuery: (q: Partial<RunLogQuery>) => void;
  /** Fetches the pages covering rows first..last (of the filtered list). */
  ensure: (first: number, last: number) => void;
  select: (index: number | undefined) => void;
};

const EMPTY = { pages: {}, loading: {}, kinds: [] as RunLogPage['kinds'] };

export const useRunLogStore = create<LogState>()((set, get) => {
  const fetchPage = async (page: number): Promise<void> => {
    const { runId, query, queryKey } = get();
    if (!runId) return;
    set((s) => ({ loading: { ...s.loading, [page]: true } }));
    const r = await client.invoke('runs:log', {
      runId,
      offset: page * PAGE,
      limit: PAGE,
      ...(query.text.trim() ? { text: query.text.trim() } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
    });
    if (get().queryKey !== queryKey) return;
    if (!r.ok) {
      set((s) => ({ error: r.error, loading: { ...s.loading, [page]: false } }));
      return;
    }
    const v = r.value;
    set((s) => ({
      total: v.total,
      all: v.all,
      kinds: v.kinds,
      outcomes: v.outcomes,
      pages: { ...s.pages, [page]: v.entries },
      loading: { ...s.loading, [page]: false },
    }));
  };
  return {
    query: NO_QUERY,
    queryKey: 0,
    ...EMPTY,
    open(runId, text) {
      const query = text !== undefined ? { ...NO_QUERY, text } : NO_QUERY;
      set({ runId, query, queryKey: get().queryKey + 1, ...EMPTY, total: undefined });
      set({ selected: undefined, error: undefined });
      void fetchPage(0);
    },
    close() {
      set({ runId: undefined, ...EMPTY, total: undefined, selected: undefined });
    },
    setQuery(q) {
      set((s) => ({
        query: { ...s.query, ...q },
        queryKey: s.queryKey + 1,
        pages: {},
        loading: {},
        total: undefined,
        selected: undefined,
      }));
      void fetchPage(0);
    },
    ensure(first, last) {
      const { pages, loading } = get();
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
        if (!pages[p] && !loading[p]) void fetchPage(p);
      }
    },
    select(index) {
      set({ selected: index });
    },
  };
});

/** The entry at row `i` of the filtered list, if its page is here. */
export function entryAt(pages: Record<number, RunLogEntry[]>, i: number): RunLogEntry | undefined {
  return pages[Math.floor(i / PAGE)]?.[i % PAGE];
}
