import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { TargetAttribute } from '../../../../shared/ipc/schemas/import';
import { client } from '../../api/client';
import { whenFinished } from '../jobs/jobs-store';

type ExportFormat = 'csv' | 'jsonl';

export type ExportResult = { file: string; exported: number; warnings: string[] };

type ExportPhase =
  | { status: 'idle' }
  | { status: 'running'; jobId: string; file: string }
  | { status: 'done'; result: ExportResult }
  | { status: 'cancelled'; file: string };

type ExportState = {
  connectionId: string | undefined;
  /** Resource type names the connection's discovery lists (Users and Groups until it answers). */
  resourceTypes: string[];
  resourceType: string;
  targets: TargetAttribute[];
  targetsLoading: boolean;
  targetsError: ErrorPayload | undefined;
  allAttributes: boolean;
  selected: string[];
  search: string;
  filter: string;
  format: ExportFormat;
  excel: boolean;
  phase: ExportPhase;
  error: ErrorPayload | undefined;
  /** True when `error` is about the filter (shown next to it). */
  filterRejected: boolean;

  setConnection: (id: string) => void;
  setResourceType: (name: string) => void;
  setAllAttributes: (all: boolean) => void;
  toggleAttribute: (path: string, on: boolean) => void;
  setSearch: (search: string) => void;
  setFilter: (filter: string) => void;
  setFormat: (format: ExportFormat) => void;
  setExcel: (excel: boolean) => void;
  start: () => Promise<void>;
  cancel: () => Promise<void>;
  showInFolder: (path: string) => Promise<void>;
  reset: () => void;
};

const DEFAULT_TYPES = ['User', 'Group'];

/** `users-2026-11-29.csv`: the resource type, today's date, and the format's extension. */
function defaultFileName(resourceType: string, format: ExportFormat, now = new Date()): string {
  const plural = `${resourceType.toLowerCase().replace(/[^a-z0-9]+/g, '-')}s`;
  const day = now.toISOString().slice(0, 10);
  return `${plural}-${day}.${format}`;
}

/** Export screen state: what to export, how, and the job that is doing it. */
export const useExportStore = create<ExportState>()((set, get) => ({
  connectionId: undefined,
  resourceTypes: DEFAULT_TYPES,
  resourceType: 'User',
  targets: [],
  targetsLoading: false,
  targetsError: undefined,
  allAttributes: true,
  selected: [],
  search: '',
  filter: '',
  format: 'csv',
  excel: false,
  phase: { status: 'idle' },
  error: undefined,
  filterRejected: false,

  setConnection(id) {
    if (id === get().connectionId) return;
    set({ connectionId: id, resourceTypes: DEFAULT_TYPES, error: undefined });
    void loadResourceTypes(id, set, get);
    void loadTargets(set, get);
  },

  setResourceType(name) {
    set({ resourceType: name, selected: [], allAttributes: true, search: '' });
    void loadTargets(set, get);
  },

  setAllAttributes(all) {
    set({ allAttributes: all });
  },

  toggleAttribute(path, on) {
    set((s) => ({
      allAttributes: false,
      selected: on
        ? [...s.selected.filter((p) => p !== path), path]
        : s.selected.filter((p) => p !== path),
    }));
  },

  setSearch(search) {
    set({ search });
  },

  setFilter(filter) {
    const { filterRejected } = get();
    set({ filter, filterRejected: false, ...(filterRejected ? { error: undefined } : {}) });
  },

  setFormat(format) {
    set({ format });
  },

  setExcel(excel) {
    set({ excel });
  },

  async start() {
    const s = get();
    if (s.connectionId === undefined || s.phase.status === 'running') return;
    set({ error: undefined, filterRejected: false });
    const saved = await client.invoke('dialog:save', {
      purpose: s.format === 'csv' ? 'export-csv' : 'export-jsonl',
      defaultName: defaultFileName(s.resourceType, s.format),
    });
    if (!saved.ok) {
      set({ error: saved.error });
      return;
    }
    const outPath = saved.value.path;
    if (outPath === null) return;
    const attributes = s.allAttributes ? undefined : s.selected;
    const started = await client.invoke('export:start', {
      connectionId: s.connectionId,
      resourceType: s.resourceType,
      outPath,
      format: s.format,
      ...(attributes?.length ? { attributes } : {}),
      ...(s.filter.trim() ? { filter: s.filter.trim() } : {}),
      ...(s.format === 'csv' ? { excel: s.excel } : {}),
    });
    if (!started.ok) {
      set({
        error: started.error,
        filterRejected: s.filter.trim() !== '' && isFilterError(started.error),
      });
      return;
    }
    const { jobId } = started.value;
    set({ phase: { status: 'running', jobId, file: outPath } });
    const finished = await whenFinished(jobId);
    if (finished.status === 'done') {
      set({
        phase: {
          status: 'done',
          result: {
            file: finished.outcome?.file ?? outPath,
            exported: finished.outcome?.exported ?? 0,
            warnings: finished.outcome?.warnings ?? [],
          },
        },
      });
    } else if (finished.status === 'cancelled') {
      set({ phase: { status: 'cancelled', file: outPath } });
    } else {
      set({
        phase: { status: 'idle' },
        error: finished.error ?? { code: 'internal', message: 'The export failed.' },
      });
    }
  },

  async cancel() {
    const { phase } = get();
    if (phase.status !== 'running') return;
    await client.invoke('jobs:control', { jobId: phase.jobId, action: 'cancel' });
  },

  async showInFolder(path) {
    const result = await client.invoke('shell:show-in-folder', { path });
    if (!result.ok) set({ error: result.error });
  },

  reset() {
    set({ phase: { status: 'idle' }, error: undefined });
  },
}));

type Set = (partial: Partial<ExportState>) => void;
type Get = () => ExportState;

function isFilterError(error: ErrorPayload): boolean {
  return error.code === 'invalid_filter' || error.scimType === 'invalidFilter';
}

async function loadResourceTypes(connectionId: string, set: Set, get: Get): Promise<void> {
  const result = await client.invoke('connections:test', { id: connectionId });
  if (get().connectionId !== connectionId || !result.ok) return;
  const names = result.value.resourceTypes.map((t) => t.name);
  const ordered = [
    ...DEFAULT_TYPES.filter((t) => names.includes(t)),
    ...names.filter((n) => !DEFAULT_TYPES.includes(n)),
  ];
  if (ordered.length === 0) return;
  set({ resourceTypes: ordered });
  if (!ordered.includes(get().resourceType)) get().setResourceType(ordered[0] ?? 'User');
}

async function loadTargets(set: Set, get: Get): Promise<void> {
  const { connectionId, resourceType } = get();
  if (resourceType !== 'User' && resourceType !== 'Group') {
    set({ targets: [], targetsLoading: false, targetsError: undefined });
    return;
  }
  set({ targetsLoading: true, targetsError: undefined });
  const result = await client.invoke('mapping:targets', {
    resourceType,
    ...(connectionId !== undefined ? { connectionId } : {}),
  });
  const now = get();
  if (now.connectionId !== connectionId || now.resourceType !== resourceType) return;
  if (!result.ok) {
    set({ targets: [], targetsLoading: false, targetsError: result.error });
    return;
  }
  set({ targets: result.value, targetsLoading: false });
}
