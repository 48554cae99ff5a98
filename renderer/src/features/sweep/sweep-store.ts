import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { ImportInspection } from '../../../../shared/ipc/schemas/import';
import type { MappingSpec } from '../../../../shared/mapping/spec';
import { client } from '../../api/client';
import { whenFinished } from '../jobs/jobs-store';

export const SWEEP_MODES = [
  'deactivate-listed',
  'delete-listed',
  'deactivate-unlisted',
  'delete-unlisted',
] as const;
export type SweepMode = (typeof SWEEP_MODES)[number];

/** True for the modes that act on accounts NOT in the list (they take a scope filter). */
export function isUnlisted(mode: SweepMode): boolean {
  return mode.endsWith('-unlisted');
}

type SweepPhase =
  | { status: 'idle' }
  | { status: 'planning'; jobId: string }
  | { status: 'plan'; planId: string; warnings: string[] };

/** A key the list can be matched on: a mapped SCIM attribute and the column it comes from. */
export type MatchOption = { target: string; column: string | undefined };

type SweepState = {
  mode: SweepMode;
  connectionId: string | undefined;
  listPath: string | undefined;
  inspection: ImportInspection | undefined;
  inspecting: boolean;
  matchKey: string | undefined;
  scope: string;
  protectPath: string | undefined;
  phase: SweepPhase;
  error: ErrorPayload | undefined;

  setMode: (mode: SweepMode) => void;
  setConnection: (id: string) => void;
  openList: () => Promise<void>;
  setMatchKey: (target: string) => void;
  setScope: (scope: string) => void;
  chooseProtect: () => Promise<void>;
  clearProtect: () => void;
  preview: () => Promise<void>;
  close: () => void;
};

const PREFERRED = ['externalId', 'userName', 'emails[type eq "work"].value'];

/** The keys a list can be matched on, identifiers first. */
export function matchOptions(inspection: ImportInspection | undefined): MatchOption[] {
  if (!inspection) return [];
  const spec = inspection.suggestion.spec;
  const options: MatchOption[] = spec.attributes.map((a) => ({
    target: a.target,
    column: 'column' in a.source ? a.source.column : undefined,
  }));
  if (spec.identity) {
    for (const h of inspection.diagnostics.headers) {
      if (!options.some((o) => o.target === h)) options.push({ target: h, column: h });
    }
  }
  const rank = (t: string) => {
    const i = PREFERRED.indexOf(t);
    if (i >= 0) return i;
    return /employeeNumber|email/i.test(t) ? PREFERRED.length : PREFERRED.length + 1;
  };
  return options.sort((a, b) => rank(a.target) - rank(b.target));
}

/** The key the engine would use by default for this list. */
function defaultKey(inspection: ImportInspection): string | undefined {
  const first = inspection.suggestion.spec.match?.keys[0];
  if (first?.length === 1 && first[0] !== undefined) return first[0];
  return matchOptions(inspection)[0]?.target;
}

/** The suggested mapping with the chosen key as the only match key. */
function sweepMapping(inspection: ImportInspection, key: string | undefined): MappingSpec {
  const spec = inspection.suggestion.spec;
  return key === undefined ? spec : { ...spec, match: { keys: [[key]] } };
}

/** Sweep screen state: the list, the mode, the plan being made and the one made. */
export const useSweepStore = create<SweepState>()((set, get) => ({
  mode: 'deactivate-listed',
  connectionId: undefined,
  listPath: undefined,
  inspection: undefined,
  inspecting: false,
  matchKey: undefined,
  scope: '',
  protectPath: undefined,
  phase: { status: 'idle' },
  error: undefined,

  setMode(mode) {
    set({ mode });
  },

  setConnection(id) {
    set({ connectionId: id });
  },

  async openList() {
    const chosen = await client.invoke('dialog:open', { purpose: 'csv' });
    if (!chosen.ok) {
      set({ error: chosen.error });
      return;
    }
    const path = chosen.value.path;
    if (path === null) return;
    set({ inspecting: true, error: undefined });
    const { connectionId } = get();
    const result = await client.invoke('import:inspect', {
      path,
      resourceType: 'User',
      ...(connectionId !== undefined ? { connectionId } : {}),
    });
    if (!result.ok) {
      set({ inspecting: false, error: result.error });
      return;
    }
    set({
      inspecting: false,
      listPath: path,
      inspection: result.value,
      matchKey: defaultKey(result.value),
    });
  },

  setMatchKey(target) {
    set({ matchKey: target });
  },

  setScope(scope) {
    set({ scope });
  },

  async chooseProtect() {
    const chosen = await client.invoke('dialog:open', { purpose: 'protect' });
    if (!chosen.ok) {
      set({ error: chosen.error });
      return;
    }
    if (chosen.value.path !== null) set({ protectPath: chosen.value.path });
  },

  clearProtect() {
    set({ protectPath: undefined });
  },

  async preview() {
    const s = get();
    if (!s.connectionId || !s.listPath || !s.inspection || s.phase.status === 'planning') return;
    set({ error: undefined });
    const started = await client.invoke('plan:start', {
      connectionId: s.connectionId,
      csvPath: s.listPath,
      mapping: sweepMapping(s.inspection, s.matchKey),
      mode: s.mode,
      ...(isUnlisted(s.mode) && s.scope.trim() ? { scope: s.scope.trim() } : {}),
      ...(s.protectPath ? { protectPath: s.protectPath } : {}),
    });
    if (!started.ok) {
      set({ error: started.error });
      return;
    }
    const { jobId } = started.value;
    set({ phase: { status: 'planning', jobId } });
    const finished = await whenFinished(jobId);
    const planId = finished.outcome?.planId;
    if (finished.status === 'done' && planId !== undefined) {
      set({ phase: { status: 'plan', planId, warnings: finished.outcome?.warnings ?? [] } });
    } else if (finished.status === 'cancelled') {
      set({ phase: { status: 'idle' } });
    } else {
      set({
        phase: { status: 'idle' },
        error: finished.error ?? { code: 'internal', message: 'The sweep could not be planned.' },
      });
    }
  },

  close() {
    set({ phase: { status: 'idle' } });
  },
}));
