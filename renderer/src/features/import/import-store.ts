import { withStatusWord } from '../../../../shared/mapping/status-word';
import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { CsvOptions } from '../../../../shared/ipc/schemas/common';
import type {
  ImportInspection,
  MappingPreview,
  PresetInfo,
  TargetAttribute,
} from '../../../../shared/ipc/schemas/import';
import type { PlanMode } from '../../../../shared/plan/plan-format';
import type { MappingSpec } from '../../../../shared/mapping/spec';
import { client } from '../../api/client';
import { whenFinished } from '../jobs/jobs-store';

export type ImportStep = 'file' | 'diagnostics' | 'mapping' | 'plan';

/** Rows of the sample sent to the live preview. */
const PREVIEW_SAMPLE_ROWS = 10;

/** The planning job: running, or what it left. */
type PlanState =
  | { status: 'idle' }
  | { status: 'starting' }
  | { status: 'running'; jobId: string }
  | { status: 'done'; planId: string }
  | { status: 'failed'; error: ErrorPayload };

type ImportState = {
  step: ImportStep;
  connectionId: string | undefined;
  /** '' = detect automatically. */
  presetId: string;
  presets: PresetInfo[];
  presetsError: ErrorPayload | undefined;

  path: string | undefined;
  /** Why a dropped file could not be used. */
  dropMessage: string | undefined;
  openError: ErrorPayload | undefined;
  /** Overrides of what the reader detected. */
  csv: CsvOptions;
  inspecting: boolean;
  /** Rows read so far while inspecting a big file (from `import:progress`). */
  inspectRows: number | undefined;
  inspection: ImportInspection | undefined;
  inspectError: ErrorPayload | undefined;

  spec: MappingSpec | undefined;
  /** Bumped whenever the spec is replaced as a whole (inspect, load), to reset local drafts. */
  specKey: number;
  targets: TargetAttribute[];
  targetsError: ErrorPayload | undefined;
  preview: MappingPreview | undefined;
  previewing: boolean;
  previewError: ErrorPayload | undefined;
  /** Index into the sample of the row whose JSON is shown. */
  previewRow: number;
  mappingFileError: ErrorPayload | undefined;
  mappingFileMessage: string | undefined;
  mode: PlanMode;

  plan: PlanState;

  loadPresets: () => Promise<void>;
  setConnection: (id: string) => void;
  setPreset: (id: string) => void;
  chooseCsv: () => Promise<void>;
  openDropped: (path: string, name: string) => Promise<void>;
  setCsvOption: <K extends keyof CsvOptions>(key: K, value: CsvOptions[K] | undefined) => void;
  inspect: () => Promise<void>;
  /** Reads the chosen file again (after the server or file kind changed) and shows it. */
  reopen: () => Promise<void>;
  continueToMapping: () => void;
  goTo: (step: ImportStep) => void;
  loadTargets: () => Promise<void>;
  updateSpec: (fn: (spec: MappingSpec) => MappingSpec) => void;
  /** Adds a status word to the "active" mapping; `replan` builds the plan again with it. */
  addStatusWord: (word: string, active: boolean, replan: boolean) => void;
  runPreview: () => Promise<void>;
  setPreviewRow: (index: number) => void;
  saveMapping: () => Promise<void>;
  loadMapping: () => Promise<void>;
  setMode: (mode: PlanMode) => void;
  buildPlan: () => Promise<void>;
  cancelPlan: () => Promise<void>;
  showPlan: (planId: string) => void;
  startOver: () => void;
};

const initialFlow = {
  step: 'file' as ImportStep,
  path: undefined,
  dropMessage: undefined,
  openError: undefined,
  csv: {},
  inspecting: false,
  inspectRows: undefined,
  inspection: undefined,
  inspectError: undefined,
  spec: undefined,
  targets: [],
  targetsError: undefined,
  preview: undefined,
  previewing: false,
  previewError: undefined,
  previewRow: 0,
  mappingFileError: undefined,
  mappingFileMessage: undefined,
  mode: 'upsert' as PlanMode,
  plan: { status: 'idle' } as PlanState,
};

/** Sequence numbers so a late answer never overwrites a newer one. */
let inspectSeq = 0;
let previewSeq = 0;
let planSeq = 0;

/** The file name at the end of a path (either separator). */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The Import wizard: file → diagnostics → mapping → plan. The engine does the heavy work. */
export const useImportStore = create<ImportState>()((set, get) => ({
  ...initialFlow,
  connectionId: undefined,
  presetId: '',
  presets: [],
  presetsError: undefined,
  specKey: 0,

  async loadPresets() {
    const result = await client.invoke('mapping:presets', {});
    if (result.ok) set({ presets: result.value, presetsError: undefined });
    else set({ presetsError: result.error });
  },

  setConnection(id) {
    set({ connectionId: id });
  },

  setPreset(id) {
    set({ presetId: id });
  },

  async chooseCsv() {
    set({ openError: undefined, dropMessage: undefined });
    const result = await client.invoke('dialog:open', { purpose: 'csv' });
    if (!result.ok) {
      set({ openError: result.error });
      return;
    }
    if (result.value.path === null) return;
    set({ path: result.value.path, csv: {}, step: 'diagnostics' });
    await get().inspect();
  },

  async openDropped(path, name) {
    if (path === '') {
      set({
        dropMessage: `“${name}” has no place on disk (it may come from a browser or an archive). Save it to a folder first, then drop it from there or use Open CSV….`,
      });
      return;
    }
    set({ path, csv: {}, dropMessage: undefined, openError: undefined, step: 'diagnostics' });
    await get().inspect();
  },

  setCsvOption(key, value) {
    set((s) => {
      const csv = { ...s.csv };
      if (value === undefined) Reflect.deleteProperty(csv, key);
      else csv[key] = value;
      return { csv };
    });
  },

  async inspect() {
    const { path, csv, connectionId, presetId } = get();
    if (path === undefined) return;
    const seq = ++inspectSeq;
    set({ inspecting: true, inspectError: undefined, inspectRows: undefined });
    const off = client.on('import:progress', (p) => {
      if (seq === inspectSeq && p.path === path) set({ inspectRows: p.rows });
    });
    const result = await client.invoke('import:inspect', {
      path,
      ...(Object.keys(csv).length > 0 ? { csv } : {}),
      ...(connectionId ? { connectionId } : {}),
      ...(presetId ? { presetId } : {}),
    });
    off();
    if (seq !== inspectSeq) return;
    if (!result.ok) {
      set({ inspecting: false, inspection: undefined, inspectError: result.error });
      return;
    }
    set((s) => ({
      inspecting: false,
      inspection: result.value,
      spec: result.value.suggestion.spec,
      specKey: s.specKey + 1,
      preview: undefined,
      previewRow: 0,
      mappingFileMessage: undefined,
      mappingFileError: undefined,
    }));
  },

  async reopen() {
    if (get().path === undefined) return;
    set({ step: 'diagnostics' });
    await get().inspect();
  },

  continueToMapping() {
    set({ step: 'mapping' });
    void get().loadTargets();
  },

  goTo(step) {
    set({ step });
  },

  async loadTargets() {
    const { connectionId, spec } = get();
    const result = await client.invoke('mapping:targets', {
      resourceType: spec?.resourceType ?? 'User',
      ...(connectionId ? { connectionId } : {}),
    });
    if (result.ok) set({ targets: result.value, targetsError: undefined });
    else set({ targetsError: result.error });
  },

  updateSpec(fn) {
    const { spec } = get();
    if (spec) set({ spec: fn(spec), mappingFileMessage: undefined });
  },

  addStatusWord(word, active, replan) {
    const { spec } = get();
    if (!spec) return;
    set((s) => ({ spec: withStatusWord(spec, word, active), specKey: s.specKey + 1 }));
    if (replan) void get().buildPlan();
  },

  async runPreview() {
    const { spec, inspection, connectionId } = get();
    if (!spec || !inspection) return;
    const seq = ++previewSeq;
    set({ previewing: true });
    const result = await client.invoke('mapping:preview', {
      spec,
      headers: inspection.diagnostics.headers,
      rows: inspection.sample
        .slice(0, PREVIEW_SAMPLE_ROWS)
        .map(({ row, line, cells }) => ({ row, line, cells })),
      ...(connectionId ? { connectionId } : {}),
    });
    if (seq !== previewSeq) return;
    if (result.ok) set({ previewing: false, preview: result.value, previewError: undefined });
    else set({ previewing: false, previewError: result.error });
  },

  setPreviewRow(index) {
    set({ previewRow: index });
  },

  async saveMapping() {
    const { spec, path } = get();
    if (!spec) return;
    set({ mappingFileError: undefined, mappingFileMessage: undefined });
    const stem = path ? baseName(path).replace(/\.[^.]*$/, '') : 'import';
    const chosen = await client.invoke('dialog:save', {
      purpose: 'mapping',
      defaultName: `${stem}.mapping.json`,
    });
    if (!chosen.ok) {
      set({ mappingFileError: chosen.error });
      return;
    }
    if (chosen.value.path === null) return;
    const saved = await client.invoke('mapping:save', { path: chosen.value.path, spec });
    if (saved.ok) set({ mappingFileMessage: `Mapping saved to ${saved.value.path}` });
    else set({ mappingFileError: saved.error });
  },

  async loadMapping() {
    set({ mappingFileError: undefined, mappingFileMessage: undefined });
    const chosen = await client.invoke('dialog:open', { purpose: 'mapping' });
    if (!chosen.ok) {
      set({ mappingFileError: chosen.error });
      return;
    }
    const file = chosen.value.path;
    if (file === null) return;
    const loaded = await client.invoke('mapping:load', { path: file });
    if (!loaded.ok) {
      set({ mappingFileError: loaded.error });
      return;
    }
    set((s) => ({
      spec: loaded.value.spec,
      specKey: s.specKey + 1,
      mappingFileMessage: `Mapping loaded from ${file}`,
    }));
  },

  setMode(mode) {
    set({ mode });
  },

  async buildPlan() {
    const { connectionId, path, spec, csv, inspection, mode } = get();
    if (!connectionId || !path || !spec) return;
    const seq = ++planSeq;
    set({ step: 'plan', plan: { status: 'starting' } });
    const csvOptions: CsvOptions = {
      ...csv,
      ...(inspection?.skipLines ? { skipLines: inspection.skipLines } : {}),
    };
    const started = await client.invoke('plan:start', {
      connectionId,
      csvPath: path,
      mapping: spec,
      mode,
      ...(Object.keys(csvOptions).length > 0 ? { csv: csvOptions } : {}),
    });
    if (seq !== planSeq) return;
    if (!started.ok) {
      set({ plan: { status: 'failed', error: started.error } });
      return;
    }
    const { jobId } = started.value;
    set({ plan: { status: 'running', jobId } });
    const finished = await whenFinished(jobId);
    if (seq !== planSeq) return;
    const planId = finished.outcome?.planId;
    if (finished.status === 'done' && planId) {
      set({ plan: { status: 'done', planId } });
    } else if (finished.status === 'cancelled') {
      set({
        plan: {
          status: 'failed',
          error: finished.error ?? {
            code: 'cancelled',
            message: 'Planning was cancelled; nothing was written to the server.',
            nextStep: 'Go back to the mapping and build the plan again when you are ready.',
          },
        },
      });
    } else {
      set({
        plan: {
          status: 'failed',
          error: finished.error ?? {
            code: 'internal',
            message: 'Planning ended without a plan.',
            nextStep: 'Build the plan again; if it keeps failing, save the mapping and report it.',
          },
        },
      });
    }
  },

  async cancelPlan() {
    const { plan } = get();
    if (plan.status !== 'running') return;
    await client.invoke('jobs:control', { jobId: plan.jobId, action: 'cancel' });
  },

  showPlan(planId) {
    planSeq++;
    set({ step: 'plan', plan: { status: 'done', planId } });
  },

  startOver() {
    const { plan } = get();
    // A plan still being built is of no use any more: stop it rather than let it run on.
    if (plan.status === 'running') {
      void client.invoke('jobs:control', { jobId: plan.jobId, action: 'cancel' });
    }
    inspectSeq++;
    previewSeq++;
    planSeq++;
    set((s) => ({ ...initialFlow, specKey: s.specKey + 1 }));
  },
}));

// The application menu's "Open CSV…" (and its shortcut) lands here: app.tsx switches to this
// screen, the store opens the dialog. Subscribed once, for the life of the window.
client.on('app:menu', ({ command }) => {
  if (command === 'open-csv') void useImportStore.getState().chooseCsv();
});
