import { create } from 'zustand';
import type { ConnectionSummary } from '../../../../shared/connections/profile';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { RunView } from '../../../../shared/ipc/schemas/jobs';
import type { Result } from '../../../../shared/util/result';
import { client } from '../../api/client';
import { whenFinished } from '../jobs/jobs-store';
import { NO_FILTERS, type RunFilters } from './run-filters';

/** What the panel under the table is doing. */
type RunsPanel =
  | { kind: 'none' }
  /** Choosing the server to resume on / to make the undo plan against. */
  | { kind: 'choose'; action: 'resume' | 'undo'; runId: string; connectionId: string | undefined }
  | { kind: 'resuming'; runId: string; jobId: string; connectionId: string }
  | { kind: 'undo-planning'; runId: string; jobId: string; connectionId: string }
  | {
      kind: 'undo-plan';
      runId: string;
      planId: string;
      notes: string[];
      connectionId: string;
    }
  | { kind: 'plan'; planId: string; connectionId: string | undefined };

type RunsState = {
  runs: RunView[];
  loaded: boolean;
  loading: boolean;
  loadError: ErrorPayload | undefined;
  panel: RunsPanel;
  error: ErrorPayload | undefined;
  /** The last thing saved (report or failed rows), for the status line. */
  saved: string | undefined;
  /** What the list is narrowed to (kept while the admin moves between screens). */
  filters: RunFilters;

  setFilters: (change: Partial<RunFilters>) => void;
  clearFilters: () => void;
  load: () => Promise<void>;
  choose: (action: 'resume' | 'undo', run: RunView, connections: ConnectionSummary[]) => void;
  setPanelConnection: (id: string) => void;
  /** Starts the chosen resume / undo; `confirmName` is a production connection's typed name. */
  confirmChoice: (confirmName?: string) => Promise<void>;
  openedPlan: (planId: string, connections: ConnectionSummary[]) => Promise<void>;
  closePanel: () => void;
  saveReport: (run: RunView) => Promise<void>;
  saveFailed: (run: RunView) => Promise<void>;
};

/** The saved connection a run (or plan) was made against: same name, else same URL, else first. */
function connectionFor(
  target: { connection?: string; baseUrl?: string },
  connections: ConnectionSummary[],
): string | undefined {
  const byName = connections.find((c) => c.name === target.connection);
  const byUrl = connections.find((c) => c.baseUrl === target.baseUrl);
  return (byName ?? byUrl ?? connections[0])?.id;
}

/** Runs screen state: the list of runs and the one action in progress. */
export const useRunsStore = create<RunsState>()((set, get) => ({
  runs: [],
  loaded: false,
  loading: false,
  loadError: undefined,
  panel: { kind: 'none' },
  error: undefined,
  saved: undefined,
  filters: NO_FILTERS,

  setFilters(change) {
    set((s) => ({ filters: { ...s.filters, ...change } }));
  },

  clearFilters() {
    set({ filters: NO_FILTERS });
  },

  async load() {
    set({ loading: true });
    const result = await client.invoke('runs:list', {});
    if (!result.ok) {
      set({ loading: false, loaded: true, loadError: result.error });
      return;
    }
    set({ runs: result.value, loading: false, loaded: true, loadError: undefined });
  },

  choose(action, run, connections) {
    set({
      panel: {
        kind: 'choose',
        action,
        runId: run.id,
        connectionId: connectionFor(run.target, connections),
      },
      error: undefined,
      saved: undefined,
    });
  },

  setPanelConnection(id) {
    set((s) =>
      s.panel.kind === 'choose' || s.panel.kind === 'plan'
        ? { panel: { ...s.panel, connectionId: id } }
        : {},
    );
  },

  async confirmChoice(confirmName) {
    const { panel } = get();
    if (panel.kind !== 'choose' || panel.connectionId === undefined) return;
    const { runId, connectionId } = panel;
    set({ error: undefined });
    if (panel.action === 'resume') {
      const started = await client.invoke('runs:resume', {
        runId,
        connectionId,
        ...(confirmName !== undefined ? { confirmName } : {}),
      });
      if (!started.ok) {
        set({ error: started.error });
        return;
      }
      const { jobId } = started.value;
      set({ panel: { kind: 'resuming', runId, jobId, connectionId } });
      await get().load();
      await whenFinished(jobId);
      await get().load();
      return;
    }
    const started = await client.invoke('runs:undo', { runId, connectionId });
    if (!started.ok) {
      set({ error: started.error });
      return;
    }
    const { jobId } = started.value;
    set({ panel: { kind: 'undo-planning', runId, jobId, connectionId } });
    const finished = await whenFinished(jobId);
    const planId = finished.outcome?.planId;
    if (finished.status === 'done' && planId !== undefined) {
      set({
        panel: {
          kind: 'undo-plan',
          runId,
          planId,
          notes: finished.outcome?.notes ?? [],
          connectionId,
        },
      });
    } else {
      set({
        panel: { kind: 'none' },
        ...(finished.status === 'failed'
          ? { error: finished.error ?? { code: 'internal', message: 'The undo plan failed.' } }
          : {}),
      });
    }
  },

  async openedPlan(planId, connections) {
    const info = await client.invoke('plan:info', { planId });
    const connectionId = info.ok
      ? connectionFor(info.value.target, connections)
      : connections[0]?.id;
    set({ panel: { kind: 'plan', planId, connectionId }, error: undefined, saved: undefined });
  },

  closePanel() {
    set({ panel: { kind: 'none' } });
    void get().load();
  },

  async saveReport(run) {
    await saveCopy(set, 'report', `run-${run.id}-report.csv`, (path) =>
      client.invoke('runs:save-report', { runId: run.id, path }),
    );
  },

  async saveFailed(run) {
    await saveCopy(set, 'failed-rows', `run-${run.id}-failed.csv`, (path) =>
      client.invoke('runs:save-failed', { runId: run.id, path }),
    );
  },
}));

type Set = (partial: Partial<RunsState>) => void;

async function saveCopy(
  set: Set,
  purpose: 'report' | 'failed-rows',
  defaultName: string,
  save: (path: string) => Promise<Result<{ path: string; rows?: number | undefined }>>,
): Promise<void> {
  set({ error: undefined, saved: undefined });
  const chosen = await client.invoke('dialog:save', { purpose, defaultName });
  if (!chosen.ok) {
    set({ error: chosen.error });
    return;
  }
  if (chosen.value.path === null) return;
  const result = await save(chosen.value.path);
  if (!result.ok) {
    set({ error: result.error });
    return;
  }
  const what = purpose === 'report' ? 'Report' : 'Failed rows';
  const rows = result.value.rows !== undefined ? ` (${String(result.value.rows)} rows)` : '';
  set({ saved: `${what} saved to ${result.value.path}${rows}.` });
}
