import { create } from 'zustand';
import type { ErrorPayload } from '../../../../shared/errors/payload';
import type { AppInfo, EventOf } from '../../../../shared/ipc/contract';
import { client } from '../../api/client';

type Notice = EventOf<'app:notice'> & { id: number };

type AppState = {
  info: AppInfo | undefined;
  infoError: ErrorPayload | undefined;
  notices: Notice[];
  loadInfo: () => Promise<void>;
  addNotice: (notice: EventOf<'app:notice'>) => void;
  dismissNotice: (id: number) => void;
  reset: () => void;
};

const initial = { info: undefined, infoError: undefined, notices: [] };
let nextNoticeId = 1;

/** App-wide view state: version, secret-storage status, and notices pushed by the engine. */
export const useAppStore = create<AppState>()((set) => ({
  ...initial,
  async loadInfo() {
    const result = await client.appInfo();
    if (result.ok) set({ info: result.value, infoError: undefined });
    else set({ infoError: result.error });
  },
  addNotice(notice) {
    set((s) => ({ notices: [...s.notices, { ...notice, id: nextNoticeId++ }] }));
  },
  dismissNotice(id) {
    set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
  },
  reset() {
    set(initial);
  },
}));
