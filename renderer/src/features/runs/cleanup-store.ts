import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { CleanupPreview, CleanupResult } from '../../../../shared/ipc/schemas/data';
import { client } from '../../api/client';

/** Files last changed before this many days ago are offered unless the admin picks otherwise. */
const DEFAULT_CLEANUP_DAYS = 30;

type CleanupState = {
  open: boolean;
  olderThanDays: number;
  preview: CleanupPreview | undefined;
  previewing: boolean;
  /** The confirm dialog is showing. */
  confirming: boolean;
  deleting: boolean;
  result: CleanupResult | undefined;
  error: ErrorPayload | undefined;

  show: () => void;
  hide: () => void;
  setDays: (days: number) => void;
  runPreview: () => Promise<void>;
  askConfirm: () => void;
  cancelConfirm: () => void;
  confirm: () => Promise<void>;
};

/** "Clean up the data folder…": preview old plans and snapshots, confirm, delete, say what went. */
export const useCleanupStore = create<CleanupState>()((set, get) => ({
  open: false,
  olderThanDays: DEFAULT_CLEANUP_DAYS,
  preview: undefined,
  previewing: false,
  confirming: false,
  deleting: false,
  result: undefined,
  error: undefined,

  show() {
    set({ open: true, preview: undefined, result: undefined, error: undefined });
    void get().runPreview();
  },

  hide() {
    set({ open: false, confirming: false, preview: undefined });
  },

  setDays(days) {
    set({ olderThanDays: days, preview: undefined });
  },

  async runPreview() {
    set({ previewing: true, error: undefined });
    const answer = await client.invoke('data:cleanup-preview', {
      olderThanDays: get().olderThanDays,
    });
    if (!answer.ok) {
      set({ previewing: false, error: answer.error });
      return;
    }
    set({ previewing: false, preview: answer.value });
  },

  askConfirm() {
    if (get().preview?.items.length) set({ confirming: true, result: undefined });
  },

  cancelConfirm() {
    set({ confirming: false });
  },

  async confirm() {
    const { preview } = get();
    if (!preview) return;
    set({ deleting: true, error: undefined });
    const answer = await client.invoke('data:cleanup', { previewId: preview.previewId });
    if (!answer.ok) {
      set({ deleting: false, confirming: false, error: answer.error });
      return;
    }
    set({ deleting: false, confirming: false, result: answer.value, preview: undefined });
  },
}));
