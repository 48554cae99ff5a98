import { create } from 'zustand';
import type {
  ConnectionSettingsInput,
  ConnectionSummary,
} from '../../../../shared/connections/profile';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { DiscoveryResult } from '../../../../shared/scim/discovery-types';
import { client } from '../../api/client';

/** The state of one connection test (keyed by connection id, or DRAFT_KEY for the form). */
type TestState =
  | { status: 'running' }
  | { status: 'passed'; result: DiscoveryResult; at: number }
  | { status: 'failed'; error: ErrorPayload; at: number };

/** Identifies a finished test (undefined while none or running), to move focus to its result. */
export function testEndKey(test: TestState | undefined): string | undefined {
  if (!test || test.status === 'running') return undefined;
  return `${test.status}-${test.at}`;
}

/** Key of the test run from the add/edit form (unsaved settings). */
export const DRAFT_KEY = '__draft__';

type EditorState = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; id: string };

type ConnectionsState = {
  connections: ConnectionSummary[];
  loaded: boolean;
  loadError: ErrorPayload | undefined;
  selectedId: string | undefined;
  editor: EditorState;
  saving: boolean;
  saveError: ErrorPayload | undefined;
  tests: Record<string, TestState>;
  pendingDeleteId: string | undefined;
  deleting: boolean;
  deleteError: ErrorPayload | undefined;

  load: () => Promise<void>;
  select: (id: string) => void;
  openNew: () => void;
  openEdit: (id: string) => void;
  closeEditor: () => void;
  /** Saves the form; resolves true on success (the editor closes on the saved profile). */
  save: (request: {
    id?: string;
    settings: ConnectionSettingsInput;
    secret?: string | null;
  }) => Promise<boolean>;
  testSaved: (id: string) => Promise<void>;
  testDraft: (request: {
    id?: string;
    settings: ConnectionSettingsInput;
    secret?: string;
  }) => Promise<void>;
  requestDelete: (id: string) => void;
  cancelDelete: () => void;
  confirmDelete: () => Promise<void>;
  reset: () => void;
};

const initial = {
  connections: [],
  loaded: false,
  loadError: undefined,
  selectedId: undefined,
  editor: { mode: 'closed' } as EditorState,
  saving: false,
  saveError: undefined,
  tests: {},
  pendingDeleteId: undefined,
  deleting: false,
  deleteError: undefined,
};

/** Connections screen state. Main owns the profiles; this holds the last list and view state. */
export const useConnectionsStore = create<ConnectionsState>()((set, get) => ({
  ...initial,

  async load() {
    const result = await client.listConnections();
    if (!result.ok) {
      set({ loadError: result.error, loaded: true });
      return;
    }
    const { selectedId } = get();
    const stillThere = result.value.some((c) => c.id === selectedId);
    set({
      connections: result.value,
      loaded: true,
      loadError: undefined,
      // Open on the first connection (the Local sandbox on a fresh install), ready to test.
      selectedId: stillThere ? selectedId : result.value[0]?.id,
    });
  },

  select(id) {
    set({ selectedId: id, editor: { mode: 'closed' }, saveError: undefined });
  },

  openNew() {
    set((s) => ({
      editor: { mode: 'new' },
      saveError: undefined,
      tests: without(s.tests, DRAFT_KEY),
    }));
  },

  openEdit(id) {
    set((s) => ({
      selectedId: id,
      editor: { mode: 'edit', id },
      saveError: undefined,
      tests: without(s.tests, DRAFT_KEY),
    }));
  },

  closeEditor() {
    set((s) => ({
      editor: { mode: 'closed' },
      saveError: undefined,
      tests: without(s.tests, DRAFT_KEY),
    }));
  },

  async save(request) {
    set({ saving: true, saveError: undefined });
    const result = await client.saveConnection(request);
    if (!result.ok) {
      set({ saving: false, saveError: result.error });
      return false;
    }
    const saved = result.value;
    set((s) => ({
      saving: false,
      editor: { mode: 'closed' },
      selectedId: saved.id,
      connections: s.connections.some((c) => c.id === saved.id)
        ? s.connections.map((c) => (c.id === saved.id ? saved : c))
        : [...s.connections, saved],
      // Settings changed, so an earlier result no longer describes this connection.
      tests: without(without(s.tests, saved.id), DRAFT_KEY),
    }));
    return true;
  },

  async testSaved(id) {
    await runTest(set, id, () => client.testConnection({ id }));
  },

  async testDraft(request) {
    await runTest(set, DRAFT_KEY, () => client.testConnection(request));
  },

  requestDelete(id) {
    set({ pendingDeleteId: id, deleteError: undefined });
  },

  cancelDelete() {
    set({ pendingDeleteId: undefined, deleteError: undefined });
  },

  async confirmDelete() {
    const id = get().pendingDeleteId;
    if (id === undefined) return;
    set({ deleting: true, deleteError: undefined });
    const result = await client.removeConnection(id);
    if (!result.ok) {
      set({ deleting: false, deleteError: result.error });
      return;
    }
    set((s) => {
      const connections = s.connections.filter((c) => c.id !== id);
      return {
        deleting: false,
        pendingDeleteId: undefined,
        connections,
        tests: without(s.tests, id),
        editor: s.editor.mode === 'edit' && s.editor.id === id ? { mode: 'closed' } : s.editor,
        selectedId: s.selectedId === id ? connections[0]?.id : s.selectedId,
      };
    });
  },

  reset() {
    set(initial);
  },
}));

type Setter = (fn: (s: ConnectionsState) => Partial<ConnectionsState>) => void;

async function runTest(
  set: Setter,
  key: string,
  call: () => ReturnType<typeof client.testConnection>,
): Promise<void> {
  set((s) => ({ tests: { ...s.tests, [key]: { status: 'running' } } }));
  const result = await call();
  const state: TestState = result.ok
    ? { status: 'passed', result: result.value, at: Date.now() }
    : { status: 'failed', error: result.error, at: Date.now() };
  set((s) => ({ tests: { ...s.tests, [key]: state } }));
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
