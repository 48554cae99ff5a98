import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { PlanAction, PlanRow } from '../../../../shared/import/types';
import type { PlanInfo } from '../../../../shared/ipc/schemas/plan';
import { client } from '../../api/client';

/** Rows per `plan:window` request (the engine allows up to 500). */
const PAGE_SIZE = 150;
/** Windows kept per plan; the least recently used are dropped beyond this. */
const MAX_PAGES = 12;

/** What the preview of one plan holds: its info, the filter, and the rows fetched so far. */
type PlanView = {
  info?: PlanInfo;
  infoError?: ErrorPayload;
  actions: PlanAction[];
  search: string;
  /** Identifies the filter the cached rows belong to. */
  queryKey: string;
  /** Rows matching the filter (unknown until the first window answers). */
  total?: number;
  /** Fetched windows of the current filter, by page number. */
  pages: Record<number, PlanRow[]>;
  /** Page numbers, most recently used last. */
  recent: number[];
  windowError?: ErrorPayload;
  /** The row shown in the detail panel: its position in the filtered list (and plan `seq`). */
  selected?: { index: number; seq?: number };
  /** Milliseconds from opening the preview to the first rows (for the perf test). */
  firstRowsMs?: number;
};

type PlanStore = {
  plans: Record<string, PlanView>;
  loadInfo: (planId: string) => Promise<void>;
  setFilter: (planId: string, filter: { actions?: PlanAction[]; search?: string }) => void;
  /** Makes sure rows [first, last] of the current filter are (being) fetched. */
  ensureRows: (planId: string, first: number, last: number) => void;
  select: (planId: string, selected: { index: number; seq?: number } | undefined) => void;
};

const EMPTY: PlanView = { actions: [], search: '', queryKey: '|', pages: {}, recent: [] };

function keyOf(actions: readonly PlanAction[], search: string): string {
  return `${[...actions].sort().join(',')}|${search.trim().toLowerCase()}`;
}

/** Requests in flight, as `planId|queryKey|page`, so a window is never asked for twice. */
const inFlight = new Set<string>();
const openedAt = new Map<string, number>();

/** Per-plan preview state: info, filter and a small cache of row windows. */
export const usePlanStore = create<PlanStore>()((set, get) => {
  const patch = (planId: string, change: (v: PlanView) => Partial<PlanView>): void => {
    set((s) => {
      const view = s.plans[planId] ?? EMPTY;
      return { plans: { ...s.plans, [planId]: { ...view, ...change(view) } } };
    });
  };

  const fetchPage = async (planId: string, page: number): Promise<void> => {
    const view = get().plans[planId] ?? EMPTY;
    const queryKey = view.queryKey;
    const flightKey = `${planId}|${queryKey}|${page}`;
    if (inFlight.has(flightKey)) return;
    inFlight.add(flightKey);
    const search = view.search.trim();
    const result = await client.invoke('plan:window', {
      planId,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(view.actions.length ? { actions: view.actions } : {}),
      ...(search ? { search } : {}),
    });
    inFlight.delete(flightKey);
    patch(planId, (v) => {
      if (v.queryKey !== queryKey) return {}; // the filter changed meanwhile
      if (!result.ok) return { windowError: result.error };
      const recent = [...v.recent.filter((p) => p !== page), page];
      while (recent.length > MAX_PAGES) recent.shift();
      const pages: Record<number, PlanRow[]> = {};
      for (const p of recent) {
        const rows = p === page ? result.value.rows : v.pages[p];
        if (rows) pages[p] = rows;
      }
      const started = openedAt.get(planId);
      const first =
        v.firstRowsMs === undefined && started !== undefined
          ? { firstRowsMs: Math.round(performance.now() - started) }
          : {};
      return { pages, recent, total: result.value.total, windowError: undefined, ...first };
    });
  };

  return {
    plans: {},
    async loadInfo(planId) {
      if (!openedAt.has(planId)) openedAt.set(planId, performance.now());
      const result = await client.invoke('plan:info', { planId });
      patch(planId, () =>
        result.ok ? { info: result.value, infoError: undefined } : { infoError: result.error },
      );
      if (result.ok) void fetchPage(planId, 0);
    },
    setFilter(planId, filter) {
      patch(planId, (v) => {
        const actions = filter.actions ?? v.actions;
        const search = filter.search ?? v.search;
        const queryKey = keyOf(actions, search);
        if (queryKey === v.queryKey) return { actions, search };
        return {
          actions,
          search,
          queryKey,
          pages: {},
          recent: [],
          total: undefined,
          selected: undefined,
          windowError: undefined,
        };
      });
      void fetchPage(planId, 0);
    },
    ensureRows(planId, first, last) {
      const view = get().plans[planId] ?? EMPTY;
      const max = view.total === undefined ? last : Math.min(last, view.total - 1);
      if (max < 0) return;
      const from = Math.floor(Math.max(0, first) / PAGE_SIZE);
      const to = Math.floor(max / PAGE_SIZE);
      const touched: number[] = [];
      for (let page = from; page <= to; page++) {
        if (view.pages[page]) touched.push(page);
        else void fetchPage(planId, page);
      }
      // Keep the visible windows at the recent end so they are not the ones dropped.
      if (touched.length && touched.some((p) => view.recent.indexOf(p) < view.recent.length - 4)) {
        patch(planId, (v) => ({
          recent: [...v.recent.filter((p) => !touched.includes(p)), ...touched],
        }));
      }
    },
    select(planId, selected) {
      patch(planId, () => ({ selected }));
    },
  };
});

/** The preview state of one plan (an empty view until it loads). */
export function usePlanView(planId: string): PlanView {
  return usePlanStore((s) => s.plans[planId] ?? EMPTY);
}

/** Row `index` of the current filter, when its window is cached. */
export function rowAt(view: PlanView, index: number): PlanRow | undefined {
  return view.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}
